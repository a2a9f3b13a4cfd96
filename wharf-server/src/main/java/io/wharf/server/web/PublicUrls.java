package io.wharf.server.web;

import io.javalin.config.Key;
import io.javalin.http.Context;
import io.wharf.server.config.TrustedProxies;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The origin ({@code scheme://host[:port][/prefix]}) of every absolute URL Wharf writes: channel URLs
 * and install commands. The request's own {@code Host} header is never used as such: anyone can send
 * {@code Host: evil.example}, and a shared cache would then serve a page that tells people to install
 * from the attacker's server. In order:
 * <ol>
 *   <li>the configured public URL ({@code --public-url}), always;</li>
 *   <li>for a request whose peer is a trusted proxy ({@code --trusted-proxies}), the
 *       {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} it sets, else its {@code Host};</li>
 *   <li>otherwise the address Wharf listens on, with the machine's host name for a wildcard address.</li>
 * </ol>
 */
public final class PublicUrls {
  static final Key<PublicUrls> KEY = new Key<>("wharf.publicUrls");
  // host, IPv4 or bracketed IPv6 literal, and an optional port: nothing that could end the URL early.
  private static final Pattern HOST = Pattern.compile(
      "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*\\.?|\\[[0-9A-Fa-f:.]+])"
          + "(?::[0-9]{1,5})?");

  private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.\\[\\]]{2,47}");

  private final String configured;
  private final TrustedProxies proxies;
  private volatile String listening = "http://localhost";

  /** @param publicUrl validated absolute http(s) URL without a trailing slash, or null */
  public PublicUrls(String publicUrl, TrustedProxies proxies) {
    this.configured = publicUrl;
    this.proxies = proxies;
  }

  /** Called once the server listens: the fallback origin when no public URL is configured. */
  void listening(String host, int port) {
    listening = "http://" + displayHost(host) + ":" + port;
  }

  /** The origin of this server as Wharf would advertise it to the caller of {@code ctx}. */
  static String origin(Context ctx) {
    return ctx.appData(KEY).originFor(ctx);
  }

  String originFor(Context ctx) {
    if (configured != null) {
      return configured;
    }
    if (proxies.trusts(ctx.req().getRemoteAddr())) {
      String host = first(ctx.header("X-Forwarded-Host"));
      if (host == null) {
        host = ctx.header("Host");
      }
      String proto = first(ctx.header("X-Forwarded-Proto"));
      String scheme = proto == null ? ctx.scheme() : proto.toLowerCase(Locale.ROOT);
      if (host != null && HOST.matcher(host).matches() && (scheme.equals("http") || scheme.equals("https"))) {
        return scheme + "://" + host;
      }
    }
    return listening;
  }

  /** The address of the client that made the request, as {@link #clientAddressOf} finds it. */
  static String clientAddress(Context ctx) {
    return ctx.appData(KEY).clientAddressOf(ctx);
  }

  /**
   * The request's peer, unless the peer is a trusted proxy: then the nearest address in
   * {@code X-Forwarded-For} that is not a trusted proxy, read from the right (each proxy appends the
   * address it received from, so only entries added by trusted proxies can be believed; anything to the
   * left of the first untrusted one may be the client's invention). A malformed entry ends the walk at
   * the last address that was believed.
   */
  String clientAddressOf(Context ctx) {
    String address = ctx.req().getRemoteAddr();
    if (!proxies.trusts(address)) {
      return address;
    }
    List<String> hops = new ArrayList<>();
    java.util.Enumeration<String> headers = ctx.req().getHeaders("X-Forwarded-For");
    while (headers != null && headers.hasMoreElements()) {
      for (String hop : headers.nextElement().split(",")) {
        hops.add(hop.trim());
      }
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i);
      if (!IP_LITERAL.matcher(hop).matches()) {
        break;
      }
      address = hop;
      if (!proxies.trusts(hop)) {
        break;
      }
    }
    return address;
  }

  /** What {@code serve} prints: the public URL, or the listening origin it falls back to. */
  public String advertised() {
    return configured != null ? configured : listening;
  }

  private static String first(String header) {
    if (header == null) {
      return null;
    }
    String v = header.split(",", 2)[0].trim();
    return v.isEmpty() ? null : v;
  }

  private static String displayHost(String host) {
    try {
      InetAddress address = InetAddress.getByName(host);
      if (address.isAnyLocalAddress()) {
        return InetAddress.getLocalHost().getHostName();
      }
      return address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : host;
    } catch (UnknownHostException | SecurityException e) {
      return "localhost";
    }
  }
}
