package io.wharf.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The operations settings (metrics access, access log, stop bound) and the page that documents every setting. */
class OperationsSettingsTest {
  private static final Path ROOT = Fixtures.root().getParent();

  @Test
  void byDefaultMetricsAreClosedTheAccessLogIsOffAndAStopWaitsThirtySeconds() {
    Operations ops = ConfigLoader.load(null, Map.of(), Map.of()).operations();
    assertThat(ops.metricsEnabled()).isFalse();
    assertThat(ops.accessLog()).isNull();
    assertThat(ops.accessLogFormat()).isEqualTo(Operations.AccessLogFormat.COMBINED);
    assertThat(ops.shutdownTimeoutMillis()).isEqualTo(30_000);
    assertThat(ops.logFormat()).isEqualTo(Operations.LogFormat.TEXT);
    assertThat(ops.logLevel()).isEqualTo("info");
  }

  @Test
  void theApplicationLogFormatAndLevelComeFromTheEnvironmentAndAreChecked() {
    Operations ops = ConfigLoader.load(null, Map.of("WHARF_LOG_FORMAT", "JSON", "WHARF_LOG_LEVEL", "Debug"),
        Map.of()).operations();
    assertThat(ops.logFormat()).isEqualTo(Operations.LogFormat.JSON);
    assertThat(ops.logLevel()).isEqualTo("debug");

    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("log.format", "logfmt")))
        .hasMessage("log.format must be text or json, got 'logfmt'");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("log.level", "verbose")))
        .hasMessage("log.level must be one of error, warn, info, debug, trace, got 'verbose'");
  }

  @Test
  void operationsSettingsComeFromTheEnvironmentAndAreChecked() {
    Operations ops = ConfigLoader.load(null, Map.of("WHARF_METRICS_TOKEN", "0123456789abcdef",
        "WHARF_METRICS_ALLOW", "10.0.0.0/8", "WHARF_ACCESS_LOG", "stdout", "WHARF_ACCESS_LOG_FORMAT", "JSON",
        "WHARF_SHUTDOWN_TIMEOUT_MS", "5000"), Map.of()).operations();
    assertThat(ops.metricsToken()).isEqualTo("0123456789abcdef");
    assertThat(ops.metricsAllow().trusts("10.1.2.3")).isTrue();
    assertThat(ops.metricsAllow().trusts("192.168.1.1")).isFalse();
    assertThat(ops.accessLog()).isEqualTo(Operations.STDOUT);
    assertThat(ops.accessLogFormat()).isEqualTo(Operations.AccessLogFormat.JSON);
    assertThat(ops.shutdownTimeoutMillis()).isEqualTo(5000);

    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("metrics.token", "short")))
        .hasMessage("metrics.token must be at least 16 characters (it is a password)");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("metrics.allow", "intranet")))
        .hasMessage("metrics.allow: 'intranet' is not an IP address or CIDR block");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("access.log.format", "apache")))
        .hasMessage("access.log.format must be combined or json, got 'apache'");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("shutdown.timeout.ms", "-1")))
        .hasMessage("shutdown.timeout.ms must be milliseconds between 0 and 600000, got '-1'");
  }

  @Test
  void operationsPageDocumentsEverySettingWithItsVariable() throws Exception {
    String page = Files.readString(ROOT.resolve("docs/operations.md"));
    for (String key : ConfigLoader.KEYS) {
      assertThat(page).as("docs/operations.md documents %s", key)
          .containsPattern("\\| `" + Pattern.quote(key) + "` \\| `" + Pattern.quote(ConfigLoader.variable(key))
              + "` \\| [^|]+ \\| [^|]+ \\|");
    }
  }

  @Test
  void theServiceUnitRunsServeAndWaitsLongerThanTheStopBound() throws Exception {
    String unit = Files.readString(ROOT.resolve("dist/wharf.service"));
    assertThat(unit).containsPattern("(?m)^ExecStart=/usr/bin/java .*-jar \\S+wharf\\.jar serve")
        .containsPattern("(?m)^KillSignal=SIGTERM$").containsPattern("(?m)^SuccessExitStatus=143$");
    Matcher stop = Pattern.compile("(?m)^TimeoutStopSec=(\\d+)$").matcher(unit);
    assertThat(stop.find()).isTrue();
    assertThat(Long.parseLong(stop.group(1)) * 1000).isGreaterThan(Operations.DEFAULT_SHUTDOWN_TIMEOUT_MILLIS);
  }
}
