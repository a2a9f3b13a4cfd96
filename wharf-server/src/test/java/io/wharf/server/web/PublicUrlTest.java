package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Absolute URLs on pages (channel URL, install commands) never come from what a client claims: the
 * public URL when set, X-Forwarded-* only from a trusted proxy, else the address Wharf listens on.
 */
class PublicUrlTest {
  private static final String CHANNEL_PAGE = "/channels/pub";
  private static final String PACKAGE_PAGE = "/channels/pub/packages/zlib";

  @TempDir Path data;

  @Test
  void withoutSettingsTheHostHeaderAndForwardedHeadersAreIgnored() {
    try (TestServer server = serverWith(Map.of())) {
      String own = "http://127.0.0.1:" + server.port();
      String page = get(server, CHANNEL_PAGE, "Host: evil.example", "X-Forwarded-Host: evil.example",
          "X-Forwarded-Proto: https");
      assertThat(page).contains("value=\"" + own + "/conda/pub\"").doesNotContain("evil.example");
      assertThat(get(server, PACKAGE_PAGE, "Host: evil.example"))
          .contains("conda install -c " + own + "/conda/pub zlib").doesNotContain("evil.example");
    }
  }

  @Test
  void theConfiguredPublicUrlIsUsedWhateverTheRequestSays() {
    try (TestServer server = serverWith(Map.of("public.url", "https://conda.example.com/wharf/",
        "trusted.proxies", "127.0.0.1"))) {
      String page = get(server, PACKAGE_PAGE, "Host: evil.example", "X-Forwarded-Host: evil.example");
      assertThat(page).contains("conda install -c https://conda.example.com/wharf/conda/pub zlib")
          .contains("pixi add --channel https://conda.example.com/wharf/conda/pub zlib")
          .doesNotContain("evil.example");
      assertThat(server.app().advertisedUrl()).isEqualTo("https://conda.example.com/wharf");
    }
  }

  @Test
  void aTrustedProxyNamesTheSchemeAndHost() {
    try (TestServer server = serverWith(Map.of("trusted.proxies", "127.0.0.0/8"))) {
      assertThat(get(server, CHANNEL_PAGE, "Host: internal:8080", "X-Forwarded-Host: conda.example.com",
          "X-Forwarded-Proto: https")).contains("value=\"https://conda.example.com/conda/pub\"");
      assertThat(get(server, CHANNEL_PAGE, "Host: mirror.example:8443"))
          .as("a trusted proxy that passes the Host on").contains("value=\"http://mirror.example:8443/conda/pub\"");
      assertThat(get(server, CHANNEL_PAGE, "Host: x", "X-Forwarded-Host: evil.example\"><script>",
          "X-Forwarded-Proto: javascript")).as("malformed forwarded values fall back to the listening address")
          .contains("value=\"http://127.0.0.1:" + server.port() + "/conda/pub\"");
    }
  }

  @Test
  void aProxyOutsideTheTrustedBlocksIsNotBelieved() {
    try (TestServer server = serverWith(Map.of("trusted.proxies", "10.0.0.0/8"))) {
      assertThat(get(server, CHANNEL_PAGE, "Host: x", "X-Forwarded-Host: evil.example", "X-Forwarded-Proto: https"))
          .contains("value=\"http://127.0.0.1:" + server.port() + "/conda/pub\"").doesNotContain("evil.example");
    }
  }

  private TestServer serverWith(Map<String, String> settings) {
    TestServer server = TestServer.start(data, settings);
    if (server.get("/api/channels/pub").statusCode() != 200) {
      server.createChannel("pub", "public");
      server.upload("pub", Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda"));
    }
    return server;
  }

  /** A request written by hand: java.net.http will not send a Host header of the caller's choosing. */
  private static String get(TestServer server, String path, String... headers) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
      s.setSoTimeout(30_000);
      StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
      boolean host = false;
      for (String h : headers) {
        req.append(h).append("\r\n");
        host |= h.regionMatches(true, 0, "Host:", 0, 5);
      }
      if (!host) {
        req.append("Host: 127.0.0.1:").append(server.port()).append("\r\n");
      }
      req.append("Connection: close\r\n\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 200");
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
