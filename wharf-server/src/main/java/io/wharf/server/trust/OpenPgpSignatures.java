package io.wharf.server.trust;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Root metadata signatures in the form conda-content-trust requires for root ({@code verify_root} checks
 * with {@code gpg=True}): an Ed25519 signature made the way an OpenPGP v4 signature of a binary document
 * is made (RFC 4880 §5.2.4), with the hashed header bytes kept beside it as {@code other_headers}. The
 * signed value is SHA-256(data || other_headers || 0x04 0xFF || big-endian 32-bit length of
 * other_headers). Clients only hash {@code other_headers}; Wharf writes a genuine v4 header anyway:
 * version 4, type 0x00, algorithm 22 (EdDSA), hash 8 (SHA-256), and as hashed subpackets the issuer
 * fingerprint (type 33) and the signature creation time (type 2).
 */
public final class OpenPgpSignatures {
  private static final int EDDSA = 22;
  private static final int SHA256 = 8;
  /** OID 1.3.6.1.4.1.11591.15.1 (Ed25519 for EdDSA in OpenPGP, RFC 4880bis). */
  private static final byte[] ED25519_OID = HexFormat.of().parseHex("2b06010401da470f01");

  private OpenPgpSignatures() {}

  /** {@code {"other_headers": hex, "signature": hex}} by {@code key} over {@code data}. */
  public static ObjectNode sign(SigningKey key, byte[] data, long createdEpochSeconds) {
    byte[] headers = headers(fingerprint(key.publicKey()), createdEpochSeconds);
    ObjectNode sig = TrustFormats.JSON.createObjectNode();
    sig.put("other_headers", HexFormat.of().formatHex(headers));
    sig.put("signature", HexFormat.of().formatHex(key.sign(digest(data, headers))));
    return sig;
  }

  /** Whether {@code signatureHex} by {@code keyId} is valid over {@code data} with these header bytes. */
  public static boolean verify(String keyId, String otherHeadersHex, String signatureHex, byte[] data) {
    if (!TrustFormats.isHex(otherHeadersHex) || !TrustFormats.isHex(signatureHex, 128)) {
      return false;
    }
    byte[] headers = HexFormat.of().parseHex(otherHeadersHex);
    return SigningKey.verify(keyId, HexFormat.of().parseHex(signatureHex), digest(data, headers));
  }

  static byte[] digest(byte[] data, byte[] headers) {
    MessageDigest md = sha("SHA-256");
    md.update(data);
    md.update(headers);
    md.update(new byte[] {0x04, (byte) 0xff});
    md.update(ByteBuffer.allocate(4).putInt(headers.length).array());
    return md.digest();
  }

  static byte[] headers(byte[] fingerprint, long created) {
    ByteArrayOutputStream sub = new ByteArrayOutputStream();
    sub.write(1 + 1 + fingerprint.length); // issuer fingerprint: type, key version, fingerprint
    sub.write(33);
    sub.write(4);
    sub.writeBytes(fingerprint);
    sub.write(5); // signature creation time: type, 4 bytes
    sub.write(2);
    sub.writeBytes(ByteBuffer.allocate(4).putInt((int) created).array());
    byte[] hashed = sub.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(4);
    out.write(0x00);
    out.write(EDDSA);
    out.write(SHA256);
    out.write(hashed.length >> 8);
    out.write(hashed.length & 0xff);
    out.writeBytes(hashed);
    return out.toByteArray();
  }

  /**
   * The v4 fingerprint (RFC 4880 §12.2) of an EdDSA public key packet for this key with creation time 0:
   * Wharf keys are raw Ed25519 keys, not OpenPGP certificates, so no other creation time exists.
   */
  static byte[] fingerprint(byte[] publicKey) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(4);
    body.writeBytes(new byte[4]);
    body.write(EDDSA);
    body.write(ED25519_OID.length);
    body.writeBytes(ED25519_OID);
    int bits = 8 * (publicKey.length + 1) - 1; // 0x40 prefix: its top bit is bit 7 of 263
    body.write(bits >> 8);
    body.write(bits & 0xff);
    body.write(0x40);
    body.writeBytes(publicKey);
    byte[] b = body.toByteArray();
    MessageDigest sha1 = sha("SHA-1");
    sha1.update((byte) 0x99);
    sha1.update((byte) (b.length >> 8));
    sha1.update((byte) (b.length & 0xff));
    sha1.update(b);
    return sha1.digest();
  }

  private static MessageDigest sha(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
