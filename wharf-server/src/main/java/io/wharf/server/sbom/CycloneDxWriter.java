package io.wharf.server.sbom;

import com.github.packageurl.PackageURL;
import io.wharf.server.pkg.InstalledFiles;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.OrganizationalEntity;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.license.Expression;
import org.cyclonedx.model.metadata.ToolInformation;

/**
 * CycloneDX 1.6 JSON (bom-1.6.schema.json): the package file is the metadata component; each
 * {@code depends} name is a library component the package depends on (the dependency graph names only the
 * package's own edges: what its dependencies need is not known from this file), and each entry of
 * {@code info/paths.json} a file component with its sha256. {@link BomExtension}s add later sections.
 */
final class CycloneDxWriter {
  private CycloneDxWriter() {}

  /** The package's bom-ref: its purl, unique in the document. */
  static String packageRef(SbomSubject s) {
    return CondaPurl.of(s).canonicalize();
  }

  static Bom bom(SbomSubject s, Instant now, String toolName, String toolVersion) {
    Bom bom = new Bom();
    bom.setSerialNumber("urn:uuid:" + UUID.randomUUID());
    bom.setVersion(1);
    Metadata metadata = new Metadata();
    metadata.setTimestamp(Date.from(now));
    Component tool = new Component();
    tool.setType(Component.Type.APPLICATION);
    tool.setName(toolName);
    tool.setVersion(toolVersion);
    ToolInformation tools = new ToolInformation();
    tools.setComponents(List.of(tool));
    metadata.setToolChoice(tools);
    metadata.setComponent(packageComponent(s));
    bom.setMetadata(metadata);

    List<Component> components = new ArrayList<>();
    Dependency graph = new Dependency(packageRef(s));
    for (SbomSubject.Dependency d : s.depends()) {
      PackageURL purl = CondaPurl.ofName(d.name());
      Component c = new Component();
      c.setType(Component.Type.LIBRARY);
      c.setBomRef(purl.canonicalize());
      c.setName(d.name());
      c.setPurl(purl);
      c.addProperty(property("conda:depends", d.spec()));
      components.add(c);
      graph.addDependency(new Dependency(purl.canonicalize()));
    }
    int n = 0;
    for (InstalledFiles.File f : s.installed().files()) {
      Component c = new Component();
      c.setType(Component.Type.FILE);
      c.setBomRef("file-" + (++n));
      c.setName(f.path());
      if (f.sha1() != null) {
        c.addHash(new Hash(Hash.Algorithm.SHA1, f.sha1()));
      }
      if (f.sha256() != null) {
        c.addHash(new Hash(Hash.Algorithm.SHA_256, f.sha256()));
      }
      if (f.size() != null) {
        c.addProperty(property("conda:size_in_bytes", Long.toString(f.size())));
      }
      components.add(c);
    }
    bom.setComponents(components);
    bom.setDependencies(new ArrayList<>(List.of(graph)));
    return bom;
  }

  static byte[] write(Bom bom) {
    try {
      return BomGeneratorFactory.createJson(Version.VERSION_16, bom).toJsonString()
          .getBytes(StandardCharsets.UTF_8);
    } catch (GeneratorException e) {
      throw new IllegalStateException("the CycloneDX document cannot be written", e);
    }
  }

  private static Component packageComponent(SbomSubject s) {
    Component c = new Component();
    c.setType(Component.Type.LIBRARY);
    c.setBomRef(packageRef(s));
    c.setName(s.file().name());
    c.setVersion(s.file().version());
    c.setPurl(CondaPurl.of(s));
    c.addHash(new Hash(Hash.Algorithm.MD5, s.file().md5()));
    c.addHash(new Hash(Hash.Algorithm.SHA_256, s.file().sha256()));
    s.summary().ifPresent(c::setDescription);
    OrganizationalEntity supplier = new OrganizationalEntity();
    supplier.setName(s.channel());
    supplier.setUrls(List.of(s.channelUrl()));
    c.setSupplier(supplier);
    LicenseChoice licenses = licenses(SbomLicense.of(s.license()));
    if (licenses != null) {
      c.setLicenses(licenses);
    }
    c.addProperty(property("conda:build", s.file().build()));
    c.addProperty(property("conda:subdir", s.file().subdir()));
    c.addProperty(property("conda:filename", s.file().filename()));
    return c;
  }

  /** One listed id as {@code license.id}, an expression as the one {@code expression}, other text as a name. */
  private static LicenseChoice licenses(SbomLicense license) {
    LicenseChoice choice = new LicenseChoice();
    if (license instanceof SbomLicense.Expression e && e.singleId() && !e.expression().endsWith("+")) {
      License l = new License();
      l.setId(e.expression());
      choice.addLicense(l);
    } else if (license instanceof SbomLicense.Expression e) {
      choice.setExpression(new Expression(e.expression()));
    } else if (license instanceof SbomLicense.Unmapped u) {
      License l = new License();
      l.setName(u.text());
      choice.addLicense(l);
    } else {
      return null;
    }
    return choice;
  }

  private static Property property(String name, String value) {
    Property p = new Property();
    p.setName(name);
    p.setValue(value);
    return p;
  }
}
