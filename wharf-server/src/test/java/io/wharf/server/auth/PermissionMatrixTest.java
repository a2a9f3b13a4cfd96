package io.wharf.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.db.Database;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.Jobs;
import io.wharf.server.testing.Personas;
import io.wharf.server.testing.TestServer;
import io.wharf.server.web.RouteTable;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route against every kind of caller, each cell one exact status. The private channel {@code priv}
 * has a viewer, a curator, a maintainer and an owner; {@code pub} is public, {@code members} authenticated. Tokens
 * belong to {@code owner}: read and write ones scoped to {@code priv}, one scoped to {@code pub} ("another
 * channel"), one expired, one revoked. A new route is one line in {@link #rows()}; a registered API route
 * missing here fails {@link #everyRegisteredApiRouteIsInTheMatrix}.
 */
class PermissionMatrixTest {
  enum Caller { ANONYMOUS, NO_RIGHTS, VIEWER, CURATOR, MAINTAINER, OWNER, ADMIN, OTHER_CHANNEL_TOKEN, EXPIRED_TOKEN,
    REVOKED_TOKEN, READ_TOKEN, WRITE_TOKEN }

  private static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";
  private static final String PASSWORD = "correct horse battery";

  @TempDir static Path data;
  @TempDir static Path importable;
  static TestServer server;
  static Personas people;
  static final Map<Caller, Personas.Session> sessions = new EnumMap<>(Caller.class);
  static final Map<Caller, String> tokens = new EnumMap<>(Caller.class);
  static final AtomicInteger counter = new AtomicInteger();
  static long adminJob;

  /** One route: how to build its request for a cell, and the status each caller gets. */
  record Row(String method, String template, Function<Caller, HttpRequest.Builder> request, int[] expected) {}

  // Columns in Caller order:   anon no   view cur  main own  adm  othr exp  rev  read write
  static int[] readPrivate() { return s(401, 404, 200, 200, 200, 200, 200, 404, 401, 401, 200, 200); }
  static int[] anyone(int ok) { return s(ok, ok, ok, ok, ok, ok, ok, ok, 401, 401, ok, ok); }
  static int[] signedIn(int ok) { return s(401, ok, ok, ok, ok, ok, ok, ok, 401, 401, ok, ok); }
  static int[] write(int ok) { return s(401, 404, 403, 403, ok, ok, ok, 404, 401, 401, 403, ok); }
  static int[] curate(int ok) { return s(401, 404, 403, ok, ok, ok, ok, 404, 401, 401, 403, ok); }
  static int[] manage(int ok) { return s(401, 404, 403, 403, 403, ok, ok, 404, 401, 401, 403, 403); }
  static int[] admin(int ok) { return s(401, 403, 403, 403, 403, 403, ok, 403, 401, 401, 403, 403); }
  static int[] ownTokens(int ok) { return s(401, ok, ok, ok, ok, ok, ok, 403, 401, 401, 403, 403); }

  static int[] badge() { return s(404, 404, 200, 200, 200, 200, 200, 404, 404, 404, 200, 200); }

  private static int[] s(int... statuses) {
    return statuses;
  }

  @BeforeAll
  static void setUp() throws Exception {
    server = TestServer.start(data, Map.of("import.directories", importable.toString()));
    java.nio.file.Files.createDirectories(importable.resolve("channel/noarch"));
    people = new Personas(server);
    server.createChannel("priv", "private");
    server.createChannel("pub", "public");
    server.createChannel("members", "authenticated");
    for (String c : List.of("priv", "pub", "members")) {
      assertThat(server.upload(c, Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
    }
    Map<Caller, String> users = Map.of(Caller.NO_RIGHTS, "nobody", Caller.VIEWER, "viewer", Caller.CURATOR, "curator",
        Caller.MAINTAINER, "maintainer", Caller.OWNER, "owner", Caller.ADMIN, "root");
    users.forEach((caller, name) -> people.user(name, PASSWORD, caller == Caller.ADMIN));
    people.user("spare", PASSWORD, false);
    people.member("priv", "viewer", "viewer");
    people.member("priv", "curator", "curator");
    people.member("priv", "maintainer", "maintainer");
    people.member("priv", "owner", "owner");
    users.forEach((caller, name) -> sessions.put(caller, people.signIn(name, PASSWORD)));
    setPatches("linux-64");
    Personas.Session owner = sessions.get(Caller.OWNER);
    tokens.put(Caller.READ_TOKEN, people.token(owner, "read", "[\"priv\"]", "read").get("secret").asText());
    tokens.put(Caller.WRITE_TOKEN, people.token(owner, "write", "[\"priv\"]", "write").get("secret").asText());
    tokens.put(Caller.OTHER_CHANNEL_TOKEN, people.token(owner, "other", "[\"pub\"]", "write").get("secret").asText());
    JsonNode expired = people.token(owner, "expired", "[\"priv\"]", "write");
    tokens.put(Caller.EXPIRED_TOKEN, expired.get("secret").asText());
    try (Database db = Database.openSqlite(data.resolve("wharf.db"))) {
      db.jdbi().useHandle(h -> h.execute("UPDATE api_tokens SET expires_at = 1 WHERE id = ?",
          expired.get("id").asLong()));
    }
    adminJob = Jobs.awaitAccepted(server, server.send(server.admin("/api/cves/import?filename=CVE-2022-37434.json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(zlibCve())))).path("id").asLong();
    assertThat(server.send(server.admin("/api/mirrors").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"priv-mirror\",\"channel\":\"priv\",\"label\":"
            + "\"mirrored\",\"upstream\":\"" + server.url() + "/conda/pub\",\"mode\":\"passive\","
            + "\"subdirs\":[\"linux-64\"]}"))).statusCode()).isEqualTo(201);
    assertThat(server.send(server.admin("/api/policies").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"open\"}"))).statusCode()).isEqualTo(201);
    JsonNode revoked = people.token(owner, "revoked", "[\"priv\"]", "write");
    tokens.put(Caller.REVOKED_TOKEN, revoked.get("secret").asText());
    assertThat(server.send(owner.apply(server.request("/api/tokens/" + revoked.get("id").asLong())).DELETE())
        .statusCode()).isEqualTo(204);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpRequest.Builder as(Caller c, String path) {
    HttpRequest.Builder b = server.request(path);
    if (sessions.containsKey(c)) {
      return sessions.get(c).apply(b);
    }
    if (tokens.containsKey(c)) {
      return b.header("Authorization", "Bearer " + tokens.get(c));
    }
    return b;
  }

  /** A token in {@code ?token=} (badges take only read tokens there); sessions and no credentials as usual. */
  static HttpRequest.Builder queryToken(Caller c, String path) {
    if (tokens.containsKey(c)) {
      return server.request(path + "?token=" + tokens.get(c)).GET();
    }
    return as(c, path).GET();
  }

  static Row get(String template, String path, int[] expected) {
    return new Row("get", template, c -> as(c, path).GET(), expected);
  }

  static Row json(String method, String template, Function<Caller, String> path, Function<Caller, String> body,
      int[] expected) {
    return new Row(method, template, c -> as(c, path.apply(c)).header("Content-Type", "application/json")
        .method(method.toUpperCase(), HttpRequest.BodyPublishers.ofString(body.apply(c))), expected);
  }

  static HttpRequest.BodyPublisher zlib() {
    try {
      return HttpRequest.BodyPublishers.ofFile(Fixtures.realPackage(ZLIB));
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Patch instructions (empty ones) for a subdir of priv, set by the administrator. */
  static void setPatches(String subdir) {
    assertThat(server.send(server.admin("/api/channels/priv/patches/" + subdir)
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}"))).statusCode())
        .isEqualTo(200);
  }

  /** A fresh private channel with the same members as priv, for deleting. */
  static String doomed() {
    String name = "doomed-" + counter.incrementAndGet();
    server.createChannel(name, "private");
    people.member(name, "viewer", "viewer");
    people.member(name, "curator", "curator");
    people.member(name, "maintainer", "maintainer");
    people.member(name, "owner", "owner");
    return name;
  }

  static String freshUser() {
    String name = "user-" + counter.incrementAndGet();
    people.user(name, PASSWORD, false);
    return name;
  }

  /** A new passive mirror of the public channel into the private one, made by the administrator. */
  static String freshMirror() {
    String name = "pm-" + counter.incrementAndGet();
    assertThat(server.send(server.admin("/api/mirrors").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"channel\":\"priv\",\"label\":"
            + "\"mirrored\",\"upstream\":\"" + server.url() + "/conda/pub\",\"mode\":\"passive\","
            + "\"subdirs\":[\"linux-64\"]}"))).statusCode()).isEqualTo(201);
    return name;
  }

  static String freshPolicy() {
    String name = "fp-" + counter.incrementAndGet();
    assertThat(server.send(server.admin("/api/policies").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))).statusCode()).isEqualTo(201);
    return name;
  }

  static long ownersToken() {
    return people.token(sessions.get(Caller.OWNER), "target-" + counter.incrementAndGet(), "[]", "read")
        .get("id").asLong();
  }

  static String uploaded() {
    server.upload("priv", ZLIB, Fixtures.realPackage(ZLIB), "replace=true");
    return "/api/channels/priv/files/linux-64/" + ZLIB;
  }

  static byte[] zlibCve() {
    try {
      return java.nio.file.Files.readAllBytes(Fixtures.root().resolve("vuln/nvd/CVE-2022-37434.json"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static List<Row> rows() {
    String c = "/api/channels/{channel}";
    return List.of(
        // conda protocol
        get("conda repodata", "/conda/priv/linux-64/repodata.json", readPrivate()),
        get("conda current_repodata", "/conda/priv/linux-64/current_repodata.json", readPrivate()),
        get("conda shard index", "/conda/priv/linux-64/repodata_shards.msgpack.zst", readPrivate()),
        get("conda unknown shard", "/conda/priv/linux-64/shards/" + "0".repeat(64) + ".msgpack.zst",
            s(401, 404, 404, 404, 404, 404, 404, 404, 401, 401, 404, 404)),
        get("conda channeldata", "/conda/priv/channeldata.json", readPrivate()),
        get("conda package file", "/conda/priv/linux-64/" + ZLIB, readPrivate()),
        get("conda public", "/conda/pub/linux-64/repodata.json", anyone(200)),
        get("conda authenticated", "/conda/members/linux-64/repodata.json", signedIn(200)),
        // REST API
        get("/api/whoami", "/api/whoami", anyone(200)),
        get("/api/channels", "/api/channels", anyone(200)),
        json("post", "/api/channels", x -> "/api/channels",
            x -> "{\"name\":\"made-" + counter.incrementAndGet() + "\"}", admin(201)),
        get(c, "/api/channels/priv", readPrivate()),
        json("patch", c, x -> "/api/channels/priv", x -> "{\"privacy\":\"private\"}", manage(200)),
        new Row("delete", c, x -> as(x, "/api/channels/" + doomed()).DELETE(),
            s(401, 404, 403, 403, 403, 204, 204, 404, 401, 401, 404, 404)),
        get(c + "/packages", "/api/channels/priv/packages", readPrivate()),
        get(c + "/files", "/api/channels/priv/files", readPrivate()),
        new Row("put", c + "/files/{filename}",
            x -> as(x, "/api/channels/priv/files/" + ZLIB + "?replace=true").PUT(zlib()), write(201)),
        get(c + "/upload-check/{filename}", "/api/channels/priv/upload-check/" + ZLIB + "?size=10", write(204)),
        get(c + "/files/{subdir}/{filename}", "/api/channels/priv/files/linux-64/" + ZLIB, readPrivate()),
        get(c + "/files/{subdir}/{filename}/sbom", "/api/channels/priv/files/linux-64/" + ZLIB + "/sbom",
            readPrivate()),
        new Row("delete", c + "/files/{subdir}/{filename}", x -> as(x, uploaded()).DELETE(), write(204)),
        json("post", c + "/copy", x -> "/api/channels/priv/copy",
            x -> "{\"to\":\"priv/label/copies\",\"items\":[\"zlib\"],\"onCollision\":\"replace\"}", write(200)),
        json("post", c + "/move", x -> "/api/channels/priv/move",
            x -> "{\"to\":\"priv/label/moved\",\"items\":[\"zlib\"],\"dryRun\":true}", write(200)),
        json("post", c + "/remove", x -> "/api/channels/priv/remove",
            x -> "{\"items\":[\"zlib\"],\"dryRun\":true}", write(200)),
        get(c + "/history", "/api/channels/priv/history", readPrivate()),
        new Row("post", c + "/import", x -> as(x, "/api/channels/priv/import")
            .header("Content-Type", "application/x-tar").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1024])),
            write(200)),
        json("post", c + "/import/directory", x -> "/api/channels/priv/import/directory",
            x -> "{\"directory\":\"" + importable.resolve("channel") + "\"}",
            s(401, 404, 403, 403, 403, 403, 200, 404, 401, 401, 403, 403)),
        json("post", c + "/files/lookup", x -> "/api/channels/priv/files/lookup", x -> "{\"files\":[]}",
            readPrivate()),
        get("/api/search", "/api/search?q=zlib", anyone(200)),
        get(c + "/search", "/api/channels/priv/search?q=zlib", readPrivate()),
        get(c + "/packages/{name}", "/api/channels/priv/packages/zlib", readPrivate()),
        get(c + "/packages/{name}/dependencies", "/api/channels/priv/packages/zlib/dependencies", readPrivate()),
        get(c + "/packages/{name}/dependants", "/api/channels/priv/packages/zlib/dependants", readPrivate()),
        get(c + "/packages/{name}/downloads", "/api/channels/priv/packages/zlib/downloads", readPrivate()),
        get("/api/licenses", "/api/licenses", anyone(200)),
        new Row("post", "/api/cves/import", x -> as(x, "/api/cves/import?filename=CVE-2022-37434.json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(zlibCve())), admin(202)),
        get("/api/cves", "/api/cves", anyone(200)),
        get("/api/cves", "/api/cves?channel=priv&file=linux-64/" + ZLIB, readPrivate()),
        new Row("post", "/api/admin/check", x -> as(x, "/api/admin/check").POST(HttpRequest.BodyPublishers.noBody()),
            admin(200)),
        get("/api/cves/{id}", "/api/cves/CVE-2022-37434", anyone(200)),
        json("post", "/api/cves/{id}/status", x -> "/api/cves/CVE-2022-37434/status",
            x -> "{\"channel\":\"priv\",\"package\":\"zlib\",\"status\":\"active\"}", curate(200)),
        get(c + "/files/{subdir}/{filename}/cves", "/api/channels/priv/files/linux-64/" + ZLIB + "/cves",
            readPrivate()),
        get("/api/jobs", "/api/jobs", signedIn(200)),
        // a job the bootstrap administrator queued: other callers may not even learn that it exists
        get("/api/jobs/{id}", "/api/jobs/" + adminJob, s(401, 404, 404, 404, 404, 404, 200, 404, 401, 401, 404, 404)),
        get("/api/mirrors", "/api/mirrors", signedIn(200)),
        json("post", "/api/mirrors", x -> "/api/mirrors", x -> "{\"name\":\"m-" + counter.incrementAndGet()
            + "\",\"channel\":\"priv\",\"upstream\":\"https://example.org/conda/x\",\"mode\":\"active\"}",
            manage(201)),
        get("/api/mirrors/{name}", "/api/mirrors/priv-mirror", manage(200)),
        // a fresh mirror each time: a second run while one is queued or running answers 409
        new Row("post", "/api/mirrors/{name}/run", x -> as(x, "/api/mirrors/" + freshMirror() + "/run")
            .POST(HttpRequest.BodyPublishers.noBody()), manage(202)),
        json("patch", "/api/mirrors/{name}", x -> "/api/mirrors/priv-mirror", x -> "{\"remove_deleted\":false}",
            manage(200)),
        new Row("delete", "/api/mirrors/{name}", x -> as(x, "/api/mirrors/" + freshMirror()).DELETE(), manage(204)),
        get("/api/mirrors/{name}/runs", "/api/mirrors/priv-mirror/runs", manage(200)),
        json("put", "/api/mirrors/{name}/policy", x -> "/api/mirrors/priv-mirror/policy",
            x -> "{\"policy\":\"open\"}", manage(200)),
        get("/api/mirrors/{name}/dry-run", "/api/mirrors/priv-mirror/dry-run", manage(200)),
        get("/api/policies", "/api/policies", admin(200)),
        json("post", "/api/policies", x -> "/api/policies",
            x -> "{\"name\":\"p-" + counter.incrementAndGet() + "\",\"filters\":{\"subdirs\":[\"noarch\"]}}",
            admin(201)),
        get("/api/policies/{name}", "/api/policies/open", admin(200)),
        json("put", "/api/policies/{name}", x -> "/api/policies/open", x -> "{\"filters\":{}}", admin(200)),
        // a fresh policy each time, followed by no mirror (one a mirror follows answers 409)
        new Row("delete", "/api/policies/{name}", x -> as(x, "/api/policies/" + freshPolicy()).DELETE(),
            admin(204)),
        get("/api/users", "/api/users", admin(200)),
        json("post", "/api/users", x -> "/api/users",
            x -> "{\"name\":\"new-" + counter.incrementAndGet() + "\",\"password\":\"" + PASSWORD + "\"}", admin(201)),
        json("patch", "/api/users/{user}", x -> "/api/users/" + freshUser(), x -> "{\"disabled\":true}", admin(200)),
        get("/api/tokens", "/api/tokens", ownTokens(200)),
        json("post", "/api/tokens", x -> "/api/tokens", x -> "{\"name\":\"t\",\"channels\":[\"pub\"]}", ownTokens(201)),
        new Row("delete", "/api/tokens/{id}", x -> as(x, "/api/tokens/" + ownersToken()).DELETE(),
            s(401, 404, 404, 404, 404, 204, 204, 403, 401, 401, 403, 403)),
        get(c + "/patches", "/api/channels/priv/patches", readPrivate()),
        get(c + "/patches/{subdir}", "/api/channels/priv/patches/linux-64", readPrivate()),
        json("put", c + "/patches/{subdir}", x -> "/api/channels/priv/patches/linux-64",
            x -> "{\"patch_instructions_version\":1}", write(200)),
        new Row("delete", c + "/patches/{subdir}", x -> {
          setPatches("osx-64");
          return as(x, "/api/channels/priv/patches/osx-64").DELETE();
        }, write(200)),
        get(c + "/members", "/api/channels/priv/members", manage(200)),
        json("put", c + "/members/{user}", x -> "/api/channels/priv/members/spare", x -> "{\"role\":\"viewer\"}",
            manage(200)),
        new Row("delete", c + "/members/{user}", x -> {
          people.member("priv", "spare", "viewer");
          return as(x, "/api/channels/priv/members/spare").DELETE();
        }, manage(204)),
        // pages and documentation
        get("home page", "/", anyone(200)),
        get("search page", "/search?q=zlib", anyone(200)),
        get("channel page", "/channels/priv", readPrivate()),
        get("package page", "/channels/priv/packages/zlib", readPrivate()),
        get("package CVEs tab", "/channels/priv/packages/zlib?tab=cves", readPrivate()),
        get("package CVEs tab, one file", "/channels/priv/packages/zlib?tab=cves&file=linux-64/" + ZLIB,
            readPrivate()),
        get("CVE list page", "/cves", anyone(200)),
        get("CVE page", "/cves/CVE-2022-37434", anyone(200)),
        new Row("post", "CVE curation form", x -> as(x, "/cves/CVE-2022-37434/status")
            .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
                "channel=priv&subdir=linux-64&filename=" + ZLIB + "&status=Mitigated&note=form")), curate(303)),
        get("package Badges tab", "/channels/priv/packages/zlib?tab=badges", readPrivate()),
        // badges answer a hidden package as a missing one, 404 (never 401: an <img> cannot ask for a token)
        get("/badges/{channel}/{package}/{badge}", "/badges/priv/zlib/version.svg", badge()),
        get("/badges/{channel}/label/{label}/{package}/{badge}", "/badges/priv/label/main/zlib/license.svg", badge()),
        new Row("get", "/badges/{channel}/{package}/{badge}", x -> queryToken(x, "/badges/priv/zlib/platforms.svg"),
            s(404, 404, 200, 200, 200, 200, 200, 404, 404, 404, 200, 404)),
        get("channel settings page", "/channels/priv/settings", manage(200)),
        get("channel history page", "/channels/priv/history", readPrivate()),
        get("tokens page", "/tokens", ownTokens(200)),
        get("mirrors page", "/mirrors", signedIn(200)),
        get("policies page", "/policies", admin(200)),
        new Row("post", "policy form", x -> as(x, "/policies").header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("name=form-" + counter.incrementAndGet() + "&include=zlib")),
            admin(303)),
        get("policy edit page", "/policies/open/edit", admin(200)),
        new Row("post", "policy edit form", x -> as(x, "/policies/open/edit")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("description=edited&include=zlib")), admin(303)),
        new Row("post", "policy delete form", x -> as(x, "/policies/" + freshPolicy() + "/delete")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("")), admin(303)),
        get("users page", "/admin/users", admin(200)),
        get("jobs page", "/jobs", admin(200)),
        get("job page", "/jobs/" + adminJob, admin(200)),
        get("sign-in page", "/signin", s(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
        get("swagger ui", "/swagger/ui", s(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
        get("openapi", "/api/openapi.json", s(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)));
  }

  @Test
  void everyRouteAnswersEveryCallerWithExactlyTheExpectedStatus() {
    List<String> wrong = new ArrayList<>();
    for (Row row : rows()) {
      for (Caller caller : Caller.values()) {
        HttpResponse<byte[]> r = server.send(row.request().apply(caller));
        int want = row.expected()[caller.ordinal()];
        if (r.statusCode() != want) {
          wrong.add(row.method() + " " + row.template() + " as " + caller + ": " + r.statusCode() + " (expected "
              + want + ") " + new String(r.body(), StandardCharsets.UTF_8).lines().findFirst().orElse(""));
        }
        if (r.statusCode() == 401 && !r.headers().firstValue("WWW-Authenticate").isPresent()) {
          wrong.add(row.method() + " " + row.template() + " as " + caller + ": 401 without WWW-Authenticate");
        }
      }
      uploaded(); // the file a delete row removed is back for the next row
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void everyRegisteredApiRouteIsInTheMatrix() {
    Set<String> covered = rows().stream().map(r -> r.method() + " " + r.template()).collect(Collectors.toSet());
    Set<String> missing = new TreeSet<>();
    for (RouteTable.Route route : server.app().web().routeTable().routes()) {
      if (!covered.contains(route.method() + " " + route.path())) {
        missing.add(route.method() + " " + route.path());
      }
    }
    assertThat(missing).as("API routes without a row in the permission matrix").isEmpty();
  }

  @Test
  void aChannelNobodyMayReadAnswersByteForByteLikeAMissingOneOnEveryRoute() {
    List<String> paths = List.of("/conda/%s/linux-64/repodata.json", "/conda/%s/channeldata.json",
        "/conda/%s/linux-64/" + ZLIB, "/api/channels/%s", "/api/channels/%s/files", "/api/channels/%s/packages/zlib",
        "/api/channels/%s/search?q=zlib", "/api/channels/%s/members", "/channels/%s");
    for (Caller caller : List.of(Caller.ANONYMOUS, Caller.NO_RIGHTS, Caller.OTHER_CHANNEL_TOKEN)) {
      for (String p : paths) {
        HttpResponse<byte[]> hidden = server.send(as(caller, p.formatted("priv")).GET());
        HttpResponse<byte[]> missing = server.send(as(caller, p.formatted("no-such-channel")).GET());
        assertThat(hidden.statusCode()).as(caller + " " + p).isEqualTo(missing.statusCode())
            .isEqualTo(caller == Caller.ANONYMOUS ? 401 : 404);
        assertThat(hidden.body()).as(caller + " " + p).isEqualTo(missing.body());
      }
      for (String p : List.of("/badges/%s/zlib/version.svg", "/badges/%s/label/main/zlib/version.svg")) {
        HttpResponse<byte[]> hidden = server.send(queryToken(caller, p.formatted("priv")));
        HttpResponse<byte[]> missing = server.send(queryToken(caller, p.formatted("no-such-channel")));
        assertThat(hidden.statusCode()).as(caller + " " + p).isEqualTo(missing.statusCode()).isEqualTo(404);
        assertThat(hidden.body()).as(caller + " " + p).isEqualTo(missing.body());
      }
      HttpResponse<byte[]> upload = server.send(as(caller, "/api/channels/priv/files/" + ZLIB).PUT(zlib()));
      HttpResponse<byte[]> uploadMissing = server.send(as(caller, "/api/channels/nope/files/" + ZLIB).PUT(zlib()));
      assertThat(upload.statusCode()).isEqualTo(uploadMissing.statusCode());
      assertThat(upload.body()).isEqualTo(uploadMissing.body());
    }
  }

  @Test
  void searchListsAndCountsShowOnlyWhatEachCallerMayRead() {
    Map<Caller, Set<String>> readable = new EnumMap<>(Caller.class);
    for (Caller c : Caller.values()) {
      boolean priv = Set.of(Caller.VIEWER, Caller.CURATOR, Caller.MAINTAINER, Caller.OWNER, Caller.ADMIN, Caller.READ_TOKEN,
          Caller.WRITE_TOKEN).contains(c);
      boolean signedIn = c != Caller.ANONYMOUS;
      Set<String> set = new TreeSet<>(List.of("pub"));
      if (signedIn) {
        set.add("members");
      }
      if (priv) {
        set.add("priv");
      }
      readable.put(c, set);
    }
    for (Caller c : Caller.values()) {
      if (c == Caller.EXPIRED_TOKEN || c == Caller.REVOKED_TOKEN) {
        continue;
      }
      Set<String> want = readable.get(c);
      JsonNode search = TestServer.json(server.send(as(c, "/api/search?q=zlib").GET()));
      Set<String> found = new TreeSet<>();
      search.get("results").forEach(r -> found.add(r.get("channel").asText()));
      assertThat(found).as("search as " + c).isEqualTo(want);
      assertThat(search.get("total").asLong()).as("search total as " + c).isEqualTo(want.size());

      Set<String> listed = new TreeSet<>();
      TestServer.json(server.send(as(c, "/api/channels").GET())).forEach(x -> listed.add(x.get("name").asText()));
      assertThat(listed.stream().filter(n -> Set.of("pub", "members", "priv").contains(n)).toList())
          .as("channel list as " + c).containsExactlyElementsOf(want);
      if (!want.contains("priv")) {
        assertThat(listed).as("no private channel listed for " + c).noneMatch(n -> n.startsWith("doomed-"));
      }

      long licensed = 0;
      for (JsonNode f : TestServer.json(server.send(as(c, "/api/licenses").GET()))) {
        licensed += f.get("package_count").asLong();
      }
      assertThat(licensed).as("license counts as " + c).isEqualTo(want.size());

      String home = new String(server.send(as(c, "/").GET()).body(), StandardCharsets.UTF_8);
      assertThat(home.contains("/channels/priv\"")).as("home page as " + c).isEqualTo(want.contains("priv"));
      JsonNode dependants = TestServer.json(server.send(as(c, "/api/channels/pub/packages/zlib/dependants").GET()));
      assertThat(dependants.toString()).as("dependants as " + c).doesNotContain("\"priv\"");
    }
  }

  @Test
  void aTokenWorksInThePathAndAsBasicPasswordAndARequestSignedByCookieNeedsItsCsrfToken() {
    String read = tokens.get(Caller.READ_TOKEN);
    assertThat(server.get("/t/" + read + "/conda/priv/linux-64/repodata.json").statusCode()).isEqualTo(200);
    String basic = java.util.Base64.getEncoder().encodeToString(("x:" + read).getBytes(StandardCharsets.UTF_8));
    assertThat(server.send(server.request("/conda/priv/linux-64/repodata.json").header("Authorization",
        "Basic " + basic)).statusCode()).isEqualTo(200);
    assertThat(server.get("/t/" + tokens.get(Caller.REVOKED_TOKEN) + "/conda/pub/linux-64/repodata.json")
        .statusCode()).isEqualTo(401);

    Personas.Session owner = sessions.get(Caller.OWNER);
    HttpResponse<byte[]> noCsrf = server.send(server.request("/api/channels/priv").header("Cookie",
        "wharf_session=" + owner.cookie()).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"privacy\":\"private\"}")));
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    assertThat(TestServer.json(noCsrf).get("error").asText()).isEqualTo("csrf_failed");
  }

  @Test
  void disablingAUserStopsItsSessionsAndTokensAtOnce() {
    people.user("leaver", PASSWORD, false);
    people.member("priv", "leaver", "viewer");
    Personas.Session s = people.signIn("leaver", PASSWORD);
    String token = people.token(s, "mine", "[\"priv\"]", "read").get("secret").asText();
    assertThat(server.send(server.request("/conda/priv/channeldata.json").header("Authorization", "Bearer " + token))
        .statusCode()).isEqualTo(200);
    assertThat(server.send(server.admin("/api/users/leaver").header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"disabled\":true}"))).statusCode()).isEqualTo(200);
    assertThat(server.send(server.request("/conda/priv/channeldata.json").header("Authorization", "Bearer " + token))
        .statusCode()).isEqualTo(401);
    JsonNode me = TestServer.json(server.send(s.apply(server.request("/api/whoami"))));
    assertThat(me.get("authenticated").asBoolean()).isFalse();
    assertThat(people.trySignIn("leaver", PASSWORD)).isEmpty();
  }

  @Test
  void repeatedFailedSignInsAreRefusedFor429WithRetryAfter() {
    people.user("guessed", PASSWORD, false);
    HttpResponse<byte[]> last = null;
    for (int i = 0; i < 8; i++) {
      HttpResponse<byte[]> form = server.get("/signin");
      String csrf = Personas.cookie(form, "wharf_signin").orElseThrow();
      last = server.send(server.request("/signin").header("Content-Type", "application/x-www-form-urlencoded")
          .header("Cookie", "wharf_signin=" + csrf)
          .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf + "&username=guessed&password=wrong-" + i)));
      if (last.statusCode() == 429) {
        break;
      }
      assertThat(last.statusCode()).isEqualTo(401);
    }
    assertThat(last.statusCode()).isEqualTo(429);
    assertThat(last.headers().firstValue("Retry-After")).isPresent();
  }
}
