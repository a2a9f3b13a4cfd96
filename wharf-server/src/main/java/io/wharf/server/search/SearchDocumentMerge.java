package io.wharf.server.search;

import io.wharf.conda.version.VersionOrder;
import io.wharf.server.pkg.PackageFile;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Folds files newly added under one name into its indexed document, giving what
 * {@link SearchDocuments#of} would give from all the name's files, without reading the others: the file
 * count adds up, platforms, license families and newest upload are unions and maxima, and the newest
 * file is either the document's own (its texts are kept) or one of the added files. Only when an added
 * file has the document's latest version (CEP 33 equal) must the stored files of that version be read,
 * to compare build numbers and uploads with the one the document was made from.
 */
final class SearchDocumentMerge {
  /** The stored files of one name whose version string is exactly the given one. */
  interface FilesOfVersion {
    List<PackageFile> of(String version);
  }

  private SearchDocumentMerge() {}

  /**
   * {@code doc}: the document of the name's files before {@code added}; {@code added}: files of that
   * name new to the channel, none of them counted in {@code doc}, at least one. Null when the files
   * of the document's latest version no longer hold the one it was made from: then only a recomputation
   * from all files can tell.
   */
  static SearchDocument merge(SearchDocument doc, List<PackageFile> added, FilesOfVersion stored,
      Function<PackageFile, String> licenseFamilyOf) {
    PackageFile newestAdded = added.stream().max(SearchDocuments.LATEST).orElseThrow();
    int order = VersionOrder.COMPARATOR.compare(newestAdded.version(), doc.latestVersion());
    PackageFile latest = null; // null: the document's own newest file stays the newest
    if (order > 0) {
      latest = newestAdded;
    } else if (order == 0) {
      // The document was made from the newest of these (it carries that file's version string), and
      // every file of a version that sorts equal but is spelled differently sorts below it.
      Set<Long> addedIds = added.stream().map(PackageFile::id).collect(Collectors.toSet());
      PackageFile before = stored.of(doc.latestVersion()).stream().filter(f -> !addedIds.contains(f.id()))
          .max(SearchDocuments.LATEST).orElse(null);
      if (before == null) {
        return null;
      }
      if (SearchDocuments.LATEST.compare(newestAdded, before) > 0) {
        latest = newestAdded;
      }
    }
    TreeSet<String> subdirs = new TreeSet<>(doc.subdirs());
    TreeSet<String> licenses = new TreeSet<>(doc.licenseFamilies());
    Instant updated = doc.updatedAt();
    for (PackageFile f : added) {
      subdirs.add(f.subdir());
      String family = licenseFamilyOf.apply(f);
      if (family != null && !family.isBlank()) {
        licenses.add(family);
      }
      updated = f.uploadedAt().isAfter(updated) ? f.uploadedAt() : updated;
    }
    long count = doc.fileCount() + added.size();
    if (latest == null) {
      return new SearchDocument(doc.channelId(), doc.name(), doc.latestVersion(), doc.summary(),
          doc.description(), List.copyOf(subdirs), List.copyOf(licenses), count, updated);
    }
    SearchDocument texts = SearchDocuments.of(List.of(latest), f -> null);
    return new SearchDocument(doc.channelId(), doc.name(), latest.version(), texts.summary(), texts.description(),
        List.copyOf(subdirs), List.copyOf(licenses), count, updated);
  }
}
