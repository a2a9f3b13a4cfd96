package io.wharf.server;

import io.wharf.server.auth.AdminToken;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.ChannelAccess;
import io.wharf.server.auth.JdbcSessions;
import io.wharf.server.auth.JdbcTokens;
import io.wharf.server.auth.JdbcUsers;
import io.wharf.server.auth.MemberService;
import io.wharf.server.auth.TokenService;
import io.wharf.server.auth.UserService;
import io.wharf.server.catalog.CatalogService;
import io.wharf.server.catalog.FileFacts;
import io.wharf.server.changes.ChangeFollower;
import io.wharf.server.check.IntegrityCheck;
import io.wharf.server.index.PublishedCheck;
import io.wharf.server.changes.JdbcChangeLog;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.db.Database;
import io.wharf.server.events.Events;
import io.wharf.server.vuln.DeclaredNamesBackfill;
import io.wharf.server.pkg.DirectoryImportJob;
import io.wharf.server.web.ImportServed;
import io.wharf.server.vuln.VulnerabilityService;
import io.wharf.server.vuln.CveImportJob;
import io.wharf.server.jobs.JdbcJobs;
import io.wharf.server.jobs.JobRunner;
import io.wharf.server.jobs.JobService;
import io.wharf.server.history.jdbc.ChannelHistory;
import io.wharf.server.mirror.JdbcMirrors;
import io.wharf.server.mirror.MirrorRunJob;
import io.wharf.server.mirror.MirrorScheduler;
import io.wharf.server.mirror.MirrorService;
import io.wharf.server.mirror.SecretBox;
import io.wharf.server.pkg.PackageTransfers;
import io.wharf.server.index.IndexService;
import io.wharf.server.trust.JdbcTrustMetadata;
import io.wharf.server.trust.KeyDirectory;
import io.wharf.server.trust.RecordSigner;
import io.wharf.server.trust.JdbcSignatureBackfill;
import io.wharf.server.pkg.JdbcPackageFileRepository;
import io.wharf.server.pkg.BlobSweeper;
import io.wharf.server.pkg.PackageStore;
import io.wharf.server.db.JdbcSettings;
import io.wharf.server.storage.StoreIdentity;
import java.util.List;
import java.util.UUID;
import io.wharf.server.pkg.JdbcPackageFilePages;
import io.wharf.server.pkg.PackageFilePages;
import io.wharf.server.pkg.ImportService;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.PackageFileRepository;
import io.wharf.server.pkg.PackageContents;
import io.wharf.server.pkg.PackageService;
import io.wharf.server.sbom.SbomService;
import io.wharf.server.sbom.VulnerabilitySection;
import io.wharf.server.pkg.UploadService;
import io.wharf.server.search.jdbc.JdbcSearchRepository;
import io.wharf.server.search.SearchIndexer;
import io.wharf.server.search.SearchRepository;
import io.wharf.server.stats.DownloadCounter;
import io.wharf.server.stats.DownloadTotals;
import io.wharf.server.stats.Downloads;
import io.wharf.server.stats.JdbcDownloadCounts;
import io.wharf.server.events.ChannelRemoved;
import io.wharf.server.events.ChannelWritten;
import io.wharf.server.storage.BlobStore;
import io.wharf.server.storage.BlobStores;
import io.wharf.server.metrics.WharfMetrics;
import io.wharf.server.web.PublicUrls;
import io.wharf.server.web.WebServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires configuration, storage, services and the web server into one running Wharf. */
public final class WharfApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WharfApp.class);
  /** How long a mirror run waits for this node to publish what it wrote before its job is done. */
  private static final long MIRROR_VISIBLE_WAIT_MILLIS = 60_000;
  /** How often each node looks for mirrors due on their schedule. */
  private static final long MIRROR_SCHEDULE_CHECK_MILLIS = 5_000;

  private final Database database;
  private final BlobStore blobs;
  private final WebServer web;
  private final Closer watcher;
  private final String adminToken;
  private final DownloadCounter downloads;

  private WharfApp(Database database, BlobStore blobs, WebServer web, Closer watcher,
      String adminToken, DownloadCounter downloads) {
    this.downloads = downloads;
    this.database = database;
    this.watcher = watcher;
    this.blobs = blobs;
    this.web = web;
    this.adminToken = adminToken;
  }

  public static WharfApp start(WharfConfig config, PrintStream announce) throws IOException {
    // What can fail on its own is checked before anything is created: the configuration is already
    // parsed, the port is tried next, and a new admin token is stored and shown only once Wharf listens.
    ListenAddress.requireFree(config.host(), config.port());
    AdminToken token = AdminToken.resolve(config.adminToken(), config.dataDir());
    Files.createDirectories(config.dataDir());
    Files.createDirectories(config.tmpDir());
    Database db = config.dbUrl() == null
        ? Database.openSqlite(config.sqliteFile())
        : Database.open(config.dbUrl(), config.dbUser(), config.dbPassword());
    BlobStore blobs;
    try {
      blobs = BlobStores.open(config.storage(), config.blobDir());
    } catch (IOException | RuntimeException e) {
      db.close();
      throw e;
    }
    Events events = new Events();
    JdbcTrustMetadata trust = new JdbcTrustMetadata(db);
    RecordSigner signer;
    try {
      signer = RecordSigner.load(trust, new KeyDirectory(config.signingKeys()));
    } catch (RuntimeException e) {
      blobs.close();
      db.close();
      throw e;
    }
    PackageFileRepository files = new JdbcPackageFileRepository(db, Clock.systemUTC(), signer);
    try {
      String databaseId = new JdbcSettings(db).getOrCreate("database.id", () -> UUID.randomUUID().toString());
      StoreIdentity.check(blobs, databaseId, files.anyFile(), config.tmpDir());
      UploadService.cleanSpool(config.tmpDir());
    } catch (IOException | RuntimeException e) {
      blobs.close();
      db.close();
      throw e;
    }
    JdbcChannelRepository channelRows = new JdbcChannelRepository(db, Clock.systemUTC(),
        (channelId, seq) -> events.publish(new ChannelWritten(channelId, seq)));
    PackageFilePages filePages = new JdbcPackageFilePages(db);
    ChannelService channels = new ChannelService(channelRows, filePages::deleteBatch, events);
    JdbcChangeLog changeLog = new JdbcChangeLog(db);
    ChangeFollower follower = new ChangeFollower(changeLog, events, System.currentTimeMillis());
    IndexService index = new IndexService(files, events, Clock.systemUTC(), config.dataDir().resolve("published"),
        signer);
    io.wharf.server.patch.PatchService patches = new io.wharf.server.patch.PatchService(db, events, Clock.systemUTC());
    index.usePatches(patches);
    PackageStore store = new PackageStore(files, blobs, events);
    UploadService uploads = new UploadService(channels, store, config.tmpDir(), config.maxUploadBytes());
    PackageService packages = new PackageService(files, filePages, blobs, events);
    SearchRepository search = new JdbcSearchRepository(db);
    SearchIndexer indexer = new SearchIndexer(files, search, events, f -> FileFacts.licenseFamilyOf(f).slug());
    int reindexed = indexer.reconcile(channels.list()); // rows stored by a process that stopped before indexing
    if (reindexed > 0) {
      LOG.info("search index: {} package names brought in step with their files", reindexed);
    }
    CatalogService catalog = new CatalogService(channels, packages, files, search);
    follower.start(config.changeCheckMillis());
    // rows stored before these keys
    startBackfill("signature-backfill", new JdbcSignatureBackfill(db, signer, Clock.systemUTC())::run);
    ImportService imports = new ImportService(channels, store, config.tmpDir(), config.maxUploadBytes(),
        config.importDirectories());
    VulnerabilityService vulnerabilities = new VulnerabilityService(db, Clock.systemUTC());
    vulnerabilities.subscribe(events);
    // files stored before declared names were kept
    startBackfill("declared-names-backfill", new DeclaredNamesBackfill(vulnerabilities)::run);
    PackageTransfers transfers = new PackageTransfers(channels, db, events, signer);
    MirrorService mirrors = new MirrorService(new JdbcMirrors(db), channels, store, packages, transfers, blobs,
        SecretBox.open(config.mirrorSecretKey(), config.mirrorKeyFile()), config.tmpDir(),
        Duration.ofMillis(config.mirrorTimeoutMillis()), Clock.systemUTC());
    mirrors.usePolicies(new io.wharf.server.mirror.policy.PolicyService(
        new io.wharf.server.mirror.policy.JdbcPolicies(db), Clock.systemUTC()),
        new io.wharf.server.vuln.jdbc.JdbcRecordCves(db));
    JdbcJobs jobRows = new JdbcJobs(db);
    JobRunner jobRunner = new JobRunner(jobRows, Clock.systemUTC(), JobRunner.Timing.DEFAULT, 2)
        .handle(new CveImportJob(vulnerabilities))
        .handle(new DirectoryImportJob(imports, new ImportServed(index, indexer)::await))
        .handle(new MirrorRunJob(mirrors, seq -> {
          index.awaitVisible(seq, MIRROR_VISIBLE_WAIT_MILLIS);
          indexer.awaitIdle(Duration.ofMillis(MIRROR_VISIBLE_WAIT_MILLIS)); // and searchable
        }));
    JobService jobs = new JobService(jobRows, jobRunner, Clock.systemUTC(), config.tmpDir(), config.maxUploadBytes());
    MirrorScheduler schedule = new MirrorScheduler(mirrors, jobs, Clock.systemUTC(), MIRROR_SCHEDULE_CHECK_MILLIS);
    Closer watcher = () -> {
      schedule.close();
      mirrors.close();
      jobRunner.close();
      imports.close();
      indexer.close(); // after the bulk writers, before the database
      follower.close();
      changeLog.close();
      index.close();
    };
    JdbcUsers userRows = new JdbcUsers(db);
    JdbcTokens tokenRows = new JdbcTokens(db);
    ChannelAccess access = new ChannelAccess(channels);
    UserService users = new UserService(userRows, Clock.systemUTC());
    AuthServices auth = new AuthServices(
        new Authenticator(userRows, tokenRows, new JdbcSessions(db), Clock.systemUTC()), access, users,
        new TokenService(tokenRows, access, users, Clock.systemUTC(), config.tokenExpiry().defaultDays(),
            config.tokenExpiry().maxDays()),
        new MemberService(access, userRows, users));
    JdbcDownloadCounts downloadCounts = new JdbcDownloadCounts(db);
    events.subscribe(ChannelRemoved.class, e -> downloadCounts.deleteChannel(e.channelId()));
    DownloadCounter counter = config.downloadStats().enabled()
        ? DownloadCounter.start(downloadCounts, Clock.systemUTC(), config.downloadStats().flushMillis())
        : DownloadCounter.off();
    BlobSweeper sweeper = new BlobSweeper(files, blobs, BlobSweeper.DEFAULT_GRACE_MILLIS);
    WharfMetrics metrics = new WharfMetrics();
    index.onPublished(metrics::publication);
    metrics.publicationQueue(index::queueLength);
    metrics.publishedSubdirs(index::publishedSubdirCount);
    metrics.searchIndex(indexer::queuedBatches, indexer::failedBatches);
    Database.PoolState pool = db.poolState();
    metrics.databasePool(pool::active, pool::idle, pool::waiting, pool.max());
    WebServer web = WebServer.create(new WebServer.Services(channels, packages, uploads, imports, index, catalog,
        blobs, auth, db::check, transfers, new ChannelHistory(db),
        new SbomService(packages, new PackageContents(files, blobs, config.tmpDir()),
            List.of(new VulnerabilitySection(vulnerabilities)), Clock.systemUTC()), vulnerabilities,
        new IntegrityCheck(db, channelRows, files, filePages, blobs, indexer, new PublishedCheck(index, files),
            BlobSweeper.DEFAULT_GRACE_MILLIS), jobs, trust, mirrors, new Downloads(counter, new DownloadTotals(db)),
            patches, indexer),
        new PublicUrls(config.publicUrl(), config.trustedProxies()), config.http(), config.operations(), metrics,
        System.out);
    Thread sweeping;
    try {
      web.start(config.host(), config.port());
      sweeping = sweepInBackground(sweeper);
      jobRunner.start();
      schedule.start();
    } catch (RuntimeException e) {
      watcher.close();
      metrics.close();
      counter.close();
      blobs.close();
      db.close();
      throw e;
    }
    Closer background = () -> {
      sweeping.interrupt();
      watcher.close();
      metrics.close();
      cleanSpool(config);
    };
    try {
      String known = token.keep(tokenRows, announce);
      return new WharfApp(db, blobs, web, background, known, counter);
    } catch (IOException | RuntimeException e) {
      new WharfApp(db, blobs, web, background, null, counter).close();
      throw e;
    }
  }

  /**
   * Runs one of the start-up backfills (work on rows stored before a feature kept what it needs) on a daemon
   * thread, so start-up does not wait for a large database. Each keeps its place in the database, so one that
   * stops on an error continues at the next start.
   */
  private static void startBackfill(String name, Runnable work) {
    Thread t = new Thread(() -> {
      try {
        work.run();
      } catch (RuntimeException e) {
        LOG.warn("{} stopped; the next start continues: {}", name, e.toString());
      }
    }, "wharf-" + name);
    t.setDaemon(true);
    t.start();
  }

  /** Sweeps unused blobs now and then every ten minutes, on a daemon thread that ends when interrupted. */
  private static Thread sweepInBackground(BlobSweeper sweeper) {
    Thread t = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          sweeper.sweep(System.currentTimeMillis());
        } catch (IOException | RuntimeException e) {
          if (Thread.currentThread().isInterrupted()) {
            return; // the server stops: its database may already be closed
          }
          LOG.warn("blob sweep failed: {}", e.getMessage());
        }
        try {
          Thread.sleep(10 * 60 * 1000L);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "wharf-blob-sweep");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Spool files of uploads that a stop cut off: the next start would remove them too, but may never come. */
  private static void cleanSpool(WharfConfig config) {
    try {
      UploadService.cleanSpool(config.tmpDir());
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not remove unfinished uploads from {}: {}", config.tmpDir(), e.getMessage());
    }
  }

  /** Stops background work without checked exceptions. */
  private interface Closer {
    void close();
  }

  public int port() {
    return web.port();
  }

  /** The bootstrap administrator token when this start knows it (configured or new), else null. */
  public String adminToken() {
    return adminToken;
  }

  /** The origin Wharf advertises in absolute URLs: the public URL, or the listening address. */
  public String advertisedUrl() {
    return web.advertisedUrl();
  }

  public WebServer web() {
    return web;
  }

  /**
   * The web server first: it stops accepting and lets requests in flight finish (within
   * {@code shutdown.timeout.ms}) while the publisher they may wait for still runs; then background work.
   */
  @Override
  public void close() {
    web.stop();
    watcher.close();
    downloads.close(); // after the last response, before the database closes
    blobs.close();
    database.close();
  }
}
