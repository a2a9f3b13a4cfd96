package io.wharf.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.wharf.server.error.WharfException;
import io.wharf.server.pkg.PackageService;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The API's paged lists: {@code limit} (how many in one page) and {@code cursor} (where the page starts)
 * in the query, and a {@code Link: <...>; rel="next"} header (RFC 8288) on every page but the last. The
 * body stays a plain JSON array, so a client that ignores paging reads the first page as before.
 *
 * <p>A cursor is the key of the last item of the previous page, as base64url JSON: opaque to clients,
 * and a page starts after that key even when the item itself has been deleted meanwhile.
 */
final class Paging {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Paging() {}

  static int limit(Context ctx) {
    return CatalogRoutes.intParam(ctx, "limit", PackageService.DEFAULT_PAGE_SIZE);
  }

  /** The {@code parts} strings of the request's cursor, or null without one; 400 for anything else. */
  static List<String> cursor(Context ctx, int parts) {
    String cursor = ctx.queryParam("cursor");
    if (cursor == null) {
      return null;
    }
    try {
      JsonNode key = JSON.readTree(Base64.getUrlDecoder().decode(cursor));
      if (key != null && key.isArray() && key.size() == parts) {
        List<String> out = new ArrayList<>(parts);
        for (JsonNode part : key) {
          if (!part.isTextual()) {
            break;
          }
          out.add(part.asText());
        }
        if (out.size() == parts) {
          return out;
        }
      }
    } catch (IllegalArgumentException | IOException e) {
      // not base64url, or not JSON: refused below like any other cursor this server did not make
    }
    throw WharfException.invalid("invalid_cursor",
        "cursor is not one this server handed out; follow the Link header of the previous page, or start without it");
  }

  /** Adds the link to the page after {@code key}: the same request with the cursor replaced. */
  static void linkNext(Context ctx, String... key) {
    String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.valueToTree(List.of(key))
        .toString().getBytes(StandardCharsets.UTF_8));
    StringBuilder next = new StringBuilder(ctx.path()).append('?');
    for (Map.Entry<String, List<String>> param : ctx.queryParamMap().entrySet()) {
      if (!param.getKey().equals("cursor")) {
        for (String value : param.getValue()) {
          next.append(enc(param.getKey())).append('=').append(enc(value)).append('&');
        }
      }
    }
    next.append("cursor=").append(cursor);
    ctx.header("Link", "<" + next + ">; rel=\"next\"");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
