package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;

class ParsingTest {
    @Test
    void globsMatchLikeFnmatch() {
        assertTrue(new Glob("*.txt").matches("a.txt"));
        assertTrue(new Glob("*.txt").matches(".txt"));
        assertFalse(new Glob("*.txt").matches("a.txt~"));
        assertTrue(new Glob("a?c").matches("abc"));
        assertFalse(new Glob("a?c").matches("ac"));
        assertTrue(new Glob("[a-c]x").matches("bx"));
        assertFalse(new Glob("[!a-c]x").matches("bx"));
        assertTrue(new Glob("[^a-c]x").matches("dx"));
        assertTrue(new Glob("[]]").matches("]"));
        assertTrue(new Glob("\\*").matches("*"));
        assertFalse(new Glob("\\*").matches("a"));
        assertTrue(new Glob("[").matches("["), "an unclosed bracket is literal");
        assertTrue(new Glob("*a*b*").matches("xxaybz"));
        assertTrue(new Glob("\u00ff*").matches("\u00ffz"), "raw bytes above 0x7f match themselves");
    }

    @Test
    void shellLinesSplitIntoWords() {
        assertEquals(List.of("ls", "-l", "/a"), ShellLexer.split("  ls   -l\t/a  "));
        assertEquals(List.of("cat", "a b"), ShellLexer.split("cat 'a b'"));
        assertEquals(List.of("cat", "a\"b c$"), ShellLexer.split("cat \"a\\\"b c\\$\""));
        assertEquals(List.of("cat", "a b"), ShellLexer.split("cat a\\ b"));
        assertEquals(List.of("ls"), ShellLexer.split("ls # a comment"));
        assertEquals(List.of("echo", "a#b"), ShellLexer.split("echo a#b"));
        assertEquals(List.of(), ShellLexer.split("   "));
        assertEquals(List.of("x", ""), ShellLexer.split("x ''"));
        assertEquals(List.of("ls"), ShellLexer.split("ls\r"), "a CRLF line end is a blank");
        assertThrows(IllegalArgumentException.class, () -> ShellLexer.split("cat 'a"));
        assertThrows(IllegalArgumentException.class, () -> ShellLexer.split("cat \"a"));
    }

    @Test
    void mountOptionsSplitIntoKernelAndDriverOptions() {
        assertNull(MountSpec.readOnly(null));
        assertEquals(Boolean.TRUE, MountSpec.readOnly("size=1m,ro"));
        assertEquals(Boolean.FALSE, MountSpec.readOnly("ro,rw"));
        MountOptions o = MountSpec.build("rw,force,size=64m,noatime", false);
        assertFalse(o.isReadOnly());
        assertTrue(o.force());
        assertEquals("64m", o.get("size").orElseThrow());
        assertEquals("", o.get("noatime").orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> MountSpec.build("=x", true));
    }

    @Test
    void touchDates() {
        assertEquals(new Timespec(1764088680L, 0), TouchCommand.parseDate("2025-11-25 16:38", ZoneOffset.UTC));
        assertEquals(new Timespec(1764088680L, 500_000_000), TouchCommand.parseDate("2025-11-25T16:38:00.5", ZoneOffset.UTC));
        assertEquals(new Timespec(1764028800L, 0), TouchCommand.parseDate("2025-11-25", ZoneOffset.UTC));
        assertEquals(new Timespec(12, 250_000_000), TouchCommand.parseDate("@12.25", ZoneOffset.UTC));
        assertEquals(new Timespec(-2, 750_000_000), TouchCommand.parseDate("@-1.25", ZoneOffset.UTC));
        assertEquals(new Timespec(1764085080L, 0), TouchCommand.parseDate("2025-11-25 16:38", ZoneOffset.ofHours(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TouchCommand.parseDate("yesterday", ZoneOffset.UTC));
        assertEquals("invalid date format 'yesterday'", e.getMessage());
    }

    @Test
    void ownersAreNumeric() throws Exception {
        assertArrayEquals(new long[] {10, 20}, ChownCommand.parseOwner("10:20"));
        assertArrayEquals(new long[] {10, -1}, ChownCommand.parseOwner("10"));
        assertArrayEquals(new long[] {10, -1}, ChownCommand.parseOwner("10:"));
        assertArrayEquals(new long[] {-1, 0}, ChownCommand.parseOwner(":0"));
        assertArrayEquals(new long[] {4294967294L, 4294967294L}, ChownCommand.parseOwner("4294967294:4294967294"));
        for (String bad : new String[] {"root", ":", "4294967295", "1:wheel", "-1", "99999999999"}) {
            CommandFailure f = assertThrows(CommandFailure.class, () -> ChownCommand.parseOwner(bad), bad);
            assertEquals(ExitCodes.USAGE, f.status());
        }
    }

    @Test
    void findTypes() throws Exception {
        assertEquals(VType.VREG, FindCommand.parseType("f"));
        assertEquals(VType.VSOCK, FindCommand.parseType("s"));
        assertEquals(ExitCodes.USAGE, assertThrows(CommandFailure.class, () -> FindCommand.parseType("x")).status());
    }

    @Test
    void cdNormalizesByName() {
        assertEquals("/", CdCommand.normalize("/"));
        assertEquals("/a", CdCommand.normalize("/a/b/.."));
        assertEquals("/", CdCommand.normalize("/.."));
        assertEquals("/a/c", CdCommand.normalize("//a/./b/../c/"));
    }

    @Test
    void pathHelpers() {
        assertEquals("b", FsContext.baseName("/a/b/"));
        assertEquals("/", FsContext.baseName("/"));
        assertEquals("x", FsContext.baseName("x"));
        assertEquals("/a/b", FsContext.join("/a", "b"));
        assertEquals("/b", FsContext.join("/", "b"));
    }

    @Test
    void rawTextKeepsEveryByte() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        assertArrayEquals(all, RawText.bytes(RawText.of(all)));
    }
}
