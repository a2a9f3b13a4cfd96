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
    StringBuilder sb = new StringBuilder("wh-");
    for (int i = 0; i < 40; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
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
