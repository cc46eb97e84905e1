package org.rumpmount.vfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NameTest {
    @Test
    void aNameOf255BytesIsAcceptedAnd256IsEnametoolong() throws Exception {
        byte[] b = new byte[255];
        Arrays.fill(b, (byte) 'x');
        assertEquals(255, Name.of(b).length());
        byte[] c = new byte[256];
        Arrays.fill(c, (byte) 'x');
        assertEquals(Errno.ENAMETOOLONG, assertThrows(VfsException.class, () -> Name.of(c)).errno());
    }

    @Test
    void emptySlashAndNulAreInvalid() {
        assertEquals(Errno.EINVAL, assertThrows(VfsException.class, () -> Name.of(new byte[0])).errno());
        assertEquals(Errno.EINVAL, assertThrows(VfsException.class, () -> Name.of("a/b")).errno());
        assertEquals(Errno.EINVAL, assertThrows(VfsException.class, () -> Name.of(new byte[] {'a', 0})).errno());
    }

    @Test
    void bytesThatAreNotUtf8SurviveAndCompareAsBytes() throws Exception {
        byte[] raw = {'a', (byte) 0xff, (byte) 0xfe, 'z'};
        Name n = Name.of(raw);
        assertArrayEquals(raw, n.bytes());
        assertEquals(n, Name.of(raw.clone()));
        assertNotEquals(n, Name.of("a\ufffd\ufffdz"));
        assertEquals("a\\xff\\xfez", n.toString());
    }

    @Test
    void nfcAndNfdFormsAreDifferentNames() throws Exception {
        assertNotEquals(Name.of("\u00e9"), Name.of("e\u0301"));
    }

    @Test
    void orderingIsUnsignedByteOrder() throws Exception {
        assertTrue(Name.of("z").compareTo(Name.of(new byte[] {(byte) 0x80})) < 0);
    }

    @Test
    void dotAndDotDotAreRecognised() throws Exception {
        assertTrue(Name.of(".").isDot());
        assertTrue(Name.of("..").isDotDot());
        assertTrue(!Name.of("...").isDotDot());
    }
}
