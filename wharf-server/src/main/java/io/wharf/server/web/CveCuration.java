package io.wharf.server.web;

import io.wharf.server.auth.Action;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Principal;
import io.wharf.server.channel.Channel;
import io.wharf.server.error.WharfException;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.PackageService;
import io.wharf.server.vuln.CveStatus;
import io.wharf.server.vuln.VulnerabilityService;
import java.util.List;
import java.util.Set;

/**
 * Curation of a CVE on one file or on every file of a package (all its versions in one channel), shared by
 * {@code POST /api/cves/{id}/status}, the CVE page's form and, through the API, {@code wharf cve set-status}.
 * The caller must hold {@link Action#CURATE} on the channel of every file named, for the file's label (a
 * token scoped to a label curates only there): a channel it may not read answers like a missing one.
 */
final class CveCuration {
  /** What was asked: a channel, and either one file (label, subdir, filename) or a package name. */
  record Request(String channel, String label, String subdir, String filename, String packageName,
      String status, String note) {}

  /** The files whose status changed, and their channel. */
  record Result(Channel channel, String cveId, CveStatus status, List<PackageFile> changed) {}

  private final AuthServices auth;
  private final PackageService packages;
  private final VulnerabilityService vulns;

  CveCuration(AuthServices auth, PackageService packages, VulnerabilityService vulns) {
    this.auth = auth;
    this.packages = packages;
    this.vulns = vulns;
  }

  Result apply(Principal who, String actor, String cveId, Request r) {
    if (r.channel() == null || (r.packageName() == null) == (r.filename() == null)) {
      throw WharfException.invalid("missing_field", "name a 'channel' and either a 'package' or a 'filename'");
    }
    Channel c = auth.channels().readable(r.channel(), who);
    List<PackageFile> files;
    if (r.filename() != null) {
      if (r.subdir() == null) {
        throw WharfException.invalid("missing_field", "a 'filename' needs its 'subdir'");
      }
      files = List.of(packages.file(c, r.label(), r.subdir(), r.filename()));
    } else {
      files = packages.filesOf(c, r.packageName());
    }
    for (String label : files.stream().map(PackageFile::label).distinct().toList()) {
      auth.channels().require(c.name(), label, who, Action.CURATE);
    }
    CveStatus status = CveStatus.parse(r.status());
    String cve = vulns.queries().find(cveId, Set.of(c.id()))
        .orElseThrow(() -> WharfException.notFound("no_such_cve", "no CVE " + cveId)).cve().id();
    List<Long> changed = vulns.setStatus(cve, files.stream().map(PackageFile::id).toList(), status, actor,
        r.note());
    return new Result(c, cve, status, files.stream().filter(f -> changed.contains(f.id())).toList());
  }
}
