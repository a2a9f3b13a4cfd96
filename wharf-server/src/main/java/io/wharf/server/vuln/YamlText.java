package io.wharf.server.vuln;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;

/**
 * Reads YAML into a tree whose scalars are all strings exactly as written. A plain YAML reader would turn
 * an unquoted version such as {@code 1.10} into the number 1.1 and so change which versions a range covers.
 */
final class YamlText {
  private static final YAMLFactory FACTORY = new YAMLFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private YamlText() {}

  static JsonNode read(byte[] yaml) throws IOException {
    try (JsonParser p = FACTORY.createParser(yaml)) {
      return p.nextToken() == null ? null : value(p);
    }
  }

  private static JsonNode value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      ObjectNode o = NODES.objectNode();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        o.set(name, value(p));
      }
      return o;
    }
    if (t == JsonToken.START_ARRAY) {
      ArrayNode a = NODES.arrayNode();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        a.add(value(p));
      }
      return a;
    }
    return t == JsonToken.VALUE_NULL ? NODES.nullNode() : NODES.textNode(p.getText());
  }
}
