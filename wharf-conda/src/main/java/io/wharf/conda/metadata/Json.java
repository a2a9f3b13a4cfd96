package io.wharf.conda.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Shared strict JSON reading for the {@code info/*.json} files. */
final class Json {
  // Package metadata is small; a deep or huge document is an attack, not a package.
  static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(64).build());
  }

  private Json() {}

  static ObjectNode readObject(byte[] json, String code, String file) throws InvalidMetadataException {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidMetadataException(
          code, file + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InvalidMetadataException(code, file + " could not be read: " + e.getMessage(), e);
    }
    if (node == null || node.isMissingNode()) {
      throw new InvalidMetadataException(code, file + " is empty");
    }
    if (!node.isObject()) {
      throw new InvalidMetadataException(code, file + " must be a JSON object");
    }
    return (ObjectNode) node;
  }

  static JsonNode readAny(byte[] json, String code, String file) throws InvalidMetadataException {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new InvalidMetadataException(code, file + " is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new InvalidMetadataException(
          code, file + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InvalidMetadataException(code, file + " could not be read: " + e.getMessage(), e);
    }
  }

  /** A string field that may be absent or null; any other type is lenient-ignored. */
  static Optional<String> text(JsonNode parent, String field) {
    JsonNode v = parent.get(field);
    return v != null && v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
  }

  /** Strings of an array; a bare string counts as a one-element list, other types are ignored. */
  static List<String> lenientStrings(JsonNode parent, String field) {
    JsonNode v = parent.get(field);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (v.isTextual()) {
      out.add(v.asText());
    } else if (v.isArray()) {
      v.forEach(e -> {
        if (e.isTextual()) {
          out.add(e.asText());
        }
      });
    }
    return List.copyOf(out);
  }
}
