package io.wharf.server.sbom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.pkg.InstalledFiles;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * SPDX 2.3 JSON (spdx-spec v2.3, clauses 6-11 and the JSON serialization of annex): one document that
 * DESCRIBES the package file; the package DEPENDS_ON one package per {@code depends} name and CONTAINS
 * one file per regular file it installs, with the SHA1 SPDX requires (§8.4) and the sha256 paths.json
 * records. Links have no content to hash and are left out of the SPDX listing (CycloneDX lists them).
 */
final class SpdxWriter {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final String NOASSERTION = "NOASSERTION";
  static final String PACKAGE_ID = "SPDXRef-Package";

  private SpdxWriter() {}

  static byte[] write(SbomSubject s, Instant now, String tool) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("spdxVersion", "SPDX-2.3");
    doc.put("dataLicense", "CC0-1.0");
    doc.put("SPDXID", "SPDXRef-DOCUMENT");
    doc.put("name", s.file().filename());
    // Unique per document (§6.5): the file's download URL, its sha256, and a random part per generation.
    doc.put("documentNamespace", s.downloadUrl() + "/spdx/" + s.file().sha256() + "-" + UUID.randomUUID());
    ObjectNode creation = doc.putObject("creationInfo");
    creation.put("created", now.truncatedTo(ChronoUnit.SECONDS).toString());
    creation.putArray("creators").add("Tool: " + tool);
    ArrayNode packages = doc.putArray("packages");
    ArrayNode files = JSON.createArrayNode();
    ArrayNode relationships = JSON.createArrayNode();
    relate(relationships, "SPDXRef-DOCUMENT", "DESCRIBES", PACKAGE_ID);

    ObjectNode main = packages.addObject();
    main.put("SPDXID", PACKAGE_ID);
    main.put("name", s.file().name());
    main.put("versionInfo", s.file().version());
    main.put("packageFileName", s.file().filename());
    main.put("supplier", "Organization: " + s.channel());
    main.put("downloadLocation", downloadLocation(s.downloadUrl()));
    List<InstalledFiles.File> hashed = s.installed().files().stream().filter(f -> f.sha1() != null).toList();
    main.put("filesAnalyzed", !hashed.isEmpty());
    if (!hashed.isEmpty()) {
      main.putObject("packageVerificationCode").put("packageVerificationCodeValue", verificationCode(hashed));
    }
    ArrayNode sums = main.putArray("checksums");
    sums.addObject().put("algorithm", "MD5").put("checksumValue", s.file().md5());
    sums.addObject().put("algorithm", "SHA256").put("checksumValue", s.file().sha256());
    // about.json is the uploader's text: only a well-formed web URL is a homepage (§7.11)
    s.home().filter(h -> io.wharf.server.ui.Links.safeHref(h) != null && h.toLowerCase(java.util.Locale.ROOT)
        .matches("https?://.*")).ifPresent(h -> main.put("homepage", h));
    main.put("licenseConcluded", NOASSERTION);
    SbomLicense license = SbomLicense.of(s.license());
    main.put("licenseDeclared", declared(license));
    main.put("copyrightText", NOASSERTION);
    s.summary().ifPresent(t -> main.put("summary", t));
    main.put("primaryPackagePurpose", "LIBRARY");
    ArrayNode refs = main.putArray("externalRefs");
    refs.addObject().put("referenceCategory", "PACKAGE-MANAGER").put("referenceType", "purl")
        .put("referenceLocator", CondaPurl.of(s).canonicalize());
    if (license instanceof SbomLicense.Unmapped u) {
      doc.putArray("hasExtractedLicensingInfos").addObject().put("licenseId", u.licenseRef())
          .put("name", u.text()).put("extractedText", u.text());
    }

    int n = 0;
    for (SbomSubject.Dependency d : s.depends()) {
      String id = "SPDXRef-Dependency-" + (++n);
      ObjectNode p = packages.addObject();
      p.put("SPDXID", id);
      p.put("name", d.name());
      p.put("downloadLocation", NOASSERTION);
      p.put("filesAnalyzed", false);
      p.put("licenseConcluded", NOASSERTION);
      p.put("licenseDeclared", NOASSERTION);
      p.put("copyrightText", NOASSERTION);
      p.put("comment", "conda dependency spec: " + d.spec());
      p.putArray("externalRefs").addObject().put("referenceCategory", "PACKAGE-MANAGER")
          .put("referenceType", "purl").put("referenceLocator", CondaPurl.ofName(d.name()).canonicalize());
      relate(relationships, PACKAGE_ID, "DEPENDS_ON", id);
    }
    n = 0;
    for (InstalledFiles.File f : hashed) {
      String id = "SPDXRef-File-" + (++n);
      ObjectNode file = files.addObject();
      file.put("SPDXID", id);
      file.put("fileName", "./" + f.path()); // §8.1: relative to the package root, starting with "./"
      ArrayNode fileSums = file.putArray("checksums");
      fileSums.addObject().put("algorithm", "SHA1").put("checksumValue", f.sha1());
      if (f.sha256() != null) {
        fileSums.addObject().put("algorithm", "SHA256").put("checksumValue", f.sha256());
      }
      file.put("licenseConcluded", NOASSERTION);
      file.put("copyrightText", NOASSERTION);
      if (f.size() != null) {
        file.put("comment", "size: " + f.size() + " bytes");
      }
      relate(relationships, PACKAGE_ID, "CONTAINS", id);
    }
    if (!files.isEmpty()) {
      doc.set("files", files);
    }
    doc.set("relationships", relationships);
    try {
      return JSON.writeValueAsString(doc).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * §7.9: the SHA1 of the files' SHA1 values, lowercase hex, sorted and concatenated (no file of the package
   * is an SPDX document, so none is excluded).
   */
  static String verificationCode(List<InstalledFiles.File> files) {
    StringBuilder all = new StringBuilder();
    files.stream().map(InstalledFiles.File::sha1).sorted().forEach(all::append);
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
          .digest(all.toString().getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * §7.7 allows a URL whose host is a domain name; a server known only by an address or a single-label
   * name (a test, a private network) gives NOASSERTION there, and its URL stays in the purl.
   */
  static String downloadLocation(String url) {
    try {
      String host = URI.create(url).getHost();
      return host != null && DOMAIN.matcher(host).matches() ? url : NOASSERTION;
    } catch (IllegalArgumentException e) {
      return NOASSERTION;
    }
  }

  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]+([-.][a-z0-9]+)*\\.[a-z]{2,5}");

  private static String declared(SbomLicense license) {
    if (license instanceof SbomLicense.Expression e) {
      return e.expression();
    }
    return license instanceof SbomLicense.Unmapped u ? u.licenseRef() : NOASSERTION;
  }

  private static void relate(ArrayNode relationships, String from, String type, String to) {
    relationships.addObject().put("spdxElementId", from).put("relationshipType", type)
        .put("relatedSpdxElement", to);
  }
}
