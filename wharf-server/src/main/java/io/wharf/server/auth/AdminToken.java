package io.wharf.server.auth;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
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
 * generated once, printed once, and kept in {@code <data>/admin-token} readable only by the owner.
 */
public final class AdminToken {
  public static final String FILE_NAME = "admin-token";
  private static final String TEMP_PREFIX = ".admin-token-";

  private AdminToken() {}

  public static String resolve(String fromEnvironment, Path dataDir, PrintStream announce) throws IOException {
    if (fromEnvironment != null) {
      if (!Tokens.isWellFormed(fromEnvironment)) {
        throw new IllegalArgumentException(
            "WHARF_ADMIN_TOKEN must be 16-256 characters of A-Z, a-z, 0-9 and '-'");
      }
      return fromEnvironment;
    }
    Path file = dataDir.resolve(FILE_NAME);
    Files.createDirectories(dataDir);
    removeTemporaryFiles(dataDir);
    if (Files.exists(file)) {
      String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (stored.isEmpty()) {
        // What a process killed between creating the file and writing it left (an earlier version
        // wrote it in place). The token was never printed, so nobody holds it: make a new one.
        Files.deleteIfExists(file);
        return resolve(null, dataDir, announce);
      }
      if (!Tokens.isWellFormed(stored)) {
        throw new IllegalStateException("the stored administrator token in " + file + " is malformed");
      }
      return stored;
    }
    String token = Tokens.generate();
    // Written completely under a temporary name, then linked into place (a link, unlike a rename,
    // never replaces a file that appeared meanwhile): a crash leaves either no token file or a whole one.
    Path temp = createPrivateFile(dataDir);
    try {
      Files.writeString(temp, token + "\n", StandardCharsets.UTF_8);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.createLink(file, temp);
      } catch (FileAlreadyExistsException e) {
        return resolve(null, dataDir, announce);
      } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
        if (Files.exists(file)) {
          return resolve(null, dataDir, announce);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    announce.println("Wharf administrator token (shown once, stored in " + file + "):");
    announce.println("  " + token);
    return token;
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
