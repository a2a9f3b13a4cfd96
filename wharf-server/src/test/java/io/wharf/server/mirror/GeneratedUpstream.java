package io.wharf.server.mirror;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wharf.conda.repodata.RepodataRecords;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream channel over real HTTP whose linux-64 repodata.json lists generated records, in the order
 * given, and whose files are small byte strings matching those records (size, SHA-256, MD5). Any record's
 * text may be replaced as is (to break it), and downloads may be made to break off after a number of files
 * were served whole, as a connection that drops does.
 */
final class GeneratedUpstream implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer http;
  private final Map<String, String> records = new LinkedHashMap<>();
  private final AtomicInteger served = new AtomicInteger();
  private volatile int breakAfter = Integer.MAX_VALUE;

  GeneratedUpstream() throws IOException {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", this::answer);
    http.start();
  }

  /** The channel's URL. */
  String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/up";
  }

  /** The filename of generated package {@code i}. */
  static String filename(int i) {
    return String.format("pkg%05d-1.0-0.tar.bz2", i);
  }

  /** The bytes of a generated file. */
  static byte[] bytes(String filename) {
    return ("the bytes of " + filename).getBytes(StandardCharsets.UTF_8);
  }

  /** Lists generated packages {@code 0..count-1}, in that order. */
  synchronized GeneratedUpstream generate(int count) {
    records.clear();
    for (int i = 0; i < count; i++) {
      records.put(filename(i), record(filename(i)).toString());
    }
    return this;
  }

  /** Lists {@code text} as the record of {@code filename}, where that filename was, else last. */
  synchronized GeneratedUpstream put(String filename, String text) {
    records.put(filename, text);
    return this;
  }

  /** Replaces the filename at {@code old} by {@code filename} with {@code text}, keeping the document order. */
  synchronized GeneratedUpstream rename(String old, String filename, String text) {
    Map<String, String> copy = new LinkedHashMap<>();
    records.forEach((f, t) -> {
      if (f.equals(old)) {
        copy.put(filename, text);
      } else {
        copy.put(f, t);
      }
    });
    records.clear();
    records.putAll(copy);
    return this;
  }

  /** No longer lists {@code filename}. */
  synchronized GeneratedUpstream remove(String filename) {
    records.remove(filename);
    return this;
  }

  /** The filenames listed, in document order. */
  synchronized List<String> filenames() {
    return new ArrayList<>(records.keySet());
  }

  /** Each listed record that is a JSON object, as this server stores it (compact, sorted keys), by filename. */
  synchronized Map<String, String> stored() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : records.entrySet()) {
      if (JSON.readTree(e.getValue()) instanceof ObjectNode record) {
        out.put(e.getKey(), RepodataRecords.toJson(record));
      }
    }
    return out;
  }

  /** From now on, downloads after the first {@code files} whole ones break off half-way. */
  void breakDownloadsAfter(int files) {
    served.set(0);
    breakAfter = files;
  }

  void heal() {
    breakAfter = Integer.MAX_VALUE;
  }

  /** A record as conda-index writes one for {@code filename}'s bytes. */
  static ObjectNode record(String filename) {
    byte[] body = bytes(filename);
    String name = filename.substring(0, filename.indexOf('-'));
    ObjectNode r = JSON.createObjectNode().put("name", name).put("version", "1.0").put("build", "0")
        .put("build_number", 0).put("md5", hex("MD5", body)).put("sha256", hex("SHA-256", body))
        .put("size", body.length).put("subdir", "linux-64");
    r.putArray("depends").add("python >=3.8");
    return r;
  }

  private static String hex(String algorithm, byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(body));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private synchronized byte[] document() {
    StringBuilder doc = new StringBuilder("{\"info\": {\"subdir\": \"linux-64\"}, \"packages\": {");
    String sep = "";
    for (Map.Entry<String, String> e : records.entrySet()) {
      doc.append(sep).append('"').append(e.getKey()).append("\": ").append(e.getValue());
      sep = ", ";
    }
    return doc.append("}, \"packages.conda\": {}}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      byte[] body = null;
      if (path.equals("/up/linux-64/repodata.json")) {
        body = document();
      } else if (path.startsWith("/up/linux-64/") && path.endsWith(".tar.bz2")) {
        body = bytes(path.substring("/up/linux-64/".length()));
        if (served.incrementAndGet() > breakAfter) {
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body, 0, body.length / 2);
          exchange.getResponseBody().flush();
          return; // closing the exchange short of its announced length drops the connection
        }
      }
      exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
      if (body != null) {
        exchange.getResponseBody().write(body);
      }
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
