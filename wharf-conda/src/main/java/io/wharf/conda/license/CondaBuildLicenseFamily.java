package io.wharf.conda.license;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * conda-build's license family guess ({@code conda_build/license_family.py}, {@code guess_license_family} and
 * {@code ensure_valid_license_family}), re-implemented so Wharf labels a package the way conda-build would.
 *
 * <p>Every step is a single linear scan, so a hostile multi-megabyte license string costs time proportional to its
 * length; the regular expressions of the original ({@code GPL[^2]*3} and friends) are evaluated by hand for that reason.
 */
public final class CondaBuildLicenseFamily {

  /** conda-build's {@code allowed_license_families}, in its order: the guess returns the first one that fits. */
  public static final List<String> FAMILIES = List.of(
      "AGPL", "LGPL", "GPL3", "GPL2", "GPL", "BSD", "MIT", "APACHE", "PSF", "CC", "MOZILLA", "PUBLIC-DOMAIN",
      "PROPRIETARY", "OTHER", "NONE");

  // Python's string.punctuation: the ASCII punctuation conda-build turns into spaces before matching.
  private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

  private CondaBuildLicenseFamily() {}

  /**
   * The family conda-build guesses for a {@code license} string. {@code null} gives NONE, as in conda-build. One
   * deliberate difference: a string with nothing left after removing punctuation and whitespace (such as {@code ""})
   * also gives NONE, where conda-build answers AGPL because the empty string is a substring of every family name.
   */
  public static String guess(String license) {
    if (license == null) {
      return "NONE";
    }
    String name = normalize(license);
    // conda-build removes AGPL and LGPL (its character class "[A,L]" also removes ",GPL") before looking for the
    // GPL version, so "LGPL-2.1 AND GPL-3.0" is GPL3 while "LGPL-2.1" falls through to the substring search.
    String sansLgpl = name.replaceAll("[A,L]GPL", "");
    if (matchesGplAtLeast2(sansLgpl) || matchesGplThen(sansLgpl, '3', '2')) {
      return "GPL3";
    }
    if (matchesGplThen(sansLgpl, '2', '3')) {
      return "GPL2";
    }
    if (matchesCreativeCommons(name)) {
      return "CC";
    }
    String squashed = removeSpecialCharacters(name);
    if (squashed.isEmpty()) {
      return "NONE";
    }
    for (String family : FAMILIES) {
      if (squashed.contains(removeSpecialCharacters(family))) {
        return family;
      }
    }
    for (String family : FAMILIES) {
      if (removeSpecialCharacters(family).contains(squashed)) {
        return family;
      }
    }
    return "OTHER";
  }

  /**
   * The conda-build family a record's {@code license_family} names, compared the way
   * {@code ensure_valid_license_family} does (upper case, punctuation and whitespace removed), so "public-domain",
   * "Public Domain" and the older "PUBLICDOMAIN" all give PUBLIC-DOMAIN. Empty when conda-build would reject it.
   */
  public static Optional<String> recognise(String licenseFamily) {
    if (licenseFamily == null || licenseFamily.length() > 256) {
      return Optional.empty();
    }
    String key = removeSpecialCharacters(normalize(licenseFamily));
    if (key.isEmpty()) {
      return Optional.empty();
    }
    for (String family : FAMILIES) {
      if (removeSpecialCharacters(family).equals(key)) {
        return Optional.of(family);
      }
    }
    return Optional.empty();
  }

  // conda-build's normalize(): upper case, spell the GNU names as acronyms, strip surrounding whitespace.
  private static String normalize(String s) {
    String upper = s.toUpperCase(Locale.ROOT)
        .replace("GENERAL PUBLIC LICENSE", "GPL")
        .replaceAll("LESSER *", "L")
        .replaceAll("AFFERO *", "A");
    int start = 0;
    int end = upper.length();
    while (start < end && isPythonSpace(upper.charAt(start))) {
      start++;
    }
    while (end > start && isPythonSpace(upper.charAt(end - 1))) {
      end--;
    }
    return upper.substring(start, end);
  }

  // conda-build's remove_special_characters(): punctuation becomes a space, then all whitespace goes.
  static String removeSpecialCharacters(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (PUNCTUATION.indexOf(c) < 0 && !isPythonSpace(c)) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * {@code GPL[^avoid]*want}: some "GPL" is followed, before the next {@code avoid} digit, by a {@code want} digit.
   * Only the first "GPL" of each run between {@code avoid} digits matters, since it sees the most of that run.
   */
  static boolean matchesGplThen(String s, char want, char avoid) {
    boolean seenGpl = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == avoid) {
        seenGpl = false;
      } else if (seenGpl && c == want) {
        return true;
      } else if (!seenGpl && s.startsWith("GPL", i)) {
        seenGpl = true;
        i += 2;
      }
    }
    return false;
  }

  /**
   * {@code GPL[^2]*>= *2}, conda-build's "GPL (>= 2)" meaning GPL 3 is allowed. The "2" must be the first "2" after
   * the "GPL", so the run before it has to end in ">=" and spaces and contain a "GPL" that ends before the ">=".
   */
  static boolean matchesGplAtLeast2(String s) {
    int gplEnd = -1; // end of the first "GPL" in the current run without a "2", or -1
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '2') {
        if (gplEnd >= 0) {
          int j = i - 1;
          while (j >= gplEnd && s.charAt(j) == ' ') {
            j--;
          }
          if (j - 1 >= gplEnd && s.charAt(j) == '=' && s.charAt(j - 1) == '>') {
            return true;
          }
        }
        gplEnd = -1;
      } else if (gplEnd < 0 && s.startsWith("GPL", i)) {
        gplEnd = i + 3;
        i += 2;
      }
    }
    return false;
  }

  // CC\w+ with Python's Unicode \w (letters, numbers, underscore).
  private static boolean matchesCreativeCommons(String s) {
    for (int i = s.indexOf("CC"); i >= 0 && i + 2 < s.length(); i = s.indexOf("CC", i + 1)) {
      if (isPythonWordChar(s.codePointAt(i + 2))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isPythonWordChar(int cp) {
    if (cp == '_' || Character.isLetter(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
        || type == Character.OTHER_NUMBER;
  }

  // Python's str.isspace(): Java's whitespace plus the no-break spaces and NEL.
  static boolean isPythonSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
  }
}
