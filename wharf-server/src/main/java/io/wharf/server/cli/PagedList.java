package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every item of a paged API list, fetched one page at a time while the caller prints them, so a listing
 * of any length starts at once and never holds more than a page.
 */
final class PagedList {
  // One link-value of RFC 8288: <target>; params. Only rel="next" (or rel=next) is followed.
  private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^;,]*)*)");
  private static final Pattern REL_NEXT = Pattern.compile(";\\s*rel\\s*=\\s*\"?next\"?(?:[\\s;\"]|$)");

  private PagedList() {}

  /** Calls {@code each} for every item of every page, starting at {@code path}; returns how many there were. */
  static long forEach(ApiClient api, String path, Consumer<JsonNode> each) {
    long count = 0;
    for (String next = path; next != null; ) {
      ApiClient.Page page = api.getPage(next);
      for (JsonNode item : page.items()) {
        each.accept(item);
        count++;
      }
      // A server that hands back the page just read would otherwise be asked for it forever.
      next = next.equals(page.next()) ? null : page.next();
    }
    return count;
  }

  /** The client adds its server URL to every path, so an absolute target is cut down to its path and query. */
  private static String pathOf(String target) {
    try {
      URI uri = URI.create(target);
      if (uri.isAbsolute()) {
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      }
    } catch (IllegalArgumentException e) {
      // not a URI at all: asking for it fails with the client's own message
    }
    return target;
  }

  /** The target of the rel="next" link among these Link header values, or null. */
  static String nextLink(List<String> headers) {
    for (String header : headers) {
      Matcher m = LINK.matcher(header);
      while (m.find()) {
        if (REL_NEXT.matcher(m.group(2)).find()) {
          return pathOf(m.group(1));
        }
      }
    }
    return null;
  }
}
