package io.wharf.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Peers whose {@code X-Forwarded-*} headers Wharf believes: addresses or CIDR blocks, IPv4 or IPv6
 * ({@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code fd00::/8}). Empty by default: no one is trusted.
 */
public final class TrustedProxies {
  private record Block(byte[] network, int prefix) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int whole = prefix / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[whole] & mask) == (network[whole] & mask);
    }
  }

  private final List<Block> blocks;

  private TrustedProxies(List<Block> blocks) {
    this.blocks = blocks;
  }

  public static TrustedProxies none() {
    return new TrustedProxies(List.of());
  }

  /**
   * Parses literal addresses only (never a host name, which would need a DNS lookup here and could change).
   *
   * @throws IllegalArgumentException naming the entry that is not an address or CIDR block
   */
  public static TrustedProxies parse(List<String> entries) {
    return parse("trusted.proxies", entries);
  }

  /** The same for another setting, named in the error. */
  public static TrustedProxies parse(String setting, List<String> entries) {
    List<Block> blocks = new ArrayList<>();
    for (String raw : entries) {
      String entry = raw.trim();
      int slash = entry.indexOf('/');
      String addr = slash < 0 ? entry : entry.substring(0, slash);
      byte[] bytes = literal(addr);
      if (bytes == null) {
        throw new IllegalArgumentException(setting + ": '" + entry + "' is not an IP address or CIDR block");
      }
      int prefix = bytes.length * 8;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > bytes.length * 8) {
          throw new IllegalArgumentException(setting + ": '" + entry + "' has a prefix length outside 0-"
              + bytes.length * 8);
        }
      }
      blocks.add(new Block(bytes, prefix));
    }
    return new TrustedProxies(List.copyOf(blocks));
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  public boolean trusts(String remoteAddress) {
    if (blocks.isEmpty() || remoteAddress == null) {
      return false;
    }
    String a = remoteAddress.startsWith("[") && remoteAddress.endsWith("]")
        ? remoteAddress.substring(1, remoteAddress.length() - 1) : remoteAddress;
    byte[] bytes = literal(a);
    return bytes != null && blocks.stream().anyMatch(b -> b.contains(bytes));
  }

  /** The bytes of an IP literal, or null for anything else (InetAddress would resolve a name). */
  private static byte[] literal(String s) {
    if (s.isEmpty() || !(s.contains(":") || s.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
      return null;
    }
    if (!s.contains(":") && s.split("\\.", -1).length != 4) {
      return null;
    }
    try {
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
