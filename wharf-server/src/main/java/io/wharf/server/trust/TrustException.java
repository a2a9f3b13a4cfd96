package io.wharf.server.trust;

/** Metadata or a signature that does not meet conda-content-trust's rules; the message says which rule. */
public final class TrustException extends Exception {
  public TrustException(String message) {
    super(message);
  }
}
