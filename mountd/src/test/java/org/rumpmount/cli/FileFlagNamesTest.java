package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** chflags(1)'s FLAGS words and ls -O's display, by NetBSD's names and bits. */
class FileFlagNamesTest {
    private static long apply(String flags, long old) {
        return FileFlagNames.parse(flags).apply(old);
    }

    @Test
    void namesSetBitsAndNoClearsThem() {
        assertEquals(0x2, apply("uchg", 0));
        assertEquals(0x2, apply("uimmutable", 0));
        assertEquals(0x4 | 0x40000, apply("uappend,sappnd", 0));
        assertEquals(0x20000 | 0x10000 | 0x8, apply("schange arch\topaque", 0));
        assertEquals(0x1, apply("nouchg", 0x3));
        assertEquals(0x0, apply("noarchived", 0x10000));
    }

    @Test
    void nodumpSetsDumpAndNonodumpClear() {
        assertEquals(0x1, apply("nodump", 0));
        assertEquals(0x0, apply("dump", 0x1));
        assertEquals(0x0, apply("nonodump", 0x1));
    }

    @Test
    void anOctalNumberSetsTheFlagsExactly() {
        assertEquals(0x40004, apply("1000004", 0x2));
        assertEquals(0, apply("0", 0xffff));
        assertThrows(IllegalArgumentException.class, () -> FileFlagNames.parse("77777777777"));
    }

    @Test
    void unknownWordsAndEmptyFlagsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FileFlagNames.parse("uchg,bogus"));
        assertThrows(IllegalArgumentException.class, () -> FileFlagNames.parse("snap"));
        assertThrows(IllegalArgumentException.class, () -> FileFlagNames.parse(","));
        assertThrows(IllegalArgumentException.class, () -> FileFlagNames.parse(""));
    }

    @Test
    void shownInNetbsdLsOrderWithUnknownBitsInOctal() {
        assertEquals("-", FileFlagNames.show(0));
        assertEquals("uappnd,uchg,nodump,opaque,sappnd,arch,schg,snap", FileFlagNames.show(0x270000 | 0xf));
        assertEquals("nodump,0100", FileFlagNames.show(0x41));
    }
}
