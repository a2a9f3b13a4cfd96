package io.wharf.conda.repodata;

import io.wharf.conda.metadata.PostInstallFlags;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One artifact's contribution to channeldata.json.
 *
 * @param record the (patched) repodata record
 * @param about {@code info/about.json}, when the package has one
 * @param runExports {@code info/run_exports.json}: an object, or a list meaning {@code {"weak": [...]}}
 * @param flags derived from {@code info/paths.json}; absent means all false
 * @param recipeSource the {@code source:} section of the rendered recipe, for {@code source_url} and
 *     {@code source_git_url}
 */
public record ChanneldataInput(
    String subdir,
    String filename,
    ObjectNode record,
    Optional<ObjectNode> about,
    Optional<JsonNode> runExports,
    Optional<PostInstallFlags> flags,
    Optional<JsonNode> recipeSource) {

  public ChanneldataInput {
    Objects.requireNonNull(subdir, "subdir");
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(about, "about");
    Objects.requireNonNull(runExports, "runExports");
    Objects.requireNonNull(flags, "flags");
    Objects.requireNonNull(recipeSource, "recipeSource");
  }

  /** An artifact known only by its record. */
  public static ChanneldataInput of(String subdir, String filename, ObjectNode record) {
    return new ChanneldataInput(subdir, filename, record, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }
}
