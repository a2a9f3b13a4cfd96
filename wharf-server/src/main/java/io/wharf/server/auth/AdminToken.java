package io.wharf.server.auth;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bootstrap administrator token. It comes from {@code WHARF_ADMIN_TOKEN} (the {@code admin.token}
 * setting) when set, replacing any earlier one; otherwise it is generated on the first start and printed
 * once. Only its SHA-256 is stored, in the database with every other token, so every node accepts it
 * and no secret is kept on disk. A new token is stored and printed only by {@link #keep}, which start-up
 * calls once the server listens: a start that fails leaves no token behind that nobody saw.
 */
public final class AdminToken {
  /** Where versions before tokens moved into the database kept the secret; read once and removed. */
  public static final String LEGACY_FILE_NAME = "admin-token";

  private final String token;
  private final boolean configured;
  private final Path legacyFile;

  private AdminToken(String token, boolean configured, Path legacyFile) {
    this.token = token;
    this.configured = configured;
    this.legacyFile = legacyFile;
  }

  /** The configured token, a legacy file's, or a candidate. Writes nothing. */
  public static AdminToken resolve(String fromEnvironment, Path dataDir) throws IOException {
    if (fromEnvironment != null) {
      if (!Tokens.isWellFormed(fromEnvironment)) {
        throw new IllegalArgumentException(
            "WHARF_ADMIN_TOKEN must be 16-256 characters of A-Z, a-z, 0-9 and '-'");
      }
      return new AdminToken(fromEnvironment, true, null);
    }
    Path file = dataDir.resolve(LEGACY_FILE_NAME);
    if (Files.exists(file)) {
      String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (!stored.isEmpty() && !Tokens.isWellFormed(stored)) {
        throw new IllegalStateException("the stored administrator token in " + file + " is malformed");
      }
      // empty: left by a version that was killed between creating and writing it; nobody holds a token
      return new AdminToken(stored.isEmpty() ? Tokens.generate() : stored, !stored.isEmpty(), file);
    }
    return new AdminToken(Tokens.generate(), false, null);
  }

  /**
   * Stores the token's hash: a configured (or legacy) one always, replacing the previous bootstrap token;
   * a generated one only when the database has no bootstrap token, and then announces it once.
   *
   * @return the bootstrap token when this start knows it, null when only its hash is stored
   */
  public String keep(JdbcTokens tokens, PrintStream announce) throws IOException {
    long now = System.currentTimeMillis();
    if (configured) {
      boolean known = tokens.byHash(Tokens.hash(token)).filter(t -> t.userId() == null && t.revokedAt() == null)
          .isPresent();
      if (!known) {
        tokens.replaceBootstrap(Tokens.hash(token), Tokens.displayPrefix(token), now);
      }
      if (legacyFile != null) {
        Files.deleteIfExists(legacyFile);
      }
      return token;
    }
    if (legacyFile != null) {
      Files.deleteIfExists(legacyFile);
    }
    if (tokens.hasBootstrap()) {
      return null;
    }
    tokens.replaceBootstrap(Tokens.hash(token), Tokens.displayPrefix(token), now);
    announce.println("Wharf administrator token (shown once; only its hash is stored):");
    announce.println("  " + token);
    return token;
  }
}
