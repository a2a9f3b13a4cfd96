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
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Writes the answers {@link FileAnswers} decides for metadata and package files through Javalin's servlet
 * response: the path of every request {@link CondaFastPath} leaves to the routes.
 */
final class HttpResponses {

  private HttpResponses() {}

  static void artifact(Context ctx, Artifact a, boolean privateChannel) throws IOException {
    FileAnswer answer = FileAnswers.artifact(a, asked(ctx), privateChannel);
    write(ctx.res(), answer);
    if (answer.document() != null) {
      try (OutputStream out = ctx.res().getOutputStream()) {
        answer.document().writeTo(out);
      }
    }
  }

  /**
   * Serves a package file; {@code completed} runs once the response carried the file's last byte and
   * the stream closed without error (a full GET, or a Range that ends at the last byte). HEAD, 304, 416,
   * a range short of the end and a transfer the client cut off do not complete a download. The blob is
   * opened before anything is set on the response, so a missing blob leaves the response untouched.
   */
  static void packageFile(Context ctx, PublishedFile f, BlobStore blobs, boolean privateChannel,
      Runnable completed) throws IOException {
    FileAnswer answer = FileAnswers.packageFile(f, asked(ctx), privateChannel);
    if (answer.fileLength() < 0) {
      write(ctx.res(), answer);
      return;
    }
    try (InputStream in = answer.fileStart() == 0 && answer.fileLength() == f.size()
            ? blobs.open(f.blobKey()) : blobs.openRange(f.blobKey(), answer.fileStart(), answer.fileLength())) {
      write(ctx.res(), answer);
      try (OutputStream out = ctx.res().getOutputStream()) {
        in.transferTo(out);
      }
    }
    if (answer.completesDownload()) {
      completed.run();
    }
  }

  private static FileAnswer.Asked asked(Context ctx) {
    return new FileAnswer.Asked(ctx.method() == HandlerType.HEAD, ctx.header("If-None-Match"),
        ctx.header("If-Modified-Since"), ctx.header("Accept-Encoding"), ctx.header("Range"), ctx.header("If-Range"));
  }

  private static void write(HttpServletResponse res, FileAnswer answer) {
    res.setStatus(answer.status());
    res.setContentType(null); // Javalin's default; the answer names its own, or none (304, 416)
    for (HttpField f : answer.fields()) {
      if (f.getHeader() == HttpHeader.CONTENT_TYPE) {
        res.setContentType(f.getValue());
      } else {
        res.setHeader(f.getName(), f.getValue());
      }
    }
    if (answer.contentLength() >= 0) {
      res.setContentLengthLong(answer.contentLength());
    }
  }
}
