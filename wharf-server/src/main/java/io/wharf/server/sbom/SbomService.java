package io.wharf.server.sbom;

import io.wharf.server.channel.Channel;
import io.wharf.server.pkg.PackageContents;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.PackageService;
import java.time.Clock;
import java.util.List;

/** The SBOM of one stored package file, in SPDX 2.3 or CycloneDX 1.6 JSON. */
public final class SbomService {
  static final String TOOL = "wharf";
  static final String TOOL_VERSION = "0.1.0";

  private final PackageService packages;
  private final PackageContents contents;
  private final List<BomExtension> extensions;
  private final Clock clock;

  public SbomService(PackageService packages, PackageContents contents) {
    this(packages, contents, List.of(), Clock.systemUTC());
  }

  public SbomService(PackageService packages, PackageContents contents, List<BomExtension> extensions, Clock clock) {
    this.packages = packages;
    this.contents = contents;
    this.extensions = List.copyOf(extensions);
    this.clock = clock;
  }

  /** A written document and the name to download it as. */
  public record Sbom(String filename, SbomFormat format, byte[] body) {}

  /**
   * The SBOM of the file at this location (404 {@code file_not_found} when there is none, 409
   * {@code sbom_unavailable} when its package cannot be read).
   *
   * @param channelUrl the public URL the file's channel label is served from, for the purl and download
   *     location
   */
  public Sbom sbom(Channel channel, String label, String subdir, String filename, SbomFormat format,
      java.util.function.Function<PackageFile, String> channelUrl) {
    PackageFile file = packages.file(channel, label, subdir, filename);
    SbomSubject subject = SbomSubject.of(file, channel.name(), channelUrl.apply(file), contents.of(file));
    byte[] body;
    if (format == SbomFormat.CYCLONEDX) {
      org.cyclonedx.model.Bom bom = CycloneDxWriter.bom(subject, clock.instant(), TOOL, TOOL_VERSION);
      extensions.forEach(e -> e.extend(bom, subject));
      body = CycloneDxWriter.write(bom);
    } else {
      body = SpdxWriter.write(subject, clock.instant(), TOOL + "-" + TOOL_VERSION);
    }
    return new Sbom(filename + format.suffix(), format, body);
  }
}
