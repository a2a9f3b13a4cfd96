package io.wharf.conda.repodata;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The payload conda-content-trust signs and verifies for each repodata record (CONDA.md §6,
 * {@code conda_content_trust/common.py canonserialize}): Python's
 * {@code json.dumps(obj, indent=2, sort_keys=True)} with its default {@code ensure_ascii=True},
 * no trailing newline. Signers and verifiers hash the UTF-8 bytes of this string.
 */
public final class CanonicalJson {

  private CanonicalJson() {}

  public static String serialize(JsonNode node) {
    return JsonText.indented(node, true);
  }
}
