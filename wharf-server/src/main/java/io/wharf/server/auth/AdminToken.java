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
 * generated once, printed once, and kept in {@code <data>/admin-token} readable only by the owner.
 */
public final class AdminToken {
  public static final String FILE_NAME = "admin-token";

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
    if (Files.exists(file)) {
      String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (!Tokens.isWellFormed(stored)) {
        throw new IllegalStateException("the stored administrator token in " + file + " is malformed");
      }
      return stored;
    }
    String token = Tokens.generate();
    Files.createDirectories(dataDir);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      return resolve(null, dataDir, announce);
    }
    Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
    announce.println("Wharf administrator token (shown once, stored in " + file + "):");
    announce.println("  " + token);
    return token;
  }
}
