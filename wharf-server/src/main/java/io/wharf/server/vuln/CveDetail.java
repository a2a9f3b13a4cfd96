package io.wharf.server.vuln;

import java.util.List;

/** One CVE with every vector, its references and the linked files the caller may read. */
public record CveDetail(CveView cve, List<CvssVector> vectors, List<String> references, List<LinkedFile> files) {

  /** A linked file and the link's curation. */
  public record LinkedFile(long channelId, String label, String subdir, String filename, String name,
      String version, FileCve link) {}
}
