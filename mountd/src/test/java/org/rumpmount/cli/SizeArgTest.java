package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SizeArgTest {
    @Test
    void aPlainNumberCountsSectorsAndSuffixesNameBytesToTebibytes() {
        assertEquals(8 * 512, SizeArg.parse("8", "-s"));
        assertEquals(100, SizeArg.parse("100b", "-s"));
        assertEquals(3L << 10, SizeArg.parse("3k", "-s"));
        assertEquals(16L << 20, SizeArg.parse(" 16M ", "-s"));
        assertEquals(2L << 30, SizeArg.parse("2g", "-s"));
        assertEquals(1L << 40, SizeArg.parse("1T", "-s"));
    }

    @Test
    void anythingElseIsRefusedNamingTheOption() {
        for (String bad : new String[] {"", "k", "1x", "1.5m", "ten", "1kk"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SizeArg.parse(bad, "-s"), bad);
            assertTrue(e.getMessage().startsWith("-s: "), e.getMessage());
        }
        for (String bad : new String[] {"0", "-4", "9999999999t", "99999999999999999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SizeArg.parse(bad, "-B"), bad);
            assertEquals("-B: size '" + bad + "' out of range", e.getMessage());
        }
    }
}
