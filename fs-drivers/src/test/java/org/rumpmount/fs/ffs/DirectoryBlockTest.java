package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/** struct direct records, new and old format, both byte orders, and the checks on hostile ones. */
class DirectoryBlockTest {

    private static ByteBuffer chunk(String o) {
        return ByteBuffer.allocate(DirectoryBlock.DIRBLKSIZ)
                .order(o.equals("le") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource({"le,false", "be,false", "le,true", "be,true"})
    void recordsTileTheChunk(String o, boolean old) throws VfsException {
        ByteBuffer c = chunk(o);
        DirectoryBlock.encode(c, 0, 2, 12, DirectoryBlock.DT_DIR, b("."), old);
        DirectoryBlock.encode(c, 12, 2, 12, DirectoryBlock.DT_DIR, b(".."), old);
        byte[] longName = new byte[255];
        java.util.Arrays.fill(longName, (byte) 0xe9);
        DirectoryBlock.encode(c, 24, 77, DirectoryBlock.dirsiz(255), DirectoryBlock.DT_REG, longName, old);
        int used = 24 + DirectoryBlock.dirsiz(255);
        DirectoryBlock.encode(c, used, 0, 512 - used, 0, new byte[0], old);
        List<DirectoryBlock.Entry> es = DirectoryBlock.decode(c, 0, old, 2, 1024, 100);
        assertEquals(4, es.size());
        assertEquals(1024, es.get(0).offset());
        assertArrayEquals(b(".."), es.get(1).name());
        assertEquals(77, es.get(2).ino());
        assertEquals(1048, es.get(2).offset());
        assertArrayEquals(longName, es.get(2).name());
        assertEquals(old ? DirectoryBlock.DT_UNKNOWN : DirectoryBlock.DT_REG, es.get(2).type());
        assertEquals(0, es.get(3).ino());
    }

    @ParameterizedTest
    @CsvSource({"le,6", "be,7"})
    void oldFormatNameLengthIsA16BitFieldInDiskOrder(String o, int lowByteAt) throws VfsException {
        ByteBuffer c = chunk(o);
        DirectoryBlock.encode(c, 0, 5, 512, 0, b("abc"), true);
        assertEquals(3, c.get(lowByteAt));
        assertEquals(3, DirectoryBlock.decode(c, 0, true, 2, 0, 100).get(0).name().length);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 3, abc, d_reclen 0",
        "14, 3, abc, d_reclen 14",
        "516, 3, abc, d_reclen 516",
        "8, 3, abc, smaller than",
    })
    void badRecordLengthsAreRefused(int reclen, int namlen, String name, String message) {
        ByteBuffer c = chunk("le");
        c.putInt(0, 5).putShort(4, (short) reclen).put(6, (byte) 8).put(7, (byte) namlen).put(8, b(name));
        VfsException e = assertThrows(VfsException.class, () -> DirectoryBlock.decode(c, 0, false, 9, 512, 100));
        assertEquals(Errno.EIO, e.errno());
        assertTrue(e.getMessage().contains(message) && e.getMessage().contains("directory inode 9")
                && e.getMessage().contains("offset 512"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"a/b, '/'", "200, beyond the last inode"})
    void badNamesAndInodesAreRefused(String what, String message) {
        ByteBuffer c = chunk("be");
        if (what.equals("200")) {
            DirectoryBlock.encode(c, 0, 200, 512, 8, b("x"), false);
        } else {
            DirectoryBlock.encode(c, 0, 5, 512, 8, b(what), false);
        }
        VfsException e = assertThrows(VfsException.class, () -> DirectoryBlock.decode(c, 0, false, 2, 0, 100));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"le", "be"})
    void nulInNameIsRefused(String o) {
        ByteBuffer c = chunk(o);
        DirectoryBlock.encode(c, 0, 5, 512, 8, b("ab"), false);
        c.put(9, (byte) 0);
        VfsException e = assertThrows(VfsException.class, () -> DirectoryBlock.decode(c, 0, false, 2, 0, 100));
        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
    }
}
