package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a restart nothing is in memory: the channel cache is empty and no subdir or channeldata is
 * published yet. The fast path then must not answer on Jetty's selector thread (that would read the
 * database and wait for a build there) but hand the request to the thread pool, which answers it as a
 * warm server does; many such requests at once must all be answered.
 */
class CondaFastPathColdTest {
  private static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";
  private static final long DEADLINE_SECONDS = 60;
  private static final List<String> FILES = List.of("linux-64/repodata.json", "linux-64/repodata.json.zst",
      "linux-64/current_repodata.json", "noarch/repodata.json", "channeldata.json", "linux-64/" + ZLIB);

  @TempDir Path data;

  @Test
  void aColdChannelIsAnsweredThroughTheHandOffAsAWarmOneIs() {
    Map<String, HttpResponse<byte[]>> warm = new java.util.HashMap<>();
    try (TestServer first = TestServer.start(data)) {
      assertThat(first.createChannel("open", "public").statusCode()).isEqualTo(201);
      assertThat(first.upload("open", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
      for (String file : FILES) {
        warm.put(file, first.get("/conda/open/" + file));
      }
    }
    try (TestServer cold = TestServer.start(data)) {
      HttpResponse<byte[]> repodata = cold.get("/conda/open/linux-64/repodata.json");
      assertThat(repodata.statusCode()).isEqualTo(200);
      assertThat(repodata.body()).isEqualTo(warm.get("linux-64/repodata.json").body());
      for (String file : FILES) {
        HttpResponse<byte[]> res = cold.get("/conda/open/" + file);
        assertThat(res.statusCode()).as(file).isEqualTo(200);
        assertThat(res.body()).as(file).isEqualTo(warm.get(file).body());
        assertThat(res.headers().firstValue("ETag")).as(file).isEqualTo(warm.get(file).headers().firstValue("ETag"));
      }
    }
  }

  @Test
  void manyColdRequestsAtOnceAreAllAnswered() throws Exception {
    String etag;
    byte[] repodata;
    byte[] pkg;
    try (TestServer first = TestServer.start(data)) {
      assertThat(first.createChannel("open", "public").statusCode()).isEqualTo(201);
      assertThat(first.upload("open", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
      HttpResponse<byte[]> res = first.get("/conda/open/linux-64/repodata.json");
      etag = res.headers().firstValue("ETag").orElseThrow();
      repodata = res.body();
      pkg = first.get("/conda/open/linux-64/" + ZLIB).body();
    }
    try (TestServer cold = TestServer.start(data)) {
      int clients = 24;
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
      try {
        for (int i = 0; i < clients; i++) {
          HttpRequest.Builder request = switch (i % 4) {
            case 0 -> cold.request("/conda/open/linux-64/repodata.json").GET();
            case 1 -> cold.request("/conda/open/linux-64/repodata.json").header("If-None-Match", etag).GET();
            case 2 -> cold.request("/conda/open/linux-64/" + ZLIB).GET();
            default -> cold.request("/conda/open/channeldata.json").method("HEAD", HttpRequest.BodyPublishers.noBody());
          };
          answers.add(pool.submit(() -> {
            go.await();
            return cold.send(request);
          }));
        }
        go.countDown();
        for (int i = 0; i < clients; i++) {
          HttpResponse<byte[]> res = answers.get(i).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
          switch (i % 4) {
            case 0 -> {
              assertThat(res.statusCode()).isEqualTo(200);
              assertThat(res.body()).isEqualTo(repodata);
            }
            case 1 -> {
              assertThat(res.statusCode()).isEqualTo(304);
              assertThat(res.body()).isEmpty();
            }
            case 2 -> {
              assertThat(res.statusCode()).isEqualTo(200);
              assertThat(res.body()).isEqualTo(pkg);
            }
            default -> {
              assertThat(res.statusCode()).isEqualTo(200);
              assertThat(res.body()).isEmpty();
            }
          }
        }
      } finally {
        pool.shutdownNow();
      }
      // once warm, the same 304 is answered from memory and still right
      HttpResponse<byte[]> again = cold.send(cold.request("/conda/open/linux-64/repodata.json")
          .header("If-None-Match", etag));
      assertThat(again.statusCode()).isEqualTo(304);
    }
  }
}
