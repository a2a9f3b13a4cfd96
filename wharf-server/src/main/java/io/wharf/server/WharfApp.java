package io.wharf.server;

import io.wharf.server.auth.AdminToken;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.catalog.CatalogService;
import io.wharf.server.catalog.FileFacts;
import io.wharf.server.channel.ChannelChangeWatcher;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.db.Database;
import io.wharf.server.events.Events;
import io.wharf.server.index.IndexService;
import io.wharf.server.pkg.JdbcPackageFileRepository;
import io.wharf.server.pkg.OrphanSweeper;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.PackageFileRepository;
import io.wharf.server.pkg.PackageService;
import io.wharf.server.pkg.UploadService;
import io.wharf.server.search.jdbc.JdbcSearchRepository;
import io.wharf.server.search.SearchIndexer;
import io.wharf.server.search.SearchRepository;
import io.wharf.server.storage.BlobStore;
import io.wharf.server.storage.BlobStores;
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

  private final Database database;
  private final BlobStore blobs;
  private final WebServer web;
  private final ChannelChangeWatcher watcher;
  private final String adminToken;

  private WharfApp(Database database, BlobStore blobs, WebServer web, ChannelChangeWatcher watcher,
      String adminToken) {
    this.database = database;
    this.watcher = watcher;
    this.blobs = blobs;
    this.web = web;
    this.adminToken = adminToken;
  }

  public static WharfApp start(WharfConfig config, PrintStream announce) throws IOException {
    Files.createDirectories(config.dataDir());
    Files.createDirectories(config.tmpDir());
    String token = AdminToken.resolve(config.adminToken(), config.dataDir(), announce);
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
    PackageFileRepository files = new JdbcPackageFileRepository(db);
    JdbcChannelRepository channelRows = new JdbcChannelRepository(db);
    ChannelService channels = new ChannelService(channelRows,
        id -> files.listChannel(id).stream().map(PackageFile::blobKey).toList(), blobs, events);
    IndexService index = new IndexService(files, events, Clock.systemUTC());
    UploadService uploads = new UploadService(channels, files, blobs, events, config.tmpDir(),
        config.maxUploadBytes());
    PackageService packages = new PackageService(files, blobs, events);
    SearchRepository search = new JdbcSearchRepository(db);
    SearchIndexer indexer = new SearchIndexer(files, search, events, f -> FileFacts.of(f).licenseFamily().slug());
    int reindexed = indexer.reconcile(channels.list()); // rows stored by a process that stopped before indexing
    if (reindexed > 0) {
      LOG.info("search index: {} package names brought in step with their files", reindexed);
    }
    CatalogService catalog = new CatalogService(channels, packages, files, search);
    ChannelChangeWatcher watcher = new ChannelChangeWatcher(channelRows, events)
        .start(Duration.ofMillis(config.changeCheckMillis()));
    Authenticator auth = new Authenticator(token);
    sweepInBackground(new OrphanSweeper(files, blobs));
    WebServer web = WebServer.create(new WebServer.Services(channels, packages, uploads, index, catalog, blobs,
        auth, db::check), config.http());
    try {
      web.start(config.host(), config.port());
    } catch (RuntimeException e) {
      watcher.close();
      blobs.close();
      db.close();
      throw e;
    }
    return new WharfApp(db, blobs, web, watcher, token);
  }

  private static void sweepInBackground(OrphanSweeper sweeper) {
    Thread t = new Thread(() -> {
      try {
        sweeper.sweep(System.currentTimeMillis());
      } catch (IOException | RuntimeException e) {
        LOG.warn("orphan sweep failed: {}", e.getMessage());
      }
    }, "wharf-orphan-sweep");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return web.port();
  }

  public String adminToken() {
    return adminToken;
  }

  public WebServer web() {
    return web;
  }

  @Override
  public void close() {
    watcher.close();
    web.stop();
    blobs.close();
    database.close();
  }
}
