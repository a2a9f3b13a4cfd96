package io.wharf.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/** What a running server stores and what it serves for a channel location, by file name, for comparing. */
public final class ServedRows {
  private ServedRows() {}

  /**
   * Every stored record under {@code label} of the channel, as {@code subdir/filename -> record}, read
   * page by page from the files API (the stored rows as the server reports them).
   */
  public static Map<String, JsonNode> stored(TestServer server, String channel, String label) {
    Map<String, JsonNode> out = new TreeMap<>();
    String path = "/api/channels/" + channel + "/files?limit=1000&label=" + label;
    while (path != null) {
      var res = server.send(server.admin(path).GET());
      if (res.statusCode() != 200) {
        throw new IllegalStateException(path + ": HTTP " + res.statusCode());
      }
      for (JsonNode f : TestServer.json(res)) {
        out.put(f.get("subdir").asText() + "/" + f.get("filename").asText(), f.get("record"));
      }
      path = res.headers().firstValue("Link").map(l -> l.substring(1, l.indexOf('>'))).orElse(null);
    }
    return out;
  }

  /**
   * Every record the channel location serves in the repodata.json of each subdir that holds a stored
   * file or is {@code noarch}, as {@code subdir/filename -> record}.
   */
  public static Map<String, JsonNode> served(TestServer server, String channel, String label,
      Iterable<String> subdirs) {
    Map<String, JsonNode> out = new TreeMap<>();
    String base = "/conda/" + channel + (label.equals("main") ? "" : "/label/" + label);
    for (String subdir : subdirs) {
      var res = server.send(server.admin(base + "/" + subdir + "/repodata.json").GET());
      if (res.statusCode() == 404) {
        continue; // a label with no files is not served at all
      }
      JsonNode repodata = TestServer.json(res);
      for (String key : new String[] {"packages", "packages.conda"}) {
        repodata.path(key).fields().forEachRemaining(e -> out.put(subdir + "/" + e.getKey(), e.getValue()));
      }
    }
    return out;
  }
}
