package io.wharf.server.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.metadata.PostInstallFlags;
import io.wharf.conda.repodata.ChanneldataBuilder;
import io.wharf.conda.repodata.ChanneldataInput;
import io.wharf.conda.repodata.PatchInstructions;
import io.wharf.conda.version.VersionOrder;
import io.wharf.server.index.store.Layout;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.StoredJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One name's channeldata.json entry (CEP 38), from the metadata stored with each of its files at upload,
 * with each record as repodata publishes it: conda-index computes channeldata from the patched repodata
 * (CONDA.md §3.4). So a record patched in its subdir counts with its patched fields, a record the patch
 * removes counts for nothing, and a revoked one, which repodata still lists (marked {@code revoked}), counts
 * like any other.
 */
final class ChanneldataPublisher {
  static final Layout LAYOUT = Layout.of(new String[] {","}, new boolean[] {true});

  private ChanneldataPublisher() {}

  /**
   * {@code "name":{...}} for the files of one name in one label (any subdir), or nothing when it has none
   * or its subdirs' instructions ({@code patches}, by subdir) remove them all.
   */
  static byte[][] entry(String name, List<PackageFile> rows, Function<String, PatchInstructions> patches) {
    List<ChanneldataInput> inputs = new ArrayList<>(rows.size());
    for (PackageFile f : rows) {
      PatchInstructions.Patched published = patches.apply(f.subdir()).apply(f.filename(), f.recordJson());
      if (published.removed()) {
        continue;
      }
      inputs.add(new ChanneldataInput(f.subdir(), f.filename(),
          (ObjectNode) StoredJson.parse(published.json().orElseThrow()),
          Optional.ofNullable(f.aboutJson()).map(StoredJson::parse).map(ObjectNode.class::cast),
          Optional.ofNullable(f.runExportsJson()).map(StoredJson::parse),
          Optional.ofNullable(f.pathsFlagsJson()).map(StoredJson::parse).map(PostInstallFlags::fromJson),
          Optional.empty()));
    }
    return new byte[][] {NameValues.utf8(ChanneldataBuilder.packageEntry(name, inputs, VersionOrder.COMPARATOR))};
  }
}
