package io.wharf.server.auth;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The bootstrap administrator token. It comes from {@code WHARF_ADMIN_TOKEN} when set; otherwise it is
 * generated once, printed once, and kept in {@code <data>/admin-token} readable only by the owner. A new
 * token is stored and printed only by {@link #keep}, which start-up calls once the server listens: a
 * start that fails leaves no token behind that nobody saw. The file is written whole under a temporary
 * name and then linked into place, so a start killed at any moment leaves no file or a whole one.
 */
public final class AdminToken {
  public static final String FILE_NAME = "admin-token";
  private static final String TEMP_PREFIX = ".admin-token-";

  private final String token;
  private final Path unsavedFile;

  private AdminToken(String token, Path unsavedFile) {
    this.token = token;
    this.unsavedFile = unsavedFile;
  }

  public String value() {
    return token;
  }

  /** The token from the environment or the data directory, or a new one not yet stored. Writes nothing. */
  public static AdminToken resolve(String fromEnvironment, Path dataDir) throws IOException {
    if (fromEnvironment != null) {
      if (!Tokens.isWellFormed(fromEnvironment)) {
        throw new IllegalArgumentException(
            "WHARF_ADMIN_TOKEN must be 16-256 characters of A-Z, a-z, 0-9 and '-'");
      }
      return new AdminToken(fromEnvironment, null);
    }
    Path file = dataDir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (!stored.isEmpty()) {
        if (!Tokens.isWellFormed(stored)) {
          throw new IllegalStateException("the stored administrator token in " + file + " is malformed");
        }
        return new AdminToken(stored, null);
      }
      // empty: left by a version that created the file before writing it, and killed in between; the
      // token was never printed, so nobody holds it
    }
    return new AdminToken(Tokens.generate(), file);
  }

  /** Stores and announces a new token; does nothing for one that came from the environment or the file. */
  public void keep(PrintStream announce) throws IOException {
    if (unsavedFile == null) {
      return;
    }
    Path dir = unsavedFile.getParent();
    Files.createDirectories(dir);
    removeTemporaryFiles(dir);
    Path temp = createPrivateFile(dir);
    try {
      Files.writeString(temp, token + "\n", StandardCharsets.UTF_8);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      if (Files.exists(unsavedFile) && Files.size(unsavedFile) == 0) {
        Files.delete(unsavedFile);
      }
      try {
        // a link, unlike a rename, never replaces a file that appeared meanwhile
        Files.createLink(unsavedFile, temp);
      } catch (FileAlreadyExistsException e) {
        throw new IllegalStateException("another process created " + unsavedFile + " while this one started");
      } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
        if (Files.exists(unsavedFile)) {
          throw new IllegalStateException("another process created " + unsavedFile + " while this one started");
        }
        Files.move(temp, unsavedFile, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    announce.println("Wharf administrator token (shown once, stored in " + unsavedFile + "):");
    announce.println("  " + token);
  }

  private static Path createPrivateFile(Path dir) throws IOException {
    try {
      return Files.createTempFile(dir, TEMP_PREFIX, ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      return Files.createTempFile(dir, TEMP_PREFIX, ".tmp");
    }
  }

  /** Half-written tokens of a start that was killed; never linked into place, so never printed or used. */
  private static void removeTemporaryFiles(Path dir) throws IOException {
    try (DirectoryStream<Path> left = Files.newDirectoryStream(dir, TEMP_PREFIX + "*.tmp")) {
      for (Path p : left) {
        Files.deleteIfExists(p);
      }
    }
  }
}
