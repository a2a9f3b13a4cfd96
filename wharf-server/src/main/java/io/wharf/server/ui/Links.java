package io.wharf.server.ui;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Which links from package metadata ({@code home}, {@code dev_url}, {@code doc_url} in about.json) may
 * become an {@code href}. Anyone who can upload writes these, so only an allow-list is safe: a block-list
 * of {@code javascript:} misses {@code vbscript:}, {@code data:}, and spellings browsers forgive.
 */
public final class Links {
  private static final Set<String> WEB = Set.of("http", "https");

  private Links() {}

  /** The URL itself when it is an absolute http(s) URL with a host, or a mailto address; otherwise null. */
  public static String safeHref(String url) {
    if (url == null || url.isEmpty() || url.length() > 2048 || !url.strip().equals(url)) {
      return null;
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= 0x20 || c == 0x7f) { // browsers drop tabs and newlines inside a scheme, so none at all
        return null;
      }
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (WEB.contains(scheme)) {
        return uri.getHost() != null ? url : null;
      }
      if (scheme.equals("mailto")) {
        String to = uri.getSchemeSpecificPart();
        return to != null && to.contains("@") && !to.startsWith("/") ? url : null;
      }
      return null;
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
