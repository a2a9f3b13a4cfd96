package io.wharf.server.ui;

import java.util.List;

/**
 * The mirror policies page (administrators): each policy with its filters as sentences, and the form that
 * creates one, holding what was typed when the service refused it ({@code error}).
 */
public record PoliciesPage(List<PolicyRow> policies, Form form, String error) {
  /** One policy; {@code filters}: one "name: values" line per filter that is set. */
  public record PolicyRow(String name, String description, List<String> filters, String created) {}

  /**
   * The form's fields as typed. Lists of names or MatchSpecs are one per line; families and statuses are
   * checkboxes ({@link Pages.Option#selected} checked).
   */
  public record Form(String name, String description, String subdirs, String include, String exclude,
      List<Pages.Option> licenseIn, List<Pages.Option> licenseNotIn, String cveScoreMin, String cveScoreMax,
      List<Pages.Option> cveStatusIn, List<Pages.Option> cveStatusNotIn, String newerThanDays,
      String olderThanDays, boolean signedOnly, boolean dropTarBz2, boolean includeDependencies) {}
}
