package io.wharf.server.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * What is left of a refused request's body. A client still sending when the refusal is written may see
 * the connection reset instead of the answer, so up to {@link #DRAIN_LIMIT} bytes are read and dropped
 * first; a larger remainder is left unread and the server closes the connection. A client that sent
 * {@code Expect: 100-continue} has not sent its body, and reading now would ask it to, so nothing is
 * read then.
 */
final class UnreadBody {
  static final long DRAIN_LIMIT = 16L * 1024 * 1024;

  private UnreadBody() {}

  static void drain(Context ctx) {
    String expect = ctx.header("Expect");
    if (expect != null && expect.trim().equalsIgnoreCase("100-continue")) {
      return;
    }
    if (ctx.req().getContentLengthLong() == 0) {
      return;
    }
    try {
      InputStream in = ctx.req().getInputStream();
      byte[] buffer = new byte[64 * 1024];
      long left = DRAIN_LIMIT;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          return;
        }
        left -= n;
      }
    } catch (IOException | RuntimeException e) {
      // The client went away or the body is unreadable; the refusal is still the answer.
    }
  }
}
