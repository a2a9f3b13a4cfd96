package io.wharf.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CphPackagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MEMBER_BYTES = 1 << 20;

    @TempDir
    Path out;

    @Test
    void buildsCondaPackageWhoseInfoArchiveHoldsTheIndexJson() throws Exception {
        CphPackages.assumeAvailable();

        Path pkg = CphPackages.build(out, "b", "1.2", "h0_3", 3, "linux-64", List.of("a >=1"), "conda");

        assertThat(pkg).isEqualTo(out.resolve("b-1.2-h0_3.conda")).isRegularFile();
        Map<String, byte[]> info = condaMembers(pkg, "info-b-1.2-h0_3.tar.zst");
        JsonNode index = JSON.readTree(info.get("info/index.json"));
        assertThat(index.get("name").asText()).isEqualTo("b");
        assertThat(index.get("version").asText()).isEqualTo("1.2");
        assertThat(index.get("build").asText()).isEqualTo("h0_3");
        assertThat(index.get("build_number").asInt()).isEqualTo(3);
        assertThat(index.get("subdir").asText()).isEqualTo("linux-64");
        assertThat(index.get("platform").asText()).isEqualTo("linux");
        assertThat(index.get("arch").asText()).isEqualTo("x86_64");
        assertThat(index.get("depends")).extracting(JsonNode::asText).containsExactly("a >=1");
        assertThat(index.has("noarch")).isFalse();
        assertThat(index.get("timestamp").asLong()).isPositive();

        Map<String, byte[]> payload = condaMembers(pkg, "pkg-b-1.2-h0_3.tar.zst");
        assertThat(payload).containsKey("share/b/README.txt");
        assertPathsJsonDescribes(info.get("info/paths.json"), payload);
    }

    @Test
    void buildsNoarchTarBz2WithGenericNoarchAndNullPlatform() throws Exception {
        CphPackages.assumeAvailable();

        Path pkg = CphPackages.build(out, "a", "2.0", "0", 0, "noarch", List.of(), "tar.bz2");

        assertThat(pkg).isEqualTo(out.resolve("a-2.0-0.tar.bz2")).isRegularFile();
        Map<String, byte[]> members;
        try (InputStream in = Files.newInputStream(pkg)) {
            members = tarMembers(new BZip2CompressorInputStream(in));
        }
        JsonNode index = JSON.readTree(members.get("info/index.json"));
        assertThat(index.get("noarch").asText()).isEqualTo("generic");
        assertThat(index.get("subdir").asText()).isEqualTo("noarch");
        assertThat(index.get("platform").isNull()).isTrue();
        assertThat(index.get("arch").isNull()).isTrue();
        assertThat(index.get("depends")).isEmpty();
        assertPathsJsonDescribes(members.get("info/paths.json"), members);
    }

    @Test
    void rejectsPackagePartsThatWouldEscapeTheOutputFolder() {
        assertThatThrownBy(() -> CphPackages.build(out, "../evil", "1", "0", 0, "noarch", List.of(), "conda"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name");
        assertThatThrownBy(() -> CphPackages.build(out, "a", "1/2", "0", 0, "noarch", List.of(), "conda"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version");
    }

    @Test
    void rejectsFormatsCondaDoesNotKnow() {
        assertThatThrownBy(() -> CphPackages.build(out, "a", "1", "0", 0, "noarch", List.of(), "zip"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format");
    }

    private static void assertPathsJsonDescribes(byte[] pathsJson, Map<String, byte[]> payload) throws Exception {
        JsonNode paths = JSON.readTree(pathsJson);
        assertThat(paths.get("paths_version").asInt()).isEqualTo(1);
        assertThat(paths.get("paths")).hasSize(1);
        JsonNode entry = paths.get("paths").get(0);
        byte[] file = payload.get(entry.get("_path").asText());
        assertThat(file).isNotNull();
        assertThat(entry.get("size_in_bytes").asLong()).isEqualTo(file.length);
        assertThat(entry.get("sha256").asText())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
    }

    private static Map<String, byte[]> condaMembers(Path conda, String innerTar) throws IOException {
        try (ZipFile zip = ZipFile.builder().setPath(conda).get()) {
            ZipArchiveEntry entry = zip.getEntry(innerTar);
            assertThat(entry).as("%s in %s", innerTar, conda.getFileName()).isNotNull();
            try (InputStream in = new ZstdCompressorInputStream(zip.getInputStream(entry))) {
                return tarMembers(in);
            }
        }
    }

    private static Map<String, byte[]> tarMembers(InputStream compressed) throws IOException {
        Map<String, byte[]> members = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(compressed)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile()) {
                    assertThat(entry.getSize()).isLessThan(MAX_MEMBER_BYTES);
                    members.put(entry.getName(), tar.readNBytes(MAX_MEMBER_BYTES));
                }
            }
        }
        return members;
    }
}
