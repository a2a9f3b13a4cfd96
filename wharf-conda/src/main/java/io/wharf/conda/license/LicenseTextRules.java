package io.wharf.conda.license;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Wharf's overrides of conda-build's guess for free text and license expressions, where substring matching goes
 * wrong: public domain dedications, the Python licenses, and proprietary terms.
 */
final class LicenseTextRules {

  private static final Pattern OR = Pattern.compile("(?i)\\s+OR\\s+");
  // Only the upper-case SPDX operator: "and" in lower case is part of many license names
  // ("Public Domain Dedication and License").
  private static final Pattern AND = Pattern.compile("\\s+AND\\s+");

  // Matched against lower-cased text with '-' and '_' read as spaces and whitespace runs collapsed.
  private static final Pattern PROPRIETARY = Pattern.compile(
      "\\bproprietary\\b|\\beula\\b|\\bend user licen[cs]e agreement\\b"
          // "commercial" names a license only at the end ("LicenseRef-Qt-Commercial") or as "commercial license";
          // "non-commercial" and "commercial use allowed" are not proprietary markers.
          + "|(?<!non )\\bcommercial( licen[cs]e| software)?( agreement)?$|(?<!non )\\bcommercial licen[cs]e\\b");
  private static final Pattern PUBLIC_DOMAIN = Pattern.compile("public ?domain|\\bcc0\\b|\\bthe unlicense\\b");
  private static final Pattern PSF = Pattern.compile("\\bpython software foundation\\b|\\bpython licen[cs]e\\b");

  // Single SPDX-like tokens: families whose members share an id prefix (SAX-PD, SAX-PD-2.0; NIST-PD, NIST-PD-TNT;
  // Python-2.0, Python-2.0.1; CNRI-Python, CNRI-Jython), so later list versions are covered too.
  private static final List<String> PUBLIC_DOMAIN_ID_PREFIXES = List.of("sax-pd", "nist-pd");
  private static final List<String> PSF_ID_PREFIXES = List.of("python-2.0", "cnri-");

  private LicenseTextRules() {}

  /**
   * Proprietary when every alternative of an OR carries a proprietary marker; otherwise the alternatives without one,
   * so that "GPL-3.0-only OR LicenseRef-Qt-Commercial" is judged by its open alternative.
   */
  static Optional<String> withoutProprietaryAlternatives(String license) {
    String[] alternatives = OR.split(license, -1);
    List<String> open = new ArrayList<>(alternatives.length);
    for (String alternative : alternatives) {
      if (!PROPRIETARY.matcher(normalize(alternative)).find()) {
        open.add(alternative.strip());
      }
    }
    return open.isEmpty() ? Optional.empty() : Optional.of(String.join(" OR ", open));
  }

  /** The family a marker in the text decides, for a single license or a choice between licenses. */
  static Optional<LicenseFamily> byMarker(String license) {
    // In a conjunction every part applies, so a public domain part does not make the whole public domain.
    if (AND.matcher(license).find()) {
      return Optional.empty();
    }
    String lower = license.strip().toLowerCase(Locale.ROOT);
    if (!lower.isEmpty() && lower.chars().noneMatch(Character::isWhitespace)) {
      if (PUBLIC_DOMAIN_ID_PREFIXES.stream().anyMatch(lower::startsWith)) {
        return Optional.of(LicenseFamily.PUBLIC_DOMAIN);
      }
      if (PSF_ID_PREFIXES.stream().anyMatch(lower::startsWith)) {
        return Optional.of(LicenseFamily.PSF);
      }
    }
    String text = normalize(license);
    if (PUBLIC_DOMAIN.matcher(text).find()) {
      return Optional.of(LicenseFamily.PUBLIC_DOMAIN);
    }
    if (PSF.matcher(text).find()) {
      return Optional.of(LicenseFamily.PSF);
    }
    return Optional.empty();
  }

  private static String normalize(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean space = true; // drops leading spaces
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '-' || c == '_' || CondaBuildLicenseFamily.isPythonSpace(c)) {
        if (!space) {
          out.append(' ');
          space = true;
        }
      } else {
        out.append(c);
        space = false;
      }
    }
    int end = out.length();
    if (end > 0 && out.charAt(end - 1) == ' ') {
      out.setLength(end - 1);
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }
}
