package io.wharf.server.trust;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 private key as conda-content-trust uses it (CONDA.md §6): raw 32-byte keys, written as
 * lowercase hex; the key id is the hex of the raw public key; signatures are the raw 64 bytes.
 */
public final class SigningKey {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Ed25519PrivateKeyParameters key;
  private final String publicHex;

  private SigningKey(Ed25519PrivateKeyParameters key) {
    this.key = key;
    this.publicHex = HexFormat.of().formatHex(key.generatePublicKey().getEncoded());
  }

  public static SigningKey generate() {
    return new SigningKey(new Ed25519PrivateKeyParameters(RANDOM));
  }

  /** A key from the hex of its 32-byte private value (the form conda-content-trust's tools read). */
  public static SigningKey fromHex(String privateHex) {
    String hex = privateHex.strip().toLowerCase(java.util.Locale.ROOT);
    if (!TrustFormats.isHex(hex, 64)) {
      throw new IllegalArgumentException("not an Ed25519 private key (64 hex characters expected)");
    }
    return new SigningKey(new Ed25519PrivateKeyParameters(HexFormat.of().parseHex(hex), 0));
  }

  /** The key id: hex of the raw public key. */
  public String keyId() {
    return publicHex;
  }

  public byte[] publicKey() {
    return HexFormat.of().parseHex(publicHex);
  }

  public String privateHex() {
    return HexFormat.of().formatHex(key.getEncoded());
  }

  public byte[] sign(byte[] data) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, key);
    signer.update(data, 0, data.length);
    return signer.generateSignature();
  }

  /** Whether {@code signature} is a valid Ed25519 signature over {@code data} by the key {@code keyIdHex}. */
  public static boolean verify(String keyIdHex, byte[] signature, byte[] data) {
    if (!TrustFormats.isHex(keyIdHex, 64) || signature.length != 64) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, new Ed25519PublicKeyParameters(HexFormat.of().parseHex(keyIdHex), 0));
    verifier.update(data, 0, data.length);
    return verifier.verifySignature(signature);
  }

  @Override
  public String toString() {
    return "SigningKey[" + publicHex + "]"; // never the private value
  }
}
