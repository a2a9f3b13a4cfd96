package io.wharf.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Package files as one tar stream, written by a thread of its own into a pipe that the HTTP client
 * reads, so neither the files nor the archive are ever held whole in memory. Entry names are
 * {@code <subdir>/<filename>}.
 */
final class TarSender {
  private static final int PIPE_CHUNKS = 16; // of 64 KiB: at most 1 MiB waits in memory

  private final List<ChannelDirectory.PackageFile> files;
  private final AtomicInteger sent = new AtomicInteger();
  private volatile IOException failure;
  private volatile ChunkPipe pipe;

  TarSender(List<ChannelDirectory.PackageFile> files) {
    this.files = files;
  }

  /** How many files have been handed to the pipe so far. */
  int sent() {
    return sent.get();
  }

  /** The request is over: a writer still running stops. */
  void stop() {
    ChunkPipe p = pipe;
    if (p != null) {
      p.abandon();
    }
  }

  /** Why the stream broke off (a file that vanished or changed size), or null. */
  IOException failure() {
    return failure;
  }

  /** Starts the writer and returns the stream to send; closing that stream stops the writer. */
  InputStream open() {
    ChunkPipe pipe = new ChunkPipe(PIPE_CHUNKS);
    this.pipe = pipe;
    Thread writer = new Thread(() -> write(pipe), "wharf-import-tar");
    writer.setDaemon(true);
    writer.start();
    return pipe.source();
  }

  private void write(ChunkPipe pipe) {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(new BufferedOutputStream(pipe.sink(), 64 * 1024));
    try {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (ChannelDirectory.PackageFile f : files) {
        TarArchiveEntry entry = new TarArchiveEntry(f.entryName());
        entry.setSize(f.size());
        // whole seconds: a finer time would make the tar writer add a PAX header (two more records) to every file
        entry.setModTime(FileTime.from(Files.getLastModifiedTime(f.path()).to(TimeUnit.SECONDS), TimeUnit.SECONDS));
        tar.putArchiveEntry(entry);
        try (InputStream file = Files.newInputStream(f.path())) {
          long copied = file.transferTo(tar);
          if (copied != f.size()) {
            throw new IOException(f.path() + " changed size while being sent");
          }
        }
        tar.closeArchiveEntry();
        sent.incrementAndGet();
      }
      tar.close(); // the end-of-archive blocks, then the end of the pipe
    } catch (IOException e) {
      if (!pipe.abandoned()) { // else the request ended first, for its own reason
        failure = e;
        pipe.fail(e); // the request fails instead of ending as if complete
      }
    }
  }
}
