package io.wharf.server.web;

import io.wharf.server.pkg.StoredJson;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.PackageNameSummary;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** JSON shapes of the REST API (kept in step with openapi.json). */
final class Views {

  private Views() {}

  static Map<String, Object> channel(Channel c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", c.name());
    m.put("description", c.description());
    m.put("privacy", c.privacy().name().toLowerCase(Locale.ROOT));
    m.put("created_at", c.createdAt().toString());
    m.put("conda_url", "/conda/" + c.name());
    return m;
  }

  /** A subchannel: its name and the path conda clients use for it. */
  static Map<String, Object> label(Channel c, String label) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", label);
    m.put("conda_url", condaPath(c, label));
    return m;
  }

  /** {@code /conda/<channel>} for the main label, {@code /conda/<channel>/label/<label>} otherwise. */
  static String condaPath(Channel c, String label) {
    return "/conda/" + c.name() + (label.equals(ChannelNames.DEFAULT_LABEL) ? "" : "/label/" + label);
  }

  static Map<String, Object> packageSummary(PackageNameSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    m.put("file_count", s.fileCount());
    m.put("last_upload", s.lastUpload().toString());
    return m;
  }

  static Map<String, Object> file(Channel c, PackageFile f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("channel", c.name());
    m.put("label", f.label());
    m.put("subdir", f.subdir());
    m.put("filename", f.filename());
    m.put("name", f.name());
    m.put("version", f.version());
    m.put("build", f.build());
    m.put("build_number", f.buildNumber());
    m.put("size", f.size());
    m.put("md5", f.md5());
    m.put("sha256", f.sha256());
    m.put("uploaded_at", f.uploadedAt().toString());
    m.put("url", downloadPath(c, f));
    m.put("record", StoredJson.parse(f.recordJson()));
    // the record's entry of repodata.json's "signatures" ({key id: {"signature": hex}}), null while unsigned
    m.put("signatures", f.signaturesJson() == null ? null : StoredJson.parse(f.signaturesJson()));
    return m;
  }

  static String downloadPath(Channel c, PackageFile f) {
    return condaPath(c, f.label()) + "/" + f.subdir() + "/" + f.filename();
  }

}
