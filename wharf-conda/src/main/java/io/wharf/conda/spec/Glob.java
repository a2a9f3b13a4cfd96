package io.wharf.conda.spec;

/**
 * '*' wildcard matching without regex (CEP 29 "string matching": a glob is the escaped text with
 * '*' meaning any run of characters, anchored at both ends). The classic two-pointer algorithm
 * backtracks only to the last '*', so the cost stays O(pattern * text) on hostile input.
 */
final class Glob {

    private Glob() {
    }

    static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
