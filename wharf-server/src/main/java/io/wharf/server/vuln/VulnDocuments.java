package io.wharf.server.vuln;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.error.WharfException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;

/**
 * Turns a file, a directory or an archive (zip, tar, tar.gz) of OSV JSON/YAML and NVD JSON (plain or gzip)
 * into parsed records. Archives are read as streams, entry by entry, and nothing is written to disk, so no
 * entry path can lead outside; links are skipped. Each import is bounded: every document in size, and
 * all documents together in size and entry count, however archives nest.
 */
public final class VulnDocuments {
  static final long MAX_DOCUMENT_BYTES = 512L * 1024 * 1024;
  static final long MAX_TOTAL_BYTES = 16L * 1024 * 1024 * 1024;
  static final int MAX_ENTRIES = 500_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final long maxTotalBytes;
  private long totalBytes;
  private int entries;

  private VulnDocuments(long maxTotalBytes) {
    this.maxTotalBytes = maxTotalBytes;
  }

  public static void readPath(Path path, Consumer<VulnRecord> sink) throws IOException {
    new VulnDocuments(MAX_TOTAL_BYTES).path(path, sink);
  }

  /** Reads one named stream; the name's extension says what it is. Unknown extensions are skipped. */
  public static void read(String name, InputStream raw, Consumer<VulnRecord> sink) throws IOException {
    read(name, raw, sink, MAX_TOTAL_BYTES);
  }

  /** As {@link #read(String, InputStream, Consumer)}, with at most {@code maxTotalBytes} of documents in all. */
  static void read(String name, InputStream raw, Consumer<VulnRecord> sink, long maxTotalBytes) throws IOException {
    new VulnDocuments(maxTotalBytes).stream(name, raw, sink);
  }

  private void path(Path path, Consumer<VulnRecord> sink) throws IOException {
    if (Files.isDirectory(path)) {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(path)) {
        files = walk.filter(Files::isRegularFile).sorted().limit(MAX_ENTRIES + 1L).toList();
      }
      if (files.size() > MAX_ENTRIES) {
        throw tooMany();
      }
      for (Path f : files) {
        try (InputStream in = Files.newInputStream(f)) {
          stream(f.getFileName().toString(), in, sink);
        }
      }
      return;
    }
    try (InputStream in = Files.newInputStream(path)) {
      stream(path.getFileName().toString(), in, sink);
    }
  }

  private void stream(String name, InputStream raw, Consumer<VulnRecord> sink) throws IOException {
    String lower = name.toLowerCase(Locale.ROOT);
    InputStream in = new BufferedInputStream(raw);
    if (lower.endsWith(".zip")) {
      ZipArchiveInputStream zip = new ZipArchiveInputStream(in);
      for (ZipArchiveEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (++entries > MAX_ENTRIES) {
          throw tooMany();
        }
        if (!e.isDirectory() && !e.isUnixSymlink()) {
          stream(e.getName(), zip, sink);
        }
      }
    } else if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz") || lower.endsWith(".tar")) {
      TarArchiveInputStream tar = new TarArchiveInputStream(lower.endsWith(".tar") ? in : new GZIPInputStream(in));
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (++entries > MAX_ENTRIES) {
          throw tooMany();
        }
        if (e.isFile() && !e.isSymbolicLink() && !e.isLink()) {
          stream(e.getName(), tar, sink);
        }
      }
    } else if (lower.endsWith(".gz")) {
      stream(name.substring(0, name.length() - 3), new GZIPInputStream(in), sink);
    } else if (lower.endsWith(".json")) {
      parse(name, JSON.readTree(bounded(name, in)), sink);
    } else if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
      parse(name, YamlText.read(bounded(name, in)), sink);
    }
  }

  private static void parse(String name, JsonNode doc, Consumer<VulnRecord> sink) {
    if (doc == null || !doc.isObject()) {
      throw WharfException.invalid("bad_record", name + " is not a JSON or YAML object");
    }
    try {
      if (NvdParser.looksLikeNvd(doc)) {
        List<VulnRecord> records = new ArrayList<>();
        NvdParser.records(doc).forEach(r -> records.add(NvdParser.parse(r)));
        records.forEach(sink);
      } else if (OsvParser.looksLikeOsv(doc)) {
        sink.accept(OsvParser.parse(doc));
      } else {
        throw WharfException.invalid("bad_record", name + " is neither an OSV record nor NVD CVE API 2.0 JSON");
      }
    } catch (WharfException e) {
      throw WharfException.invalid("bad_record", name + ": " + e.getMessage());
    }
  }

  private byte[] bounded(String name, InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    long total = 0;
    for (int n; (n = in.read(buf)) > 0; ) {
      total += n;
      totalBytes += n;
      if (total > MAX_DOCUMENT_BYTES) {
        throw WharfException.invalid("document_too_large", name + " is larger than " + MAX_DOCUMENT_BYTES + " bytes");
      }
      if (totalBytes > maxTotalBytes) {
        throw WharfException.invalid("import_too_large",
            "the documents of one import come to more than " + maxTotalBytes + " bytes; import them in parts");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static WharfException tooMany() {
    return WharfException.invalid("too_many_entries", "more than " + MAX_ENTRIES + " files to import");
  }
}
