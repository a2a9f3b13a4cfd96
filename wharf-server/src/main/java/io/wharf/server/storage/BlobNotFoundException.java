package io.wharf.server.storage;

import java.io.IOException;

public final class BlobNotFoundException extends IOException {

  private final String key;

  public BlobNotFoundException(String key) {
    super("no blob at key " + key);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
