package io.wharf.server.testing;

import io.wharf.conda.archive.PackageWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Many tiny but well-formed noarch packages, uploaded through the ordinary path, for lists longer than a page. */
public final class SmallPackages {
  private SmallPackages() {}

  /**
   * Uploads {@code <prefix>-NNN-1.0-0.tar.bz2} for NNN = 000 .. count-1 into the channel, with
   * {@code query} (e.g. {@code label=dev}) on each upload; returns the file names in that order.
   */
  public static List<String> upload(TestServer server, Path work, String channel, String prefix, int count,
      String query) {
    return upload(server, work, channel, prefix, count, query, false);
  }

  /** Uploads versions 1.0 .. count.0 of one package {@code name}, oldest first; returns the file names. */
  public static List<String> versions(TestServer server, Path work, String channel, String name, int count) {
    return upload(server, work, channel, name, count, "", true);
  }

  private static List<String> upload(TestServer server, Path work, String channel, String prefix, int count,
      String query, boolean versions) {
    List<String> names = new ArrayList<>();
    try {
      Path dir = Files.createDirectories(work.resolve("small-" + channel + "-" + prefix));
      for (int i = 0; i < count; i++) {
        String name = versions ? prefix : String.format("%s-%03d", prefix, i);
        String version = versions ? (i + 1) + ".0" : "1.0";
        String index = "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"build\":\"0\","
            + "\"build_number\":0,\"subdir\":\"noarch\",\"noarch\":\"generic\",\"depends\":[]}";
        Path p = dir.resolve(name + "-" + version + "-0.tar.bz2");
        PackageWriter.writeTarBz2(p, Map.of("info/index.json", index.getBytes(StandardCharsets.UTF_8)));
        HttpResponse<byte[]> res = server.upload(channel, p.getFileName().toString(), p, query);
        if (res.statusCode() != 201) {
          throw new IllegalStateException("uploading " + p.getFileName() + ": HTTP " + res.statusCode() + " "
              + new String(res.body(), StandardCharsets.UTF_8));
        }
        names.add(p.getFileName().toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return names;
  }
}
