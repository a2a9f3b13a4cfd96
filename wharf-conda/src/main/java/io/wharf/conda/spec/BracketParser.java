package io.wharf.conda.spec;

import java.util.Locale;
import java.util.Map;

/**
 * The {@code [key=value, key2='quoted value']} section of a MatchSpec (CEP 29): keys are
 * {@code [A-Za-z0-9_-]+}, values are single- or double-quoted or run to the next ',' or space,
 * pairs are separated by commas (historically also spaces).
 */
final class BracketParser {

    private BracketParser() {
    }

    static void parse(String original, String inside, Map<String, String> into) {
        int i = 0;
        int n = inside.length();
        while (true) {
            while (i < n && (inside.charAt(i) == ',' || Character.isWhitespace(inside.charAt(i)))) {
                i++;
            }
            if (i >= n) {
                return;
            }
            int keyStart = i;
            while (i < n && isKeyChar(inside.charAt(i))) {
                i++;
            }
            String key = inside.substring(keyStart, i).toLowerCase(Locale.ROOT);
            i = skipSpaces(inside, i);
            if (key.isEmpty() || i >= n || inside.charAt(i) != '=') {
                throw new InvalidSpecException(original, "expected key=value inside brackets");
            }
            i = skipSpaces(inside, i + 1);
            String value;
            if (i < n && (inside.charAt(i) == '\'' || inside.charAt(i) == '"')) {
                char quote = inside.charAt(i);
                int close = inside.indexOf(quote, i + 1);
                if (close < 0) {
                    throw new InvalidSpecException(original, "unterminated quote inside brackets");
                }
                value = inside.substring(i + 1, close);
                i = close + 1;
            } else {
                int valueStart = i;
                while (i < n && inside.charAt(i) != ',' && !Character.isWhitespace(inside.charAt(i))) {
                    i++;
                }
                value = inside.substring(valueStart, i);
            }
            if (value.isBlank()) {
                throw new InvalidSpecException(original, "empty value for '" + key + "' inside brackets");
            }
            if (into.putIfAbsent(key, value) != null) {
                throw new InvalidSpecException(original, "'" + key + "' given twice inside brackets");
            }
            if (i < n && inside.charAt(i) != ',' && !Character.isWhitespace(inside.charAt(i))) {
                throw new InvalidSpecException(original, "unexpected text after the value of '" + key + "'");
            }
        }
    }

    private static boolean isKeyChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
