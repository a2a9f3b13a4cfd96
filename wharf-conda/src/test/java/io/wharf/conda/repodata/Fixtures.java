package io.wharf.conda.repodata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/** Access to the real-world fixtures (fixtures/real, see its PROVENANCE.md) and small readers for the package files among them. */
final class Fixtures {

  static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  static Path real(String relative) {
    return Path.of(System.getProperty("wharf.fixtures", "../fixtures")).resolve("real").resolve(relative);
  }

  static ObjectNode json(String relative) throws IOException {
    return (ObjectNode) JSON.readTree(real(relative).toFile());
  }

  static ObjectNode parse(byte[] bytes) throws IOException {
    return (ObjectNode) JSON.readTree(bytes);
  }

  /** A repodata section as filename → record JSON, the way the database hands it to the builders. */
  static SortedMap<String, String> section(JsonNode repodata, String key) {
    SortedMap<String, String> out = new TreeMap<>();
    JsonNode section = repodata.get(key);
    if (section != null) {
      for (Map.Entry<String, JsonNode> e : section.properties()) {
        out.put(e.getKey(), RepodataRecords.toJson((ObjectNode) e.getValue()));
      }
    }
    return out;
  }

  /** The wanted info/ members of a .tar.bz2 or .conda fixture, as bytes. */
  static Map<String, byte[]> infoFiles(String packageFile, Set<String> wanted) throws IOException {
    Path path = real("packages/" + packageFile);
    Map<String, byte[]> found = new HashMap<>();
    if (packageFile.endsWith(".tar.bz2")) {
      try (InputStream in = Files.newInputStream(path)) {
        readTar(new BZip2CompressorInputStream(in), wanted, found);
      }
    } else {
      try (ZipFile zip = ZipFile.builder().setPath(path).get()) {
        for (Iterator<ZipArchiveEntry> it = zip.getEntries().asIterator(); it.hasNext(); ) {
          ZipArchiveEntry entry = it.next();
          if (entry.getName().startsWith("info-") && entry.getName().endsWith(".tar.zst")) {
            try (InputStream in = zip.getInputStream(entry)) {
              readTar(new ZstdCompressorInputStream(in), wanted, found);
            }
          }
        }
      }
    }
    return found;
  }

  private static void readTar(InputStream compressed, Set<String> wanted, Map<String, byte[]> found)
      throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(compressed)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (wanted.contains(entry.getName()) && entry.isFile()) {
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          tar.transferTo(bytes);
          found.put(entry.getName(), bytes.toByteArray());
        }
      }
    }
  }

  static String digest(String algorithm, Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(Files.readAllBytes(file)));
  }
}
