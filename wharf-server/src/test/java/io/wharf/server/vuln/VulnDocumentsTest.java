package io.wharf.server.vuln;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.error.WharfException;
import io.wharf.server.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class VulnDocumentsTest {
  private static final Path NVD = Fixtures.root().resolve("vuln/nvd");

  private static List<VulnRecord> read(String name, byte[] bytes) throws IOException {
    List<VulnRecord> out = new ArrayList<>();
    VulnDocuments.read(name, new ByteArrayInputStream(bytes), out::add);
    return out;
  }

  @Test
  void aYearlyFeedInGzipGivesEveryRecord() throws IOException {
    String feed = "{\"format\":\"NVD_CVE\",\"version\":\"2.0\",\"vulnerabilities\":[{\"cve\":"
        + Files.readString(NVD.resolve("CVE-2022-37434.json")) + "},{\"cve\":"
        + Files.readString(NVD.resolve("CVE-2023-0286.json")) + "}]}";
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write(feed.getBytes(StandardCharsets.UTF_8));
    }

    assertThat(read("nvdcve-2.0-2022.json.gz", gz.toByteArray())).extracting(VulnRecord::recordId)
        .containsExactly("CVE-2022-37434", "CVE-2023-0286");
  }

  @Test
  void zipAndTarGzArchivesAreReadEntryByEntry() throws IOException {
    byte[] zlib = Files.readAllBytes(NVD.resolve("CVE-2022-37434.json"));
    byte[] yaml = Files.readAllBytes(Fixtures.root().resolve("vuln/osv-yaml/requests/PYSEC-2023-74.yaml"));
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(zip)) {
      z.putNextEntry(new ZipEntry("../outside/CVE-2022-37434.json"));
      z.write(zlib);
      z.putNextEntry(new ZipEntry("README.txt"));
      z.write("not data".getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream tgz = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(new GZIPOutputStream(tgz))) {
      TarArchiveEntry e = new TarArchiveEntry("vulns/requests/PYSEC-2023-74.yaml");
      e.setSize(yaml.length);
      t.putArchiveEntry(e);
      t.write(yaml);
      t.closeArchiveEntry();
      TarArchiveEntry link = new TarArchiveEntry("vulns/link.json", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("/etc/passwd");
      t.putArchiveEntry(link);
      t.closeArchiveEntry();
    }

    assertThat(read("data.zip", zip.toByteArray())).extracting(VulnRecord::recordId)
        .containsExactly("CVE-2022-37434");
    assertThat(read("advisories.tar.gz", tgz.toByteArray())).singleElement().satisfies(r -> {
      assertThat(r.recordId()).isEqualTo("PYSEC-2023-74");
      assertThat(r.cveId()).isEqualTo("CVE-2023-32681");
      assertThat(r.source()).isEqualTo(VulnRecord.Source.OSV);
    });
  }

  @Test
  void anImportWhoseDocumentsComeToMoreThanItsBudgetIsRefused() throws IOException {
    byte[] one = Files.readAllBytes(NVD.resolve("CVE-2022-37434.json"));
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(zip)) {
      for (int i = 0; i < 3; i++) {
        z.putNextEntry(new ZipEntry("copy-" + i + ".json"));
        z.write(one);
      }
    }
    List<VulnRecord> seen = new ArrayList<>();

    assertThatThrownBy(() -> VulnDocuments.read("many.zip", new ByteArrayInputStream(zip.toByteArray()), seen::add,
        2L * one.length + 10)).isInstanceOf(WharfException.class).hasMessageContaining("import them in parts");
    assertThat(seen).hasSize(2);
  }

  @Test
  void aDocumentThatIsNeitherFormatIsRefusedByName() {
    assertThatThrownBy(() -> read("odd.json", "{\"hello\":1}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(WharfException.class).hasMessageContaining("odd.json");
    assertThatThrownBy(() -> read("bad.json", "{\"id\":\"X-1\",\"modified\":\"yesterday\"}"
        .getBytes(StandardCharsets.UTF_8))).isInstanceOf(WharfException.class).hasMessageContaining("modified");
  }
}
