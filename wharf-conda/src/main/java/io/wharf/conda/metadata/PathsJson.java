package io.wharf.conda.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/**
 * {@code info/paths.json} (CEP 34), reduced to the flags channeldata.json publishes (CEP 38). The rules follow
 * conda-index's channeldata code: prefix placeholders by file mode, activation scripts by directory and link
 * scripts by the fnmatch patterns {@code * /.*-post-link.*} etc. (fnmatch's {@code *} also matches '/').
 */
public final class PathsJson {
  private static final String CODE = "invalid_paths_json";
  private static final String FILE = "info/paths.json";
  private static final Pattern PRE_LINK = Pattern.compile(".*/\\..*-pre-link\\..*", Pattern.DOTALL);
  private static final Pattern POST_LINK = Pattern.compile(".*/\\..*-post-link\\..*", Pattern.DOTALL);
  private static final Pattern PRE_UNLINK = Pattern.compile(".*/\\..*-pre-unlink\\..*", Pattern.DOTALL);

  private final ObjectNode raw;
  private final int fileCount;
  private boolean binaryPrefix;
  private boolean textPrefix;
  private boolean activateD;
  private boolean deactivateD;
  private boolean preLink;
  private boolean postLink;
  private boolean preUnlink;

  private PathsJson(ObjectNode raw) throws InvalidMetadataException {
    this.raw = raw;
    JsonNode paths = raw.get("paths");
    if (paths == null || !paths.isArray()) {
      throw new InvalidMetadataException(CODE, FILE + " must contain a \"paths\" list");
    }
    for (JsonNode entry : paths) {
      JsonNode path = entry.get("_path");
      if (!entry.isObject() || path == null || !path.isTextual()) {
        throw new InvalidMetadataException(
            CODE, FILE + " has an entry without a string \"_path\": " + abbreviate(entry));
      }
      inspect(entry, path.asText());
    }
    this.fileCount = paths.size();
  }

  public static PathsJson parse(byte[] json) throws InvalidMetadataException {
    return new PathsJson(Json.readObject(json, CODE, FILE));
  }

  private void inspect(JsonNode entry, String path) {
    JsonNode placeholder = entry.get("prefix_placeholder");
    if (placeholder != null && !placeholder.isNull()) {
      String mode = Json.text(entry, "file_mode").orElse("");
      binaryPrefix |= mode.equals("binary");
      textPrefix |= mode.equals("text");
    }
    activateD |= path.startsWith("etc/conda/activate.d");
    deactivateD |= path.startsWith("etc/conda/deactivate.d");
    preLink |= PRE_LINK.matcher(path).matches();
    postLink |= POST_LINK.matcher(path).matches();
    preUnlink |= PRE_UNLINK.matcher(path).matches();
  }

  public ObjectNode raw() {
    return raw.deepCopy();
  }

  public int fileCount() {
    return fileCount;
  }

  public boolean binaryPrefix() {
    return binaryPrefix;
  }

  public boolean textPrefix() {
    return textPrefix;
  }

  public boolean activateD() {
    return activateD;
  }

  public boolean deactivateD() {
    return deactivateD;
  }

  public boolean preLink() {
    return preLink;
  }

  public boolean postLink() {
    return postLink;
  }

  public boolean preUnlink() {
    return preUnlink;
  }

  private static String abbreviate(JsonNode node) {
    String text = node.toString();
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }
}
