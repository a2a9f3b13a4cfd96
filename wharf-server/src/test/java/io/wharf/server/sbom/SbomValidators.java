package io.wharf.server.sbom;

import java.io.ByteArrayInputStream;
import java.util.List;
import org.cyclonedx.Version;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.parsers.JsonParser;
import org.spdx.jacksonstore.MultiFormatStore;
import org.spdx.library.SpdxModelFactory;
import org.spdx.library.model.v2.SpdxDocument;
import org.spdx.storage.simple.InMemSpdxStore;

/** The formats' own validators: CycloneDX's bundled 1.6 JSON schema, and the SPDX library's verify. */
final class SbomValidators {
  static {
    // the license list bundled in the SPDX library, never the network
    System.setProperty("org.spdx.useJARLicenseInfoOnly", "true");
    SpdxModelFactory.init();
  }

  private SbomValidators() {}

  /** Schema violations of a CycloneDX 1.6 JSON document; empty when valid. */
  static List<String> cycloneDx(byte[] json) throws Exception {
    return new JsonParser().validate(json, Version.VERSION_16).stream().map(ParseException::getMessage).toList();
  }

  /** Read back by the SPDX library (spdx-jackson-store) and verified as SPDX 2.3. */
  static List<String> spdx(byte[] json) throws Exception {
    return read(json).verify("SPDX-2.3");
  }

  static SpdxDocument read(byte[] json) throws Exception {
    MultiFormatStore store = new MultiFormatStore(new InMemSpdxStore(), MultiFormatStore.Format.JSON);
    return store.deSerialize(new ByteArrayInputStream(json), false);
  }
}
