package io.wharf.server.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.pkg.StoredJson;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The top-level {@code license} and {@code license_family} texts of stored metadata, read as
 * {@link FileFacts#text} reads them from the parsed tree (trimmed; missing, null or not a value is
 * empty) but by streaming past everything else instead of building the tree.
 */
final class LicenseFields {
  static final List<String> FIELDS = List.of("license", "license_family");
  private static final ObjectMapper JSON = new ObjectMapper();

  private LicenseFields() {}

  static Map<String, String> read(String json) {
    Map<String, String> out = new HashMap<>();
    try (JsonParser p = JSON.getFactory().createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return fromTree(json);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (!FIELDS.contains(field)) {
          p.skipChildren();
        } else if (value == JsonToken.VALUE_STRING) {
          out.put(field, p.getText().trim()); // a repeated key: the last wins, as in the tree
        } else if (value == JsonToken.VALUE_NULL || value.isStructStart()) {
          out.put(field, "");
          p.skipChildren();
        } else {
          return fromTree(json); // a number or boolean: the tree's text of it
        }
      }
      return out;
    } catch (IOException e) {
      return fromTree(json); // reports unreadable metadata as the tree does
    }
  }

  private static Map<String, String> fromTree(String json) {
    JsonNode node = StoredJson.parse(json);
    Map<String, String> out = new HashMap<>();
    for (String field : FIELDS) {
      out.put(field, FileFacts.text(node, field));
    }
    return out;
  }
}
