package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a server refuses an upload reaches the user of {@code wharf upload} within seconds, as one
 * line and a non-zero exit. Refusals that need no body are learnt before the file is sent: the CLI talks
 * to the server through a relay that counts what it sends.
 */
class UploadRefusalCliTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final long LIMIT = 64 * 1024;
  /** Far more than request heads, far less than the file that must not be sent. */
  private static final long HEADS_ONLY = 32 * 1024;

  @TempDir static Path data;
  @TempDir static Path work;
  static TestServer server;
  static CountingProxy proxy;
  static Path big;
  static final Path SMALL = Fixtures.realPackage("other-package-0.2-0.conda");

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.start(data, Map.of("max.upload", "64K"));
    proxy = new CountingProxy(server.port());
    assertThat(server.createChannel("ref", "public").statusCode()).isEqualTo(201);
    big = work.resolve("big-1.0-0.conda");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(8L * 1024 * 1024);
    }
  }

  @AfterAll
  static void stop() throws IOException {
    proxy.close();
    server.close();
  }

  @BeforeEach
  void resetCount() {
    proxy.takeSent();
  }

  /** Runs {@code wharf upload --url <relay> args...} and fails the test if it does not end in time. */
  static CliRun upload(String token, String... args) {
    List<String> all = new ArrayList<>(List.of("upload", "--url", proxy.url()));
    if (token != null) {
      all.addAll(List.of("--token", token));
    }
    all.addAll(List.of(args));
    PrintStream out = System.out;
    PrintStream err = System.err;
    try {
      return assertTimeoutPreemptively(DEADLINE, () -> CliRun.of(all.toArray(String[]::new)),
          () -> "wharf " + String.join(" ", all) + " did not end within " + DEADLINE);
    } finally {
      // a run abandoned at the deadline never restores the streams it captured
      System.setOut(out);
      System.setErr(err);
    }
  }

  static CliRun admin(String... args) {
    return upload(TestServer.ADMIN_TOKEN, args);
  }

  private static void assertOneLine(CliRun run, String line) {
    assertThat(run.exit()).as(run.err()).isNotZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).containsExactly(line);
  }

  private static void assertBodyNotSent() {
    assertThat(proxy.takeSent()).as("bytes sent for an upload refused on its head").isLessThan(HEADS_ONLY);
  }

  @Test
  void uploadWithoutATokenSaysHowTheCliPassesOne() {
    assumeTrue(System.getenv("WHARF_TOKEN") == null, "WHARF_TOKEN is set in this environment");
    CliRun run = upload(null, "--channel", "ref", big.toString());
    assertOneLine(run, "error: this action needs a token: pass --token or set WHARF_TOKEN (HTTP 401)");
    assertBodyNotSent();
  }

  @Test
  void uploadWithAWrongTokenSaysTheTokenIsNotValid() {
    CliRun run = upload("wrong-token-0123456789", "--channel", "ref", big.toString());
    assertOneLine(run, "error: the token is not valid (HTTP 401)");
    assertBodyNotSent();
  }

  @Test
  void uploadToAMissingChannelSaysTheChannelDoesNotExist() {
    CliRun run = admin("--channel", "nosuch", big.toString());
    assertOneLine(run, "error: no such channel (HTTP 404)");
    assertBodyNotSent();
  }

  @Test
  void uploadWithAnInvalidLabelSaysWhatALabelMayBe() {
    CliRun run = admin("--channel", "ref", "--label", "9lives", big.toString());
    assertOneLine(run, "error: subchannel '9lives' is not valid: start with a letter, then letters, digits,"
        + " '.', '-' or '_' (HTTP 400)");
    assertBodyNotSent();
  }

  @Test
  void uploadLargerThanTheServersLimitIsRefusedBeforeItsBodyIsSent() {
    CliRun run = admin("--channel", "ref", big.toString());
    assertOneLine(run, "error: big-1.0-0.conda: the upload is larger than the limit of " + LIMIT
        + " bytes (HTTP 413)");
    assertBodyNotSent();
  }

  @Test
  void uploadOfAFileThatIsAlreadyThereSuggestsReplace() {
    admin("--channel", "ref", "--label", "dup", SMALL.toString());
    CliRun again = admin("--channel", "ref", "--label", "dup", SMALL.toString());
    assertOneLine(again, "error: other-package-0.2-0.conda already exists in ref/linux-64 (label dup);"
        + " pass --replace to overwrite it (HTTP 409)");

    CliRun replaced = admin("--channel", "ref", "--label", "dup", "--replace", SMALL.toString());
    assertThat(replaced.exit()).as(replaced.err()).isZero();
  }

  @Test
  void uploadOfSomethingThatIsNotAPackageNamesTheFileOnce() throws IOException {
    Path notAPackage = work.resolve("x-1.0-0.conda");
    Files.writeString(notAPackage, "this is a text file, not a package", StandardCharsets.UTF_8);
    CliRun run = admin("--channel", "ref", notAPackage.toString());
    assertThat(run.exit()).isNotZero();
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("error: x-1.0-0.conda: ").endsWith("(HTTP 400)")
        .satisfies(line -> assertThat(line.split("x-1\\.0-0\\.conda", -1)).as("file named once").hasSize(2));
  }

  @Test
  void aRefusalOfTheWholeUploadIsPrintedOnceHoweverManyFilesItNames() {
    CliRun run = admin("--channel", "nosuch", big.toString(), SMALL.toString(), big.toString());
    assertOneLine(run, "error: no such channel (HTTP 404)");
    assertBodyNotSent();
  }

  @Test
  void filesAfterARefusedOneAreStillUploaded() {
    CliRun run = admin("--channel", "ref", "--label", "mixed", big.toString(), SMALL.toString());
    assertThat(run.exit()).isNotZero();
    assertThat(run.errLines()).singleElement().asString().startsWith("error: big-1.0-0.conda: ");
    assertThat(run.out().lines()).containsExactly("uploaded linux-64/other-package-0.2-0.conda (sha256 "
        + server.getJson("/api/channels/ref/files?label=mixed").get(0).get("sha256").asText() + ")");
  }
}
