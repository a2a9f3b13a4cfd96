package io.wharf.server.sbom;

import io.wharf.conda.license.SpdxLicenseList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A package's declared {@code license} as an SBOM states it. Text that is a license expression over SPDX
 * license list ids (SPDX 2.3 annex D: ids, {@code +}, {@code AND}, {@code OR}, parentheses) becomes that
 * expression with the list's spelling of each id; anything else (free text, unknown ids, {@code WITH}
 * exceptions, which the bundled list does not carry) is kept as text under a {@code LicenseRef-}
 * (SPDX 2.3 §10) or a CycloneDX license name. No license at all is {@code NOASSERTION}.
 */
public sealed interface SbomLicense {
  /** An SPDX license expression whose every id is on the SPDX license list. */
  record Expression(String expression, boolean singleId) implements SbomLicense {}

  /** Text that is not such an expression, with the LicenseRef id an SPDX document gives it. */
  record Unmapped(String text) implements SbomLicense {
    public String licenseRef() {
      String id = text.replaceAll("[^A-Za-z0-9.-]+", "-").replaceAll("^-+|-+$", "");
      return "LicenseRef-" + (id.isEmpty() ? "unnamed" : id);
    }
  }

  /** No license declared. */
  record None() implements SbomLicense {}

  Pattern TOKEN = Pattern.compile("\\s*(\\(|\\)|[A-Za-z0-9.+-]+)");

  static SbomLicense of(String license) {
    if (license == null || license.isBlank()) {
      return new None();
    }
    return Parser.parse(license.strip()).<SbomLicense>map(e -> new Expression(e, !e.contains(" ")))
        .orElseGet(() -> new Unmapped(license.strip()));
  }

  /** A recursive-descent reader of the expression grammar; empty when the text is not one. */
  final class Parser {
    private final List<String> tokens;
    private int at;

    private Parser(List<String> tokens) {
      this.tokens = tokens;
    }

    static Optional<String> parse(String text) {
      List<String> tokens = new ArrayList<>();
      Matcher m = TOKEN.matcher(text);
      int end = 0;
      while (m.lookingAt()) {
        tokens.add(m.group(1));
        end = m.end();
        m.region(end, text.length());
      }
      if (end != text.length() || tokens.isEmpty()) {
        return Optional.empty();
      }
      Parser p = new Parser(tokens);
      Optional<String> e = p.compound();
      return e.isPresent() && p.at == tokens.size() ? e : Optional.empty();
    }

    private Optional<String> compound() {
      Optional<String> left = term();
      while (left.isPresent() && at < tokens.size()
          && (tokens.get(at).equals("AND") || tokens.get(at).equals("OR"))) {
        String op = tokens.get(at++);
        Optional<String> right = term();
        if (right.isEmpty()) {
          return Optional.empty();
        }
        left = Optional.of(left.get() + " " + op + " " + right.get());
      }
      return left;
    }

    private Optional<String> term() {
      if (at >= tokens.size()) {
        return Optional.empty();
      }
      String t = tokens.get(at++);
      if (t.equals("(")) {
        Optional<String> inner = compound();
        if (inner.isEmpty() || at >= tokens.size() || !tokens.get(at++).equals(")")) {
          return Optional.empty();
        }
        return Optional.of("(" + inner.get() + ")");
      }
      boolean plus = t.endsWith("+") && t.length() > 1;
      String id = plus ? t.substring(0, t.length() - 1) : t;
      if (id.toUpperCase(Locale.ROOT).equals("AND") || id.toUpperCase(Locale.ROOT).equals("OR")
          || id.toUpperCase(Locale.ROOT).equals("WITH")) {
        return Optional.empty();
      }
      return SpdxLicenseList.bundled().find(id).map(e -> e.spdxId() + (plus ? "+" : ""));
    }
  }
}
