package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.jobs.JobState;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The share of a job the jobs pages draw as its bar: by bytes where a job counts them, else by files. */
class JobProgressTest {
  @Test
  void aJobCountingBytesIsMeasuredByThem() {
    assertThat(JobRoutes.percent(JobState.RUNNING, Map.of("bytes_read", 250L, "bytes_total", 1_000L, "read", 3L)))
        .isEqualTo(25);
  }

  @Test
  void aDirectoryImportOrAMirrorRunIsMeasuredByFilesSettledOfFilesFound() {
    assertThat(JobRoutes.percent(JobState.RUNNING, Map.of("files", 30L, "files_total", 40L, "imported", 29L,
        "refused", 1L))).isEqualTo(75);
  }

  @Test
  void withoutATotalThereIsNoBarAndASucceededJobIsWhole() {
    assertThat(JobRoutes.percent(JobState.RUNNING, Map.of("files", 3L, "files_total", 0L))).isEqualTo(-1);
    assertThat(JobRoutes.percent(JobState.QUEUED, Map.of())).isEqualTo(-1);
    assertThat(JobRoutes.percent(JobState.SUCCEEDED, Map.of())).isEqualTo(100);
  }
}
