package io.wharf.server.vuln;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.error.WharfException;
import io.wharf.server.jobs.JobContext;
import io.wharf.server.jobs.JobHandler;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A CVE import as a background job: the document uploaded with the job (stored as its input) or fetched from
 * a URL by the node that runs it. Counters: {@code read}, {@code added}, {@code updated}, {@code matched} as
 * in {@link VulnerabilityService.ImportResult}, and {@code bytes_read} of {@code bytes_total} (when known).
 * Phases: downloading (URL only), reading, matching. Running it again after a node stopped is safe: records
 * not newer than the stored ones change nothing.
 */
public final class CveImportJob implements JobHandler {
  public static final String KIND = "cve-import";

  private final VulnerabilityService vulns;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NORMAL).build();

  public CveImportJob(VulnerabilityService vulns) {
    this.vulns = vulns;
  }

  @Override
  public String kind() {
    return KIND;
  }

  /** Parameters of an import of an uploaded document of {@code size} bytes named {@code filename}. */
  public static ObjectNode uploaded(String filename, long size) {
    return JsonNodeFactory.instance.objectNode().put("filename", filename).put("size", size);
  }

  /** Parameters of an import from {@code url} (http or https); the name of the data is the URL's last segment. */
  public static ObjectNode fromUrl(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw WharfException.invalid("invalid_url", "'" + url + "' is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw WharfException.invalid("invalid_url", "the URL must be http or https with a host, got '" + url + "'");
    }
    return JsonNodeFactory.instance.objectNode().put("url", url).put("filename", lastSegment(uri));
  }

  @Override
  public Map<String, Object> run(JobContext job) throws IOException, InterruptedException {
    JsonNode p = job.params();
    String filename = p.path("filename").asText();
    InputStream raw;
    if (p.hasNonNull("url")) {
      job.phase("downloading");
      HttpResponse<InputStream> res = http.send(HttpRequest.newBuilder(URI.create(p.get("url").asText()))
          .timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      if (res.statusCode() != 200) {
        res.body().close();
        throw WharfException.invalid("download_failed", "GET " + p.get("url").asText() + " answered " + res.statusCode());
      }
      res.headers().firstValueAsLong("Content-Length").ifPresent(n -> job.set("bytes_total", n));
      raw = res.body();
    } else {
      job.set("bytes_total", p.path("size").asLong());
      raw = job.input();
    }
    VulnerabilityService.ImportResult r;
    try (InputStream in = new Counting(raw, job)) {
      r = vulns.importStream(filename, in, new VulnerabilityService.ImportProgress() {
        @Override
        public void phase(String phase) {
          job.phase(phase);
        }

        @Override
        public void counts(VulnerabilityService.ImportResult soFar) {
          job.set("read", soFar.read());
          job.set("added", soFar.added());
          job.set("updated", soFar.updated());
          job.set("matched", soFar.matched());
        }
      });
    }
    job.phase("done");
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("read", r.read());
    result.put("added", r.added());
    result.put("updated", r.updated());
    result.put("matched", r.matched());
    return result;
  }

  private static String lastSegment(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    String last = path.substring(path.lastIndexOf('/') + 1);
    if (last.isEmpty()) {
      throw WharfException.invalid("invalid_url",
          "the URL must end in the data's file name (its extension says the format, e.g. .json.gz or .zip)");
    }
    return last;
  }

  /** Counts the bytes the import has read into {@code bytes_read}. */
  private static final class Counting extends FilterInputStream {
    private final JobContext job;
    private long count;

    Counting(InputStream in, JobContext job) {
      super(in);
      this.job = job;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        job.set("bytes_read", ++count);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
        job.set("bytes_read", count);
      }
      return n;
    }
  }
}
