package io.wharf.server.index;

import io.wharf.conda.version.VersionOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.repodata.ChanneldataBuilder;
import io.wharf.conda.repodata.ChanneldataInput;
import io.wharf.conda.metadata.PostInstallFlags;
import io.wharf.server.pkg.PackageFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** channeldata.json (CEP 38) of one channel location, from the metadata stored with each file at upload. */
final class ChanneldataPublisher {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ChanneldataPublisher() {}

  static byte[] publish(List<PackageFile> rows) {
    List<ChanneldataInput> inputs = new ArrayList<>(rows.size());
    for (PackageFile f : rows) {
      inputs.add(new ChanneldataInput(f.subdir(), f.filename(), (ObjectNode) read(f.recordJson()),
          Optional.ofNullable(f.aboutJson()).map(ChanneldataPublisher::read).map(ObjectNode.class::cast),
          Optional.ofNullable(f.runExportsJson()).map(ChanneldataPublisher::read),
          Optional.ofNullable(f.pathsFlagsJson()).map(ChanneldataPublisher::read).map(PostInstallFlags::fromJson),
          Optional.empty()));
    }
    return ChanneldataBuilder.build(inputs, List.of("noarch"), VersionOrder.COMPARATOR);
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("stored metadata is not JSON", e);
    }
  }
}
