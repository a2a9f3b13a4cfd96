package io.wharf.server.mirror;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the members of a repodata document without a general parser: its small members for
 * {@link RepodataStream#head} ({@link #members}), then each member of {@code packages} and
 * {@code packages.conda} as its filename and the exact bytes of its value ({@link #read}). A general parser
 * does more than these passes need and costs more for it: Jackson's byte parser keeps every member name it
 * meets in a symbol table (on a subdir of 500,000 records, filled with filenames met once each, that table
 * was most of a pass's allocation), its character parser has no byte offsets, and either tokenizes every
 * field of every record. Finding where a value ends only needs strings (with their escapes) and brackets, so
 * that is all this follows; the structure around the values (braces, colons, commas, nothing after the
 * document) is checked. What a value holds is checked where it is used: the small members and every record
 * a run writes are parsed by Jackson, and a record skipped unparsed has the very bytes of one parsed before.
 */
final class RecordSpans {
  private static final List<String> RECORD_KEYS = List.of("packages", "packages.conda");

  private final InputStream in;
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int limit;
  private long offset; // of buf[0] in the document
  // the value being kept: bytes before buf[keepFrom] are in kept[0, keptLength)
  private boolean keeping;
  private int keepFrom;
  private byte[] kept = new byte[4096];
  private int keptLength;

  private RecordSpans(InputStream in) {
    this.in = in;
  }

  /**
   * Passes each record to {@code sink} in document order; {@link Malformed} when the file is not as
   * expected. Exceptions of the sink pass through.
   */
  static void read(Path file, RepodataStream.RecordSink sink) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      new RecordSpans(in).document(sink);
    }
  }

  /**
   * Reads through the document's members and passes those named in {@code kept} to {@code sink} as their
   * bytes, without looking into the others: how {@link RepodataStream#head} finds {@code info} and
   * {@code signatures} (which may come after the records) in a document of hundreds of MB. Checks the
   * document is one object whose members are well delimited, and nothing but spaces follows it.
   */
  static void members(Path file, java.util.Set<String> kept, RepodataStream.RecordSink sink) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      RecordSpans spans = new RecordSpans(in);
      spans.spaces();
      spans.object((name, spans1) -> {
        if (kept.contains(name)) {
          sink.accept(name, spans1.keptSpan());
        } else if (RECORD_KEYS.contains(name) && spans1.peekAfterSpace() == '{') {
          spans1.object((filename, records) -> records.value()); // the records' structure, as read() will
        } else {
          spans1.value();
        }
      });
      if (spans.peekAfterSpace() >= 0) {
        throw spans.unexpected(spans.next());
      }
    }
  }

  private void document(RepodataStream.RecordSink sink) throws IOException {
    spaces();
    object((name, spans) -> {
      if (RECORD_KEYS.contains(name) && peekAfterSpace() == '{') {
        records(sink);
      } else {
        value();
      }
    });
  }

  /** What to do with the value of each member of an object, positioned at it. */
  private interface Member {
    void read(String name, RecordSpans spans) throws IOException;
  }

  /** Reads one object, each member's value through {@code member}, up to its closing brace. */
  private void object(Member member) throws IOException {
    expect('{');
    if (peekAfterSpace() == '}') {
      next();
      return;
    }
    while (true) {
      String name = string();
      expectAfterSpace(':');
      member.read(name, this);
      int c = nextAfterSpace();
      if (c == '}') {
        return;
      }
      if (c != ',') {
        throw unexpected(c);
      }
      spaces();
    }
  }

  /** The next value's bytes. */
  private byte[] keptSpan() throws IOException {
    spaces();
    keeping = true;
    keepFrom = pos;
    keptLength = 0;
    value();
    return keptValue();
  }

  private void records(RepodataStream.RecordSink sink) throws IOException {
    object((filename, spans) -> sink.accept(filename, keptSpan()));
  }

  /** Skips one value: a string, an object or array (to its closing bracket), or a scalar. */
  private void value() throws IOException {
    int c = peekAfterSpace();
    if (c < 0) {
      throw unexpected(next());
    } else if (c == '"') {
      skipString();
    } else if (c == '{' || c == '[') {
      skipNested();
    } else if (c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n') {
      while ((c = peek()) >= 0 && c != ',' && c != '}' && c != ']' && !space(c)) {
        next();
      }
    } else {
      throw unexpected(next());
    }
  }

  /**
   * Skips an object or array, positioned at its opening bracket, to just past its closing one; brackets in
   * strings do not count. Every byte of a document's records passes through here (a run over a subdir of
   * 500,000 records scans hundreds of MB twice), so the position stays in a local, and the inside of a string,
   * most of a record's bytes, is searched eight bytes at a time for its closing quote or a backslash.
   */
  private void skipNested() throws IOException {
    byte[] b = buf;
    int p = pos;
    int l = limit;
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    while (true) {
      if (p == l) {
        pos = p;
        if (!fill()) {
          throw unexpected(-1);
        }
        p = pos;
        l = limit;
      }
      if (escaped) { // the byte after a backslash, whatever it is
        p++;
        escaped = false;
      } else if (inString) {
        while (p + Long.BYTES <= l) {
          long w = (long) LONGS.get(b, p);
          long found = zeroBytes(w ^ QUOTES) | zeroBytes(w ^ BACKSLASHES);
          if (found != 0) {
            p += Long.numberOfTrailingZeros(found) >>> 3;
            break;
          }
          p += Long.BYTES;
        }
        for (; p < l; p++) {
          byte c = b[p];
          if (c == '"') {
            inString = false;
            p++;
            break;
          }
          if (c == '\\') {
            escaped = true;
            p++;
            break;
          }
        }
      } else {
        while (p < l) {
          byte c = b[p++];
          if (c == '"') {
            inString = true;
            break;
          } else if (c == '{' || c == '[') {
            depth++;
          } else if ((c == '}' || c == ']') && --depth == 0) {
            pos = p;
            return;
          }
        }
      }
    }
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long QUOTES = ONES * '"';
  private static final long BACKSLASHES = ONES * '\\';

  /**
   * The high bit of each zero byte of {@code v} set. Bytes above the lowest zero byte may be flagged
   * wrongly (a borrow), never the lowest one: read as little-endian, its trailing zeros find the first match.
   */
  private static long zeroBytes(long v) {
    return (v - ONES) & ~v & (ONES << 7);
  }

  private void skipString() throws IOException {
    expect('"');
    int c;
    while ((c = next()) != '"') {
      if (c == '\\') {
        next();
      } else if (c < 0) {
        throw unexpected(c);
      }
    }
  }

  /** A member name; one with escapes is decoded as JSON does. */
  private String string() throws IOException {
    expect('"');
    // most names end within the buffer and hold no escape: taken from it as they are
    for (int p = pos; p < limit; p++) {
      byte c = buf[p];
      if (c == '"') {
        String name = new String(buf, pos, p - pos, StandardCharsets.UTF_8);
        pos = p + 1;
        return name;
      }
      if (c == '\\') {
        break;
      }
    }
    byte[] name = new byte[64];
    int length = 0;
    boolean escaped = false;
    int c;
    while ((c = next()) != '"') {
      if (c < 0) {
        throw unexpected(c);
      }
      if (length + 2 > name.length) {
        name = Arrays.copyOf(name, name.length * 2);
      }
      name[length++] = (byte) c;
      if (c == '\\') {
        escaped = true;
        name[length++] = (byte) next();
      }
    }
    if (!escaped) {
      return new String(name, 0, length, StandardCharsets.UTF_8);
    }
    byte[] quoted = new byte[length + 2];
    quoted[0] = '"';
    System.arraycopy(name, 0, quoted, 1, length);
    quoted[length + 1] = '"';
    return Upstream.JSON.readValue(quoted, String.class);
  }

  private byte[] keptValue() {
    keep(pos);
    keeping = false;
    return Arrays.copyOf(kept, keptLength);
  }

  /** Moves the kept bytes of the buffer, up to {@code end}, aside. */
  private void keep(int end) {
    int n = end - keepFrom;
    if (keptLength + n > kept.length) {
      kept = Arrays.copyOf(kept, Math.max(keptLength + n, kept.length * 2));
    }
    System.arraycopy(buf, keepFrom, kept, keptLength, n);
    keptLength += n;
    keepFrom = end;
  }

  private int peek() throws IOException {
    if (pos == limit && !fill()) {
      return -1;
    }
    return buf[pos] & 0xff;
  }

  private int next() throws IOException {
    if (pos == limit && !fill()) {
      return -1;
    }
    return buf[pos++] & 0xff;
  }

  private boolean fill() throws IOException {
    if (keeping) {
      keep(limit);
    }
    offset += limit;
    pos = 0;
    keepFrom = 0;
    limit = Math.max(0, in.readNBytes(buf, 0, buf.length));
    return limit > 0;
  }

  private void spaces() throws IOException {
    int c;
    while ((c = peek()) >= 0 && space(c)) {
      pos++;
    }
  }

  private int peekAfterSpace() throws IOException {
    spaces();
    return peek();
  }

  private int nextAfterSpace() throws IOException {
    spaces();
    return next();
  }

  private void expect(int wanted) throws IOException {
    int c = next();
    if (c != wanted) {
      throw unexpected(c);
    }
  }

  private void expectAfterSpace(int wanted) throws IOException {
    spaces();
    expect(wanted);
  }

  private static boolean space(int c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private Malformed unexpected(int c) {
    long at = offset + pos - 1;
    return new Malformed(c < 0 ? "the document ended early" : "unexpected '" + (char) c + "' at byte " + at);
  }

  /** The document is not as {@link RepodataStream#head} found it (changed since, or not JSON after all). */
  static final class Malformed extends IOException {
    Malformed(String message) {
      super(message);
    }
  }
}
