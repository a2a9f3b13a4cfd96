package io.wharf.server.auth;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The bootstrap administrator token. It comes from {@code WHARF_ADMIN_TOKEN} when set; otherwise it is
 * generated once, printed once, and kept in {@code <data>/admin-token} readable only by the owner. A new
 * token is stored and printed only by {@link #keep}, which start-up calls once the server listens: a
 * start that fails leaves no token behind that nobody saw.
 */
public final class AdminToken {
  public static final String FILE_NAME = "admin-token";

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
      if (!Tokens.isWellFormed(stored)) {
        throw new IllegalStateException("the stored administrator token in " + file + " is malformed");
      }
      return new AdminToken(stored, null);
    }
    return new AdminToken(Tokens.generate(), file);
  }

  /** Stores and announces a new token; does nothing for one that came from the environment or the file. */
  public void keep(PrintStream announce) throws IOException {
    if (unsavedFile == null) {
      return;
    }
    Files.createDirectories(unsavedFile.getParent());
    try {
      Files.createFile(unsavedFile,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(unsavedFile);
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException("another process created " + unsavedFile + " while this one started");
    }
    Files.writeString(unsavedFile, token + "\n", StandardCharsets.UTF_8);
    announce.println("Wharf administrator token (shown once, stored in " + unsavedFile + "):");
    announce.println("  " + token);
  }
}
