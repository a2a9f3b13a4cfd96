package io.wharf.server.catalog;

import io.wharf.server.pkg.StoredJson;
import io.wharf.conda.license.LicenseFamily;
import io.wharf.conda.spec.Requirement;
import io.wharf.conda.spec.Requirements;
import io.wharf.conda.version.VersionOrder;
import io.wharf.server.auth.ChannelAccess;
import io.wharf.server.auth.Principal;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.error.WharfException;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.PackageFileRepository;
import io.wharf.server.pkg.PackageService;
import io.wharf.server.search.ChannelSummary;
import io.wharf.server.search.SearchPage;
import io.wharf.server.search.SearchQuery;
import io.wharf.server.search.SearchRepository;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Finding packages and describing them: search, package details, license families. */
public final class CatalogService {
  public static final int MAX_PAGE_SIZE = 100;

  private final ChannelService channels;
  private final ChannelAccess access;
  private final PackageService packages;
  private final PackageFileRepository files;
  private final SearchRepository search;

  public CatalogService(ChannelService channels, PackageService packages, PackageFileRepository files,
      SearchRepository search) {
    this.channels = channels;
    this.access = new ChannelAccess(channels);
    this.packages = packages;
    this.files = files;
    this.search = search;
  }

  /** Channels this caller may read, by id. */
  public Map<Long, Channel> readable(Principal who) {
    return access.readableChannels(who);
  }

  /** Package count and newest upload of each of these channels that holds any package, by channel id. */
  public Map<Long, ChannelSummary> summaries(java.util.Collection<Channel> of) {
    return search.summaries(of.stream().map(Channel::id).collect(Collectors.toSet()));
  }

  public record Results(SearchPage page, Map<Long, Channel> channels) {}

  /**
   * @param channelName limit to one channel (the channel page's search box), or null for every
   *     readable channel
   */
  public Results search(String text, Principal who, String channelName, String subdir, String licenseFamily,
      int page, int pageSize) {
    Map<Long, Channel> readable = readable(who);
    Set<Long> ids = readable.keySet();
    if (channelName != null && !channelName.isBlank()) {
      Channel c = access.readable(channelName, who);
      ids = Set.of(c.id());
    }
    if (page < 1) {
      throw WharfException.invalid("invalid_page", "page must be 1 or more");
    }
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw WharfException.invalid("invalid_page_size", "per_page must be between 1 and " + MAX_PAGE_SIZE);
    }
    String family = licenseFamily == null || licenseFamily.isBlank() ? null
        : LicenseFamily.fromSlugOrLabel(licenseFamily)
            .orElseThrow(() -> WharfException.invalid("invalid_license_family",
                "unknown license family '" + licenseFamily + "'"))
            .slug();
    SearchPage result = search.search(new SearchQuery(text == null ? "" : text.trim(), Set.copyOf(ids),
        Optional.ofNullable(subdir == null || subdir.isBlank() ? null : subdir), Optional.ofNullable(family),
        page, pageSize));
    return new Results(result, readable);
  }

  public PackageDetails details(String channelName, String name, Principal who) {
    Channel channel = access.readable(channelName, who);
    List<PackageFile> files = new ArrayList<>(packages.filesOf(channel, name));
    files.sort(Newest.FIRST);
    PackageFile latest = files.get(0);
    List<String> versions = files.stream().map(PackageFile::version).distinct()
        .sorted(VersionOrder.COMPARATOR.reversed()).toList();
    List<String> platforms = files.stream().map(PackageFile::subdir).collect(Collectors.toCollection(TreeSet::new))
        .stream().toList();
    List<PackageDetails.FileEntry> entries = files.stream()
        .map(f -> new PackageDetails.FileEntry(f, FileFacts.of(f))).toList();
    return new PackageDetails(channel, name, latest, entries.get(0).facts(), versions, platforms, entries);
  }

  /** One page of a package's files, each with its facts, and the id of the file the next page starts before. */
  public record FilePage(List<PackageDetails.FileEntry> files, Optional<Long> nextBeforeId) {}

  /** The package's files newest upload first, a page at a time: a package may have thousands. */
  public FilePage files(Channel channel, String name, Long beforeId, int limit) {
    PackageService.NewestPage page = packages.filesOf(channel, name, beforeId, limit);
    return new FilePage(page.files().stream().map(f -> new PackageDetails.FileEntry(f, FileFacts.of(f))).toList(),
        page.nextBeforeId());
  }

  /** Each file's requirements, with links to the readable channels that carry each required package. */
  public List<Dependencies.OfFile> dependencies(String channelName, String name, Principal who) {
    PackageDetails d = details(channelName, name, who);
    Map<Long, Channel> readable = readable(who);
    List<Channel> order = new ArrayList<>();
    order.add(d.channel());
    readable.values().stream().filter(c -> c.id() != d.channel().id()).forEach(order::add);
    Map<String, List<String>> where = new HashMap<>();
    List<Dependencies.OfFile> out = new ArrayList<>();
    for (PackageDetails.FileEntry e : d.files()) {
      List<Dependencies.Resolved> reqs = new ArrayList<>();
      for (Requirement r : Requirements.requirements(StoredJson.parse(e.file().recordJson()))) {
        List<String> in = r.virtual() ? List.of() : where.computeIfAbsent(r.name(), n -> {
          Set<Long> having = search.channelsWithName(n, readable.keySet());
          return order.stream().filter(c -> having.contains(c.id())).map(Channel::name).toList();
        });
        reqs.add(new Dependencies.Resolved(r, in));
      }
      out.add(new Dependencies.OfFile(e.file(), reqs));
    }
    return out;
  }

  /**
   * Files in readable channels whose depends or constrains name this package, each judged against the
   * package's latest version with real MatchSpec semantics. With a platform, only dependants for that
   * subdir and noarch ones, since clients always combine a platform with noarch (CONDA.md §5.2).
   */
  public Dependencies.Dependants dependants(String channelName, String name, String platform, Principal who) {
    PackageDetails d = details(channelName, name, who);
    Map<Long, Channel> readable = readable(who);
    Optional<String> plat = Optional.ofNullable(platform == null || platform.isBlank() ? null : platform);
    PackageFile latest = d.latest();
    List<Dependencies.Dependant> rows = files.dependants(name, readable.keySet()).stream()
        .filter(r -> plat.isEmpty() || r.file().subdir().equals(plat.get()) || r.file().subdir().equals("noarch"))
        .map(r -> new Dependencies.Dependant(readable.get(r.file().channelId()), r.file(), r.kind(), r.spec(),
            Requirements.admits(r.spec(), name, latest.version(), latest.build())))
        .sorted(Comparator.<Dependencies.Dependant, String>comparing(x -> x.channel().name())
            .thenComparing(x -> x.file().name())
            .thenComparing(x -> x.file(), Newest.FIRST)
            .thenComparing(x -> x.file().filename()))
        .toList();
    return new Dependencies.Dependants(latest.version(), latest.build(), plat, rows);
  }

  /** One family: how many packages carry it, in all and per readable channel (by channel name). */
  public record LicenseGroup(LicenseFamily family, long packageCount, Map<String, Long> packagesByChannel) {}

  /**
   * Every family with its package counts, from one grouped query over the search index: the package
   * names themselves are a search away ({@code license_family} filter), a page at a time.
   */
  public List<LicenseGroup> licenses(Principal who) {
    Map<Long, Channel> readable = readable(who);
    Map<LicenseFamily, Map<String, Long>> byFamily = new LinkedHashMap<>();
    for (LicenseFamily f : LicenseFamily.values()) {
      byFamily.put(f, new TreeMap<>());
    }
    search.licenseFamilyCounts(readable.keySet()).forEach((channelId, counts) -> counts.forEach((slug, n) ->
        LicenseFamily.fromSlugOrLabel(slug).ifPresent(f ->
            byFamily.get(f).merge(readable.get(channelId).name(), n, Long::sum))));
    List<LicenseGroup> out = new ArrayList<>();
    byFamily.forEach((f, m) -> out.add(new LicenseGroup(f, m.values().stream().mapToLong(Long::longValue).sum(), m)));
    return out;
  }
}
