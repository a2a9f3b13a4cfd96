package io.wharf.server.web;

import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * Writes a body made of several buffers (mapped segments, the joints between them, file regions) one
 * write after the other without blocking a thread, the last write ending the response. A published
 * document is many pieces, most of them small: those are gathered into one pooled buffer so that a write
 * carries {@link #GATHER} bytes, while a piece of {@link #DIRECT} bytes or more goes to the socket as it
 * is (a mapped piece without a copy in the JVM).
 */
final class BufferSequence extends IteratingCallback {
  static final int GATHER = 128 * 1024;
  static final int DIRECT = 32 * 1024;

  private final Request request;
  private final Response response;
  private final List<ByteBuffer> parts;
  private final Callback done;
  private RetainableByteBuffer gathered;
  private ByteBuffer current;
  private int next;
  private boolean lastWritten;

  private BufferSequence(Request request, Response response, List<ByteBuffer> parts, Callback done) {
    this.request = request;
    this.response = response;
    this.parts = parts;
    this.done = done;
  }

  static void write(Request request, Response response, List<ByteBuffer> parts, Callback done) {
    if (parts.isEmpty()) {
      response.write(true, BufferUtil.EMPTY_BUFFER, done);
      return;
    }
    if (parts.size() == 1) {
      response.write(true, parts.get(0).duplicate(), done);
      return;
    }
    new BufferSequence(request, response, parts, done).iterate();
  }

  @Override
  protected Action process() {
    if (lastWritten) {
      return Action.SUCCEEDED;
    }
    ByteBuffer out = null;
    while (true) {
      if (current == null || !current.hasRemaining()) {
        if (next == parts.size()) {
          break;
        }
        current = parts.get(next++).duplicate(); // shared buffers: each response reads its own view
      }
      if ((out == null || out.position() == 0) && current.remaining() >= DIRECT) {
        ByteBuffer whole = current;
        current = null;
        lastWritten = next == parts.size();
        response.write(lastWritten, whole, this);
        return Action.SCHEDULED;
      }
      if (out == null) {
        if (gathered == null) {
          gathered = request.getComponents().getByteBufferPool().acquire(GATHER, true);
        }
        out = gathered.getByteBuffer();
        out.clear();
      }
      int n = Math.min(out.remaining(), current.remaining());
      out.put(current.slice(current.position(), n));
      current.position(current.position() + n);
      if (!out.hasRemaining()) {
        break;
      }
    }
    if (out == null) { // only empty pieces were left
      lastWritten = true;
      response.write(true, BufferUtil.EMPTY_BUFFER, this);
      return Action.SCHEDULED;
    }
    out.flip();
    lastWritten = next == parts.size() && (current == null || !current.hasRemaining());
    response.write(lastWritten, out, this);
    return Action.SCHEDULED;
  }

  @Override
  protected void onCompleteSuccess() {
    release();
    done.succeeded();
  }

  @Override
  protected void onCompleteFailure(Throwable cause) {
    release();
    done.failed(cause);
  }

  private void release() {
    if (gathered != null) {
      gathered.release();
      gathered = null;
    }
  }
}
