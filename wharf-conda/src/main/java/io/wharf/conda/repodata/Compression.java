package io.wharf.conda.repodata;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Compressed copies of derived metadata (CONDA.md §3.2, §4). */
public final class Compression {

  /**
   * conda-index compresses repodata.json.zst at level 16 (conda_index/index/__init__.py), but it runs
   * as a batch job, while a server republishes on every upload. On 3 MB of real repodata level 9 takes
   * ~57 ms for 494 KB where level 16 takes ~760 ms for 437 KB (docs/benchmarks.md): 13% more bytes for
   * a publish that is an order of magnitude faster.
   */
  public static final int REPODATA_ZSTD_LEVEL = 9;

  /** conda-index's level, kept for comparison in benchmarks. */
  public static final int CONDA_INDEX_ZSTD_LEVEL = 16;

  private Compression() {}

  /**
   * One zstd frame that declares its content size and uses no long-distance window, so that
   * python-zstandard (which stops after the first frame and caps the window at 2^27) reads it.
   */
  public static byte[] zstd(byte[] data, int level) {
    return Zstd.compress(data, level);
  }

  /** gzip for serving {@code .json} with {@code Content-Encoding: gzip}; the header has no mtime, so bytes are stable. */
  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(64, data.length / 4));
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 65536) {
      {
        def.setLevel(Deflater.BEST_COMPRESSION);
      }
    }) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decompresses all frames of {@code data}, refusing output larger than {@code maxBytes}: the input
   * may come from an untrusted mirror, and a few bytes of zstd can claim gigabytes.
   */
  public static byte[] unzstd(byte[] data, long maxBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(
        (int) Math.min(Math.min(maxBytes, 1L << 26), Math.max(1024, data.length * 4L)));
    try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(data))) {
      byte[] buffer = new byte[65536];
      long total = 0;
      int n;
      while ((n = in.read(buffer)) != -1) {
        total += n;
        if (total > maxBytes) {
          throw new IOException("zstd data decompresses to more than " + maxBytes + " bytes");
        }
        out.write(buffer, 0, n);
      }
    }
    return out.toByteArray();
  }
}
