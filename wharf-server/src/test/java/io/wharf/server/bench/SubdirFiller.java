package io.wharf.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.repodata.RepodataRecords;
import io.wharf.server.db.Database;
import io.wharf.server.pkg.PackageStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fills a Wharf SQLite database with {@code n} linux-64 records for the publishing benchmarks. Not a
 * test. The records are the 5,643 real records of index4.json, repeated with the version extended
 * (about 8 versions a name) and, beyond that, under new names ({@code <name>-v<k>}), so a subdir has the
 * shapes of a real one (about 30 records a name, real depends lists) at any size. Rows are written in
 * large transactions straight into the schema (no blobs): only publishing and serving are measured.
 *
 * <p>Arguments: database file, channel name, record count, index4.json path.
 */
public final class SubdirFiller {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SubdirFiller() {}

  public static void main(String[] args) throws Exception {
    Path dbFile = Path.of(args[0]);
    String channel = args[1];
    int n = Integer.parseInt(args[2]);
    JsonNode index4 = JSON.readTree(Path.of(args[3]).toFile());
    List<JsonNode> base = new ArrayList<>();
    List<String> extensions = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = index4.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode r = e.getValue();
      if (r.path("subdir").asText("linux-64").equals("linux-64")) {
        base.add(r);
        extensions.add(e.getKey().endsWith(".conda") ? ".conda" : ".tar.bz2");
      }
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    Files.createDirectories(dbFile.getParent());
    long started = System.nanoTime();
    try (Database db = Database.openSqlite(dbFile)) {
      long channelId = db.jdbi().withHandle(h -> h.createUpdate(
              "INSERT INTO channels (name, description, privacy, created_at) VALUES (:n, '', 'PUBLIC', 0)")
          .bind("n", channel).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
      Random random = new Random(3);
      int done = 0;
      int[] next = {0};
      while (done < n) {
        int batchSize = Math.min(n - done, 10_000);
        db.jdbi().useTransaction(h -> {
          var batch = h.prepareBatch("INSERT INTO package_files (channel_id, label, subdir, filename, name, version,"
              + " build, build_number, md5, sha256, size, blob_key, uploaded_at, record_json, index_json)"
              + " VALUES (:c, 'main', 'linux-64', :fn, :name, :version, :build, :bn, :md5, :sha, :size, :key,"
              + " :at, :record, '{}')");
          for (int added = 0; added < batchSize; ) {
            int i = next[0]++;
            JsonNode src = base.get(i % base.size());
            int round = i / base.size();
            ObjectNode r = ((ObjectNode) src).deepCopy();
            String name = r.get("name").asText() + (round < 8 ? "" : "-v" + (round / 8));
            String version = r.get("version").asText() + (round % 8 == 0 ? "" : "." + (round % 8));
            r.put("name", name);
            r.put("version", version);
            String build = r.get("build").asText();
            byte[] sha = new byte[32];
            random.nextBytes(sha);
            String hex = HexFormat.of().formatHex(sha);
            r.put("sha256", hex);
            r.put("md5", hex.substring(0, 32));
            String fn = name + "-" + version + "-" + build + extensions.get(i % base.size());
            if (!seen.add(fn)) {
              continue; // the same name, version and build twice in the source records
            }
            added++;
            batch.bind("c", channelId).bind("fn", fn).bind("name", name).bind("version", version)
                .bind("build", build).bind("bn", r.path("build_number").asLong()).bind("md5", hex.substring(0, 32))
                .bind("sha", hex).bind("size", r.path("size").asLong(1000)).bind("key", PackageStore.blobKey(hex))
                .bind("at", 1_700_000_000_000L + i).bind("record", RepodataRecords.toJson(r)).add();
          }
          batch.execute();
        });
        done += batchSize;
      }
    }
    System.out.printf("filled %d records in %.1f s%n", n, (System.nanoTime() - started) / 1e9);
  }
}
