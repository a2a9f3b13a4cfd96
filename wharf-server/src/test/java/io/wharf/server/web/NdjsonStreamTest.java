package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NdjsonStreamTest {
  @Test
  void linesAreWrittenInOrderOnePerLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (NdjsonStream out = new NdjsonStream(bytes, "test-answer")) {
      out.send(Map.of("a", 1));
      out.send(Map.of("b", "two"));
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}\n{\"b\":\"two\"}\n");
  }

  @Test
  void aProducerWaitsWhileTooManyLinesWaitForASlowClient() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    OutputStream slow = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
    };
    try (NdjsonStream out = new NdjsonStream(slow, "test-answer")) {
      for (int i = 0; i < 5; i++) {
        out.send(Map.of("i", i));
      }
      CompletableFuture<Boolean> room = CompletableFuture.supplyAsync(() -> out.awaitRoom(2));
      Thread.sleep(200);
      assertThat(room).isNotDone();
      release.countDown();
      assertThat(room.get(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aClientThatWentAwayIsReportedSoTheProducerCanStop() throws Exception {
    OutputStream gone = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("Broken pipe");
      }
    };
    try (NdjsonStream out = new NdjsonStream(gone, "test-answer")) {
      out.send(Map.of("first", true));
      Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
      boolean room = true;
      while (room && Instant.now().isBefore(deadline)) {
        room = out.awaitRoom(0);
        Thread.sleep(5);
      }
      assertThat(room).isFalse();
      for (int i = 0; i < 1_000; i++) {
        out.send(Map.of("i", i)); // dropped, never blocks
      }
      assertThat(out.awaitRoom(10_000)).isFalse();
    }
  }
}
