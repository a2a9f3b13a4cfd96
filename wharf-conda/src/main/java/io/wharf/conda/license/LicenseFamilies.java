package io.wharf.conda.license;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wharf's license family for a package record: the record's own {@code license_family} when conda-build would accept
 * it, otherwise derived from its {@code license} string.
 *
 * <p>Derivation order: blank means None; OR-alternatives carrying a proprietary marker (proprietary, EULA, end user
 * license agreement, commercial license) are set aside, and Proprietary is the answer when nothing else is left; a
 * license that is exactly one SPDX id (also with "-or-later", "-only", "+" or "WITH exception") takes the family of
 * the bundled SPDX table; then markers for public domain and the Python licenses; then conda-build's guess mapped onto
 * the twelve families. Vendor EULAs such as NVIDIA's are Proprietary (conda-build says OTHER): a user has to accept
 * vendor terms before use, which is what Proprietary tells them. For the same reason the SPDX id
 * IEC-Code-Components-EULA is Proprietary where the SPDX table says Other.
 */
public final class LicenseFamilies {

  private static final Pattern WITH_EXCEPTION = Pattern.compile("(?i)(\\S+)\\s+WITH\\s+\\S+");
  private static final Set<String> GPL_FAMILIES = Set.of(
      LicenseFamily.GPL2.name(), LicenseFamily.GPL3.name(), LicenseFamily.AGPL.name(), LicenseFamily.LGPL.name());

  private LicenseFamilies() {}

  public static LicenseFamily classify(String licenseFamilyField, String license) {
    Optional<String> declared = CondaBuildLicenseFamily.recognise(licenseFamilyField);
    if (declared.isEmpty()) {
      return fromLicense(license);
    }
    String family = declared.get();
    // conda-build's GPL and CC families are coarser than Wharf's; the license string may say which member it is.
    // It may only narrow the declared family, never contradict it.
    if (family.equals("GPL")) {
      LicenseFamily derived = fromLicense(license);
      return GPL_FAMILIES.contains(derived.name()) ? derived : LicenseFamily.OTHER;
    }
    if (family.equals("CC")) {
      return fromLicense(license) == LicenseFamily.PUBLIC_DOMAIN ? LicenseFamily.PUBLIC_DOMAIN : LicenseFamily.OTHER;
    }
    return fromCondaBuild(family);
  }

  /** A conda-build family name mapped onto Wharf's families; unknown names are Other. */
  public static LicenseFamily fromCondaBuild(String condaBuildFamily) {
    return switch (condaBuildFamily == null ? "NONE" : condaBuildFamily.toUpperCase(Locale.ROOT)) {
      case "AGPL" -> LicenseFamily.AGPL;
      case "LGPL" -> LicenseFamily.LGPL;
      case "GPL3" -> LicenseFamily.GPL3;
      case "GPL2" -> LicenseFamily.GPL2;
      case "BSD" -> LicenseFamily.BSD;
      case "MIT" -> LicenseFamily.MIT;
      case "APACHE" -> LicenseFamily.APACHE;
      case "PSF" -> LicenseFamily.PSF;
      case "PUBLIC-DOMAIN", "PUBLICDOMAIN" -> LicenseFamily.PUBLIC_DOMAIN;
      case "PROPRIETARY" -> LicenseFamily.PROPRIETARY;
      case "NONE" -> LicenseFamily.NONE;
      // Bare GPL (no version), Creative Commons, Mozilla and everything else.
      default -> LicenseFamily.OTHER;
    };
  }

  static LicenseFamily fromLicense(String license) {
    if (isBlank(license)) {
      return LicenseFamily.NONE;
    }
    Optional<String> open = LicenseTextRules.withoutProprietaryAlternatives(license);
    if (open.isEmpty()) {
      return LicenseFamily.PROPRIETARY;
    }
    Optional<LicenseFamily> byId = spdxFamily(open.get().strip());
    return byId.isPresent() ? byId.get() : byRules(open.get());
  }

  /** Everything but the SPDX table; package-private so tests can show what the table adds. */
  static LicenseFamily byRules(String license) {
    if (isBlank(license)) {
      return LicenseFamily.NONE;
    }
    Optional<String> open = LicenseTextRules.withoutProprietaryAlternatives(license);
    if (open.isEmpty()) {
      return LicenseFamily.PROPRIETARY;
    }
    return LicenseTextRules.byMarker(open.get())
        .orElseGet(() -> fromCondaBuild(CondaBuildLicenseFamily.guess(open.get())));
  }

  private static Optional<LicenseFamily> spdxFamily(String license) {
    Matcher with = WITH_EXCEPTION.matcher(license);
    String id = with.matches() ? with.group(1) : license;
    SpdxLicenseList list = SpdxLicenseList.bundled();
    Optional<SpdxLicenseList.Entry> entry = list.find(id);
    if (entry.isEmpty()) {
      entry = list.find(withoutVersionSuffix(id));
    }
    return entry.map(SpdxLicenseList.Entry::family);
  }

  // "-or-later", "-only" and "+" qualify a version without changing the license text (SPDX license expressions).
  private static String withoutVersionSuffix(String id) {
    String lower = id.toLowerCase(Locale.ROOT);
    for (String suffix : new String[] {"-or-later", "-only", "+"}) {
      if (lower.endsWith(suffix)) {
        return id.substring(0, id.length() - suffix.length());
      }
    }
    return id;
  }

  private static boolean isBlank(String s) {
    if (s == null) {
      return true;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!CondaBuildLicenseFamily.isPythonSpace(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
