package io.wharf.server.search;

import io.wharf.server.search.jdbc.JdbcSearchRepository;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.wharf.server.channel.ChannelRepository;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.db.Database;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Behaviour every SearchRepository must show, run once per database engine. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SearchRepositoryContract {
  private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123Z");

  private Database db;
  private SearchRepository search;
  private ChannelRepository channels;
  private long channel;
  private long otherChannel;

  /** A supplier that opens the same, initially empty database on every call. */
  protected abstract Supplier<Database> database();

  @BeforeAll
  void open() {
    db = database().get();
    search = new JdbcSearchRepository(db);
    channels = new JdbcChannelRepository(db);
  }

  @AfterAll
  void close() {
    db.close();
  }

  @BeforeEach
  void freshChannels() {
    db.jdbi().useHandle(h -> {
      h.execute("DELETE FROM package_search");
      h.execute("DELETE FROM package_files");
      h.execute("DELETE FROM channels");
    });
    channel = channels.create("main-channel", "", Privacy.PUBLIC).id();
    otherChannel = channels.create("other-channel", "", Privacy.PUBLIC).id();
  }

  private static SearchDocument doc(long channelId, String name, String summary, List<String> subdirs,
      List<String> licenses) {
    return new SearchDocument(channelId, name, "1.0", summary, null, subdirs, licenses, 1, T0);
  }

  private void add(long channelId, String name, String summary) {
    search.upsert(doc(channelId, name, summary, List.of("linux-64"), List.of("mit")));
  }

  private SearchPage query(String text) {
    return search.search(new SearchQuery(text, Set.of(channel), Optional.empty(), Optional.empty(), 1, 100));
  }

  private SearchPage query(String text, Optional<String> subdir, Optional<String> license) {
    return search.search(new SearchQuery(text, Set.of(channel), subdir, license, 1, 100));
  }

  @Test
  void upsertAllUpdatesWhatExistsInsertsWhatIsNewAndKeepsTheLaterOfTwoDocumentsOfAName() {
    add(channel, "numpy", "old summary");
    add(otherChannel, "numpy", "the other channel's");
    search.upsertAll(List.of(
        doc(channel, "numpy", "first of two", List.of("linux-64"), List.of("bsd")),
        doc(channel, "scipy", "new name", List.of("noarch"), List.of("mit")),
        doc(otherChannel, "pandas", "new in the other channel", List.of("linux-64"), List.of("bsd")),
        doc(channel, "numpy", "second of two", List.of("linux-64", "osx-64"), List.of("bsd"))));

    assertThat(search.find(channel, "numpy").orElseThrow())
        .extracting(SearchDocument::summary, SearchDocument::subdirs)
        .containsExactly("second of two", List.of("linux-64", "osx-64"));
    assertThat(search.find(channel, "scipy").orElseThrow().summary()).isEqualTo("new name");
    assertThat(search.find(otherChannel, "numpy").orElseThrow().summary()).isEqualTo("the other channel's");
    assertThat(search.find(otherChannel, "pandas").orElseThrow().summary()).isEqualTo("new in the other channel");
    assertThat(search.find(channel, "pandas")).isEmpty();
    // new names are found by their misspellings too
    assertThat(query("scipi").hits()).extracting(SearchHit::name).containsExactly("scipy");
    assertThat(query("nunpy").hits()).extracting(SearchHit::name).containsExactly("numpy");
  }

  @Test
  void ranksExactThenPrefixThenSubstringThenMisspellingThenText() {
    add(channel, "pynumpy-ext", "Extensions");
    add(channel, "nunpy", "Not what you want");
    add(channel, "scipy", "Scientific tools built on numpy arrays");
    add(channel, "numpy-base", "Base of it");
    add(channel, "numpy", "Array computing");
    add(channel, "unrelated", "Nothing to see");

    SearchPage page = query("numpy");

    assertThat(page.hits()).extracting(SearchHit::name, SearchHit::kind).containsExactly(
        tuple("numpy", MatchKind.EXACT),
        tuple("numpy-base", MatchKind.PREFIX),
        tuple("pynumpy-ext", MatchKind.SUBSTRING),
        tuple("nunpy", MatchKind.FUZZY),
        tuple("scipy", MatchKind.TEXT));
    assertThat(page.total()).isEqualTo(5);
  }

  @Test
  void findAllAnswersTheDocumentsOfSeveralNamesOfOneChannel() {
    add(channel, "numpy", "Array computing");
    add(channel, "scipy", "Scientific tools");
    add(otherChannel, "pandas", "Data frames");

    java.util.Map<String, SearchDocument> found = search.findAll(channel, List.of("numpy", "scipy", "pandas", "none"));

    assertThat(found).containsOnlyKeys("numpy", "scipy");
    assertThat(found.get("numpy")).isEqualTo(search.find(channel, "numpy").orElseThrow());
    assertThat(search.findAll(channel, List.of())).isEmpty();
  }

  @Test
  void nameMatchIgnoresCaseAndSurroundingSpace() {
    add(channel, "numpy", "Array computing");

    assertThat(query("  NumPy ").hits()).extracting(SearchHit::name, SearchHit::kind)
        .containsExactly(tuple("numpy", MatchKind.EXACT));
  }

  @Test
  void eachKindIsOrderedByName() {
    for (String name : List.of("numpy-c", "numpy-a", "numpy-b", "xnumpy", "anumpy")) {
      add(channel, name, null);
    }

    assertThat(query("numpy").hits()).extracting(SearchHit::name)
        .containsExactly("numpy-a", "numpy-b", "numpy-c", "anumpy", "xnumpy");
  }

  @Test
  void packageAppearsOnceUnderItsBestKind() {
    add(channel, "numpy", "numpy is numpy");
    add(channel, "numpy-base", "base parts of numpy");

    assertThat(query("numpy").hits()).extracting(SearchHit::name, SearchHit::kind)
        .containsExactly(tuple("numpy", MatchKind.EXACT), tuple("numpy-base", MatchKind.PREFIX));
  }

  @Test
  void misspellingsAllowOneEditForShortQueriesAndTwoForLonger() {
    for (String name : List.of("attr", "atrs", "pandas", "pnadas", "pandsa", "xpandax", "pxndxs", "requests")) {
      add(channel, name, null);
    }

    // "atrr" (4 characters): attr and atrs are one substitution away; "at" would be two.
    add(channel, "at", null);
    assertThat(query("atrr").hits()).extracting(SearchHit::name).containsExactly("atrs", "attr");
    // "pandas": pandsa and pnadas are one transposition away, xpandax an insertion and a substitution;
    // pxndxs needs three edits.
    assertThat(query("pandas").hits()).extracting(SearchHit::name, SearchHit::kind).containsExactly(
        tuple("pandas", MatchKind.EXACT), tuple("pandsa", MatchKind.FUZZY), tuple("pnadas", MatchKind.FUZZY),
        tuple("xpandax", MatchKind.FUZZY));
  }

  @Test
  void longMisspelledNamesAreFoundThroughSharedTrigrams() {
    add(channel, "scikit-learn", null);
    add(channel, "scikit-image", null);

    // Two substitutions: no one-deletion variant is shared, but a third of the name is intact.
    assertThat(query("sckkit-lexrn").hits()).extracting(SearchHit::name, SearchHit::kind)
        .containsExactly(tuple("scikit-learn", MatchKind.FUZZY));
    // A transposition across the first third's end and a substitution in the last third.
    assertThat(query("sciikt-lexrn").hits()).extracting(SearchHit::name, SearchHit::kind)
        .containsExactly(tuple("scikit-learn", MatchKind.FUZZY));
  }

  @Test
  void misspeltPrefixesFindLongerNames() {
    for (String name : List.of("xtensor", "xtensor-io", "xtensor-blas", "numpy", "numpy-base", "scikit-learn",
        "scikit-learn-intelex", "scikit-image")) {
      add(channel, name, null);
    }

    // A transposition, a substitution and a deletion in the start of a name, each one edit away from a
    // prefix of the names found.
    assertThat(query("xtensro").hits()).extracting(SearchHit::name, SearchHit::kind).containsExactly(
        tuple("xtensor", MatchKind.FUZZY), tuple("xtensor-blas", MatchKind.FUZZY), tuple("xtensor-io", MatchKind.FUZZY));
    assertThat(query("numpi").hits()).extracting(SearchHit::name, SearchHit::kind).containsExactly(
        tuple("numpy", MatchKind.FUZZY), tuple("numpy-base", MatchKind.FUZZY));
    assertThat(query("scikit-lern").hits()).extracting(SearchHit::name, SearchHit::kind).containsExactly(
        tuple("scikit-learn", MatchKind.FUZZY), tuple("scikit-learn-intelex", MatchKind.FUZZY));
    // A character too many, one missing and one substituted, early in the name.
    assertThat(query("xxtens").hits()).extracting(SearchHit::name).containsExactly(
        "xtensor", "xtensor-blas", "xtensor-io");
    assertThat(query("xtnsor").hits()).extracting(SearchHit::name).containsExactly(
        "xtensor", "xtensor-blas", "xtensor-io");
    // "numpy" itself is three edits from "nympy-b"; only a name going on after the typo matches.
    assertThat(query("nympy-b").hits()).extracting(SearchHit::name).containsExactly("numpy-base");
  }

  @Test
  void misspeltPrefixesRankAfterTruePrefixesAndSubstrings() {
    for (String name : List.of("xtensor-io", "xtensro-compat", "py-xtensro", "xtensro")) {
      add(channel, name, null);
    }

    assertThat(query("xtensro").hits()).extracting(SearchHit::name, SearchHit::kind).containsExactly(
        tuple("xtensro", MatchKind.EXACT),
        tuple("xtensro-compat", MatchKind.PREFIX),
        tuple("py-xtensro", MatchKind.SUBSTRING),
        tuple("xtensor-io", MatchKind.FUZZY));
  }

  @Test
  void misspellingsOfTheWholeNameRankBeforeMisspeltPrefixes() {
    for (String name : List.of("scip-tools", "scipy", "scipy-io")) {
      add(channel, name, null);
    }

    // By name alone "scip-tools" would come first; "scipy" is the closer match.
    assertThat(query("scipi").hits()).extracting(SearchHit::name, SearchHit::kind).containsExactly(
        tuple("scipy", MatchKind.FUZZY), tuple("scip-tools", MatchKind.FUZZY), tuple("scipy-io", MatchKind.FUZZY));
  }

  @Test
  void misspeltPrefixesStayCloseToTheStartOfTheName() {
    for (String name : List.of("numpy", "numpy-base", "numexpr", "mpi4py", "pynumpy", "xtensor-io", "xtensa-sdk",
        "tensorflow", "pyxtensor", "scikit-learn", "scikit-image", "scikit-lego", "sklearn")) {
      add(channel, name, null);
    }

    // Queries up to 4 characters match whole names only: "nunp" is not one edit from any name, and
    // would be from the prefix of every numpy name.
    assertThat(query("nunp").hits()).isEmpty();
    assertThat(query("nupy").hits()).extracting(SearchHit::name).containsExactly("numpy");
    // 5 to 8 characters allow one edit in the prefix: two deletions (mpi4py), a deletion and a
    // substitution (xtensa-sdk, tensorflow) or a typo inside the name (pynumpy, pyxtensor) stay out.
    assertThat(query("numpi").hits()).extracting(SearchHit::name).containsExactly("numpy", "numpy-base");
    assertThat(query("xtensro").hits()).extracting(SearchHit::name).containsExactly("xtensor-io");
    // 9 characters or more allow two edits, still counted from the start of the name.
    assertThat(query("scikit-lern").hits()).extracting(SearchHit::name)
        .containsExactly("scikit-learn", "scikit-lego");
    assertThat(query("skikti-lea").hits()).extracting(SearchHit::name).containsExactly("scikit-learn");
  }

  @Test
  void textMatchesNeedEveryWord() {
    add(channel, "alpha", "Fast array computing");
    add(channel, "beta", "Array plotting");
    add(channel, "gamma", "Computing clusters");

    assertThat(query("array computing").hits()).extracting(SearchHit::name, SearchHit::kind)
        .containsExactly(tuple("alpha", MatchKind.TEXT));
  }

  @Test
  void eachTextWordMatchesAsAPrefixOnBothEngines() {
    add(channel, "alpha", "Fast array computing");
    add(channel, "beta", "Arrays for plotting");
    add(channel, "gamma", "Disarray");

    assertThat(query("arr comp").hits()).extracting(SearchHit::name).containsExactly("alpha");
    assertThat(query("array").hits()).extracting(SearchHit::name).containsExactly("alpha", "beta");
    // Operators and quotes in the query are words or nothing, never syntax: "arr" and "comp" still
    // find alpha, and an "x" that no word starts with still has to match.
    assertThat(query("arr' & !comp | (:*").hits()).extracting(SearchHit::name).containsExactly("alpha");
    assertThat(query("arr' & !comp | (x:*").hits()).isEmpty();
    assertThat(query("'&|!():*").hits()).isEmpty();
  }

  @Test
  void descriptionsAreSearchedToo() {
    search.upsert(new SearchDocument(channel, "zlib", "1.3", "Compression library",
        "A massively spiffy yet delicately unobtrusive compression library", List.of("linux-64"), List.of(), 3, T0));

    assertThat(query("unobtrusive").hits()).extracting(SearchHit::name, SearchHit::kind)
        .containsExactly(tuple("zlib", MatchKind.TEXT));
  }

  @Test
  void filtersBySubdirAndLicenseFamily() {
    search.upsert(doc(channel, "numpy", null, List.of("linux-64", "osx-arm64"), List.of("bsd")));
    search.upsert(doc(channel, "numpy-base", null, List.of("linux-64"), List.of("mit", "bsd")));
    search.upsert(doc(channel, "numpy-doc", null, List.of("noarch"), List.of("mit")));

    assertThat(query("numpy", Optional.of("osx-arm64"), Optional.empty()).hits()).extracting(SearchHit::name)
        .containsExactly("numpy");
    assertThat(query("numpy", Optional.of("noarch"), Optional.empty()).hits()).extracting(SearchHit::name)
        .containsExactly("numpy-doc");
    assertThat(query("numpy", Optional.empty(), Optional.of("mit")).hits()).extracting(SearchHit::name)
        .containsExactly("numpy-base", "numpy-doc");
    assertThat(query("numpy", Optional.of("linux-64"), Optional.of("mit")).hits()).extracting(SearchHit::name)
        .containsExactly("numpy-base");
    assertThat(query("", Optional.of("linux"), Optional.empty()).total()).isZero();
    assertThat(query("", Optional.empty(), Optional.of("mit,bsd")).total()).isZero();
  }

  @Test
  void blankQueryBrowsesByNameWithFilters() {
    search.upsert(doc(channel, "zeta", null, List.of("noarch"), List.of("mit")));
    search.upsert(doc(channel, "alpha", null, List.of("linux-64"), List.of("mit")));
    search.upsert(doc(channel, "mid", null, List.of("noarch"), List.of("gpl")));

    assertThat(query("  ").hits()).extracting(SearchHit::name).containsExactly("alpha", "mid", "zeta");
    assertThat(query("", Optional.of("noarch"), Optional.of("mit")).hits()).extracting(SearchHit::name)
        .containsExactly("zeta");
  }

  @Test
  void pagesSliceTheRankedListAndCountAllHits() {
    add(channel, "lib", null);
    for (int i = 0; i < 12; i++) {
      add(channel, String.format("lib%02d", i), null);
    }
    add(channel, "zz-lib-tools", null);

    SearchPage first = search.search(new SearchQuery("lib", Set.of(channel), Optional.empty(), Optional.empty(), 1, 5));
    SearchPage third = search.search(new SearchQuery("lib", Set.of(channel), Optional.empty(), Optional.empty(), 3, 5));
    SearchPage beyond = search.search(new SearchQuery("lib", Set.of(channel), Optional.empty(), Optional.empty(), 9, 5));

    assertThat(first.total()).isEqualTo(14);
    assertThat(first.hits()).extracting(SearchHit::name).containsExactly("lib", "lib00", "lib01", "lib02", "lib03");
    assertThat(third.hits()).extracting(SearchHit::name, SearchHit::kind).containsExactly(
        tuple("lib09", MatchKind.PREFIX), tuple("lib10", MatchKind.PREFIX), tuple("lib11", MatchKind.PREFIX),
        tuple("zz-lib-tools", MatchKind.SUBSTRING));
    assertThat(beyond.hits()).isEmpty();
    assertThat(beyond.total()).isEqualTo(14);
    assertThat(beyond.page()).isEqualTo(9);
  }

  @Test
  void browsePagesCountEveryPackage() {
    for (int i = 0; i < 7; i++) {
      add(channel, "pkg" + i, null);
    }

    SearchPage second = search.search(new SearchQuery("", Set.of(channel), Optional.empty(), Optional.empty(), 2, 3));

    assertThat(second.total()).isEqualTo(7);
    assertThat(second.hits()).extracting(SearchHit::name).containsExactly("pkg3", "pkg4", "pkg5");
  }

  @Test
  void searchSeesOnlyTheGivenChannels() {
    add(channel, "numpy", "mine");
    add(otherChannel, "numpy", "theirs");
    add(otherChannel, "numpy-secret", "theirs");

    assertThat(query("numpy").hits()).extracting(SearchHit::channelId, SearchHit::summary)
        .containsExactly(tuple(channel, "mine"));
    assertThat(search.search(new SearchQuery("numpy", Set.of(), Optional.empty(), Optional.empty(), 1, 10)).total())
        .isZero();
    assertThat(search.search(new SearchQuery("", Set.of(channel, otherChannel), Optional.empty(), Optional.empty(),
        1, 10)).hits()).extracting(SearchHit::name, SearchHit::channelId)
        .containsExactly(tuple("numpy", channel), tuple("numpy", otherChannel), tuple("numpy-secret", otherChannel));
  }

  @Test
  void hostileInputNeitherFailsNorActsAsSyntax() {
    add(channel, "numpy", "Array computing");
    add(channel, "a_b", "underscore");
    add(channel, "axb", "no underscore");
    add(channel, "percent", "100% sure");

    // Each input finds what its characters find as plain text, never everything and never an error:
    // "NOT numpy" as syntax would find the other three, "numpy OR scipy" would find numpy, "*" or "%"
    // everything; as text they need words or names that nothing here has.
    for (String hostile : List.of("\"", "'", "%", "*", "-", "\\", "NOT numpy", "numpy OR scipy", "a AND", "(", ")",
        "{name}:x", "name : numpy", "NEAR(a b)", "日本語", "😀", "x".repeat(10_000),
        "'; DROP TABLE package_search; --", "::", "?")) {
      SearchPage page = query(hostile);
      assertThat(page.hits()).as(hostile).isEmpty();
      assertThat(page.total()).as(hostile).isZero();
    }
    // Quotes, wildcards and accents stay characters of the name: one or two edits from numpy, a misspelling.
    for (String hostile : List.of("num\"py", "numpy*", "-numpy", "^numpy", "ñúmpy")) {
      assertThat(query(hostile).hits()).as(hostile).extracting(SearchHit::name, SearchHit::kind)
          .containsExactly(tuple("numpy", MatchKind.FUZZY));
    }
    // "_" is not LIKE's any-character: a_b contains it, axb does not.
    assertThat(query("_").hits()).extracting(SearchHit::name, SearchHit::kind)
        .containsExactly(tuple("a_b", MatchKind.SUBSTRING));
    assertThat(query("a_b").hits()).extracting(SearchHit::name, SearchHit::kind)
        .startsWith(tuple("a_b", MatchKind.EXACT));
    // Control characters are dropped from the query.
    assertThat(query("\u0000numpy").hits()).extracting(SearchHit::name, SearchHit::kind)
        .containsExactly(tuple("numpy", MatchKind.EXACT));
    // "$1" is no bind parameter: text search reads the word "1", a prefix of "100" in percent's summary.
    assertThat(query("$1").hits()).extracting(SearchHit::name, SearchHit::kind)
        .containsExactly(tuple("percent", MatchKind.TEXT));
    // The injected DROP TABLE was text: the index still answers.
    assertThat(search.find(channel, "numpy")).isPresent();
  }

  @Test
  void upsertReplacesTheDocumentAndItsText() {
    add(channel, "numpy", "Old summary about matrices");
    search.upsert(new SearchDocument(channel, "numpy", "2.0", "New summary about tensors", "Long text",
        List.of("linux-64", "win-64"), List.of("bsd"), 4, T0.plusSeconds(60)));

    assertThat(search.find(channel, "numpy")).contains(new SearchDocument(channel, "numpy", "2.0",
        "New summary about tensors", "Long text", List.of("linux-64", "win-64"), List.of("bsd"), 4, T0.plusSeconds(60)));
    assertThat(query("matrices").hits()).isEmpty();
    assertThat(query("tensors").hits()).extracting(SearchHit::name, SearchHit::latestVersion, SearchHit::subdirs)
        .containsExactly(tuple("numpy", "2.0", List.of("linux-64", "win-64")));
    assertThat(search.all(Set.of(channel))).hasSize(1);
  }

  @Test
  void channelsWithNameFindsExactNamesOnlyInTheGivenChannels() {
    add(channel, "numpy", "Array computing");
    add(otherChannel, "numpy", "Array computing");
    add(otherChannel, "numpy-base", "Array base");

    assertThat(search.channelsWithName("numpy", Set.of(channel, otherChannel)))
        .containsExactlyInAnyOrder(channel, otherChannel);
    assertThat(search.channelsWithName("numpy", Set.of(otherChannel))).containsExactly(otherChannel);
    assertThat(search.channelsWithName("numpy-base", Set.of(channel))).isEmpty();
    assertThat(search.channelsWithName("numpy", Set.of())).isEmpty();
    assertThat(search.channelsWithName("nump", Set.of(channel, otherChannel))).isEmpty();
  }

  @Test
  void deleteRemovesOneNameFromEveryLookup() {
    add(channel, "numpy", "Array computing");
    add(channel, "numpy-base", "Array base");
    assertThat(query("nunpy").hits()).extracting(SearchHit::name).containsExactly("numpy", "numpy-base");

    search.delete(channel, "numpy");

    assertThat(search.find(channel, "numpy")).isEmpty();
    assertThat(query("numpy").hits()).extracting(SearchHit::name).containsExactly("numpy-base");
    assertThat(query("nunpy").hits()).extracting(SearchHit::name).containsExactly("numpy-base");
    assertThat(query("nunpy-").hits()).extracting(SearchHit::name).containsExactly("numpy-base");
    assertThat(query("nunp").hits()).isEmpty();
    assertThat(query("array").hits()).extracting(SearchHit::name).containsExactly("numpy-base");
  }

  @Test
  void deleteChannelAndChannelRemovalDropItsDocuments() {
    add(channel, "numpy", "Array computing");
    add(otherChannel, "numpy", "Array computing");
    add(otherChannel, "scipy", "Science");

    search.deleteChannel(channel);
    assertThat(search.all(Set.of(channel, otherChannel))).extracting(SearchDocument::channelId, SearchDocument::name)
        .containsExactly(tuple(otherChannel, "numpy"), tuple(otherChannel, "scipy"));

    channels.delete(otherChannel);
    assertThat(search.all(Set.of(otherChannel))).isEmpty();
    assertThat(search.search(new SearchQuery("array", Set.of(otherChannel), Optional.empty(), Optional.empty(), 1, 10))
        .hits()).isEmpty();
    add(channel, "numpy", "Array computing again");
    assertThat(query("array").hits()).extracting(SearchHit::name).containsExactly("numpy");
  }

  @Test
  void allListsDocumentsOfTheChannelsByName() {
    search.upsert(doc(channel, "b", "B", List.of("noarch"), List.of()));
    search.upsert(doc(channel, "a", "A", List.of(), List.of("mit")));
    add(otherChannel, "c", "C");

    assertThat(search.all(Set.of(channel))).extracting(SearchDocument::name, SearchDocument::subdirs,
        SearchDocument::licenseFamilies).containsExactly(
        tuple("a", List.of(), List.of("mit")), tuple("b", List.of("noarch"), List.of()));
    assertThat(search.all(Set.of())).isEmpty();
  }

  @Test
  void summariesCountPackagesAndTellTheNewestUploadPerChannel() {
    long third = channels.create("third-channel", "", Privacy.PUBLIC).id();
    search.upsert(new SearchDocument(channel, "a", "1", null, null, List.of(), List.of(), 3, T0));
    search.upsert(new SearchDocument(channel, "b", "1", null, null, List.of(), List.of(), 1,
        T0.plusSeconds(60)));
    search.upsert(new SearchDocument(otherChannel, "c", "1", null, null, List.of(), List.of(), 2,
        T0.plusSeconds(5)));

    assertThat(search.summaries(Set.of(channel, otherChannel, third))).containsOnly(
        java.util.Map.entry(channel, new ChannelSummary(2, T0.plusSeconds(60))),
        java.util.Map.entry(otherChannel, new ChannelSummary(1, T0.plusSeconds(5))));
    assertThat(search.summaries(Set.of(otherChannel))).containsOnlyKeys(otherChannel);
    assertThat(search.summaries(Set.of())).isEmpty();
  }

  @Test
  void licenseFamilyCountsCountEachPackageOnceForEachOfItsFamiliesPerChannel() {
    long third = channels.create("third-channel", "", Privacy.PUBLIC).id();
    search.upsert(doc(channel, "a", null, List.of(), List.of("mit")));
    search.upsert(doc(channel, "b", null, List.of(), List.of("bsd", "mit")));
    search.upsert(doc(channel, "c", null, List.of(), List.of("bsd", "mit")));
    search.upsert(doc(channel, "d", null, List.of(), List.of()));
    search.upsert(doc(otherChannel, "e", null, List.of(), List.of("gpl3")));
    search.upsert(doc(third, "f", null, List.of(), List.of("mit")));

    assertThat(search.licenseFamilyCounts(Set.of(channel, otherChannel))).containsOnly(
        java.util.Map.entry(channel, java.util.Map.of("mit", 3L, "bsd", 2L)),
        java.util.Map.entry(otherChannel, java.util.Map.of("gpl3", 1L)));
    assertThat(search.licenseFamilyCounts(Set.of())).isEmpty();
  }
}
