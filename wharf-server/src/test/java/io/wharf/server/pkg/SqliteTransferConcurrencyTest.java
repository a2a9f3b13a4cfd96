package io.wharf.server.pkg;

import java.util.Map;

class SqliteTransferConcurrencyTest extends TransferConcurrencyContract {
  @Override
  protected Map<String, String> engine() {
    return Map.of();
  }
}
