package io.wharf.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.Principal;
import io.wharf.server.error.WharfException;
import io.wharf.server.jobs.Job;
import io.wharf.server.jobs.JobService;
import io.wharf.server.ui.Format;
import io.wharf.server.ui.JobViews;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Background jobs: {@code GET /api/jobs} (newest first, paged) and {@code GET /api/jobs/{id}}, and the pages
 * {@code /jobs} and {@code /jobs/{id}}. Administrators see every job, anyone else the jobs they created; a job
 * one may not see answers 404 like a missing one.
 */
final class JobRoutes {
  static final int PAGE_SIZE = 50;

  private final JobService jobs;
  private final AuthServices auth;
  private final PageRenderer pages;

  JobRoutes(JobService jobs, AuthServices auth, PageRenderer pages) {
    this.jobs = jobs;
    this.auth = auth;
    this.pages = pages;
  }

  void register(RouteTable api, RoutesConfig routes) {
    api.add(HandlerType.GET, "/api/jobs", this::list);
    api.add(HandlerType.GET, "/api/jobs/{id}", this::show);
    routes.get("/jobs", this::listPage);
    routes.get("/jobs/{id}", this::showPage);
  }

  /** The 202 answer to a request that queued {@code job}: where to follow it, and the job as it stands. */
  static void accepted(Context ctx, Job job) {
    ctx.status(202).header("Location", "/api/jobs/" + job.id()).json(view(job));
  }

  private void list(Context ctx) {
    Principal who = signedIn(ctx);
    List<String> cursor = Paging.cursor(ctx, 1);
    int limit = Paging.limit(ctx);
    if (limit < 1 || limit > 1000) {
      throw WharfException.invalid("invalid_limit", "limit must be between 1 and 1000");
    }
    List<Job> page = jobs.page(who, cursor == null ? null : id(cursor.get(0)), limit + 1);
    if (page.size() > limit) {
      page = page.subList(0, limit);
      Paging.linkNext(ctx, String.valueOf(page.get(limit - 1).id()));
    }
    ctx.json(page.stream().map(JobRoutes::view).toList());
  }

  private void show(Context ctx) {
    ctx.json(view(jobs.find(id(ctx.pathParam("id")), signedIn(ctx))));
  }

  private void listPage(Context ctx) {
    Principal who = signedIn(ctx);
    Authenticator.requireAdmin(who);
    String before = ctx.queryParam("before");
    List<Job> page = jobs.page(who, before == null ? null : id(before), PAGE_SIZE + 1);
    String older = null;
    if (page.size() > PAGE_SIZE) {
      page = page.subList(0, PAGE_SIZE);
      older = "/jobs?before=" + page.get(PAGE_SIZE - 1).id();
    }
    pages.render(ctx, "jobs.jte", new JobViews.JobList(page.stream().map(JobRoutes::row).toList(), older,
        before == null ? null : "/jobs"));
  }

  private void showPage(Context ctx) {
    Principal who = signedIn(ctx);
    Authenticator.requireAdmin(who);
    Job j = jobs.find(id(ctx.pathParam("id")), who);
    List<JobViews.Counter> counters = new ArrayList<>();
    j.progress().forEach((k, v) -> counters.add(new JobViews.Counter(k.replace('_', ' '), v)));
    pages.render(ctx, "job.jte", new JobViews.JobDetail(row(j), counters, j.node() == null ? "" : j.node(),
        j.attempt(), j.leaseUntil() == null ? "" : Format.time(j.leaseUntil()), j.params().toString(),
        j.result() == null ? "" : j.result().toString()));
  }

  static Map<String, Object> view(Job j) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", j.id());
    m.put("kind", j.kind());
    m.put("state", j.state().label());
    m.put("phase", j.phase());
    m.put("progress", j.progress());
    m.put("params", j.params());
    m.put("created_by", j.createdBy());
    m.put("created_at", text(j.createdAt()));
    m.put("started_at", text(j.startedAt()));
    m.put("finished_at", text(j.finishedAt()));
    m.put("attempt", j.attempt());
    m.put("node", j.node());
    m.put("lease_until", text(j.leaseUntil()));
    m.put("result", j.result());
    m.put("error", j.errorCode() == null ? null : Map.of("code", j.errorCode(), "message",
        j.errorMessage() == null ? "" : j.errorMessage()));
    return m;
  }

  /**
   * How far a job is, for the page's bar: by bytes when it counts them (a CVE import), else by files (a
   * directory import, a mirror run); -1 when it knows no total yet.
   */
  static int percent(io.wharf.server.jobs.JobState state, Map<String, Long> progress) {
    if (state == io.wharf.server.jobs.JobState.SUCCEEDED) {
      return 100;
    }
    boolean byBytes = progress.containsKey("bytes_total");
    Long done = progress.get(byBytes ? "bytes_read" : "files");
    Long total = progress.get(byBytes ? "bytes_total" : "files_total");
    return done == null || total == null || total <= 0 ? -1 : (int) Math.min(100, 100 * done / total);
  }

  private static JobViews.JobRow row(Job j) {
    int percent = percent(j.state(), j.progress());
    StringBuilder counters = new StringBuilder();
    j.progress().forEach((k, v) -> {
      if (!k.startsWith("bytes_")) {
        counters.append(counters.length() == 0 ? "" : ", ").append(k.replace('_', ' ')).append(' ').append(v);
      }
    });
    return new JobViews.JobRow(j.id(), j.kind(), j.state().label(), j.phase() == null ? "" : j.phase(), percent,
        counters.toString(), j.createdBy(), Format.time(j.createdAt()), time(j.startedAt()), time(j.finishedAt()),
        j.errorMessage() == null ? "" : j.errorMessage());
  }

  private Principal signedIn(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    Authenticator.requireSignedIn(who);
    return who;
  }

  private static String time(Instant t) {
    return t == null ? "" : Format.time(t);
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }

  private static long id(String text) {
    try {
      return Long.parseLong(text.trim().toLowerCase(Locale.ROOT));
    } catch (NumberFormatException e) {
      throw WharfException.notFound("no_such_job", "no job " + text);
    }
  }
}
