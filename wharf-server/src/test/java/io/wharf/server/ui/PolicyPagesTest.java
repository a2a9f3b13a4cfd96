package io.wharf.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.testing.Personas;
import io.wharf.server.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy edit page over HTTP, as a browser uses it: the form the page serves is read back field by field
 * (what a browser would submit) and posted with the session cookie and the form's CSRF field.
 */
class PolicyPagesTest {
  /** Every filter set, and text that must come back escaped. */
  private static final String FULL = "{\"name\":\"%s\",\"description\":\"zlib <b>only</b> & \\\"friends\\\"\","
      + "\"filters\":{\"subdirs\":[\"linux-64\",\"noarch\"],\"include\":[\"zlib >=1.2,<2\",\"openssl\"],"
      + "\"exclude\":[\"python 2.*\"],\"license_in\":[\"MIT\",\"BSD\"],\"license_not_in\":[\"GPL3\"],"
      + "\"cve_score_min\":1.5,\"cve_score_max\":9.0,\"cve_status_in\":[\"Active\"],"
      + "\"cve_status_not_in\":[\"Disputed\",\"Reported\"],\"newer_than_days\":30,\"older_than_days\":2,"
      + "\"signed_only\":true,\"drop_tar_bz2\":true,\"include_dependencies\":true}}";
  private static final Pattern FORM = Pattern.compile("<form\\b[^>]*id=\"policy-edit-form\"[^>]*>(.*?)</form>",
      Pattern.DOTALL);
  /** A tag's attributes: attribute values may hold '>' (escaping leaves it, as HTML allows). */
  private static final String ATTRIBUTES = "((?:[^>\"]|\"[^\"]*\")*)";
  private static final Pattern FIELD = Pattern.compile("<input\\b" + ATTRIBUTES + ">|<textarea\\b" + ATTRIBUTES
      + ">(.*?)</textarea>", Pattern.DOTALL);
  private static final Pattern ATTRIBUTE = Pattern.compile("([a-z-]+)(?:=\"([^\"]*)\")?");

  @TempDir static Path data;
  static TestServer server;
  static Personas.Session ada;
  static Personas.Session bob;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
    Personas people = new Personas(server);
    people.user("ada", "ada's long password", true);
    people.user("bob", "bob's long password", false);
    ada = people.signIn("ada", "ada's long password");
    bob = people.signIn("bob", "bob's long password");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theEditFormHoldsEveryCurrentFilterAndSavingItUnchangedChangesNothing() {
    createPolicy("whole");
    JsonNode before = policy("whole");
    String html = page(ada, "/policies/whole/edit", 200);
    assertThat(page(ada, "/policies", 200)).contains("id=\"edit-policy-whole\"", "href=\"/policies/whole/edit\"");

    List<Map.Entry<String, String>> form = form(html);
    assertThat(values(form, "description")).containsExactly("zlib <b>only</b> & \"friends\"");
    assertThat(values(form, "subdirs")).containsExactly("linux-64, noarch");
    assertThat(values(form, "include")).containsExactly("zlib >=1.2,<2\nopenssl");
    assertThat(values(form, "exclude")).containsExactly("python 2.*");
    assertThat(values(form, "license_in")).containsExactlyInAnyOrder("MIT", "BSD");
    assertThat(values(form, "license_not_in")).containsExactly("GPL3");
    assertThat(values(form, "cve_score_min")).containsExactly("1.5");
    assertThat(values(form, "cve_score_max")).containsExactly("9");
    assertThat(values(form, "cve_status_in")).containsExactly("Active");
    assertThat(values(form, "cve_status_not_in")).containsExactlyInAnyOrder("Disputed", "Reported");
    assertThat(values(form, "newer_than_days")).containsExactly("30");
    assertThat(values(form, "older_than_days")).containsExactly("2");
    for (String flag : List.of("signed_only", "drop_tar_bz2", "include_dependencies")) {
      assertThat(values(form, flag)).as(flag).containsExactly("true");
    }
    assertThat(values(form, "name")).as("a policy is not renamed").isEmpty();
    assertThat(html).doesNotContain("<b>only").contains("value=\"zlib &lt;b>only&lt;/b> &amp; &#34;friends&#34;\"");

    assertThat(post(ada, "/policies/whole/edit", form).statusCode()).isEqualTo(303);
    JsonNode after = policy("whole");
    assertThat(sets(after.path("filters"))).isEqualTo(sets(before.path("filters")));
    assertThat(after.path("description")).isEqualTo(before.path("description"));
  }

  @Test
  void anAdministratorChangesTwoFiltersAndTheApiShowsThem() {
    createPolicy("tuned");
    List<Map.Entry<String, String>> form = form(page(ada, "/policies/tuned/edit", 200));
    form = with(form, "cve_score_max", "7.5");
    form = with(form, "drop_tar_bz2");

    HttpResponse<byte[]> saved = post(ada, "/policies/tuned/edit", form);
    assertThat(saved.statusCode()).isEqualTo(303);
    assertThat(saved.headers().firstValue("Location")).hasValue("/policies");

    JsonNode filters = policy("tuned").path("filters");
    assertThat(filters.path("cve_score_max").asDouble()).isEqualTo(7.5);
    assertThat(filters.has("drop_tar_bz2")).isFalse();
    assertThat(filters.path("include").toString()).isEqualTo("[\"zlib >=1.2,<2\",\"openssl\"]");
    assertThat(filters.path("cve_score_min").asDouble()).isEqualTo(1.5);
    assertThat(filters.path("signed_only").asBoolean()).isTrue();
    assertThat(values(form(page(ada, "/policies/tuned/edit", 200)), "cve_score_max")).containsExactly("7.5");
  }

  @Test
  void invalidInputShowsTheFormAgainAsTypedWithTheReasonAndChangesNothing() {
    createPolicy("steady");
    JsonNode before = policy("steady");
    List<Map.Entry<String, String>> form = form(page(ada, "/policies/steady/edit", 200));
    form = with(form, "subdirs", "linux-99");
    form = with(form, "description", "typed <i>here</i>");

    HttpResponse<byte[]> refused = post(ada, "/policies/steady/edit", form);
    assertThat(refused.statusCode()).isEqualTo(400);
    String html = body(refused);
    assertThat(html).contains("id=\"policy-error\"", "linux-99 is not a known conda subdir");
    List<Map.Entry<String, String>> shown = form(html);
    assertThat(values(shown, "subdirs")).containsExactly("linux-99");
    assertThat(values(shown, "description")).containsExactly("typed <i>here</i>");
    assertThat(values(shown, "license_in")).containsExactlyInAnyOrder("MIT", "BSD");
    assertThat(html).doesNotContain("<i>here");

    HttpResponse<byte[]> notANumber = post(ada, "/policies/steady/edit", with(form(page(ada,
        "/policies/steady/edit", 200)), "cve_score_min", "high"));
    assertThat(notANumber.statusCode()).isEqualTo(400);
    assertThat(body(notANumber)).contains("'cve_score_min' is a number, not high");

    JsonNode after = policy("steady");
    assertThat(after.path("filters")).isEqualTo(before.path("filters"));
    assertThat(after.path("description")).isEqualTo(before.path("description"));
    assertThat(after.path("updated_at")).isEqualTo(before.path("updated_at"));
  }

  @Test
  void onlyAdministratorsSeeOrSubmitTheEditForm() {
    createPolicy("guarded");
    JsonNode before = policy("guarded");
    List<Map.Entry<String, String>> form = with(form(page(ada, "/policies/guarded/edit", 200)),
        "cve_score_max", "3");

    assertThat(page(bob, "/policies/guarded/edit", 403)).contains("administrator").doesNotContain("policy-edit-form");
    assertThat(post(bob, "/policies/guarded/edit", with(form, "csrf", bob.csrf())).statusCode()).isEqualTo(403);
    HttpResponse<byte[]> anonymous = server.send(server.request("/policies/guarded/edit")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(encode(form))));
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(server.send(server.request("/policies/guarded/edit").GET()).statusCode()).isEqualTo(401);
    // the administrator's own cookie without the form's CSRF field, as a forged cross-site form would send it
    HttpResponse<byte[]> forged = post(ada, "/policies/guarded/edit", with(form, "csrf"));
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(body(forged)).contains("CSRF token");

    assertThat(policy("guarded").path("filters")).isEqualTo(before.path("filters"));
  }

  @Test
  void theEditPageAndTheApiNameTheMirrorsThatFollowThePolicy() {
    createPolicy("followed");
    assertThat(page(ada, "/policies/followed/edit", 200)).contains("No mirror follows this policy.");
    assertThat(policy("followed").path("mirrors").size()).isZero();

    for (String mirror : List.of("zeta-mirror", "alpha-mirror")) {
      assertThat(server.createChannel(mirror, "public").statusCode()).isEqualTo(201);
      HttpResponse<byte[]> r = server.send(server.admin("/api/mirrors").header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + mirror + "\",\"upstream\":"
              + "\"https://conda.example.org/upstream\",\"channel\":\"" + mirror + "\",\"mode\":\"passive\","
              + "\"policy\":\"followed\"}")));
      assertThat(r.statusCode()).as(body(r)).isEqualTo(201);
    }

    assertThat(page(ada, "/policies/followed/edit", 200))
        .contains("Followed by mirrors <a class=\"policy-follower\" href=\"/mirrors#mirror-alpha-mirror\">"
            + "alpha-mirror</a>, <a class=\"policy-follower\" href=\"/mirrors#mirror-zeta-mirror\">zeta-mirror</a>.")
        .doesNotContain("No mirror follows");
    assertThat(policy("followed").path("mirrors").toString()).isEqualTo("[\"alpha-mirror\",\"zeta-mirror\"]");
    assertThat(page(ada, "/mirrors", 200)).contains("id=\"mirror-alpha-mirror\"", "id=\"mirror-zeta-mirror\"");
  }

  @Test
  void anUnknownPolicyIsANotFoundPage() {
    String html = page(ada, "/policies/no-such-policy/edit", 404);
    assertThat(html).contains("no policy named no-such-policy").doesNotContain("policy-edit-form");
    List<Map.Entry<String, String>> form = List.of(Map.entry("csrf", ada.csrf()), Map.entry("subdirs", "noarch"));
    assertThat(post(ada, "/policies/no-such-policy/edit", form).statusCode()).isEqualTo(404);
    assertThat(server.send(server.admin("/api/policies/no-such-policy")).statusCode()).isEqualTo(404);
  }

  /**
   * The filters with the family and status lists sorted: those are sets, and the form's checkboxes give them
   * back in the page's order rather than the order they were first given in.
   */
  private static JsonNode sets(JsonNode filters) {
    ObjectNode out = filters.deepCopy();
    for (String field : List.of("license_in", "license_not_in", "cve_status_in", "cve_status_not_in")) {
      if (out.has(field)) {
        List<String> sorted = new ArrayList<>();
        out.get(field).forEach(v -> sorted.add(v.asText()));
        Collections.sort(sorted);
        sorted.forEach(out.putArray(field)::add);
      }
    }
    return out;
  }

  private static void createPolicy(String name) {
    HttpResponse<byte[]> r = server.send(server.admin("/api/policies").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(FULL.formatted(name))));
    assertThat(r.statusCode()).as(body(r)).isEqualTo(201);
  }

  private static JsonNode policy(String name) {
    HttpResponse<byte[]> r = server.send(server.admin("/api/policies/" + name));
    assertThat(r.statusCode()).isEqualTo(200);
    return TestServer.json(r);
  }

  private static String page(Personas.Session who, String path, int status) {
    HttpResponse<byte[]> r = server.send(server.request(path).header("Cookie", "wharf_session=" + who.cookie())
        .header("Accept", "text/html").GET());
    assertThat(r.statusCode()).as(path).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    return body(r);
  }

  /** A form submission as a browser sends it: the session cookie, and the CSRF token only if the form has it. */
  private static HttpResponse<byte[]> post(Personas.Session who, String path, List<Map.Entry<String, String>> form) {
    return server.send(server.request(path).header("Cookie", "wharf_session=" + who.cookie())
        .header("Accept", "text/html").header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(encode(form))));
  }

  /** The fields the edit form would submit as served: inputs with their values, checked boxes, textareas. */
  private static List<Map.Entry<String, String>> form(String html) {
    Matcher f = FORM.matcher(html);
    assertThat(f.find()).as("the page has the edit form").isTrue();
    List<Map.Entry<String, String>> fields = new ArrayList<>();
    Matcher m = FIELD.matcher(f.group(1));
    while (m.find()) {
      Map<String, String> attributes = attributes(m.group(1) != null ? m.group(1) : m.group(2));
      String name = attributes.get("name");
      if (name == null || "checkbox".equals(attributes.get("type")) && !attributes.containsKey("checked")) {
        continue;
      }
      String value = m.group(1) != null ? attributes.getOrDefault("value", "") : unescape(m.group(3));
      fields.add(Map.entry(name, value));
    }
    return fields;
  }

  private static Map<String, String> attributes(String text) {
    Map<String, String> out = new HashMap<>();
    Matcher a = ATTRIBUTE.matcher(text);
    while (a.find()) {
      out.put(a.group(1), a.group(2) == null ? "" : unescape(a.group(2)));
    }
    return out;
  }

  private static String unescape(String s) {
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", "\"").replace("&#39;", "'")
        .replace("&amp;", "&");
  }

  private static List<String> values(List<Map.Entry<String, String>> form, String name) {
    return form.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).toList();
  }

  /** The form with {@code name} set to {@code value}, or left out (an unchecked box) when no value is given. */
  private static List<Map.Entry<String, String>> with(List<Map.Entry<String, String>> form, String name,
      String... value) {
    List<Map.Entry<String, String>> out = new ArrayList<>(form.stream().filter(e -> !e.getKey().equals(name))
        .toList());
    for (String v : value) {
      out.add(Map.entry(name, v));
    }
    return out;
  }

  private static String encode(List<Map.Entry<String, String>> form) {
    return form.stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
  }

  private static String body(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
