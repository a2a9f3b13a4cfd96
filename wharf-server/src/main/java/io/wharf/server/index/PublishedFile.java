package io.wharf.server.index;

/** What the hot path needs to serve one package file without asking the database. */
public record PublishedFile(String filename, String blobKey, long size, String sha256, long uploadedAt) {

  /** One line of a subdir's file table: tab-separated fields, newline-terminated. */
  String line() {
    return filename + '\t' + blobKey + '\t' + size + '\t' + sha256 + '\t' + uploadedAt + '\n';
  }

  /** The entry for {@code filename} in a name's file table, or null. */
  static PublishedFile find(String table, String filename) {
    int at = 0;
    while (at < table.length()) {
      int end = table.indexOf('\n', at);
      if (end < 0) {
        end = table.length();
      }
      int tab = table.indexOf('\t', at);
      if (tab > at && tab < end && table.regionMatches(at, filename, 0, filename.length())
          && tab - at == filename.length()) {
        String[] f = table.substring(at, end).split("\t", -1);
        return new PublishedFile(f[0], f[1], Long.parseLong(f[2]), f[3], Long.parseLong(f[4]));
      }
      at = end + 1;
    }
    return null;
  }

  /** How many entries a file table holds. */
  static int count(String table) {
    int n = 0;
    for (int i = 0; i < table.length(); i++) {
      if (table.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }
}
