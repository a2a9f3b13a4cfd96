package io.wharf.server.mirror;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets stored in the database (upstream credentials) with AES-256-GCM: a random 96-bit nonce
 * per value (NIST SP 800-38D §8.2.2), the 128-bit tag authenticating it, so a database dump alone reveals
 * nothing and a tampered value fails to open. The key is the {@code mirror.secret.key} setting (base64
 * of 32 bytes; nodes sharing a database must share it), else a key file under the data directory
 * created on first use, readable by its owner only.
 */
public final class SecretBox {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  public SecretBox(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("the mirror secret key must be 32 bytes (base64 of 32 random bytes)");
    }
    this.key = new SecretKeySpec(key, "AES");
  }

  /** The configured key (base64), else the key file {@code file}, created with a new random key when absent. */
  public static SecretBox open(String configured, Path file) throws IOException {
    if (configured != null) {
      return new SecretBox(Base64.getDecoder().decode(configured.trim()));
    }
    if (!Files.exists(file)) {
      byte[] fresh = new byte[32];
      RANDOM.nextBytes(fresh);
      Path tmp = file.resolveSibling(file.getFileName() + ".new");
      Files.write(tmp, Base64.getEncoder().encode(fresh), StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING);
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the data directory's own permissions protect it
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    return new SecretBox(Base64.getDecoder().decode(Files.readString(file).trim()));
  }

  public String seal(byte[] plain) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = c.doFinal(plain);
      byte[] out = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  public byte[] open(String sealed) {
    byte[] in = Base64.getDecoder().decode(sealed);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      return c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("stored mirror credentials do not open with this server's mirror secret key"
          + " (is mirror.secret.key the same on every node?)", e);
    }
  }
}
