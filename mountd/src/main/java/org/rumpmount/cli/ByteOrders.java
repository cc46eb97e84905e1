package org.rumpmount.cli;

import java.nio.ByteOrder;
import java.util.Locale;

/** Byte order arguments as NetBSD's tools spell them: le/be, little/big, 1234/4321. */
final class ByteOrders {
    private ByteOrders() {
    }

    static ByteOrder parse(String s, String option) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "le", "little", "1234" -> ByteOrder.LITTLE_ENDIAN;
            case "be", "big", "4321" -> ByteOrder.BIG_ENDIAN;
            default -> throw new IllegalArgumentException(option + ": byte order '" + s + "' is not le or be");
        };
    }
}
