package io.wharf.server.sbom;

import org.cyclonedx.model.Bom;

/**
 * Adds a section to a CycloneDX document after the package, its dependencies and files are in place: the
 * way for later data about a file (CycloneDX {@code vulnerabilities}, whose {@code affects} refer to the
 * package's {@code bom-ref}, {@link CycloneDxWriter#packageRef}) to reach the download.
 */
@FunctionalInterface
public interface BomExtension {
  void extend(Bom bom, SbomSubject subject);
}
