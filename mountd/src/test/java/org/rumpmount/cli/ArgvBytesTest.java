package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgvBytesTest {
    private static byte[] cmdline(byte[]... entries) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] e : entries) {
            b.writeBytes(e);
            b.write(0);
        }
        return b.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void undecodableBytesAreRecoveredFromTheCommandLine() {
        byte[] latin1 = {'/', 'x', (byte) 0xe9};
        String decoded = new String(latin1, StandardCharsets.UTF_8); // "/x\uFFFD": the byte is lost
        Map<String, String> m = ArgvBytes.match(new String[] {"cat", "img", decoded},
                cmdline(ascii("java"), ascii("-jar"), ascii("r.jar"), ascii("cat"), ascii("img"), latin1), StandardCharsets.UTF_8);
        assertEquals("/x\u00e9", m.get(decoded), "the raw form holds byte 0xe9");
        assertEquals("cat", m.get("cat"));
    }

    @Test
    void aMismatchFallsBackToReEncoding() {
        Map<String, String> m = ArgvBytes.match(new String[] {"ls", "img"},
                cmdline(ascii("java"), ascii("ls"), ascii("other")), StandardCharsets.UTF_8);
        assertEquals(Map.of(), m);
        assertEquals(Map.of(), ArgvBytes.match(new String[] {"a", "b", "c"}, cmdline(ascii("b"), ascii("c")), StandardCharsets.UTF_8));
    }

    @Test
    void oneStringForTwoByteSequencesIsLeftOut() {
        byte[] e9 = {(byte) 0xe9};
        byte[] ff = {(byte) 0xff};
        String d = new String(e9, StandardCharsets.UTF_8);
        Map<String, String> m = ArgvBytes.match(new String[] {d, d, "x"}, cmdline(e9, ff, ascii("x")), StandardCharsets.UTF_8);
        assertEquals(null, m.get(d));
        assertEquals("x", m.get("x"));
    }

    @Test
    void emptyArgumentsKeepTheirPlace() {
        Map<String, String> m = ArgvBytes.match(new String[] {"", "a"}, cmdline(ascii("java"), ascii(""), ascii("a")), StandardCharsets.UTF_8);
        assertEquals("", m.get(""));
        assertEquals("a", m.get("a"));
    }
}
