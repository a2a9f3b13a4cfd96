package io.wharf.server.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.wharf.server.index.Artifact;
import io.wharf.server.index.PublishedFile;
import io.wharf.server.storage.BlobStore;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Writes cached metadata and package files with the headers conda, mamba and rattler rely on
 * (CONDA.md §4): strong ETag, Last-Modified, Cache-Control, 304, HEAD, gzip for JSON only, and a
 * single-range handler for package files (206, suffix ranges, 416).
 */
final class HttpResponses {
  static final String PACKAGE_CACHE = "public, max-age=86400";

  private HttpResponses() {}

  static void artifact(Context ctx, Artifact a, boolean privateChannel) throws IOException {
    boolean gzip = a.gzip() != null && acceptsGzip(ctx);
    String etag = gzip ? gzipEtag(a) : a.etag();
    HttpServletResponse res = ctx.res();
    res.setHeader("ETag", etag);
    res.setHeader("Last-Modified", Conditional.httpDate(a.lastModified()));
    res.setHeader("Cache-Control", cacheControl(a.cacheControl(), privateChannel));
    if (a.gzip() != null) {
      res.setHeader("Vary", "Accept-Encoding");
    }
    if (Conditional.notModified(ctx, etag, a.lastModified())) {
      res.setStatus(304);
      return;
    }
    Artifact.Body body = gzip ? a.gzip() : a.body();
    res.setStatus(200);
    res.setContentType(a.contentType());
    if (gzip) {
      res.setHeader("Content-Encoding", "gzip");
    }
    res.setContentLengthLong(body.length());
    if (ctx.method() != HandlerType.HEAD) {
      try (OutputStream out = res.getOutputStream()) {
        body.writeTo(out);
      }
    }
  }

  /**
   * Serves a package file; {@code completed} runs once the response carried the file's last byte and
   * the stream closed without error (a full GET, or a Range that ends at the last byte). HEAD, 304, 416,
   * a range short of the end and a transfer the client cut off do not complete a download.
   */
  static void packageFile(Context ctx, PublishedFile f, BlobStore blobs, boolean privateChannel,
      Runnable completed) throws IOException {
    String etag = "\"" + f.sha256() + "\"";
    HttpServletResponse res = ctx.res();
    res.setHeader("ETag", etag);
    res.setHeader("Last-Modified", Conditional.httpDate(f.uploadedAt()));
    res.setHeader("Cache-Control", cacheControl(PACKAGE_CACHE, privateChannel));
    res.setHeader("Accept-Ranges", "bytes");
    if (Conditional.notModified(ctx, etag, f.uploadedAt())) {
      res.setStatus(304);
      return;
    }
    Optional<ByteRange> range;
    try {
      range = Conditional.rangeStillValid(ctx, etag, f.uploadedAt())
          ? ByteRange.parse(ctx.header("Range"), f.size()) : Optional.empty();
    } catch (ByteRange.Unsatisfiable e) {
      res.setStatus(416);
      res.setHeader("Content-Range", "bytes */" + f.size());
      res.setContentLengthLong(0);
      return;
    }
    res.setContentType("application/octet-stream");
    res.setHeader("Content-Disposition", "attachment; filename=\"" + f.filename() + "\"");
    long length = range.map(ByteRange::length).orElse(f.size());
    if (range.isPresent()) {
      ByteRange r = range.get();
      res.setStatus(206);
      res.setHeader("Content-Range", "bytes " + r.start() + "-" + r.end() + "/" + f.size());
    } else {
      res.setStatus(200);
    }
    res.setContentLengthLong(length);
    if (ctx.method() == HandlerType.HEAD) {
      return;
    }
    try (InputStream in = range.isPresent()
            ? blobs.openRange(f.blobKey(), range.get().start(), length) : blobs.open(f.blobKey());
        OutputStream out = res.getOutputStream()) {
      in.transferTo(out);
    }
    if (range.isEmpty() || range.get().end() == f.size() - 1) {
      completed.run();
    }
  }

  /** The ETag of the gzip body: a different representation needs a different strong validator. */
  static String gzipEtag(Artifact a) {
    return a.etag().substring(0, a.etag().length() - 1) + "-gzip\"";
  }

  static String cacheControl(String value, boolean privateChannel) {
    return privateChannel ? value.replace("public", "private") : value;
  }

  private static boolean acceptsGzip(Context ctx) {
    return acceptsGzip(ctx.header("Accept-Encoding"));
  }

  static boolean acceptsGzip(String ae) {
    if (ae == null) {
      return false;
    }
    for (String part : ae.split(",")) {
      String[] p = part.trim().split(";");
      if (p[0].trim().equalsIgnoreCase("gzip")) {
        return p.length < 2 || !p[1].trim().replace(" ", "").equals("q=0");
      }
    }
    return false;
  }
}
