package io.wharf.server.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.error.WharfException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a mirror proves itself to its upstream: a conda token in the path ({@code /t/<token>/}, as
 * anaconda.org and Wharf take it), a bearer token, or a user name and password (HTTP Basic). Any of
 * them may be set; they are sent only to the upstream's own origin.
 */
public record UpstreamCredentials(String condaToken, String bearer, String username, String password) {
  /** Where a conda token taken out of the upstream URL stood; filled in per request. */
  public static final String TOKEN_PLACEHOLDER = "{token}";
  private static final Pattern PATH_TOKEN = Pattern.compile("/t/([^/]+)(/|$)");
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final UpstreamCredentials NONE = new UpstreamCredentials(null, null, null, null);

  public boolean isEmpty() {
    return condaToken == null && bearer == null && username == null;
  }

  /** The URL as stored (token replaced by the placeholder) and the credentials with that token added. */
  public record Split(String url, UpstreamCredentials credentials) {}

  /** Takes a conda token out of {@code url}, if it holds one. */
  public Split split(String url) {
    Matcher m = PATH_TOKEN.matcher(url);
    if (!m.find()) {
      return new Split(url, this);
    }
    if (condaToken != null) {
      throw WharfException.invalid("invalid_credentials", "the upstream URL holds a token and a token is given too");
    }
    String stored = url.substring(0, m.start(1)) + TOKEN_PLACEHOLDER + url.substring(m.end(1));
    return new Split(stored, new UpstreamCredentials(m.group(1), bearer, username, password));
  }

  /** The URL to request: the placeholder replaced by the token. */
  public String resolve(String url) {
    if (!url.contains(TOKEN_PLACEHOLDER)) {
      return url;
    }
    if (condaToken == null) {
      throw WharfException.invalid("missing_credentials", "the upstream URL needs a token and none is stored");
    }
    return url.replace(TOKEN_PLACEHOLDER, condaToken);
  }

  /** Adds the Authorization header when the request goes to the upstream's origin. */
  public void authorize(HttpRequest.Builder request, URI target, URI upstream) {
    if (!sameOrigin(target, upstream)) {
      return;
    }
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    } else if (username != null) {
      String pair = username + ":" + (password == null ? "" : password);
      request.header("Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
  }

  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  byte[] toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("token", condaToken);
    o.put("bearer", bearer);
    o.put("username", username);
    o.put("password", password);
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }

  static UpstreamCredentials fromJson(byte[] json) {
    try {
      JsonNode o = JSON.readTree(json);
      return new UpstreamCredentials(text(o, "token"), text(o, "bearer"), text(o, "username"), text(o, "password"));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("stored mirror credentials are not readable", e);
    }
  }

  private static String text(JsonNode o, String key) {
    JsonNode v = o.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }

  @Override
  public String toString() {
    return "UpstreamCredentials[" + (isEmpty() ? "none" : "set") + "]"; // never the secrets, in logs neither
  }
}
