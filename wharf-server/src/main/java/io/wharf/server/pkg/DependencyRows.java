package io.wharf.server.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.conda.spec.MatchSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The package_dependencies rows of one repodata record. */
public final class DependencyRows {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> KINDS = List.of("depends", "constrains");

  /** {@code position} is the index in the record's array, so rows read back in record order. */
  public record Row(String kind, String depName, String spec, int position) {}

  private DependencyRows() {}

  /**
   * Entries that are not strings, or name no package ({@link MatchSpec#nameOf} is empty), have no
   * row: nothing could look them up. Specs that do not fully parse still get one under their name.
   */
  public static List<Row> of(String recordJson) {
    JsonNode record;
    try {
      record = JSON.readTree(recordJson);
    } catch (IOException e) {
      throw new UncheckedIOException("record JSON does not parse", e);
    }
    List<Row> rows = new ArrayList<>();
    for (String kind : KINDS) {
      JsonNode specs = record == null ? null : record.get(kind);
      if (specs == null || !specs.isArray()) {
        continue;
      }
      for (int i = 0; i < specs.size(); i++) {
        JsonNode spec = specs.get(i);
        String name = spec.isTextual() ? MatchSpec.nameOf(spec.asText()) : "";
        if (!name.isEmpty()) {
          rows.add(new Row(kind, name, spec.asText(), i));
        }
      }
    }
    return rows;
  }
}
