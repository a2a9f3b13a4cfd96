package io.wharf.conda.version;

/**
 * One piece of a version segment: a run of digits, a run of letters, or the special 'post' marker.
 * Ordering follows conda's VersionOrder (CEP 33): any string < any number < post; numbers compare
 * numerically; strings by code point, where 'dev' is stored as "DEV" so that it sorts below '_' and
 * every lowercase string.
 */
sealed interface Component extends Comparable<Component> {

    Num ZERO = new Num("0");

    /** Digits without leading zeros, so that arbitrarily long runs compare without overflow. */
    record Num(String digits) implements Component {
        static Num of(String run) {
            int i = 0;
            while (i < run.length() - 1 && run.charAt(i) == '0') {
                i++;
            }
            return new Num(run.substring(i));
        }

        boolean isZero() {
            return digits.equals("0");
        }
    }

    record Str(String text) implements Component {
    }

    /** 'post' is +infinity in conda: greater than every number and string. */
    record Post() implements Component {
    }

    private int rank() {
        if (this instanceof Str) {
            return 0;
        }
        return this instanceof Num ? 1 : 2;
    }

    @Override
    default int compareTo(Component other) {
        int byRank = Integer.compare(rank(), other.rank());
        if (byRank != 0) {
            return byRank;
        }
        if (this instanceof Num a && other instanceof Num b) {
            int byLength = Integer.compare(a.digits.length(), b.digits.length());
            return byLength != 0 ? byLength : a.digits.compareTo(b.digits);
        }
        if (this instanceof Str a && other instanceof Str b) {
            return a.text.compareTo(b.text);
        }
        return 0;
    }
}
