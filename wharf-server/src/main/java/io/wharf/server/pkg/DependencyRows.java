package io.wharf.server.pkg;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.wharf.conda.spec.MatchSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The package_dependencies rows of one repodata record. */
public final class DependencyRows {
  private static final JsonFactory JSON = new JsonFactory();
  private static final List<String> KINDS = List.of("depends", "constrains");

  /** {@code position} is the index in the record's array, so rows read back in record order. */
  public record Row(String kind, String depName, String spec, int position) {}

  private DependencyRows() {}

  /**
   * Entries that are not strings, or name no package ({@link MatchSpec#nameOf} is empty), have no
   * row: nothing could look them up. Specs that do not fully parse still get one under their name.
   * Every write of a file comes here, a bulk one for thousands of records a second, so the record is
   * streamed: only its {@code depends} and {@code constrains} become objects (of a repeated member,
   * the last counts, as when the record is read as a tree).
   */
  public static List<Row> of(String recordJson) {
    List<Row> depends = List.of();
    List<Row> constrains = List.of();
    try (JsonParser p = JSON.createParser(recordJson)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return List.of();
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        boolean isDepends = field.equals(KINDS.get(0));
        if (isDepends || field.equals(KINDS.get(1))) {
          List<Row> rows = value == JsonToken.START_ARRAY ? specs(p, field) : List.of();
          p.skipChildren(); // of a value that is no array; at an array's end, nothing
          if (isDepends) {
            depends = rows;
          } else {
            constrains = rows;
          }
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("record JSON does not parse", e);
    }
    if (constrains.isEmpty()) {
      return depends;
    }
    List<Row> rows = new ArrayList<>(depends);
    rows.addAll(constrains);
    return rows;
  }

  /** The rows of one array of specs, the parser at its start; leaves it at the array's end. */
  private static List<Row> specs(JsonParser p, String kind) throws IOException {
    List<Row> rows = new ArrayList<>();
    int i = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
      if (t == null) {
        throw new IOException("the record ends inside " + kind);
      }
      if (t == JsonToken.VALUE_STRING) {
        String spec = p.getText();
        String name = MatchSpec.nameOf(spec);
        if (!name.isEmpty()) {
          rows.add(new Row(kind, name, spec, i));
        }
      } else {
        p.skipChildren();
      }
    }
    return rows;
  }
}
