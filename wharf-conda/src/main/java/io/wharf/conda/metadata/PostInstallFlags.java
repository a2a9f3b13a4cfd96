package io.wharf.conda.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/**
 * The channeldata booleans derived from a package's {@code info/paths.json} (CONDA.md §1.4, conda-index
 * {@code _cache_post_install_details}).
 */
public record PostInstallFlags(
    boolean binaryPrefix,
    boolean textPrefix,
    boolean activateD,
    boolean deactivateD,
    boolean preLink,
    boolean postLink,
    boolean preUnlink) {

  public static final PostInstallFlags NONE = new PostInstallFlags(false, false, false, false, false, false, false);

  // conda-index uses fnmatch("*/.*-<kind>.*"); fnmatch's "*" also crosses "/".
  private static final Pattern PRE_LINK = linkScript("pre-link");
  private static final Pattern POST_LINK = linkScript("post-link");
  private static final Pattern PRE_UNLINK = linkScript("pre-unlink");

  /** Flags for one package; a missing or malformed paths.json gives {@link #NONE}, as in conda-index. */
  public static PostInstallFlags fromPathsJson(JsonNode pathsJson) {
    boolean binary = false;
    boolean text = false;
    boolean activate = false;
    boolean deactivate = false;
    boolean preLink = false;
    boolean postLink = false;
    boolean preUnlink = false;
    JsonNode paths = pathsJson == null ? null : pathsJson.get("paths");
    if (paths == null || !paths.isArray()) {
      return NONE;
    }
    for (JsonNode entry : paths) {
      JsonNode placeholder = entry.get("prefix_placeholder");
      if (placeholder != null && placeholder.isTextual() && !placeholder.textValue().isEmpty()) {
        String mode = entry.path("file_mode").asText("");
        binary |= mode.equals("binary");
        text |= mode.equals("text");
      }
      String path = entry.path("_path").asText("");
      activate |= path.startsWith("etc/conda/activate.d");
      deactivate |= path.startsWith("etc/conda/deactivate.d");
      preLink |= PRE_LINK.matcher(path).matches();
      postLink |= POST_LINK.matcher(path).matches();
      preUnlink |= PRE_UNLINK.matcher(path).matches();
    }
    return new PostInstallFlags(binary, text, activate, deactivate, preLink, postLink, preUnlink);
  }

  /** The flags under their channeldata.json keys (CEP 38). */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("binary_prefix", binaryPrefix);
    o.put("text_prefix", textPrefix);
    o.put("activate.d", activateD);
    o.put("deactivate.d", deactivateD);
    o.put("pre_link", preLink);
    o.put("post_link", postLink);
    o.put("pre_unlink", preUnlink);
    return o;
  }

  /** Reads what {@link #toJson()} wrote; missing keys are false. */
  public static PostInstallFlags fromJson(JsonNode n) {
    return new PostInstallFlags(n.path("binary_prefix").asBoolean(), n.path("text_prefix").asBoolean(),
        n.path("activate.d").asBoolean(), n.path("deactivate.d").asBoolean(), n.path("pre_link").asBoolean(),
        n.path("post_link").asBoolean(), n.path("pre_unlink").asBoolean());
  }

  public PostInstallFlags or(PostInstallFlags other) {
    return new PostInstallFlags(
        binaryPrefix || other.binaryPrefix,
        textPrefix || other.textPrefix,
        activateD || other.activateD,
        deactivateD || other.deactivateD,
        preLink || other.preLink,
        postLink || other.postLink,
        preUnlink || other.preUnlink);
  }

  private static Pattern linkScript(String kind) {
    return Pattern.compile(".*/\\..*-" + Pattern.quote(kind) + "\\..*", Pattern.DOTALL);
  }
}
