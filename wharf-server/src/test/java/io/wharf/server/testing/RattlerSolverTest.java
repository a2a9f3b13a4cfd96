package io.wharf.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wharf.server.testing.RattlerSolver.SolveResult;
import io.wharf.server.testing.RattlerSolver.SolvedRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checks the solver harness against a hand-made channel, independent of Wharf. */
class RattlerSolverTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHANNEL_PATH = "/conda/test";
    private static final List<String> PLATFORMS = List.of("linux-64", "noarch");

    private static final String A1_SHA = "a1".repeat(32);
    private static final String A2_SHA = "a2".repeat(32);
    private static final String B1_SHA = "b1".repeat(32);

    private static HttpServer server;
    private static String channelUrl;
    private static final List<String> requested = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void serveChannel() throws IOException {
        RattlerSolver.assumeAvailable();
        Map<String, byte[]> files = Map.of(
                CHANNEL_PATH + "/noarch/repodata.json", repodata("noarch", Map.of(
                        "a-1.0-0.tar.bz2", record("a", "1.0", "noarch", List.of(), A1_SHA)), Map.of(
                        "a-2.0-0.conda", record("a", "2.0", "noarch", List.of(), A2_SHA))),
                CHANNEL_PATH + "/linux-64/repodata.json", repodata("linux-64", Map.of(), Map.of(
                        "b-1.0-0.conda", record("b", "1.0", "linux-64", List.of("a"), B1_SHA))));

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> respond(exchange, files));
        server.start();
        channelUrl = "http://127.0.0.1:" + server.getAddress().getPort() + CHANNEL_PATH;
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @BeforeEach
    void forgetRequests() {
        requested.clear();
    }

    @Test
    void solvesDependencyWithItsNewestVersion() throws IOException {
        SolveResult result = RattlerSolver.solve(List.of("b"), List.of(channelUrl), PLATFORMS);

        assertThat(result.ok()).as(result.error()).isTrue();
        assertThat(result.records()).extracting(SolvedRecord::name).containsExactlyInAnyOrder("a", "b");
        assertThat(result.record("a")).get().satisfies(a -> {
            assertThat(a.version()).isEqualTo("2.0");
            assertThat(a.build()).isEqualTo("0");
            assertThat(a.sha256()).isEqualTo(A2_SHA);
            assertThat(a.url()).isEqualTo(channelUrl + "/noarch/a-2.0-0.conda");
        });
        assertThat(result.record("b")).get().satisfies(b -> {
            assertThat(b.version()).isEqualTo("1.0");
            assertThat(b.sha256()).isEqualTo(B1_SHA);
            assertThat(b.url()).isEqualTo(channelUrl + "/linux-64/b-1.0-0.conda");
        });
        assertThat(requested).contains("GET " + CHANNEL_PATH + "/noarch/repodata.json",
                "GET " + CHANNEL_PATH + "/linux-64/repodata.json");
    }

    @Test
    void honoursUpperBoundOnDependency() throws IOException {
        SolveResult result = RattlerSolver.solve(List.of("b", "a <2"), List.of(channelUrl), PLATFORMS);

        assertThat(result.ok()).as(result.error()).isTrue();
        assertThat(result.record("a")).get().satisfies(a -> {
            assertThat(a.version()).isEqualTo("1.0");
            assertThat(a.sha256()).isEqualTo(A1_SHA);
            assertThat(a.url()).isEqualTo(channelUrl + "/noarch/a-1.0-0.tar.bz2");
        });
        assertThat(result.record("b")).isPresent();
    }

    @Test
    void reportsRattlersMessageWhenNothingMatches() throws IOException {
        SolveResult result = RattlerSolver.solve(List.of("a >=99"), List.of(channelUrl), PLATFORMS);

        assertThat(result.ok()).isFalse();
        assertThat(result.records()).isEmpty();
        assertThat(result.error()).contains("No candidates were found for a >=99");
    }

    private static void respond(HttpExchange exchange, Map<String, byte[]> files) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requested.add(exchange.getRequestMethod() + " " + path);
            byte[] body = exchange.getRequestMethod().equals("GET") ? files.get(path) : null;
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static byte[] repodata(String subdir, Map<String, ObjectNode> tarBz2, Map<String, ObjectNode> conda)
            throws IOException {
        ObjectNode repodata = JSON.createObjectNode();
        repodata.putObject("info").put("subdir", subdir);
        repodata.putObject("packages").setAll(tarBz2);
        repodata.putObject("packages.conda").setAll(conda);
        repodata.put("repodata_version", 1);
        return JSON.writeValueAsBytes(repodata);
    }

    private static ObjectNode record(String name, String version, String subdir, List<String> depends,
            String sha256) {
        ObjectNode record = JSON.createObjectNode();
        record.put("name", name);
        record.put("version", version);
        record.put("build", "0");
        record.put("build_number", 0);
        depends.forEach(record.putArray("depends")::add);
        if (depends.isEmpty()) {
            record.putArray("depends");
        }
        record.put("subdir", subdir);
        if (subdir.equals("noarch")) {
            record.put("noarch", "generic");
        }
        record.put("license", "MIT");
        record.put("md5", sha256.substring(0, 32));
        record.put("sha256", sha256);
        record.put("size", 1234);
        record.put("timestamp", 1_700_000_000_000L);
        return record;
    }
}
