package org.rumpmount.cli;

import java.util.Locale;

/**
 * Sizes as NetBSD's newfs and makefs take them: a plain number counts 512-byte sectors; a
 * suffix b, k, m, g or t gives bytes, KiB, MiB, GiB or TiB. {@link #scaled} is the rule both
 * these and the mount options' sizes follow, each with its own plain unit and suffixes.
 */
final class SizeArg {
    /** The suffixes and what each multiplies by: bytes, then powers of 1024. */
    private static final String SUFFIXES = "bkmgt";

    private SizeArg() {
    }

    static long parse(String s, String option) {
        String t = s.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException(option + ": empty size");
        }
        try {
            return scaled(t, 512, SUFFIXES);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + s + "' is not a size (a number of sectors, or with b, k, m, g or t)");
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(option + ": size '" + s + "' out of range");
        }
    }

    /**
     * A positive whole number of units in bytes: {@code plainUnit} each, or with one of
     * {@code suffixes} (letters of b, k, m, g, t, in either case) the unit that letter names.
     *
     * @throws NumberFormatException when {@code s} is not such a number
     * @throws ArithmeticException when it is zero, negative, or more bytes than a long holds
     */
    static long scaled(String s, long plainUnit, String suffixes) {
        String t = s.toLowerCase(Locale.ROOT);
        char last = t.isEmpty() ? '0' : t.charAt(t.length() - 1);
        long unit = plainUnit;
        if (suffixes.indexOf(last) >= 0) {
            unit = 1L << (10 * SUFFIXES.indexOf(last));
            t = t.substring(0, t.length() - 1);
        }
        long n = Long.parseLong(t);
        if (n <= 0 || n > Long.MAX_VALUE / unit) {
            throw new ArithmeticException("size out of range");
        }
        return n * unit;
    }
}
