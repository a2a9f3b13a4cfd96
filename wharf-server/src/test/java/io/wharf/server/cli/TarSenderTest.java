package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarSenderTest {
  @TempDir Path dir;

  @Test
  void sendsEachFileAsOnePlainEntryWithItsTimeInWholeSeconds() throws Exception {
    Path noarch = Files.createDirectories(dir.resolve("noarch"));
    Path a = Files.write(noarch.resolve("a-1.0-0.tar.bz2"), "first".getBytes());
    Path b = Files.write(noarch.resolve("b-1.0-0.conda"), "second file".getBytes());
    // sub-second times, as most file systems keep them
    Files.setLastModifiedTime(a, FileTime.from(Instant.parse("2026-11-30T10:15:30.123456789Z")));
    Files.setLastModifiedTime(b, FileTime.from(Instant.parse("2026-11-30T10:15:31.5Z")));
    TarSender sender = new TarSender(ChannelDirectory.scan(dir));

    List<String> seen = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(sender.open())) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        // no PAX header: it would double the records sent, and read, per file
        assertThat(entry.getExtraPaxHeaders()).isEmpty();
        seen.add(entry.getName() + " " + entry.getSize() + " " + entry.getLastModifiedTime().toInstant() + " "
            + new String(tar.readAllBytes()));
      }
    }

    assertThat(seen).containsExactlyInAnyOrder(
        "noarch/a-1.0-0.tar.bz2 5 2026-11-30T10:15:30Z first",
        "noarch/b-1.0-0.conda 11 2026-11-30T10:15:31Z second file");
    assertThat(sender.sent()).isEqualTo(2);
    assertThat(sender.failure()).isNull();
  }
}
