package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Personas;
import io.wharf.server.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session cookie's attributes, where sign-in sends the browser, and CSRF on the pages' forms. */
class SessionCookieTest {
  @TempDir Path data;

  private static HttpResponse<byte[]> signIn(TestServer server, String user, String password, String next) {
    HttpResponse<byte[]> form = server.get("/signin");
    String csrf = Personas.cookie(form, "wharf_signin").orElseThrow();
    return server.send(server.request("/signin").header("Content-Type", "application/x-www-form-urlencoded")
        .header("Cookie", "wharf_signin=" + csrf)
        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf + "&username=" + user + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&next="
            + URLEncoder.encode(next, StandardCharsets.UTF_8))));
  }

  private static String sessionCookieHeader(HttpResponse<?> r) {
    return r.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith("wharf_session=")).findFirst()
        .orElseThrow();
  }

  @Test
  void theSessionCookieIsHttpOnlyLaxAndSecureWhenThePublicUrlIsHttps() {
    try (TestServer server = TestServer.start(data, Map.of("public.url", "https://conda.example.com"))) {
      new Personas(server).user("ann", "ann's long password", false);
      HttpResponse<byte[]> r = signIn(server, "ann", "ann's long password", "/licenses");
      assertThat(r.statusCode()).isEqualTo(303);
      assertThat(r.headers().firstValue("Location")).contains("/licenses");
      assertThat(sessionCookieHeader(r)).contains("HttpOnly", "SameSite=Lax", "Secure", "Path=/");
    }
  }

  @Test
  void overPlainHttpTheCookieIsNotSecureAndSignInNeverSendsTheBrowserElsewhere() {
    try (TestServer server = TestServer.start(data)) {
      new Personas(server).user("ann", "ann's long password", false);
      for (String next : List.of("//evil.example/", "https://evil.example/", "/\\evil.example")) {
        HttpResponse<byte[]> r = signIn(server, "ann", "ann's long password", next);
        assertThat(r.headers().firstValue("Location")).as(next).contains("/");
        assertThat(sessionCookieHeader(r)).contains("HttpOnly").doesNotContain("Secure");
      }
    }
  }

  @Test
  void aPageFormWithoutTheSessionsCsrfTokenIsRefusedAndASignInFormWithoutItsTwinToo() {
    try (TestServer server = TestServer.start(data)) {
      Personas people = new Personas(server);
      people.user("ann", "ann's long password", false);
      Personas.Session s = people.signIn("ann", "ann's long password");
      HttpResponse<byte[]> forged = server.send(server.request("/tokens")
          .header("Cookie", "wharf_session=" + s.cookie())
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("name=stolen&permission=manage")));
      assertThat(forged.statusCode()).isEqualTo(403);
      HttpResponse<byte[]> withToken = server.send(server.request("/tokens")
          .header("Cookie", "wharf_session=" + s.cookie())
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("name=mine&permission=read&csrf=" + s.csrf())));
      assertThat(withToken.statusCode()).isEqualTo(200);
      assertThat(new String(withToken.body(), StandardCharsets.UTF_8)).contains("id=\"new-token\"");

      HttpResponse<byte[]> signInWithoutTwin = server.send(server.request("/signin")
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("csrf=x&username=ann&password=ann%27s+long+password")));
      assertThat(signInWithoutTwin.statusCode()).isEqualTo(403);
    }
  }
}
