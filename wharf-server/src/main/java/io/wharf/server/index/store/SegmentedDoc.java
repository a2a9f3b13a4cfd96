package io.wharf.server.index.store;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * An ordered map from key (a package name) to per-part values, kept as immutable segments of
 * consecutive keys. A change rewrites only the segments holding changed keys, so its cost follows the
 * size of a segment, not of the document; unchanged segments are shared with the previous version.
 *
 * <p>Where a segment ends depends only on the keys (content-defined: after a key whose hash has its
 * top three bits clear, so about 8 keys a segment), so two nodes, or a node before and after a restart,
 * cut the same keys into the same segments and publish byte-identical documents with equal ETags.
 */
public final class SegmentedDoc {
  /** A pathological run without cut points is cut anyway once its text reaches this size. */
  static final int MAX_SEGMENT_BYTES = 8 << 20;

  private final Layout layout;
  private final SegmentFiles files;
  private final List<Segment> segments;

  private SegmentedDoc(Layout layout, SegmentFiles files, List<Segment> segments) {
    this.layout = layout;
    this.files = files;
    this.segments = segments;
  }

  public static SegmentedDoc empty(Layout layout, SegmentFiles files) {
    return new SegmentedDoc(layout, files, List.of());
  }

  public List<Segment> segments() {
    return segments;
  }

  public Layout layout() {
    return layout;
  }

  public int keyCount() {
    int n = 0;
    for (Segment s : segments) {
      n += s.size();
    }
    return n;
  }

  static boolean isCutPoint(String key) {
    int h = key.hashCode() * 0x9E3779B9;
    return (h >>> 29) == 0;
  }

  /** Builds a document from keys given in ascending order (values per part; empty arrays for none). */
  public static final class Builder {
    private final Layout layout;
    private final SegmentFiles files;
    private final List<Segment> out = new ArrayList<>();
    private final Run run;
    private String last;

    public Builder(Layout layout, SegmentFiles files) {
      this.layout = layout;
      this.files = files;
      this.run = new Run(layout, files, out);
    }

    public Builder add(String key, byte[][] values) {
      if (last != null && key.compareTo(last) <= 0) {
        throw new IllegalArgumentException("keys out of order: " + key + " after " + last);
      }
      last = key;
      run.add(key, values);
      return this;
    }

    public SegmentedDoc build() {
      run.flush();
      return new SegmentedDoc(layout, files, List.copyOf(out));
    }
  }

  /** Collects entries and closes a segment at each cut point. */
  private static final class Run {
    private final Layout layout;
    private final SegmentFiles files;
    private final List<Segment> out;
    private final List<SegmentWriter.Entry> pending = new ArrayList<>();
    private long bytes;

    Run(Layout layout, SegmentFiles files, List<Segment> out) {
      this.layout = layout;
      this.files = files;
      this.out = out;
    }

    void add(String key, byte[][] values) {
      if (isEmpty(values)) {
        return;
      }
      pending.add(new SegmentWriter.Entry(key, values));
      for (byte[] v : values) {
        bytes += v.length;
      }
      if (isCutPoint(key) || bytes >= MAX_SEGMENT_BYTES) {
        flush();
      }
    }

    boolean open() {
      return !pending.isEmpty();
    }

    void flush() {
      if (!pending.isEmpty()) {
        out.add(SegmentWriter.write(layout, files, pending));
        pending.clear();
        bytes = 0;
      }
    }
  }

  private static boolean isEmpty(byte[][] values) {
    for (byte[] v : values) {
      if (v.length > 0) {
        return false;
      }
    }
    return true;
  }

  /** What {@link #apply} produced: the new document and the segments only the old one used. */
  public record Applied(SegmentedDoc doc, List<Segment> retired) {}

  /**
   * A new document with the changed keys set to their new values; a key whose values are all empty is
   * removed. Only the segments whose key range holds a changed key are rewritten (plus the following
   * one when a removed key was a segment's last key, since the two then form one run).
   */
  public Applied apply(NavigableMap<String, byte[][]> changes) {
    if (changes.isEmpty()) {
      return new Applied(this, List.of());
    }
    List<Segment> result = new ArrayList<>(segments.size() + 2);
    List<Segment> retired = new ArrayList<>();
    Run run = new Run(layout, files, result);
    Iterator<Map.Entry<String, byte[][]>> pendingChanges = changes.entrySet().iterator();
    Map.Entry<String, byte[][]> change = pendingChanges.next();
    for (int i = 0; i < segments.size(); i++) {
      Segment s = segments.get(i);
      boolean lastSegment = i == segments.size() - 1;
      boolean touched = change != null && (lastSegment || change.getKey().compareTo(s.lastKey()) <= 0);
      if (!touched && !run.open()) {
        result.add(s);
        continue;
      }
      retired.add(s);
      // merge this segment's keys with the changes that fall into its range
      for (int k = 0; k < s.size(); k++) {
        String key = s.keys[k];
        while (change != null && change.getKey().compareTo(key) < 0) {
          run.add(change.getKey(), change.getValue());
          change = pendingChanges.hasNext() ? pendingChanges.next() : null;
        }
        if (change != null && change.getKey().equals(key)) {
          run.add(key, change.getValue());
          change = pendingChanges.hasNext() ? pendingChanges.next() : null;
        } else {
          run.add(key, copyValues(s, k));
        }
      }
      if (lastSegment) {
        while (change != null) {
          run.add(change.getKey(), change.getValue());
          change = pendingChanges.hasNext() ? pendingChanges.next() : null;
        }
      }
    }
    while (change != null) { // the document was empty
      run.add(change.getKey(), change.getValue());
      change = pendingChanges.hasNext() ? pendingChanges.next() : null;
    }
    run.flush();
    return new Applied(new SegmentedDoc(layout, files, Collections.unmodifiableList(result)), retired);
  }

  private byte[][] copyValues(Segment s, int k) {
    byte[][] values = new byte[layout.parts()][];
    for (int p = 0; p < values.length; p++) {
      ByteBuffer b = s.valueAt(p, k);
      values[p] = b == null ? new byte[0] : bytes(b);
    }
    return values;
  }

  static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  /** The segment that would hold {@code key}, or null for an empty document. */
  public Segment segmentFor(String key) {
    int lo = 0;
    int hi = segments.size() - 1;
    if (hi < 0) {
      return null;
    }
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (segments.get(mid).lastKey().compareTo(key) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return segments.get(lo);
  }

  /** The value of {@code key} in {@code part}, or null. */
  public ByteBuffer value(int part, String key) {
    Segment s = segmentFor(key);
    return s == null ? null : s.value(part, key);
  }
}
