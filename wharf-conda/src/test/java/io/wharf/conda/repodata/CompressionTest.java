package io.wharf.conda.repodata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class CompressionTest {

  private static final byte[] REPODATA = readRepodata();

  private static byte[] readRepodata() {
    try {
      return Files.readAllBytes(Fixtures.real("conda-format-repo/linux-64/repodata.json"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void zstdIsOneFrameDeclaringItsContentSizeAndRoundTrips() throws Exception {
    byte[] zst = Compression.zstd(REPODATA, Compression.REPODATA_ZSTD_LEVEL);

    assertThat(Zstd.getFrameContentSize(zst)).isEqualTo(REPODATA.length);
    assertThat(Zstd.findFrameCompressedSize(zst)).as("a single frame fills the file").isEqualTo(zst.length);
    assertThat(Compression.unzstd(zst, REPODATA.length)).isEqualTo(REPODATA);
  }

  @Test
  void unzstdRefusesOutputBeyondTheLimit() {
    byte[] bomb = Compression.zstd(new byte[10_000_000], 3);

    assertThat(bomb.length).isLessThan(2000);
    assertThatThrownBy(() -> Compression.unzstd(bomb, 1_000_000)).isInstanceOf(IOException.class)
        .hasMessageContaining("1000000");
  }

  @Test
  void unzstdReadsEveryFrameOfAConcatenation() throws Exception {
    byte[] a = Compression.zstd("first ".getBytes(StandardCharsets.UTF_8), 3);
    byte[] b = Compression.zstd("second".getBytes(StandardCharsets.UTF_8), 3);
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);

    assertThat(new String(Compression.unzstd(both, 100), StandardCharsets.UTF_8)).isEqualTo("first second");
  }

  @Test
  void unzstdRejectsDataThatIsNotZstd() {
    assertThatThrownBy(() -> Compression.unzstd(REPODATA, 1 << 20)).isInstanceOf(IOException.class);
  }

  @Test
  void gzipRoundTripsAndIsByteStable() throws Exception {
    byte[] gz = Compression.gzip(REPODATA);

    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      assertThat(in.readAllBytes()).isEqualTo(REPODATA);
    }
    assertThat(Compression.gzip(REPODATA)).isEqualTo(gz);
  }
}
