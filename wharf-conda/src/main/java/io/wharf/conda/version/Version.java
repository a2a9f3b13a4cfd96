package io.wharf.conda.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A conda version with conda's VersionOrder (CEP 33, {@code conda/models/version.py}): epoch,
 * then '.'/'_' separated segments of number and string runs, missing pieces count as 0 (so
 * {@code 1.1 == 1.1.0}), strings sort below numbers, 'dev' below other strings, 'post' above
 * everything, and the {@code +local} part only breaks ties.
 */
public final class Version implements Comparable<Version> {

    private final String original;
    private final String normalized;
    // The epoch is the first segment, as in conda, so prefix matching treats it like any segment.
    private final List<List<Component>> main;
    private final List<List<Component>> local;
    private final int hash;

    private Version(String original, VersionParser.Parsed parsed) {
        this.original = original;
        this.normalized = parsed.normalized();
        this.main = parsed.main();
        this.local = parsed.local();
        this.hash = Objects.hash(trimmed(main), trimmed(local));
    }

    public static Version parse(String text) {
        return new Version(text, VersionParser.parse(text));
    }

    /** The lowercased, trimmed text that matching globs and regexes run against (as in conda). */
    public String normalized() {
        return normalized;
    }

    @Override
    public int compareTo(Version other) {
        int byMain = compareSegments(main, other.main);
        return byMain != 0 ? byMain : compareSegments(local, other.local);
    }

    /**
     * Component-wise prefix test behind {@code 1.8.*} and {@code =1.8}: every segment of the prefix
     * but the last must be equal, and in the last one a trailing string may be a string prefix.
     * So {@code 1.8} is a prefix of 1.8, 1.8.0 and 1.8.2a but not of 1.80. Mirrors conda's
     * {@code VersionOrder.startswith}.
     */
    public boolean startsWith(Version prefix) {
        List<List<Component>> mine = main;
        List<List<Component>> theirs = prefix.main;
        if (!prefix.local.isEmpty()) {
            if (compareSegments(main, prefix.main) != 0) {
                return false;
            }
            mine = local;
            theirs = prefix.local;
        }
        int last = theirs.size() - 1;
        if (compareSegments(head(mine, last), theirs.subList(0, last)) != 0) {
            return false;
        }
        List<Component> mySegment = mine.size() <= last ? List.of() : mine.get(last);
        List<Component> theirSegment = theirs.get(last);
        int lastComponent = theirSegment.size() - 1;
        if (compareComponents(head(mySegment, lastComponent), theirSegment.subList(0, lastComponent)) != 0) {
            return false;
        }
        Component mineAt = mySegment.size() <= lastComponent ? Component.ZERO : mySegment.get(lastComponent);
        Component theirsAt = theirSegment.get(lastComponent);
        if (theirsAt instanceof Component.Str wanted) {
            return mineAt instanceof Component.Str have && have.text().startsWith(wanted.text());
        }
        return mineAt.compareTo(theirsAt) == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version other && hash == other.hash && compareTo(other) == 0;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return original;
    }

    private static <T> List<T> head(List<T> list, int n) {
        return list.subList(0, Math.min(n, list.size()));
    }

    private static int compareSegments(List<List<Component>> a, List<List<Component>> b) {
        int n = Math.max(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compareComponents(i < a.size() ? a.get(i) : List.of(), i < b.size() ? b.get(i) : List.of());
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int compareComponents(List<Component> a, List<Component> b) {
        int n = Math.max(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            Component x = i < a.size() ? a.get(i) : Component.ZERO;
            Component y = i < b.size() ? b.get(i) : Component.ZERO;
            int c = x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    // Drops what padding with 0 makes irrelevant, so that equal versions hash alike.
    private static List<List<Component>> trimmed(List<List<Component>> segments) {
        List<List<Component>> out = new ArrayList<>();
        for (List<Component> segment : segments) {
            int end = segment.size();
            while (end > 0 && segment.get(end - 1) instanceof Component.Num n && n.isZero()) {
                end--;
            }
            out.add(segment.subList(0, end));
        }
        int end = out.size();
        while (end > 0 && out.get(end - 1).isEmpty()) {
            end--;
        }
        return out.subList(0, end);
    }
}
