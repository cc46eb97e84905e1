package org.rumpmount.cli;

import java.util.Locale;

/**
 * Sizes as NetBSD's newfs and makefs take them: a plain number counts 512-byte sectors; a
 * suffix b, k, m, g or t gives bytes, KiB, MiB, GiB or TiB.
 */
final class SizeArg {
    private SizeArg() {
    }

    static long parse(String s, String option) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw new IllegalArgumentException(option + ": empty size");
        }
        char last = t.charAt(t.length() - 1);
        long unit;
        switch (last) {
            case 'b' -> unit = 1;
            case 'k' -> unit = 1L << 10;
            case 'm' -> unit = 1L << 20;
            case 'g' -> unit = 1L << 30;
            case 't' -> unit = 1L << 40;
            default -> unit = 512;
        }
        String digits = Character.isDigit(last) ? t : t.substring(0, t.length() - 1);
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + s + "' is not a size (a number of sectors, or with b, k, m, g or t)");
        }
        if (n <= 0 || n > Long.MAX_VALUE / unit) {
            throw new IllegalArgumentException(option + ": size '" + s + "' out of range");
        }
        return n * unit;
    }
}
