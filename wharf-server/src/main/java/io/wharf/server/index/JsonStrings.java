package io.wharf.server.index;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** JSON string literals for keys the publisher writes around stored record JSON. */
final class JsonStrings {
  private JsonStrings() {}

  static String quote(String s) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
  }
}
