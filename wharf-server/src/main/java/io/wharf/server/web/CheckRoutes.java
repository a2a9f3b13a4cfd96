package io.wharf.server.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.check.CheckListener;
import io.wharf.server.check.IntegrityCheck;
import io.wharf.server.check.Problem;
import io.wharf.server.error.WharfException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /api/admin/check[?repair=true]} (administrators): the integrity check of whatever this node
 * runs on (SQLite or PostgreSQL, disk or S3), including this node's published repodata. Runs inside the
 * request, one at a time per node.
 */
final class CheckRoutes {
  /** Problems listed in one answer; the counts cover all of them. */
  static final int MAX_LISTED = 1_000;

  private final IntegrityCheck check;
  private final AuthServices auth;
  private final AtomicBoolean running = new AtomicBoolean();

  CheckRoutes(IntegrityCheck check, AuthServices auth) {
    this.check = check;
    this.auth = auth;
  }

  void register(RouteTable api) {
    api.add(HandlerType.POST, "/api/admin/check", this::check);
  }

  private void check(Context ctx) throws IOException {
    Authenticator.requireAdmin(RequestAuth.principal(ctx, auth));
    String repairParam = ctx.queryParam("repair");
    if (repairParam != null && !repairParam.equals("true") && !repairParam.equals("false")) {
      throw WharfException.invalid("invalid_repair", "repair must be true or false");
    }
    if (!running.compareAndSet(false, true)) {
      throw WharfException.conflict("check_running", "an integrity check is already running on this node");
    }
    List<Map<String, Object>> listed = new ArrayList<>();
    IntegrityCheck.Result r;
    try {
      r = check.run("true".equals(repairParam), new CheckListener() {
        @Override
        public void stage(String name, long total) {}

        @Override
        public void advanced() {}

        @Override
        public void problem(Problem p) {
          if (listed.size() < MAX_LISTED) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", p.kind());
            m.put("subject", p.subject());
            m.put("message", p.message());
            m.put("repaired", p.repaired());
            listed.add(m);
          }
        }
      });
    } finally {
      running.set(false);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("clean", r.clean());
    body.put("checked", r.checked());
    body.put("problem_count", r.problems());
    body.put("repaired_count", r.repaired());
    body.put("problems", listed);
    body.put("truncated", r.problems() > listed.size());
    ctx.json(body);
  }
}
