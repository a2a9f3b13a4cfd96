package io.wharf.server.index;

import io.wharf.server.pkg.StoredJson;
import io.wharf.conda.version.VersionOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.repodata.ChanneldataBuilder;
import io.wharf.conda.repodata.ChanneldataInput;
import io.wharf.conda.metadata.PostInstallFlags;
import io.wharf.server.pkg.PackageFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** channeldata.json (CEP 38) of one channel location, from the metadata stored with each file at upload. */
final class ChanneldataPublisher {

  private ChanneldataPublisher() {}

  static byte[] publish(List<PackageFile> rows) {
    List<ChanneldataInput> inputs = new ArrayList<>(rows.size());
    for (PackageFile f : rows) {
      inputs.add(new ChanneldataInput(f.subdir(), f.filename(), (ObjectNode) StoredJson.parse(f.recordJson()),
          Optional.ofNullable(f.aboutJson()).map(StoredJson::parse).map(ObjectNode.class::cast),
          Optional.ofNullable(f.runExportsJson()).map(StoredJson::parse),
          Optional.ofNullable(f.pathsFlagsJson()).map(StoredJson::parse).map(PostInstallFlags::fromJson),
          Optional.empty()));
    }
    return ChanneldataBuilder.build(inputs, List.of("noarch"), VersionOrder.COMPARATOR);
  }

}
