package io.wharf.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code wharf serve} resolves its settings: file &lt; WHARF_* environment &lt; flags. */
class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void defaultsNeedNoFileEnvironmentOrFlags() {
    WharfConfig c = ConfigLoader.load(null, Map.of(), Map.of());
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.dataDir()).isEqualTo(Path.of("wharf-data").toAbsolutePath().normalize());
    assertThat(c.dbUrl()).isNull();
    assertThat(c.storage()).isNull();
    assertThat(c.maxUploadBytes()).isEqualTo(WharfConfig.DEFAULT_MAX_UPLOAD);
    assertThat(c.adminToken()).isNull();
    assertThat(c.changeCheckMillis()).isEqualTo(250);
    assertThat(c.http()).isEqualTo(new HttpLimits(250, 30_000, 4096));
  }

  @Test
  void httpLimitsComeFromEnvironmentOrFlagsAndAreChecked() {
    WharfConfig c = ConfigLoader.load(null, Map.of("WHARF_HTTP_THREADS", "64", "WHARF_HTTP_MIN_REQUEST_RATE", "16K"),
        Map.of("http.idle.timeout.ms", "5000"));
    assertThat(c.http()).isEqualTo(new HttpLimits(64, 5_000, 16 * 1024));
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("http.min.request.rate", "0")).http()
        .minRequestBytesPerSecond()).as("0 turns the check off").isZero();
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("http.threads", "4")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("http.threads must be a number between 16 and 10000, got '4'");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("http.idle.timeout.ms", "soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("http.idle.timeout.ms must be milliseconds between 1000 and 3600000, got 'soon'");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("http.min.request.rate", "-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("http.min.request.rate must be bytes per second such as 4K, or 0 for no minimum, got '-1'");
  }

  @Test
  void changeCheckIntervalComesFromEnvironmentOrFlagAndIsBounded() {
    assertThat(ConfigLoader.load(null, Map.of("WHARF_CHANGE_CHECK_MS", "250"), Map.of()).changeCheckMillis())
        .isEqualTo(250);
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("change.check.ms", "5000")).changeCheckMillis())
        .isEqualTo(5000);
    for (String bad : new String[] {"0", "9", "soon", "3600001"}) {
      assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("change.check.ms", bad))).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("change.check.ms must be milliseconds between 10 and 3600000, got '" + bad + "'");
    }
  }

  @Test
  void environmentOverridesTheFileAndFlagsOverrideBoth() throws IOException {
    Path file = write("""
        port = 7000
        host = 10.0.0.1
        storage = /from/file
        db.url = jdbc:postgresql://file/db
        max.upload = 1G
        """);
    Map<String, String> env = Map.of(
        "WHARF_PORT", "7001",
        "WHARF_STORAGE", "/from/env",
        "WHARF_DB_USER", "env-user",
        "HOME", "/not/ours");
    Map<String, String> flags = Map.of("port", "7002");

    WharfConfig c = ConfigLoader.load(file, env, flags);

    assertThat(c.port()).as("flag beats env and file").isEqualTo(7002);
    assertThat(c.storage()).as("env beats file").isEqualTo("/from/env");
    assertThat(c.dbUser()).as("env alone, WHARF_DB_USER maps to db.user").isEqualTo("env-user");
    assertThat(c.host()).as("file alone").isEqualTo("10.0.0.1");
    assertThat(c.dbUrl()).isEqualTo("jdbc:postgresql://file/db");
    assertThat(c.maxUploadBytes()).isEqualTo(1024L * 1024 * 1024);
  }

  @Test
  void blankEnvironmentValuesDoNotHideTheFile() throws IOException {
    Path file = write("storage = /from/file\n");
    WharfConfig c = ConfigLoader.load(file, Map.of("WHARF_STORAGE", "  "), Map.of());
    assertThat(c.storage()).isEqualTo("/from/file");
  }

  @Test
  void sizesTakePlainBytesOrBinarySuffixes() {
    assertThat(maxUpload("12345")).isEqualTo(12345L);
    assertThat(maxUpload("64k")).isEqualTo(64L * 1024);
    assertThat(maxUpload("500M")).isEqualTo(500L * 1024 * 1024);
    assertThat(maxUpload(" 2G ")).isEqualTo(2L * 1024 * 1024 * 1024);
  }

  @Test
  void badSizesAreRejectedWithTheKeyAndValue() {
    for (String bad : new String[] {"0", "-5M", "lots", "5T", "M", "9999999999G"}) {
      assertThatThrownBy(() -> maxUpload(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("max.upload must be a positive size such as 500M or 2G, got '" + bad + "'");
    }
  }

  @Test
  void importDirectoriesAreAbsolutePathsAndNoneByDefault() {
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).importDirectories()).isEmpty();
    assertThat(ConfigLoader.load(null, Map.of("WHARF_IMPORT_DIRECTORIES", " /srv/conda , /data/../mnt/channels "),
        Map.of()).importDirectories()).containsExactly(java.nio.file.Path.of("/srv/conda"),
        java.nio.file.Path.of("/mnt/channels"));
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("WHARF_IMPORT_DIRECTORIES", "/srv/conda,channels"),
        Map.of())).hasMessage("import.directories takes absolute directories, got 'channels'");
  }

  @Test
  void badPortIsRejectedWithAClearMessage() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("port", "http")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be a port number (0-65535), got 'http'");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("WHARF_PORT", "65536"), Map.of()))
        .hasMessage("port must be a port number (0-65535), got '65536'");
  }

  @Test
  void unreadableConfigFileIsNamedInTheError() {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot read configuration file " + missing);
  }

  @Test
  void anUnknownKeyInTheFileIsAnErrorNamingItAndTheValidKeys() throws IOException {
    Path file = write("""
        db.ulr = jdbc:postgresql://prod/wharf
        storage = s3://k:s@s3.example/bucket
        """);
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown setting 'db.ulr' in configuration file " + file + "; valid settings: host, port, data,"
            + " db.url, db.user, db.password, storage, max.upload, admin.token, change.check.ms, public.url,"
            + " trusted.proxies, http.threads, http.idle.timeout.ms, http.min.request.rate,"
            + " token.expiry.default.days, token.expiry.max.days, metrics.token, metrics.allow, access.log,"
            + " access.log.format, shutdown.timeout.ms, signing.keys, mirror.secret.key, mirror.timeout.ms,"
            + " stats.downloads, stats.flush.ms, log.format, log.level, import.directories");
  }

  @Test
  void anUnknownWharfVariableIsAnErrorNamingItAndTheServerVariables() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("WHARF_DB_ULR", "jdbc:postgresql://prod/wharf",
        "WHARF_STORGE", "x", "WHARF_PORT", "9000"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown environment variables WHARF_DB_ULR, WHARF_STORGE; the server reads"
            + " WHARF_HOST, WHARF_PORT, WHARF_DATA, WHARF_DB_URL,")
        .hasMessageContaining("WHARF_PUBLIC_URL, WHARF_TRUSTED_PROXIES, WHARF_HTTP_THREADS,"
            + " WHARF_HTTP_IDLE_TIMEOUT_MS, WHARF_HTTP_MIN_REQUEST_RATE, WHARF_TOKEN_EXPIRY_DEFAULT_DAYS,"
            + " WHARF_TOKEN_EXPIRY_MAX_DAYS, WHARF_METRICS_TOKEN, WHARF_METRICS_ALLOW, WHARF_ACCESS_LOG,"
            + " WHARF_ACCESS_LOG_FORMAT, WHARF_SHUTDOWN_TIMEOUT_MS, WHARF_SIGNING_KEYS, WHARF_MIRROR_SECRET_KEY,"
            + " WHARF_MIRROR_TIMEOUT_MS, WHARF_STATS_DOWNLOADS, WHARF_STATS_FLUSH_MS, WHARF_LOG_FORMAT,"
            + " WHARF_LOG_LEVEL, WHARF_IMPORT_DIRECTORIES (WHARF_URL, WHARF_TOKEN and"
            + " WHARF_JAVA_OPTS"
            + " belong to the command line");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("WHARF_DB_ULR", ""), Map.of()))
        .as("even when blank: the name alone shows a mistake").hasMessageContaining("WHARF_DB_ULR");
  }

  @Test
  void variablesOfTheClientTheLauncherTestsAndBenchmarksAreNotTheServersConcern() {
    Map<String, String> env = Map.of(
        "WHARF_URL", "http://localhost:8080", "WHARF_TOKEN", "abc", "WHARF_JAVA_OPTS", "-Xmx1g",
        "WHARF_E2E_REQUIRED", "true", "WHARF_FIXTURES", "/f", "WHARF_TEST_PG_URL", "jdbc:postgresql://x/y",
        "WHARF_BENCH_PORT", "18231", "WHARFISH", "not ours", "PATH", "/usr/bin");
    WharfConfig c = ConfigLoader.load(null, env, Map.of());
    assertThat(c.port()).isEqualTo(8080);
  }

  @Test
  void tokenLifetimesDefaultTo90DaysAtMost365AndTheDefaultMayNotExceedTheMaximum() {
    WharfConfig c = ConfigLoader.load(null, Map.of(), Map.of());
    assertThat(c.tokenExpiry()).isEqualTo(new WharfConfig.TokenExpiry(90, 365));
    assertThat(ConfigLoader.load(null, Map.of("WHARF_TOKEN_EXPIRY_MAX_DAYS", "30"), Map.of()).tokenExpiry())
        .as("a maximum below the default lowers the default").isEqualTo(new WharfConfig.TokenExpiry(30, 30));
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(),
        Map.of("token.expiry.default.days", "400", "token.expiry.max.days", "365")))
        .hasMessage("token.expiry.default.days (400) must not exceed token.expiry.max.days (365)");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("token.expiry.max.days", "0")))
        .hasMessageContaining("token.expiry.max.days must be days between 1 and 36500");
  }

  @Test
  void downloadCountingIsOnByDefaultWrittenEveryFiveSecondsAndCanBeTurnedOff() {
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).downloadStats())
        .isEqualTo(new WharfConfig.DownloadStats(true, 5_000));
    assertThat(ConfigLoader.load(null, Map.of("WHARF_STATS_DOWNLOADS", "false", "WHARF_STATS_FLUSH_MS", "1000"),
        Map.of()).downloadStats()).isEqualTo(new WharfConfig.DownloadStats(false, 1_000));
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("stats.downloads", "off")))
        .hasMessage("stats.downloads must be true or false, got 'off'");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("stats.flush.ms", "60001")))
        .hasMessage("stats.flush.ms must be milliseconds between 100 and 60000, got '60001'");
  }

  @Test
  void everyKeyHasItsVariable() {
    Map<String, String> env = new java.util.HashMap<>();
    for (String key : ConfigLoader.KEYS) {
      env.put(ConfigLoader.variable(key), "");
    }
    assertThat(env).containsKeys("WHARF_DB_URL", "WHARF_MAX_UPLOAD", "WHARF_CHANGE_CHECK_MS", "WHARF_PUBLIC_URL",
        "WHARF_TRUSTED_PROXIES");
    assertThat(ConfigLoader.load(null, env, Map.of()).port()).as("all known, all blank").isEqualTo(8080);
  }

  @Test
  void publicUrlIsAnAbsoluteHttpUrlKeptWithoutItsTrailingSlash() {
    assertThat(publicUrl("https://conda.example.com/")).isEqualTo("https://conda.example.com");
    assertThat(publicUrl("http://10.1.2.3:8080")).isEqualTo("http://10.1.2.3:8080");
    assertThat(publicUrl("https://example.com/wharf//")).isEqualTo("https://example.com/wharf");
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).publicUrl()).isNull();
    for (String bad : new String[] {"conda.example.com", "ftp://example.com", "https://", "https://u:p@example.com",
        "https://example.com/?x=1", "https://example.com/#top", "/relative", "javascript:alert(1)"}) {
      assertThatThrownBy(() -> publicUrl(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("public.url must be an absolute http or https URL such as https://conda.example.com,"
              + " without query or credentials, got '" + bad + "'");
    }
  }

  @Test
  void trustedProxiesAreAddressesOrCidrBlocks() {
    TrustedProxies p = ConfigLoader.load(null, Map.of("WHARF_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7 ,fd00::/8"),
        Map.of()).trustedProxies();
    assertThat(p.trusts("10.200.3.4")).isTrue();
    assertThat(p.trusts("192.168.1.7")).isTrue();
    assertThat(p.trusts("192.168.1.8")).isFalse();
    assertThat(p.trusts("11.0.0.1")).isFalse();
    assertThat(p.trusts("fd12:3456::1")).isTrue();
    assertThat(p.trusts("[fd12:3456::1]")).isTrue();
    assertThat(p.trusts("fe80::1")).isFalse();
    assertThat(p.trusts("not-an-address")).isFalse();
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).trustedProxies().trusts("127.0.0.1"))
        .as("nobody by default").isFalse();
    for (String bad : new String[] {"proxy.example", "10.0.0.0/33", "10.0.0/8", "10.0.0.1/x", "::1/129"}) {
      assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("trusted.proxies", bad))).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("trusted.proxies: '" + bad + "'");
    }
  }

  private static String publicUrl(String value) {
    return ConfigLoader.load(null, Map.of(), Map.of("public.url", value)).publicUrl();
  }

  private static long maxUpload(String value) {
    return ConfigLoader.load(null, Map.of(), Map.of("max.upload", value)).maxUploadBytes();
  }

  private Path write(String text) throws IOException {
    Path file = dir.resolve("wharf.properties");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void aMirrorSecretKeyMustBeTheBase64OfThirtyTwoBytes() {
    String good = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    assertThat(ConfigLoader.load(null, Map.of("WHARF_MIRROR_SECRET_KEY", good), Map.of()).mirrorSecretKey())
        .isEqualTo(good);
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).mirrorSecretKey()).isNull();
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("mirror.secret.key", "c2hvcnQ=")))
        .hasMessageContaining("mirror.secret.key must be the base64 of 32 random bytes");
  }
}
