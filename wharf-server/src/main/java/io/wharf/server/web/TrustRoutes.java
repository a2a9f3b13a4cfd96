package io.wharf.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.wharf.server.error.WharfException;
import io.wharf.server.index.Artifact;
import io.wharf.server.trust.JdbcTrustMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The trust metadata conda-content-trust fetches from {@code signing_metadata_url_base}:
 * {@code /trust/<N>.root.json} (walked from the client's trusted version upwards until a 404) and
 * {@code /trust/key_mgr.json}. Served to anyone: the client fetches them without credentials, and they
 * hold only public keys and signatures.
 */
final class TrustRoutes {
  private static final Pattern FILE = Pattern.compile("[1-9][0-9]{0,8}\\.root\\.json|key_mgr\\.json");
  static final String CACHE = "public, max-age=300";

  private final JdbcTrustMetadata trust;

  TrustRoutes(JdbcTrustMetadata trust) {
    this.trust = trust;
  }

  void register(RoutesConfig routes) {
    routes.get("/trust/{file}", this::serve);
  }

  private void serve(Context ctx) throws IOException {
    String name = ctx.pathParam("file");
    JdbcTrustMetadata.Stored f = (FILE.matcher(name).matches() ? trust.file(name) : java.util.Optional
        .<JdbcTrustMetadata.Stored>empty())
        .orElseThrow(() -> WharfException.notFound("not_found", "no trust metadata named " + name));
    HttpResponses.artifact(ctx, Artifact.small(f.body().getBytes(StandardCharsets.UTF_8), f.createdAt(),
        Artifact.JSON, CACHE), false);
  }
}
