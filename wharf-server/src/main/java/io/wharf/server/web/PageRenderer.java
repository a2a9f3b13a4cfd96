package io.wharf.server.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.wharf.server.ui.Pages;

/** Renders precompiled jte templates (auto-escaped HTML). */
final class PageRenderer {
  /** Pages are UTF-8; saying so spares browsers from guessing the encoding of user-supplied text. */
  static final String HTML = "text/html; charset=utf-8";

  private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

  void render(Context ctx, String template, Object page) {
    render(ctx, template, page, RequestAuth.viewer(ctx));
  }

  void render(Context ctx, String template, Object page, io.wharf.server.ui.Viewer viewer) {
    StringOutput out = new StringOutput();
    io.wharf.server.ui.Viewer.set(viewer);
    try {
      engine.render(template, page, out);
    } finally {
      io.wharf.server.ui.Viewer.clear();
    }
    ctx.contentType(HTML).result(out.toString());
  }

  void error(Context ctx, int status, String message) {
    String title = switch (status) {
      case 400 -> "That request was not valid";
      case 401 -> "Sign-in needed";
      case 403 -> "Not allowed";
      case 404 -> "Not found";
      case 409 -> "Already exists";
      case 429 -> "Too many attempts";
      case 413 -> "Too large";
      default -> "Something went wrong";
    };
    render(ctx, "error.jte", new Pages.ErrorPage(status, title, message));
  }
}
