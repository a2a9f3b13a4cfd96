package io.wharf.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Solves specs against live channels with rattler (npm {@code @conda-org/rattler}, the solver behind
 * pixi), run by node through {@code e2e/solve.mjs}. It proves that what Wharf serves is what a real
 * client can fetch, parse and solve.
 */
public final class RattlerSolver {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    public record SolvedRecord(String name, String version, String build, String url, String sha256) {}

    /** {@code ok == false} means rattler ran and found the specs unsatisfiable (or the channel unusable). */
    public record SolveResult(boolean ok, List<SolvedRecord> records, String error) {
        public SolveResult {
            records = List.copyOf(records);
        }

        public Optional<SolvedRecord> record(String name) {
            return records.stream().filter(r -> r.name().equals(name)).findFirst();
        }
    }

    private RattlerSolver() {}

    public static boolean available() {
        Optional<Path> e2e = e2eDir();
        return e2e.isPresent()
                && Files.isRegularFile(e2e.get().resolve("node_modules/@conda-org/rattler/package.json"))
                && ExternalProcess.runsSuccessfully(List.of("node", "--version"), Duration.ofSeconds(30));
    }

    /** Skips the calling test when node or e2e/node_modules is missing (fails where tools are required). */
    public static void assumeAvailable() {
        PeerTools.assumeAvailable(available(), "node with e2e/node_modules (npm ci in e2e/)");
    }

    /**
     * Runs one solve. rattler does not add {@code noarch} by itself: list it in {@code platforms}. A channel
     * it cannot reach also comes back as {@code ok == false} ("error sending request"), so tests expecting
     * an unsatisfiable request should check the message too.
     * Throws when the harness itself fails (node missing, crash, timeout, unreadable reply),
     * so that a broken harness can never pass for an unsatisfiable request.
     */
    public static SolveResult solve(List<String> specs, List<String> channelUrls, List<String> platforms)
            throws IOException {
        Path e2e = e2eDir().orElseThrow(() -> new IllegalStateException(
                "no e2e/package.json in " + Path.of("").toAbsolutePath() + " or any parent directory"));
        ObjectNode request = JSON.createObjectNode();
        specs.forEach(request.putArray("specs")::add);
        channelUrls.forEach(request.putArray("channels")::add);
        platforms.forEach(request.putArray("platforms")::add);

        ExternalProcess.Result result;
        try {
            result = ExternalProcess.run(List.of("node", "solve.mjs"), e2e, Map.of(),
                    JSON.writeValueAsBytes(request), TIMEOUT);
        } catch (IOException notStarted) {
            throw new IllegalStateException("node could not be started: " + notStarted.getMessage(), notStarted);
        }
        if (!result.succeeded()) {
            throw new IllegalStateException("solve.mjs failed with exit code %d: %s"
                    .formatted(result.exitCode(), result.stderr().strip()));
        }
        return parse(result);
    }

    private static SolveResult parse(ExternalProcess.Result result) {
        JsonNode reply;
        try {
            reply = JSON.readTree(result.stdout());
        } catch (IOException e) {
            throw new IllegalStateException("solve.mjs printed no JSON reply: " + result.stdout()
                    + "; stderr: " + result.stderr().strip(), e);
        }
        if (reply == null || !reply.path("ok").isBoolean()) {
            throw new IllegalStateException("solve.mjs reply lacks \"ok\": " + result.stdout());
        }
        if (!reply.get("ok").asBoolean()) {
            return new SolveResult(false, List.of(), reply.path("error").asText(""));
        }
        List<SolvedRecord> records = new ArrayList<>();
        for (JsonNode r : reply.path("records")) {
            records.add(new SolvedRecord(text(r, "name"), text(r, "version"), text(r, "build"),
                    text(r, "url"), text(r, "sha256")));
        }
        return new SolveResult(true, records, null);
    }

    private static String text(JsonNode record, String field) {
        JsonNode value = record.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** The directory holding e2e/package.json, searched from the working directory upwards. */
    static Optional<Path> e2eDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("e2e");
            if (Files.isRegularFile(candidate.resolve("package.json"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
