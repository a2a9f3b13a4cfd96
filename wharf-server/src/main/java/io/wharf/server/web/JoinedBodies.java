package io.wharf.server.web;

import io.wharf.server.index.Artifact;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Published documents joined into one direct buffer each, so that serving one is a single write, as for a
 * file: written piece by piece, a document of many small pieces costs a write, a wait for the socket and a
 * wake-up per buffer. Only documents up to {@link #MAX_BODY} are joined, and at most {@link #BUDGET} bytes
 * are kept; past it the cache starts over. A body is immutable (a new publication makes a new one), so
 * a joined copy never goes stale; it is keyed by the body's identity.
 */
final class JoinedBodies {
  static final long MAX_BODY = 8L << 20;
  static final long BUDGET = 64L << 20;

  private record Key(Artifact.Body body) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.body == body;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(body);
    }
  }

  private final Map<Key, ByteBuffer> joined = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();

  /** The body's joined copy when it is made already, else null; never copies, so it never touches a mapped file. */
  ByteBuffer cached(Artifact.Body body) {
    ByteBuffer whole = joined.get(new Key(body));
    return whole == null ? null : whole.duplicate();
  }

  /** The body as one read-only buffer of its own position, or null when it is not worth joining. */
  ByteBuffer get(Artifact.Body body) {
    if (body.parts().size() < 2 || body.length() > MAX_BODY) {
      return null;
    }
    Key key = new Key(body);
    ByteBuffer whole = joined.get(key);
    if (whole == null) {
      ByteBuffer b = ByteBuffer.allocateDirect((int) body.length());
      for (ByteBuffer part : body.parts()) {
        b.put(part.duplicate());
      }
      whole = b.flip().asReadOnlyBuffer();
      if (bytes.addAndGet(whole.capacity()) > BUDGET) {
        joined.clear();
        bytes.set(whole.capacity());
      }
      joined.put(key, whole);
    }
    return whole.duplicate();
  }
}
