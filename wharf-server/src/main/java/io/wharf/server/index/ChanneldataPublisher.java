package io.wharf.server.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.metadata.PostInstallFlags;
import io.wharf.conda.repodata.ChanneldataBuilder;
import io.wharf.conda.repodata.ChanneldataInput;
import io.wharf.conda.version.VersionOrder;
import io.wharf.server.index.store.Layout;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.StoredJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One name's channeldata.json entry (CEP 38), from the metadata stored with each of its files at upload. */
final class ChanneldataPublisher {
  static final Layout LAYOUT = Layout.of(new String[] {","}, new boolean[] {true});

  private ChanneldataPublisher() {}

  /** {@code "name":{...}} for the files of one name in one label (any subdir), or nothing. */
  static byte[][] entry(String name, List<PackageFile> rows) {
    List<ChanneldataInput> inputs = new ArrayList<>(rows.size());
    for (PackageFile f : rows) {
      inputs.add(new ChanneldataInput(f.subdir(), f.filename(), (ObjectNode) StoredJson.parse(f.recordJson()),
          Optional.ofNullable(f.aboutJson()).map(StoredJson::parse).map(ObjectNode.class::cast),
          Optional.ofNullable(f.runExportsJson()).map(StoredJson::parse),
          Optional.ofNullable(f.pathsFlagsJson()).map(StoredJson::parse).map(PostInstallFlags::fromJson),
          Optional.empty()));
    }
    return new byte[][] {NameValues.utf8(ChanneldataBuilder.packageEntry(name, inputs, VersionOrder.COMPARATOR))};
  }
}
