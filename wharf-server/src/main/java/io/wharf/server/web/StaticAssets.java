package io.wharf.server.web;

import io.javalin.http.Context;
import io.wharf.server.error.WharfException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** Serves a fixed allow-list of classpath files; anything not listed is 404, so no path reaches the classpath. */
final class StaticAssets {
  private StaticAssets() {}

  static void serve(Context ctx, String root, Map<String, String> contentTypes) {
    String file = ctx.pathParam("file");
    String type = contentTypes.get(file);
    if (type == null) {
      throw WharfException.notFound("not_found", "no such file");
    }
    ctx.header("Cache-Control", "public, max-age=3600");
    ctx.contentType(type).result(resource(root + file));
  }

  static byte[] resource(String path) {
    try (InputStream in = StaticAssets.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read resource " + path, e);
    }
  }
}
