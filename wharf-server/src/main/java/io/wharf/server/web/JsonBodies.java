package io.wharf.server.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.wharf.server.channel.Privacy;
import io.wharf.server.error.WharfException;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JSON request bodies of the API: read strictly, with refusals that name what is wrong. */
final class JsonBodies {
  // A key given twice is refused rather than letting the last one win: a client (or a proxy in between)
  // that reads the first would act on a different request than the one Wharf carried out.
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

  private JsonBodies() {}

  /** The request body, which must be a JSON object. */
  static JsonNode object(Context ctx) {
    try {
      byte[] body = ctx.bodyAsBytes();
      JsonNode node = body.length == 0 ? null : JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw WharfException.invalid("invalid_json", "the request body must be a JSON object");
      }
      return node;
    } catch (JsonParseException e) {
      String duplicate = duplicateKey(e);
      if (duplicate != null) {
        throw WharfException.invalid("duplicate_key", "the request body gives '" + duplicate + "' more than once",
            Map.of("key", duplicate));
      }
      throw notJson(e);
    } catch (JsonProcessingException e) {
      throw notJson(e);
    } catch (IOException e) {
      throw WharfException.invalid("invalid_json", "the request body could not be read");
    }
  }

  /** The key named by Jackson's duplicate detection ({@code DupDetector}), or null for any other parse error. */
  private static String duplicateKey(JsonParseException e) {
    Matcher m = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
    return m.matches() ? m.group(1) : null;
  }

  /** The parser's own words and where it stopped, without its dump of the source. */
  private static WharfException notJson(JsonProcessingException e) {
    var at = e.getLocation();
    String why = String.valueOf(e.getOriginalMessage());
    int marker = why.indexOf(" (start marker at");
    return WharfException.invalid("invalid_json", "the request body is not valid JSON: "
        + (marker >= 0 ? why.substring(0, marker) : why)
        + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
  }

  static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw WharfException.invalid("invalid_field", "'" + field + "' must be a string");
    }
    return n.asText();
  }

  static Privacy privacy(String value) {
    if (value == null) {
      return Privacy.PUBLIC;
    }
    try {
      return Privacy.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw WharfException.invalid("invalid_privacy", "privacy must be public, authenticated or private");
    }
  }
}
