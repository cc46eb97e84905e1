package org.rumpmount.cli;

import java.math.BigInteger;

/**
 * Sizes for people, as GNU's -h prints them: powers of 1024, rounded up, one decimal below 10
 * ("4.0K", "9.9M"), whole numbers from 10 ("12K", "1023M"), plain bytes below 1024 ("512").
 */
final class HumanSize {
    private static final String UNITS = "KMGTPE";
    private static final BigInteger K = BigInteger.valueOf(1024);
    private static final BigInteger TEN = BigInteger.TEN;

    private HumanSize() {
    }

    static String of(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size " + bytes);
        }
        if (bytes < 1024) {
            return Long.toString(bytes);
        }
        BigInteger b = BigInteger.valueOf(bytes);
        BigInteger unit = K;
        for (int u = 0; u < UNITS.length(); u++, unit = unit.multiply(K)) {
            BigInteger tenths = ceilDiv(b.multiply(TEN), unit);
            if (tenths.compareTo(BigInteger.valueOf(100)) < 0) {
                return tenths.divide(TEN) + "." + tenths.mod(TEN) + UNITS.charAt(u);
            }
            BigInteger whole = ceilDiv(b, unit);
            if (whole.compareTo(K) < 0 || u == UNITS.length() - 1) {
                return whole + String.valueOf(UNITS.charAt(u));
            }
        }
        throw new AssertionError("unreachable for " + bytes);
    }

    /** Whole KiB, rounded up: du's and df's default unit. */
    static long kibibytes(long bytes) {
        return Math.floorDiv(bytes, 1024) + (Math.floorMod(bytes, 1024) == 0 ? 0 : 1);
    }

    private static BigInteger ceilDiv(BigInteger a, BigInteger b) {
        BigInteger[] qr = a.divideAndRemainder(b);
        return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    }
}
