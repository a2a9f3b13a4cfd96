package io.wharf.server.web;

import io.wharf.server.index.Artifact;
import io.wharf.server.index.PublishedFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
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
 * <p>The same few files are asked for over and over, so the header fields of a file are made and
 * encoded once and kept in a small table keyed by the file's identity (a publication makes new objects,
 * so an entry never goes stale; a file that falls out of the table is made again).
 */
final class FileAnswers {
  private static final int SLOTS = 256;
  private static final int GZIP = 1;
  private static final int PRIVATE = 2;
  private static final HttpField ACCEPT_RANGES = new PreEncodedHttpField(HttpHeader.ACCEPT_RANGES, "bytes");
  private static final HttpField VARY = new PreEncodedHttpField(HttpHeader.VARY, "Accept-Encoding");
  private static final HttpField CONTENT_GZIP = new PreEncodedHttpField(HttpHeader.CONTENT_ENCODING, "gzip");
  private static final HttpField OCTET_STREAM = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, Artifact.BINARY);
  static final String PACKAGE_CACHE = "public, max-age=86400";

  /** The fields of one file in one variant: those of a 304, of a 200, and (package files) of a 416. */
  private record Fields(Object file, int variant, String etag, List<HttpField> notModified, List<HttpField> ok,
      List<HttpField> unsatisfiable) {}

  private final AtomicReferenceArray<Fields> table = new AtomicReferenceArray<>(SLOTS);

  FileAnswer artifact(Artifact a, FileAnswer.Asked asked, boolean privateChannel) {
    boolean gzip = a.gzip() != null && acceptsGzip(asked.acceptEncoding());
    Fields f = fields(a, (gzip ? GZIP : 0) | (privateChannel ? PRIVATE : 0));
    if (Conditional.notModified(asked.ifNoneMatch(), asked.ifModifiedSince(), f.etag(), a.lastModified())) {
      return FileAnswer.headersOnly(304, f.notModified(), -1);
    }
    Artifact.Body body = gzip ? a.gzip() : a.body();
    return new FileAnswer(200, f.ok(), body.length(), asked.head() ? null : body, 0, -1, false);
  }

  FileAnswer packageFile(PublishedFile p, FileAnswer.Asked asked, boolean privateChannel) {
    Fields f = fields(p, privateChannel ? PRIVATE : 0);
    if (Conditional.notModified(asked.ifNoneMatch(), asked.ifModifiedSince(), f.etag(), p.uploadedAt())) {
      return FileAnswer.headersOnly(304, f.notModified(), -1);
    }
    Optional<ByteRange> range;
    try {
      range = Conditional.rangeStillValid(asked.ifRange(), f.etag(), p.uploadedAt())
          ? ByteRange.parse(asked.range(), p.size()) : Optional.empty();
    } catch (ByteRange.Unsatisfiable e) {
      return FileAnswer.headersOnly(416, f.unsatisfiable(), 0);
    }
    List<HttpField> fields = f.ok();
    long start = 0;
    long length = p.size();
    int status = 200;
    if (range.isPresent()) {
      ByteRange r = range.get();
      start = r.start();
      length = r.length();
      status = 206;
      fields = new ArrayList<>(fields);
      fields.add(new HttpField(HttpHeader.CONTENT_RANGE, "bytes " + r.start() + "-" + r.end() + "/" + p.size()));
    }
    if (asked.head()) {
      return FileAnswer.headersOnly(status, fields, length);
    }
    return new FileAnswer(status, fields, length, null, start, length, start + length == p.size());
  }

  private Fields fields(Object file, int variant) {
    int slot = (System.identityHashCode(file) * 4 + variant) & (SLOTS - 1);
    Fields known = table.get(slot);
    if (known != null && known.file() == file && known.variant() == variant) {
      return known;
    }
    Fields made = file instanceof Artifact a ? artifactFields(a, variant) : packageFields((PublishedFile) file, variant);
    table.set(slot, made);
    return made;
  }

  private static Fields artifactFields(Artifact a, int variant) {
    String etag = (variant & GZIP) != 0 ? gzipEtag(a) : a.etag();
    List<HttpField> validators = validators(etag, a.lastModified(), a.cacheControl(), variant);
    if (a.gzip() != null) {
      validators.add(VARY);
    }
    List<HttpField> ok = new ArrayList<>(validators);
    ok.add(new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, a.contentType()));
    if ((variant & GZIP) != 0) {
      ok.add(CONTENT_GZIP);
    }
    return new Fields(a, variant, etag, List.copyOf(validators), List.copyOf(ok), null);
  }

  private static Fields packageFields(PublishedFile p, int variant) {
    String etag = "\"" + p.sha256() + "\"";
    List<HttpField> validators = validators(etag, p.uploadedAt(), PACKAGE_CACHE, variant);
    validators.add(ACCEPT_RANGES);
    List<HttpField> unsatisfiable = new ArrayList<>(validators);
    unsatisfiable.add(new PreEncodedHttpField(HttpHeader.CONTENT_RANGE, "bytes */" + p.size()));
    List<HttpField> ok = new ArrayList<>(validators);
    ok.add(OCTET_STREAM);
    ok.add(new PreEncodedHttpField(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + p.filename() + "\""));
    return new Fields(p, variant, etag, List.copyOf(validators), List.copyOf(ok), List.copyOf(unsatisfiable));
  }

  private static List<HttpField> validators(String etag, long lastModified, String cacheControl, int variant) {
    List<HttpField> fields = new ArrayList<>();
    fields.add(new PreEncodedHttpField(HttpHeader.ETAG, etag));
    fields.add(new PreEncodedHttpField(HttpHeader.LAST_MODIFIED, Conditional.httpDate(lastModified)));
    fields.add(new PreEncodedHttpField(HttpHeader.CACHE_CONTROL,
        cacheControl(cacheControl, (variant & PRIVATE) != 0)));
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
