package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The dinode codec, UFS1 and UFS2, little and big endian, against hand-placed bytes. */
class DinodeTest {

    private static ByteOrder order(String o) {
        return o.equals("le") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    @ParameterizedTest
    @CsvSource({"le", "be"})
    void ufs1FieldsSitAtTheirOffsets(String o) {
        ByteBuffer b = ByteBuffer.allocate(256).order(order(o));
        int off = 128;
        b.putShort(off, (short) 0100644).putShort(off + 2, (short) 3);
        b.putShort(off + 4, (short) 11).putShort(off + 6, (short) 12);
        b.putLong(off + 8, 123456789L);
        b.putInt(off + 16, -2147483648).putInt(off + 20, 5);
        b.putInt(off + 24, -1).putInt(off + 28, 999999999);
        b.putInt(off + 32, 2147483647).putInt(off + 36, 7);
        for (int i = 0; i < 12; i++) {
            b.putInt(off + 40 + 4 * i, 1000 + i);
        }
        b.putInt(off + 88, 2000).putInt(off + 92, 2001).putInt(off + 96, 2002);
        b.putInt(off + 100, 0x20000).putInt(off + 104, 0xfffffffe).putInt(off + 108, 42);
        b.putInt(off + 112, 0xfffffffe).putInt(off + 116, 65534);
        Dinode d = Dinode.decode(b, off, false);
        assertEquals(0100644, d.mode);
        assertEquals(3, d.nlink);
        assertEquals(11, d.ouid);
        assertEquals(12, d.ogid);
        assertEquals(4294967294L, d.uid);
        assertEquals(65534, d.gid);
        assertEquals(123456789L, d.size);
        assertEquals(-2147483648L, d.atime);
        assertEquals(5, d.atimensec);
        assertEquals(-1, d.mtime);
        assertEquals(999999999, d.mtimensec);
        assertEquals(2147483647L, d.ctime);
        assertEquals(1011, d.db[11]);
        assertEquals(2002, d.ib[2]);
        assertEquals(0x20000, d.flags);
        assertEquals(4294967294L, d.blocks);
        assertEquals(42, d.gen);
        assertEquals(1000, d.rawRdev());
        ByteBuffer again = ByteBuffer.allocate(256).order(order(o));
        d.encode(again, off);
        assertArrayEquals(b.array(), again.array());
    }

    @ParameterizedTest
    @CsvSource({"le", "be"})
    void ufs2FieldsSitAtTheirOffsets(String o) {
        ByteBuffer b = ByteBuffer.allocate(512).order(order(o));
        int off = 256;
        b.putShort(off, (short) 0120777).putShort(off + 2, (short) 1);
        b.putInt(off + 4, 0xfffffffe).putInt(off + 8, 7).putInt(off + 12, 16384);
        b.putLong(off + 16, 1L << 40).putLong(off + 24, 64);
        b.putLong(off + 32, -(1L << 33)).putLong(off + 40, 1L << 33).putLong(off + 48, 3).putLong(off + 56, 4);
        b.putInt(off + 64, 640).putInt(off + 68, 680).putInt(off + 72, 720).putInt(off + 76, 760);
        b.putInt(off + 80, 80).putInt(off + 84, 84).putInt(off + 88, 88).putInt(off + 92, 92);
        b.putLong(off + 96, 96).putLong(off + 104, 104);
        for (int i = 0; i < 12; i++) {
            b.putLong(off + 112 + 8 * i, (1L << 35) + i);
        }
        b.putLong(off + 208, 208).putLong(off + 216, 216).putLong(off + 224, 224).putLong(off + 232, 232);
        Dinode d = Dinode.decode(b, off, true);
        assertEquals(0120777, d.mode);
        assertEquals(4294967294L, d.uid);
        assertEquals(7, d.gid);
        assertEquals(16384, d.blksize);
        assertEquals(1L << 40, d.size);
        assertEquals(64, d.blocks);
        assertEquals(-(1L << 33), d.atime);
        assertEquals(1L << 33, d.mtime);
        assertEquals(3, d.ctime);
        assertEquals(4, d.birthtime);
        assertEquals(640, d.mtimensec);
        assertEquals(680, d.atimensec);
        assertEquals(720, d.ctimensec);
        assertEquals(760, d.birthnsec);
        assertEquals(80, d.gen);
        assertEquals(84, d.kernflags);
        assertEquals(88, d.flags);
        assertEquals(92, d.extsize);
        assertEquals(104, d.extb[1]);
        assertEquals((1L << 35) + 11, d.db[11]);
        assertEquals(224, d.ib[2]);
        assertEquals(232, d.modrev);
        ByteBuffer again = ByteBuffer.allocate(512).order(order(o));
        d.encode(again, off);
        assertArrayEquals(b.array(), again.array());
    }

    @ParameterizedTest
    @CsvSource({"le,false,60", "be,false,60", "le,true,120", "be,true,120"})
    void fastSymlinkTargetIsTheAddressAreaAsStored(String o, boolean ufs2, int area) {
        int size = ufs2 ? Dinode.UFS2_SIZE : Dinode.UFS1_SIZE;
        int start = ufs2 ? 112 : 40;
        ByteBuffer b = ByteBuffer.allocate(size).order(order(o));
        byte[] target = new byte[area];
        for (int i = 0; i < area; i++) {
            target[i] = (byte) ('a' + i % 26);
        }
        b.put(start, target);
        Dinode d = Dinode.decode(b, 0, ufs2);
        assertArrayEquals(target, d.addressArea());
    }
}
