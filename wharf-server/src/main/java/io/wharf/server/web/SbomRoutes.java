package io.wharf.server.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.channel.Channel;
import io.wharf.server.sbom.SbomFormat;
import io.wharf.server.sbom.SbomService;

/** {@code GET /api/channels/{channel}/files/{subdir}/{filename}/sbom}: a file's SBOM, to whoever may read the file. */
final class SbomRoutes {
  private final SbomService sboms;
  private final AuthServices auth;

  SbomRoutes(SbomService sboms, AuthServices auth) {
    this.sboms = sboms;
    this.auth = auth;
  }

  void register(RouteTable api) {
    api.add(HandlerType.GET, "/api/channels/{channel}/files/{subdir}/{filename}/sbom", this::sbom);
  }

  private void sbom(Context ctx) {
    Channel c = auth.channels().readable(ctx.pathParam("channel"), RequestAuth.principal(ctx, auth));
    SbomFormat format = SbomFormat.parse(ctx.queryParam("format"));
    String origin = PublicUrls.origin(ctx);
    SbomService.Sbom sbom = sboms.sbom(c, ctx.queryParam("label"), ctx.pathParam("subdir"),
        ctx.pathParam("filename"), format, f -> origin + Views.condaPath(c, f.label()));
    // The name is a package file name (CEP 26 characters only) plus a fixed suffix: safe in the header.
    ctx.header("Content-Disposition", "attachment; filename=\"" + sbom.filename() + "\"");
    ctx.header("Cache-Control", "no-store");
    ctx.contentType(sbom.format().contentType());
    ctx.result(sbom.body());
  }
}
