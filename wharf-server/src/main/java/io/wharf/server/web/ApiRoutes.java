package io.wharf.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.Principal;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.channel.Privacy;
import io.wharf.server.error.WharfException;
import io.wharf.server.index.IndexService;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.PackageStore;
import io.wharf.server.pkg.PackageService;
import io.wharf.server.pkg.UploadService;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The REST API under {@code /api}: channels, their packages and files, and uploads. */
final class ApiRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChannelService channels;
  private final PackageService packages;
  private final UploadService uploads;
  private final Authenticator auth;
  private final IndexService index;
  private static final long VISIBLE_WAIT_MILLIS = 10_000;

  ApiRoutes(ChannelService channels, PackageService packages, UploadService uploads, Authenticator auth,
      IndexService index) {
    this.index = index;
    this.channels = channels;
    this.packages = packages;
    this.uploads = uploads;
    this.auth = auth;
  }

  void register(RouteTable api) {
    api.add(HandlerType.GET, "/api/channels", this::listChannels);
    api.add(HandlerType.POST, "/api/channels", this::createChannel);
    api.add(HandlerType.GET, "/api/channels/{channel}", this::showChannel);
    api.add(HandlerType.DELETE, "/api/channels/{channel}", this::deleteChannel);
    api.add(HandlerType.GET, "/api/channels/{channel}/packages", this::listPackages);
    api.add(HandlerType.GET, "/api/channels/{channel}/files", this::listFiles);
    api.add(HandlerType.PUT, "/api/channels/{channel}/files/{filename}", this::upload);
    api.add(HandlerType.GET, "/api/channels/{channel}/files/{subdir}/{filename}", this::showFile);
    api.add(HandlerType.DELETE, "/api/channels/{channel}/files/{subdir}/{filename}", this::deleteFile);
  }

  private void listChannels(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    ctx.json(channels.list().stream()
        .filter(c -> channels.mayRead(c, who))
        .map(Views::channel).toList());
  }

  private void createChannel(Context ctx) {
    Authenticator.requireAdmin(RequestAuth.principal(ctx, auth));
    JsonNode body = jsonBody(ctx);
    String name = text(body, "name");
    if (name == null) {
      throw WharfException.invalid("missing_field", "the request body needs a 'name'");
    }
    Channel c = channels.create(name, text(body, "description"), privacy(text(body, "privacy")));
    ctx.status(201).json(Views.channel(c));
  }

  private void showChannel(Context ctx) {
    Channel c = readable(ctx);
    Map<String, Object> view = Views.channel(c);
    view.put("labels", packages.labels(c).stream().map(l -> Views.label(c, l)).toList());
    ctx.json(view);
  }

  private void deleteChannel(Context ctx) {
    Authenticator.requireAdmin(RequestAuth.principal(ctx, auth));
    channels.delete(ctx.pathParam("channel"));
    ctx.status(204);
  }

  private void listPackages(Context ctx) {
    Channel c = readable(ctx);
    ctx.json(packages.packages(c).stream().map(Views::packageSummary).toList());
  }

  private void listFiles(Context ctx) {
    Channel c = readable(ctx);
    String subdir = ctx.queryParam("subdir");
    String label = ctx.queryParam("label");
    String filename = ctx.queryParam("filename");
    ctx.json((filename != null ? packages.filesNamed(c, filename) : packages.files(c)).stream()
        .filter(f -> subdir == null || f.subdir().equals(subdir))
        .filter(f -> label == null || f.label().equals(label))
        .filter(f -> filename == null || f.filename().equals(filename))
        .map(f -> Views.file(c, f)).toList());
  }

  private void upload(Context ctx) throws IOException {
    Authenticator.requireAdmin(RequestAuth.principal(ctx, auth));
    boolean replace = Boolean.parseBoolean(ctx.queryParam("replace"));
    long declared = ctx.req().getContentLengthLong();
    // Opened on first read: asking the servlet for the stream answers "100 Continue", which must
    // wait until the upload has passed every check that needs no body.
    PackageStore.Stored stored = uploads.upload(ctx.pathParam("channel"), ctx.queryParam("label"),
        ctx.pathParam("filename"), new LazyBody(ctx), declared, replace);
    // Read-your-writes: the answer comes once this node serves the new file (other nodes follow
    // within about a second); a slow publication delays the answer, never the commit.
    index.awaitVisible(stored.seq(), VISIBLE_WAIT_MILLIS);
    PackageFile f = stored.file();
    Channel c = channels.require(ctx.pathParam("channel"));
    ctx.status(201).json(Views.file(c, f));
  }

  /** The request body, not opened until something reads it. */
  private static final class LazyBody extends InputStream {
    private final Context ctx;
    private InputStream body;

    LazyBody(Context ctx) {
      this.ctx = ctx;
    }

    private InputStream body() {
      if (body == null) {
        body = ctx.bodyInputStream();
      }
      return body;
    }

    @Override
    public int read() throws IOException {
      return body().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return body().read(b, off, len);
    }

    @Override
    public void close() throws IOException {
      if (body != null) {
        body.close();
      }
    }
  }

  private void showFile(Context ctx) {
    Channel c = readable(ctx);
    PackageFile f = packages.file(c, ctx.queryParam("label"), ctx.pathParam("subdir"), ctx.pathParam("filename"));
    ctx.json(Views.file(c, f));
  }

  private void deleteFile(Context ctx) {
    Authenticator.requireAdmin(RequestAuth.principal(ctx, auth));
    Channel c = channels.require(ctx.pathParam("channel"));
    long seq = packages.delete(c, ctx.queryParam("label"), ctx.pathParam("subdir"), ctx.pathParam("filename"));
    index.awaitVisible(seq, VISIBLE_WAIT_MILLIS);
    ctx.status(204);
  }

  private Channel readable(Context ctx) {
    return channels.readable(ctx.pathParam("channel"), RequestAuth.principal(ctx, auth));
  }

  static JsonNode jsonBody(Context ctx) {
    try {
      byte[] body = ctx.bodyAsBytes();
      JsonNode node = body.length == 0 ? null : JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw WharfException.invalid("invalid_json", "the request body must be a JSON object");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // The parser's own words and where it stopped, without its dump of the source.
      var at = e.getLocation();
      String why = String.valueOf(e.getOriginalMessage());
      int marker = why.indexOf(" (start marker at");
      throw WharfException.invalid("invalid_json", "the request body is not valid JSON: "
          + (marker >= 0 ? why.substring(0, marker) : why)
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      throw WharfException.invalid("invalid_json", "the request body could not be read");
    }
  }

  private static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw WharfException.invalid("invalid_field", "'" + field + "' must be a string");
    }
    return n.asText();
  }

  private static Privacy privacy(String value) {
    if (value == null) {
      return Privacy.PUBLIC;
    }
    try {
      return Privacy.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw WharfException.invalid("invalid_privacy", "privacy must be public, authenticated or private");
    }
  }
}
