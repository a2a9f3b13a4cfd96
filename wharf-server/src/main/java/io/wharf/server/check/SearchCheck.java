package io.wharf.server.check;

import io.wharf.server.channel.Channel;
import io.wharf.server.pkg.PackageFilePages;
import io.wharf.server.pkg.PackageNameSummary;
import io.wharf.server.search.SearchIndexer;
import java.util.ArrayList;
import java.util.List;

/**
 * Search rows against files: every package name with files has the document its files give, and no
 * document is left for a name without files. Names are read a page at a time from both sides.
 */
final class SearchCheck {
  private static final int PAGE = 500;
  /** Names that disagreed once and are looked at again after the pass (bounded). */
  private static final int MAX_SUSPECTS = 10_000;

  private final JdbcCheckQueries queries;
  private final PackageFilePages pages;
  private final SearchIndexer indexer;

  SearchCheck(JdbcCheckQueries queries, PackageFilePages pages, SearchIndexer indexer) {
    this.queries = queries;
    this.pages = pages;
    this.indexer = indexer;
  }

  private record Suspect(Channel channel, String name) {}

  /** Returns how many names were checked. */
  long run(List<Channel> channels, CheckListener listener, boolean repair) {
    listener.stage("search rows of " + channels.size() + " channels", -1);
    long checked = 0;
    List<Suspect> suspects = new ArrayList<>();
    for (Channel c : channels) {
      String after = null;
      while (true) {
        List<PackageNameSummary> names = pages.packageNames(c.id(), after, PAGE);
        for (PackageNameSummary n : names) {
          checked++;
          listener.advanced();
          if (!indexer.inStep(c.id(), n.name())) {
            suspect(suspects, new Suspect(c, n.name()), listener, repair);
          }
        }
        if (names.size() < PAGE) {
          break;
        }
        after = names.get(names.size() - 1).name();
      }
      String afterIndexed = "";
      while (true) {
        List<String> indexed = queries.searchNamesAfter(c.id(), afterIndexed, PAGE);
        for (String name : indexed) {
          if (!queries.nameHasFiles(c.id(), name)) {
            checked++;
            listener.advanced();
            suspect(suspects, new Suspect(c, name), listener, repair);
          }
        }
        if (indexed.size() < PAGE) {
          break;
        }
        afterIndexed = indexed.get(indexed.size() - 1);
      }
    }
    // An upload commits before its name is indexed: a name caught in between is in step a moment later.
    for (Suspect s : suspects) {
      if (!indexer.inStep(s.channel().id(), s.name())) {
        report(s, listener, repair);
      }
    }
    return checked;
  }

  private void suspect(List<Suspect> suspects, Suspect s, CheckListener listener, boolean repair) {
    if (suspects.size() < MAX_SUSPECTS) {
      suspects.add(s);
    } else {
      report(s, listener, repair);
    }
  }

  private void report(Suspect s, CheckListener listener, boolean repair) {
    Problem p = new Problem("search_stale", s.channel().name() + "/" + s.name(),
        "the search row disagrees with the package's files", false);
    if (repair) {
      indexer.reindex(s.channel().id(), s.name());
      if (indexer.inStep(s.channel().id(), s.name())) {
        p = p.fixed();
      }
    }
    listener.problem(p);
  }
}
