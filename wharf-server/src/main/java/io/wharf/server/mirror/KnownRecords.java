package io.wharf.server.mirror;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.function.Consumer;

/**
 * The records a mirror wrote in one subdir, as a run reading upstream's listing of it needs them: each
 * filename with the raw digest ({@link UpstreamRecord#rawDigest}) it was last written from, and which of them
 * upstream still lists. A record listed with the raw digest noted here is unchanged and is passed over with
 * no lookup in the database; one not here is new, so it needs no lookup either; the ones never listed by
 * the end are those upstream dropped.
 *
 * <p>A re-run of a mirror of hundreds of thousands of records compares every one of them, so they are held
 * packed: filenames back to back as UTF-8, digests as 32 bytes each, an open-addressed table of positions
 * (about 90 bytes a record with conda's filenames, a few times less than a map of strings would take).
 * Filled and read by one thread at a time.
 */
final class KnownRecords {
  private static final int DIGEST = 32;

  private byte[] names = new byte[1 << 12];
  private int namesLength;
  private int[] starts = new int[1 << 8]; // record i's name is names[starts[i], starts[i + 1])
  private int[] hashes = new int[1 << 8];
  private byte[] digests = new byte[DIGEST << 8];
  private final BitSet hasDigest = new BitSet();
  private final BitSet listed = new BitSet();
  private int size;
  private int[] slots; // record index + 1 at the slot of its hash, 0 for a free slot
  private int shift; // 32 - log2(slots.length)

  /** Notes a record this mirror wrote; {@code rawSha256} in hex, or null when none was kept. */
  void add(String filename, String rawSha256) {
    if (slots != null) {
      throw new IllegalStateException("records are added before any is looked up");
    }
    byte[] name = filename.getBytes(StandardCharsets.UTF_8);
    if (size + 2 > starts.length) {
      int grown = starts.length * 2;
      starts = Arrays.copyOf(starts, grown);
      hashes = Arrays.copyOf(hashes, grown);
      digests = Arrays.copyOf(digests, grown * DIGEST);
    }
    if (namesLength + name.length > names.length) {
      names = Arrays.copyOf(names, Math.max(namesLength + name.length, names.length * 2));
    }
    System.arraycopy(name, 0, names, namesLength, name.length);
    starts[size] = namesLength;
    namesLength += name.length;
    starts[size + 1] = namesLength;
    hashes[size] = filename.hashCode();
    if (rawSha256 != null && unhex(rawSha256, digests, size * DIGEST)) {
      hasDigest.set(size);
    }
    size++;
  }

  /** How many records are noted. */
  int size() {
    return size;
  }

  /** The position of the record of {@code filename}, or -1 when this mirror has none by that name. */
  int find(String filename) {
    if (slots == null) {
      index();
    }
    int h = filename.hashCode();
    byte[] name = null;
    int mask = slots.length - 1;
    for (int s = slot(h); slots[s] != 0; s = (s + 1) & mask) {
      int i = slots[s] - 1;
      if (hashes[i] != h) {
        continue;
      }
      if (name == null) {
        name = filename.getBytes(StandardCharsets.UTF_8);
      }
      if (Arrays.equals(names, starts[i], starts[i + 1], name, 0, name.length)) {
        return i;
      }
    }
    return -1;
  }

  /** Whether record {@code i} was written from bytes with this raw digest (32 bytes). */
  boolean unchanged(int i, byte[] rawDigest) {
    return hasDigest.get(i) && Arrays.equals(digests, i * DIGEST, (i + 1) * DIGEST, rawDigest, 0, DIGEST);
  }

  /** Notes that upstream still lists record {@code i}. */
  void listed(int i) {
    listed.set(i);
  }

  /** Passes the filename of each record upstream did not list to {@code sink}, in the order they were added. */
  void forEachUnlisted(Consumer<String> sink) {
    for (int i = listed.nextClearBit(0); i < size; i = listed.nextClearBit(i + 1)) {
      sink.accept(new String(names, starts[i], starts[i + 1] - starts[i], StandardCharsets.UTF_8));
    }
  }

  /** Writes the 32 bytes {@code hex} spells at {@code to}; false (and nothing to rely on) when it spells none. */
  private static boolean unhex(String hex, byte[] into, int to) {
    if (hex.length() != DIGEST * 2) {
      return false;
    }
    for (int i = 0; i < DIGEST; i++) {
      int hi = Character.digit(hex.charAt(2 * i), 16);
      int lo = Character.digit(hex.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        return false;
      }
      into[to + i] = (byte) (hi << 4 | lo);
    }
    return true;
  }

  private void index() {
    int capacity = Integer.highestOneBit(Math.max(4, size * 2 - 1)) << 1;
    slots = new int[capacity];
    shift = Integer.numberOfLeadingZeros(capacity) + 1;
    int mask = capacity - 1;
    for (int i = 0; i < size; i++) {
      int s = slot(hashes[i]);
      while (slots[s] != 0) {
        s = (s + 1) & mask;
      }
      slots[s] = i + 1;
    }
  }

  /** The first slot for a hash: its high bits after a multiplicative mix (similar filenames differ little). */
  private int slot(int h) {
    return ((h ^ (h >>> 16)) * 0x9E3779B9) >>> shift;
  }
}
