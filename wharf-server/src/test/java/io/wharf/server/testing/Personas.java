package io.wharf.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Users, sign-ins and tokens made through the API of a test server, for tests of who may do what. */
public final class Personas {
  private static final Pattern COOKIE = Pattern.compile("^([^=]+)=([^;]*)");

  /** A browser session: its cookie and its CSRF token. */
  public record Session(String cookie, String csrf) {
    public HttpRequest.Builder apply(HttpRequest.Builder b) {
      return b.header("Cookie", "wharf_session=" + cookie).header("X-CSRF-Token", csrf);
    }
  }

  private final TestServer server;

  public Personas(TestServer server) {
    this.server = server;
  }

  public void user(String name, String password, boolean admin) {
    HttpResponse<byte[]> r = post("/api/users", "{\"name\":\"" + name + "\",\"password\":\"" + password
        + "\",\"admin\":" + admin + "}");
    require(r, 201);
  }

  public void member(String channel, String user, String role) {
    require(server.send(server.admin("/api/channels/" + channel + "/members/" + user)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"role\":\"" + role + "\"}"))), 200);
  }

  /** Creates a token as this session's user; returns its id and secret. */
  public JsonNode token(Session as, String name, String channelsJson, String permission) {
    HttpResponse<byte[]> r = server.send(as.apply(server.request("/api/tokens"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"name\":\"" + name + "\",\"channels\":" + channelsJson + ",\"permission\":\"" + permission + "\"}")));
    require(r, 201);
    return TestServer.json(r);
  }

  /** Signs in through the form, as a browser does; fails the test when sign-in is refused. */
  public Session signIn(String name, String password) {
    return trySignIn(name, password).orElseThrow(() -> new AssertionError("sign-in of " + name + " refused"));
  }

  public Optional<Session> trySignIn(String name, String password) {
    HttpResponse<byte[]> form = server.get("/signin");
    String csrf = cookie(form, "wharf_signin").orElseThrow();
    HttpResponse<byte[]> r = server.send(server.request("/signin")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Cookie", "wharf_signin=" + csrf)
        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + enc(csrf) + "&username=" + enc(name) + "&password="
            + enc(password) + "&next=/")));
    if (r.statusCode() != 303) {
      return Optional.empty();
    }
    String session = cookie(r, "wharf_session").orElseThrow();
    JsonNode me = TestServer.json(server.send(server.request("/api/whoami").header("Cookie", "wharf_session=" + session)));
    return Optional.of(new Session(session, me.get("csrf").asText()));
  }

  public static Optional<String> cookie(HttpResponse<?> r, String name) {
    for (String h : r.headers().allValues("Set-Cookie")) {
      Matcher m = COOKIE.matcher(h);
      if (m.find() && m.group(1).equals(name)) {
        return Optional.of(m.group(2));
      }
    }
    return Optional.empty();
  }

  private HttpResponse<byte[]> post(String path, String json) {
    return server.send(server.admin(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static void require(HttpResponse<byte[]> r, int status) {
    if (r.statusCode() != status) {
      throw new AssertionError("expected " + status + ", got " + r.statusCode() + ": "
          + new String(r.body(), StandardCharsets.UTF_8));
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
