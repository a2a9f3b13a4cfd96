package io.wharf.server.bench;

import io.wharf.server.db.Database;
import io.wharf.server.pkg.InstalledFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Gives every package file of a database filled by {@link SubdirFiller} a stored listing of installed files
 * ({@code package_contents}), as an upload keeps it, for the declared-names backfill benchmark. Not a test.
 * A record that depends on {@code python} lists a site-packages tree with a {@code <name>-<version>.dist-info}
 * directory (as a wheel-built conda package does), where a {@code -base} package names what it is the base
 * of ({@code numpy-base} declares {@code numpy}, as the real one does); every other record lists files under
 * {@code lib/}, {@code include/} and {@code share/}. Each listing has {@code files} entries with sha256 and
 * size, so the stored JSON has the size of a real one of that many files. Leaves no declared names and no
 * backfill cursor: the benchmark sets the cursor when it wants the backfill to run.
 *
 * <p>Arguments: database file, files per listing.
 */
public final class ContentsFiller {
  private ContentsFiller() {}

  public static void main(String[] args) throws Exception {
    Path dbFile = Path.of(args[0]);
    int perListing = Integer.parseInt(args[1]);
    long started = System.nanoTime();
    int[] counts = new int[2];
    try (Database db = Database.openSqlite(dbFile)) {
      long last = 0;
      while (true) {
        long after = last;
        List<String[]> rows = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT id, sha256, name, version, record_json FROM package_files WHERE id > :after ORDER BY id LIMIT 10000")
            .bind("after", after)
            .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5)})
            .list());
        if (rows.isEmpty()) {
          break;
        }
        last = Long.parseLong(rows.get(rows.size() - 1)[0]);
        db.jdbi().useTransaction(h -> {
          var batch = h.prepareBatch("INSERT INTO package_contents (sha256, paths_json) VALUES (:sha, :json)"
              + " ON CONFLICT (sha256) DO NOTHING");
          for (String[] r : rows) {
            boolean python = r[4].matches("(?s).*\"python( [^\"]*)?\".*");
            counts[python ? 1 : 0]++;
            batch.bind("sha", r[1]).bind("json", listing(r[2], r[3], python, perListing).toJson()).add();
          }
          batch.execute();
        });
      }
      db.jdbi().useHandle(h -> {
        h.execute("DELETE FROM package_pypi_names");
        h.execute("DELETE FROM declared_names_backfill");
      });
    }
    System.out.printf("listed the files of %d package files (%d depending on python) in %.1f s%n",
        counts[0] + counts[1], counts[1], (System.nanoTime() - started) / 1e9);
  }

  private static InstalledFiles listing(String name, String version, boolean python, int n) throws Exception {
    List<InstalledFiles.File> files = new ArrayList<>();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    // numpy-base installs numpy: the name a package declares is not always its conda name
    String module = name.replaceFirst("-base$", "").replace('-', '_');
    String site = "lib/python3.11/site-packages/";
    List<String> paths = new ArrayList<>();
    if (python) {
      String distInfo = site + module + "-" + version + ".dist-info/";
      for (String f : List.of("METADATA", "RECORD", "WHEEL", "INSTALLER", "top_level.txt")) {
        paths.add(distInfo + f);
      }
    }
    for (int i = 0; paths.size() < n; i++) {
      paths.add(python ? site + module + "/sub" + (i / 10) + "/mod" + i + ".py"
          : switch (i % 3) {
            case 0 -> "lib/lib" + module + ".so." + i;
            case 1 -> "include/" + module + "/header" + i + ".h";
            default -> "share/" + module + "/data" + i + ".txt";
          });
    }
    for (String p : paths) {
      String hex = HexFormat.of().formatHex(sha.digest(p.getBytes(StandardCharsets.UTF_8)));
      files.add(new InstalledFiles.File(p, hex, (long) (p.length() * 37), null));
    }
    return new InstalledFiles(files, false);
  }
}
