package io.wharf.server.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;

/** Token generation and comparison. Tokens use only {@code [A-Za-z0-9-]} so they fit conda's {@code /t/<token>/} URLs. */
public final class Tokens {
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  /** 40 random characters from a 62-symbol alphabet: about 238 bits. */
  public static String generate() {
    return generate("wh-");
  }

  /** A random secret after this prefix, 40 characters of the same alphabet. */
  public static String generate(String prefix) {
    StringBuilder sb = new StringBuilder(prefix);
    for (int i = 0; i < 40; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  /** Stored in place of a secret: the secret has about 238 bits of entropy, so a plain hash cannot be reversed. */
  public static String hash(String secret) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  /** The part of a token shown in lists so its owner can tell tokens apart; too short to be of use to anyone else. */
  public static String displayPrefix(String secret) {
    return secret.substring(0, Math.min(secret.length(), 11));
  }

  public static boolean isWellFormed(String token) {
    return token != null && token.length() >= 16 && token.length() <= 256 && token.matches("[A-Za-z0-9-]+");
  }

  /** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
  public static boolean same(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
