package io.wharf.server.pkg;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.metadata.PathsJson;

/** The channeldata flags derived from {@code info/paths.json}, stored per file so channeldata never re-reads archives. */
public final class PathFlags {
  private PathFlags() {}

  static String toJson(PathsJson paths) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("binary_prefix", paths.binaryPrefix());
    o.put("text_prefix", paths.textPrefix());
    o.put("activate.d", paths.activateD());
    o.put("deactivate.d", paths.deactivateD());
    o.put("pre_link", paths.preLink());
    o.put("post_link", paths.postLink());
    o.put("pre_unlink", paths.preUnlink());
    return o.toString();
  }
}
