package io.wharf.server.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.error.WharfException;
import io.wharf.server.mirror.policy.Decision;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run of a mirror would take in under its policy: every upstream listing read in full (no
 * validators), every record judged, nothing written. A mirror without a policy admits everything.
 */
final class MirrorDryRun {
  /** The verdicts, subdir by subdir, {@code packages} then {@code packages.conda}, as upstream lists them. */
  record Result(String policy, List<Decision> decisions) {}

  private MirrorDryRun() {}

  static Result of(Upstream upstream, List<String> subdirs, PolicyGate gate) {
    List<Decision> out = new ArrayList<>();
    if (gate != null) {
      gate.prepare(upstream, subdirs);
    }
    for (String subdir : subdirs) {
      Upstream.Repodata rd = upstream.repodata(subdir, JdbcMirrors.Validators.NONE);
      if (rd.absent()) {
        continue;
      }
      String fileBase = MirrorRun.fileBase(rd);
      JsonNode signatures = rd.body().path("signatures");
      List<UpstreamRecord> read = new ArrayList<>();
      for (String key : List.of("packages", "packages.conda")) {
        rd.body().path(key).fields().forEachRemaining(e -> {
          try {
            read.add(UpstreamRecord.of(subdir, e.getKey(), e.getValue(), fileBase, signatures.path(e.getKey())));
          } catch (WharfException bad) {
            out.add(new Decision(subdir, e.getKey(), false, "record", bad.getMessage()));
          }
        });
      }
      if (gate == null) {
        read.forEach(r -> out.add(new Decision(subdir, r.filename(), true, null, null)));
      } else {
        out.addAll(gate.judge(read));
      }
    }
    return new Result(gate == null ? null : gate.policyName(), out);
  }
}
