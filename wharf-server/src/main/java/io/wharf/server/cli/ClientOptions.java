package io.wharf.server.cli;

import picocli.CommandLine.Option;

/** Where the server is and which token to use; flags win over WHARF_URL and WHARF_TOKEN. */
public final class ClientOptions {
  @Option(names = "--url", description = "Wharf server URL (env WHARF_URL, default http://localhost:8080)")
  String url;

  @Option(names = "--token", description = "API token (env WHARF_TOKEN)")
  String token;

  ApiClient client() {
    String u = url != null ? url : envOr("WHARF_URL", "http://localhost:8080");
    String t = token != null ? token : envOr("WHARF_TOKEN", null);
    return new ApiClient(u, t);
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
