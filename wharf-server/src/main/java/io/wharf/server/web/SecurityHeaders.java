package io.wharf.server.web;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Browser security headers on every response, put in place by Jetty before any handler runs so that
 * routes, error pages and Jetty's own refusals all carry them. The pages load scripts and styles only
 * from this server, and no inline script or style (the UI keeps them in {@code /static/}, Swagger UI's
 * initializer is a file too), so the policy needs no {@code 'unsafe-inline'}. {@code data:} images are
 * Swagger UI's icons, which its stylesheet embeds.
 */
final class SecurityHeaders implements HttpConfiguration.Customizer {
  static final String CONTENT_SECURITY_POLICY = String.join("; ",
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'self'",
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'");

  // Encoded once: every response carries them.
  private static final HttpField[] FIELDS = {
      new PreEncodedHttpField("Content-Security-Policy", CONTENT_SECURITY_POLICY),
      new PreEncodedHttpField("X-Content-Type-Options", "nosniff"),
      // frame-ancestors for current browsers, X-Frame-Options for the ones that predate it.
      new PreEncodedHttpField("X-Frame-Options", "DENY"),
      // Pages link to package home pages elsewhere; those sites need not learn which package was viewed.
      new PreEncodedHttpField("Referrer-Policy", "no-referrer")};

  @Override
  public Request customize(Request request, HttpFields.Mutable responseHeaders) {
    put(responseHeaders);
    return request;
  }

  static void put(HttpFields.Mutable headers) {
    for (HttpField f : FIELDS) {
      headers.put(f);
    }
  }
}
