package io.wharf.server.mirror.policy;

import io.wharf.server.error.WharfException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Mirror policies: created with their filters, listed, shown, changed, deleted while unused, and attached to mirrors. */
public final class PolicyService {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private final JdbcPolicies rows;
  private final Clock clock;

  public PolicyService(JdbcPolicies rows, Clock clock) {
    this.rows = rows;
    this.clock = clock;
  }

  public Policy create(String name, String description, PolicyFilters filters) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw WharfException.invalid("invalid_name", "a policy name is 1-64 letters, digits, '.', '_' or '-',"
          + " starting with a letter or digit");
    }
    return rows.create(name, description, filters == null ? PolicyFilters.NONE : filters, clock.millis());
  }

  /**
   * Replaces the policy's description and filters (checked as on create by {@link PolicyFilters#fromJson});
   * each mirror following it judges every upstream file again on its next run.
   */
  public Policy update(String name, String description, PolicyFilters filters) {
    return rows.update(name, description, filters == null ? PolicyFilters.NONE : filters, clock.millis())
        .orElseThrow(() -> notFound(name));
  }

  /** Deletes the policy; refused while a mirror follows it (the mirror's owner detaches it first). */
  public void delete(String name) {
    List<String> users = rows.deleteUnused(require(name).id());
    if (!users.isEmpty()) {
      throw new WharfException(WharfException.Kind.CONFLICT, "policy_in_use", "policy " + name
          + " is followed by mirror(s) " + String.join(", ", users) + "; detach it from them first"
          + " (wharf mirror set NAME --no-policy)", Map.of("mirrors", users));
    }
  }

  /** The names of the mirrors that follow the named policy, by name; 404 for an unknown policy. */
  public List<String> followers(String name) {
    return rows.followers(require(name).id());
  }

  public List<Policy> list() {
    return rows.all();
  }

  public Policy require(String name) {
    return rows.byName(name).orElseThrow(() -> notFound(name));
  }

  private static WharfException notFound(String name) {
    return WharfException.notFound("policy_not_found", "no policy named " + name);
  }

  /** Makes the mirror follow the named policy; {@code removeExcluded}: a run removes files it newly excludes. */
  public void attach(long mirrorId, String policyName, boolean removeExcluded) {
    rows.attach(mirrorId, require(policyName).id(), removeExcluded);
  }

  public void detach(long mirrorId) {
    rows.detach(mirrorId);
  }

  public Optional<JdbcPolicies.Attached> ofMirror(long mirrorId) {
    return rows.ofMirror(mirrorId);
  }

  public Clock clock() {
    return clock;
  }
}
