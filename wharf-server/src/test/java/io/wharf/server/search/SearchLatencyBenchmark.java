package io.wharf.server.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.metadata.AboutJson;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.db.Database;
import io.wharf.server.events.Events;
import io.wharf.server.pkg.JdbcPackageFileRepository;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.search.jdbc.JdbcSearchRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Search latency on a catalog of 10,000 package names with 10 files each, in one SQLite database
 * (the embedded default). Not a test: run it with bench/search-latency.sh. Prints p50/p95/p99 per
 * query type as a Markdown table.
 *
 * <p>Arguments (all optional): names, files per name, measured queries per type.
 */
public final class SearchLatencyBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Misspelled query -> the name it was made from, to report how often that name is found. By identity:
   * two query types can make the same text from different names.
   */
  private static final Map<SearchQuery, String> MISSPELLED = new IdentityHashMap<>();
  private static final String[] PARTS = ("num sci data http json xml image learn core tools utils plot stream cloud"
      + " async crypto graph net io sql text web yaml zip arrow torch tensor geo stats math lib parse cli log test"
      + " mock dev build config cache queue auth jwt grpc proto http2 socket server client api rest html css"
      + " markdown pdf audio video font color time date cal money units bio chem astro ml nlp vision rl cv"
      + " dask ray spark kafka redis mongo pg lite db orm schema type check lint fmt doc sphinx jupyter lab"
      + " widget dash flask django fast pydantic attrs click rich tqdm numpy pandas scipy matplotlib").split(" ");
  private static final String[] PREFIXES = {"", "", "", "py", "lib", "r-", "ros-", "perl-", "jupyter-", "x"};
  private static final String[] WORDS = ("fast simple robust library for parsing reading writing arrays tables"
      + " images signals networks graphs models statistics plotting streaming files data scientific numeric"
      + " computing interface bindings wrapper toolkit framework utilities extension plugin support efficient"
      + " parallel distributed memory storage compression encoding decoding server client protocol secure"
      + " validation serialization configuration testing documentation command line terminal colors progress"
      + " geometry spatial astronomy biology chemistry genomics sequencing learning neural training inference"
      + " visualization interactive notebook widgets dashboards database queries migrations schemas").split(" ");
  private static final String[] SUBDIRS = {"linux-64", "osx-64", "osx-arm64", "win-64", "linux-aarch64"};
  private static final String[] FAMILIES = {"MIT", "MIT", "MIT", "BSD", "BSD", "Apache", "Apache", "GPL", "LGPL",
      "Public-Domain", "Other"};

  public static void main(String[] args) throws Exception {
    int names = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int filesPerName = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int queries = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    // -Dbench.db=<file> keeps the generated SQLite database and reuses it on the next run.
    // -Dbench.engine=postgresql measures a fresh database on an embedded PostgreSQL server instead
    // (or the server named by WHARF_TEST_PG_URL / _USER / _PASSWORD).
    boolean postgres = "postgresql".equals(System.getProperty("bench.engine", "sqlite"));
    String keep = postgres ? null : System.getProperty("bench.db");
    Path dir = keep == null ? Files.createTempDirectory("wharf-search-bench-") : null;
    Path file = keep == null ? dir.resolve("wharf.db") : Path.of(keep);
    boolean reuse = !postgres && Files.exists(file);
    Random random = new Random(42);
    System.out.println("engine: " + (postgres ? "PostgreSQL" : "SQLite"));
    try (Database db = postgres ? openPostgres() : Database.openSqlite(file)) {
      List<String> catalog = names(random, names);
      JdbcSearchRepository search = new JdbcSearchRepository(db);
      Channel channel;
      if (reuse) {
        channel = new JdbcChannelRepository(db).findByName("bench").orElseThrow();
        System.out.println("catalog: reusing " + file);
      } else {
        channel = new JdbcChannelRepository(db).create("bench", "", Privacy.PUBLIC);
        long start = System.nanoTime();
        insertFiles(db, channel.id(), catalog, filesPerName, random);
        if (!postgres) {
          // Without statistics SQLite reads a name's files through the (channel, label, subdir, filename)
          // index, which yields their order but walks the whole channel, so indexing every name of a
          // fresh catalog would take hours. The statistics cover package_files only: search queries are
          // measured without any, as a server has them.
          db.jdbi().useHandle(h -> h.execute("ANALYZE package_files"));
        }
        long filesDone = System.nanoTime();
        new SearchIndexer(new JdbcPackageFileRepository(db), search, new Events(), LICENSE_FAMILY)
            .reconcile(List.of(channel));
        long indexDone = System.nanoTime();
        System.out.printf(Locale.ROOT, "catalog: %d names, %d files; rows written in %.1f s, index built in %.1f s%n",
            names, names * filesPerName, (filesDone - start) / 1e9, (indexDone - filesDone) / 1e9);
      }
      if (postgres) {
        // What autovacuum does shortly after a bulk load; without statistics the planner guesses.
        db.jdbi().useHandle(h -> h.execute("ANALYZE"));
      }
      random = new Random(7);

      Map<String, List<SearchQuery>> types = queryTypes(catalog, channel.id(), queries, random);
      for (List<SearchQuery> warmup : types.values()) {
        warmup.forEach(search::search);
      }
      List<String> recall = new ArrayList<>();
      List<String> missed = new ArrayList<>();
      System.out.println();
      System.out.println("| query type | queries | p50 ms | p95 ms | p99 ms | max ms | mean hits (total) |");
      System.out.println("|---|---:|---:|---:|---:|---:|---:|");
      for (Map.Entry<String, List<SearchQuery>> type : types.entrySet()) {
        long[] nanos = new long[type.getValue().size()];
        long hits = 0;
        int found = 0;
        int foundAnywhere = 0;
        for (int i = 0; i < nanos.length; i++) {
          SearchQuery q = type.getValue().get(i);
          long t = System.nanoTime();
          SearchPage page = search.search(q);
          nanos[i] = System.nanoTime() - t;
          hits += page.total();
          String original = MISSPELLED.get(q);
          if (original != null && page.hits().stream().anyMatch(h -> h.name().equals(original))) {
            found++;
            foundAnywhere++;
          } else if (original != null && anywhere(search, q, original)) {
            foundAnywhere++;
          } else if (original != null && missed.size() < 5) {
            missed.add(q.text() + " (for " + original + ")");
          }
        }
        if (type.getKey().startsWith("misspel")) {
          recall.add(String.format(Locale.ROOT, "%s: intended name on the first page for %d of %d queries,"
              + " among all hits for %d%s", type.getKey(), found, nanos.length, foundAnywhere,
              missed.isEmpty() ? "" : "; missed e.g. " + String.join(", ", missed)));
          missed.clear();
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.1f |%n", type.getKey(), nanos.length,
            pct(nanos, 50), pct(nanos, 95), pct(nanos, 99), nanos[nanos.length - 1] / 1e6, (double) hits / nanos.length);
      }
      System.out.println();
      recall.forEach(System.out::println);
    } finally {
      if (dir != null) {
        try (var walk = Files.walk(dir)) {
          walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private static Database openPostgres() {
    io.wharf.server.testing.PostgresFixture.PgDatabase pg =
        io.wharf.server.testing.PostgresFixture.shared().newDatabase();
    return Database.open(pg.jdbcUrl(), pg.user(), pg.password());
  }

  private static final Function<PackageFile, String> LICENSE_FAMILY = f -> {
    try {
      return AboutJson.parse(f.aboutJson().getBytes(StandardCharsets.UTF_8)).licenseFamily()
          .map(s -> s.toLowerCase(Locale.ROOT)).orElse(null);
    } catch (Exception e) {
      return null;
    }
  };

  private static double pct(long[] sorted, int percentile) {
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }

  private static List<String> names(Random random, int count) {
    Set<String> names = new LinkedHashSet<>();
    while (names.size() < count) {
      StringBuilder sb = new StringBuilder(PREFIXES[random.nextInt(PREFIXES.length)]);
      int parts = 1 + random.nextInt(3);
      for (int i = 0; i < parts; i++) {
        sb.append(i == 0 ? "" : "-").append(PARTS[random.nextInt(PARTS.length)]);
      }
      if (random.nextInt(4) == 0) {
        sb.append(random.nextInt(100));
      }
      names.add(sb.toString());
    }
    return new ArrayList<>(names);
  }

  private static String words(Random random, int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      sb.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
    }
    return sb.toString();
  }

  private static void insertFiles(Database db, long channelId, List<String> catalog, int perName, Random random) {
    db.jdbi().useTransaction(h -> {
      PreparedBatch batch = h.prepareBatch("INSERT INTO package_files (channel_id, label, subdir, filename, name,"
          + " version, build, build_number, md5, sha256, size, blob_key, uploaded_at, record_json, index_json,"
          + " about_json) VALUES (:channelId, 'main', :subdir, :filename, :name, :version, :build, 0, :md5,"
          + " :sha256, 1000, :blobKey, :uploadedAt, :record, :index, :about)");
      long time = 1_700_000_000_000L;
      for (String name : catalog) {
        boolean noarch = random.nextInt(10) < 3;
        String family = FAMILIES[random.nextInt(FAMILIES.length)];
        String summary = words(random, 4 + random.nextInt(8));
        String description = words(random, 20 + random.nextInt(60));
        int platforms = 1 + random.nextInt(SUBDIRS.length);
        for (int i = 0; i < perName; i++) {
          String subdir = noarch ? "noarch" : SUBDIRS[i % platforms];
          String version = (1 + i / platforms) + "." + random.nextInt(20) + "." + random.nextInt(10);
          String build = "h" + Integer.toHexString(random.nextInt()) + "_0";
          String filename = name + "-" + version + "-" + build + ".conda";
          String sha = String.format(Locale.ROOT, "%064x", random.nextLong() & Long.MAX_VALUE);
          ObjectNode index = JSON.createObjectNode().put("name", name).put("version", version).put("build", build)
              .put("build_number", 0).put("subdir", subdir).put("license", family);
          ObjectNode about = JSON.createObjectNode().put("summary", summary).put("description", description)
              .put("license_family", family);
          batch.bind("channelId", channelId).bind("subdir", subdir).bind("filename", filename).bind("name", name)
              .bind("version", version).bind("build", build).bind("md5", sha.substring(0, 32)).bind("sha256", sha)
              .bind("blobKey", "packages/" + sha).bind("uploadedAt", time++)
              .bind("record", index.toString()).bind("index", index.toString()).bind("about", about.toString())
              .add();
        }
      }
      batch.execute();
    });
  }

  private static Map<String, List<SearchQuery>> queryTypes(List<String> catalog, long channelId, int n, Random r) {
    Map<String, Supplier<SearchQuery>> makers = new LinkedHashMap<>();
    Supplier<String> anyName = () -> catalog.get(r.nextInt(catalog.size()));
    makers.put("exact name", () -> query(anyName.get(), channelId, null, null, 1));
    makers.put("prefix (3-5 chars)", () -> query(prefix(anyName.get(), r), channelId, null, null, 1));
    makers.put("substring (4 chars)", () -> query(middle(anyName.get(), r), channelId, null, null, 1));
    for (int edits = 1; edits <= 2; edits++) {
      int e = edits;
      makers.put("misspelled (" + e + (e == 1 ? " edit)" : " edits)"), () -> {
        String name = longName(catalog, r);
        SearchQuery q = query(misspell(name, e, r), channelId, null, null, 1);
        MISSPELLED.put(q, name);
        return q;
      });
    }
    // The start of a longer name, misspelt: what someone types before the name is complete.
    makers.put("misspelt prefix (5-8 chars, 1 edit)", () -> misspeltPrefix(catalog, channelId, 5, 8, 1, r));
    makers.put("misspelt prefix (9-12 chars, 2 edits)", () -> misspeltPrefix(catalog, channelId, 9, 12, 2, r));
    makers.put("text (1-2 words)", () -> query(words(r, 1 + r.nextInt(2)), channelId, null, null, 1));
    makers.put("prefix + platform filter", () -> query(prefix(anyName.get(), r), channelId,
        SUBDIRS[r.nextInt(SUBDIRS.length)], null, 1));
    makers.put("prefix + license filter", () -> query(prefix(anyName.get(), r), channelId, null,
        FAMILIES[r.nextInt(FAMILIES.length)].toLowerCase(Locale.ROOT), 1));
    makers.put("browse, page 50", () -> query("", channelId, null, null, 50));
    Map<String, List<SearchQuery>> types = new LinkedHashMap<>();
    makers.forEach((type, maker) -> {
      List<SearchQuery> list = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        list.add(maker.get());
      }
      types.put(type, list);
    });
    return types;
  }

  private static SearchQuery query(String text, long channelId, String subdir, String license, int page) {
    return new SearchQuery(text, Set.of(channelId), Optional.ofNullable(subdir), Optional.ofNullable(license), page, 20);
  }

  private static SearchQuery misspeltPrefix(List<String> catalog, long channelId, int min, int max, int edits,
      Random r) {
    String name;
    do {
      name = catalog.get(r.nextInt(catalog.size()));
    } while (name.length() <= min);
    String typo = misspell(name.substring(0, min + r.nextInt(Math.min(max, name.length() - 1) - min + 1)), edits, r);
    SearchQuery q = query(typo, channelId, null, null, 1);
    MISSPELLED.put(q, name);
    return q;
  }

  /** Whether a hit of the query, on any page, is the named package (not timed). */
  private static boolean anywhere(SearchRepository search, SearchQuery q, String name) {
    for (int page = 1; ; page++) {
      SearchPage p = search.search(new SearchQuery(q.text(), q.channelIds(), q.subdir(), q.licenseFamily(), page,
          SearchQuery.MAX_PAGE_SIZE));
      if (p.hits().stream().anyMatch(h -> h.name().equals(name))) {
        return true;
      }
      if ((long) page * SearchQuery.MAX_PAGE_SIZE >= p.total()) {
        return false;
      }
    }
  }

  private static String prefix(String name, Random r) {
    return name.substring(0, Math.min(name.length(), 3 + r.nextInt(3)));
  }

  private static String middle(String name, Random r) {
    if (name.length() <= 4) {
      return name;
    }
    int from = 1 + r.nextInt(name.length() - 4);
    return name.substring(from, Math.min(name.length(), from + 4));
  }

  private static String longName(List<String> catalog, Random r) {
    String name;
    do {
      name = catalog.get(r.nextInt(catalog.size()));
    } while (name.length() < 5);
    return name;
  }

  /** Random substitutions or adjacent transpositions (one may undo another, or swap equal letters). */
  private static String misspell(String name, int edits, Random r) {
    char[] cs = name.toCharArray();
    for (int e = 0; e < edits; e++) {
      int i = r.nextInt(cs.length - 1);
      if (r.nextBoolean()) {
        char t = cs[i];
        cs[i] = cs[i + 1];
        cs[i + 1] = t;
      } else {
        cs[i] = (char) ('a' + r.nextInt(26));
      }
    }
    return new String(cs);
  }
}
