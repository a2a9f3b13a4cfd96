package io.wharf.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Follows background jobs through the API, as an administrator, within a deadline. */
public final class Jobs {
  private Jobs() {}

  /** The job a 202 answer queued, followed until it finishes; fails the test after {@code deadline}. */
  public static JsonNode awaitAccepted(TestServer server, HttpResponse<byte[]> accepted, Duration deadline) {
    assertThat(accepted.statusCode()).as(new String(accepted.body(), StandardCharsets.UTF_8)).isEqualTo(202);
    return await(server, TestServer.json(accepted).path("id").asLong(), deadline);
  }

  public static JsonNode awaitAccepted(TestServer server, HttpResponse<byte[]> accepted) {
    return awaitAccepted(server, accepted, Duration.ofSeconds(60));
  }

  public static JsonNode await(TestServer server, long id, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      JsonNode job = TestServer.json(server.send(server.admin("/api/jobs/" + id).GET()));
      String state = job.path("state").asText();
      if (state.equals("succeeded") || state.equals("failed")) {
        return job;
      }
      assertThat(System.nanoTime()).as("job %d still %s after %s: %s", id, state, deadline, job).isLessThan(end);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
