package org.rumpmount.cli;

/**
 * fnmatch(3) without flags, over raw names (one char per byte): '*', '?', bracket expressions
 * with ranges and '!' or '^' negation, and backslash escapes. find -name uses it.
 */
final class Glob {
    private final String pattern;

    Glob(String pattern) {
        this.pattern = pattern;
    }

    boolean matches(String name) {
        return match(0, name, 0);
    }

    private boolean match(int p, String s, int i) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            switch (c) {
                case '*' -> {
                    while (p < pattern.length() && pattern.charAt(p) == '*') {
                        p++;
                    }
                    if (p == pattern.length()) {
                        return true;
                    }
                    for (int k = i; k <= s.length(); k++) {
                        if (match(p, s, k)) {
                            return true;
                        }
                    }
                    return false;
                }
                case '?' -> {
                    if (i == s.length()) {
                        return false;
                    }
                    p++;
                    i++;
                }
                case '[' -> {
                    int end = bracketEnd(p);
                    if (end < 0) {
                        if (i == s.length() || s.charAt(i) != '[') {
                            return false;
                        }
                        p++;
                        i++;
                    } else {
                        if (i == s.length() || !inBracket(p + 1, end, s.charAt(i))) {
                            return false;
                        }
                        p = end + 1;
                        i++;
                    }
                }
                default -> {
                    if (c == '\\' && p + 1 < pattern.length()) {
                        c = pattern.charAt(++p);
                    }
                    if (i == s.length() || s.charAt(i) != c) {
                        return false;
                    }
                    p++;
                    i++;
                }
            }
        }
        return i == s.length();
    }

    /** Index of the ']' closing the bracket expression at {@code open}, or -1 when unclosed. */
    private int bracketEnd(int open) {
        int q = open + 1;
        if (q < pattern.length() && (pattern.charAt(q) == '!' || pattern.charAt(q) == '^')) {
            q++;
        }
        if (q < pattern.length() && pattern.charAt(q) == ']') {
            q++;
        }
        while (q < pattern.length() && pattern.charAt(q) != ']') {
            q++;
        }
        return q < pattern.length() ? q : -1;
    }

    private boolean inBracket(int from, int end, char ch) {
        boolean negate = pattern.charAt(from) == '!' || pattern.charAt(from) == '^';
        int q = negate ? from + 1 : from;
        boolean found = false;
        while (q < end) {
            char lo = pattern.charAt(q);
            if (q + 2 < end && pattern.charAt(q + 1) == '-') {
                char hi = pattern.charAt(q + 2);
                found |= lo <= ch && ch <= hi;
                q += 3;
            } else {
                found |= lo == ch;
                q++;
            }
        }
        return found != negate;
    }
}
