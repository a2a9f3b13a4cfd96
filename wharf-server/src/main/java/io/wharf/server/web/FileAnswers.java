package io.wharf.server.web;

import io.wharf.server.index.Artifact;
import io.wharf.server.index.PublishedFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * Decides the answer to a GET or HEAD of a metadata file or a package file (CONDA.md §4): strong ETag,
 * Last-Modified, Cache-Control, 304, HEAD, gzip for JSON only, and a single range of a package file
 * (206, suffix ranges, 416).
 *
 * <p>A 304 carries the fields a 200 would have among ETag, Cache-Control, Vary (RFC 9110 §15.4.5), with
 * Last-Modified and Accept-Ranges, and no Content-Type: it has no content to describe, and the RFC asks a
 * sender not to generate representation metadata beyond that list. Nor has a 416's empty body one.
 *
 * <p>Only the fields every answer repeats are encoded once; a profile of the 304 shows its time in
 * Jetty's per-request work and the system calls, not in making these few fields.
 */
final class FileAnswers {
  private static final HttpField ACCEPT_RANGES = new PreEncodedHttpField(HttpHeader.ACCEPT_RANGES, "bytes");
  private static final HttpField VARY = new PreEncodedHttpField(HttpHeader.VARY, "Accept-Encoding");
  private static final HttpField CONTENT_GZIP = new PreEncodedHttpField(HttpHeader.CONTENT_ENCODING, "gzip");
  private static final HttpField OCTET_STREAM = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, Artifact.BINARY);
  static final String PACKAGE_CACHE = "public, max-age=86400";
  private static final HttpDates DATES = new HttpDates();

  private FileAnswers() {}

  static FileAnswer artifact(Artifact a, FileAnswer.Asked asked, boolean privateChannel) {
    boolean gzip = a.gzip() != null && acceptsGzip(asked.acceptEncoding());
    String etag = gzip ? gzipEtag(a) : a.etag();
    List<HttpField> fields = validators(etag, a.lastModified(), a.cacheControl(), privateChannel);
    if (a.gzip() != null) {
      fields.add(VARY);
    }
    if (Conditional.notModified(asked.ifNoneMatch(), asked.ifModifiedSince(), etag, a.lastModified())) {
      return FileAnswer.headersOnly(304, fields, -1);
    }
    fields.add(new HttpField(HttpHeader.CONTENT_TYPE, a.contentType()));
    if (gzip) {
      fields.add(CONTENT_GZIP);
    }
    Artifact.Body body = gzip ? a.gzip() : a.body();
    return new FileAnswer(200, fields, body.length(), asked.head() ? null : body, 0, -1, false);
  }

  static FileAnswer packageFile(PublishedFile p, FileAnswer.Asked asked, boolean privateChannel) {
    String etag = "\"" + p.sha256() + "\"";
    List<HttpField> fields = validators(etag, p.uploadedAt(), PACKAGE_CACHE, privateChannel);
    fields.add(ACCEPT_RANGES);
    if (Conditional.notModified(asked.ifNoneMatch(), asked.ifModifiedSince(), etag, p.uploadedAt())) {
      return FileAnswer.headersOnly(304, fields, -1);
    }
    Optional<ByteRange> range;
    try {
      range = Conditional.rangeStillValid(asked.ifRange(), etag, p.uploadedAt())
          ? ByteRange.parse(asked.range(), p.size()) : Optional.empty();
    } catch (ByteRange.Unsatisfiable e) {
      fields.add(new HttpField(HttpHeader.CONTENT_RANGE, "bytes */" + p.size()));
      return FileAnswer.headersOnly(416, fields, 0);
    }
    fields.add(OCTET_STREAM);
    fields.add(new HttpField(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + p.filename() + "\""));
    long start = 0;
    long length = p.size();
    int status = 200;
    if (range.isPresent()) {
      ByteRange r = range.get();
      start = r.start();
      length = r.length();
      status = 206;
      fields.add(new HttpField(HttpHeader.CONTENT_RANGE, "bytes " + r.start() + "-" + r.end() + "/" + p.size()));
    }
    if (asked.head()) {
      return FileAnswer.headersOnly(status, fields, length);
    }
    return new FileAnswer(status, fields, length, null, start, length, start + length == p.size());
  }

  private static List<HttpField> validators(String etag, long lastModified, String cacheControl,
      boolean privateChannel) {
    List<HttpField> fields = new ArrayList<>(8);
    fields.add(new HttpField(HttpHeader.ETAG, etag));
    fields.add(new HttpField(HttpHeader.LAST_MODIFIED, DATES.format(lastModified)));
    fields.add(new HttpField(HttpHeader.CACHE_CONTROL, cacheControl(cacheControl, privateChannel)));
    return fields;
  }

  /** The ETag of the gzip body: a different representation needs a different strong validator. */
  static String gzipEtag(Artifact a) {
    return a.etag().substring(0, a.etag().length() - 1) + "-gzip\"";
  }

  static String cacheControl(String value, boolean privateChannel) {
    return privateChannel ? value.replace("public", "private") : value;
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
