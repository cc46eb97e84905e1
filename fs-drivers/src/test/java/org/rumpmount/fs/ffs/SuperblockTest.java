package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The superblock codec against the fields an independent reader (fsstat, dumpfs) printed. */
class SuperblockTest {

    static ByteBuffer rawAt(String image, long offset) throws IOException {
        byte[] b = new byte[Superblock.SBLOCKSIZE];
        try (RandomAccessFile f = new RandomAccessFile(TestImages.image(image).toFile(), "r")) {
            f.seek(offset);
            f.readFully(b);
        }
        return ByteBuffer.wrap(b);
    }

    @Test
    void decodesLittleEndianUfs2AsFsstatPrintedIt() throws IOException {
        ByteBuffer raw = rawAt("ufs2-le", 8192);
        assertEquals(ByteOrder.LITTLE_ENDIAN, Superblock.orderOf(raw));
        Superblock s = Superblock.decode(raw, ByteOrder.LITTLE_ENDIAN);
        assertTrue(s.ufs2);
        assertEquals(8, s.sblkno);
        assertEquals(16, s.cblkno);
        assertEquals(24, s.iblkno);
        assertEquals(200, s.dblkno);
        assertEquals(5, s.ncg);
        assertEquals(16384, s.bsize);
        assertEquals(2048, s.fsize);
        assertEquals(8, s.frag);
        assertEquals(-16384, s.bmask);
        assertEquals(-2048, s.fmask);
        assertEquals(14, s.bshift);
        assertEquals(11, s.fshift);
        assertEquals(3, s.fragshift);
        assertEquals(2, s.fsbtodb);
        assertEquals(2048, s.sbsize);
        assertEquals(2048, s.nindir);
        assertEquals(64, s.inopb);
        assertEquals(1795618728, s.id0);
        assertEquals(1804289383, s.id1);
        assertEquals(1408, s.ipg);
        assertEquals(8192, s.fpg);
        assertEquals(0x80, s.oldFlags);
        assertEquals(8192, s.sblockloc);
        assertArrayEquals(new long[] {62, 442, 1871, 13}, s.summary());
        assertEquals(38944, s.totalFrags());
        assertEquals(37975, s.dataFrags());
        assertEquals(200, s.csAddr());
        assertEquals(4, s.contigsumsize);
        assertEquals(120, s.maxsymlinklen);
        assertEquals(2, s.oldInodefmt);
        assertEquals(140806241583103L, s.maxfilesize);
        assertEquals(Superblock.FS_UFS2_MAGIC, s.magic);
        assertEquals(1, s.clean);
        SuperblockValidator.validate(s, 8192, 79757312);
    }

    @Test
    void bigEndianUfs2DecodesToTheSameFieldsAsLittleEndian() throws IOException {
        ByteBuffer raw = rawAt("ufs2-be", 8192);
        assertEquals(ByteOrder.BIG_ENDIAN, Superblock.orderOf(raw));
        Superblock be = Superblock.decode(raw, ByteOrder.BIG_ENDIAN);
        Superblock le = Superblock.decode(rawAt("ufs2-le", 8192), ByteOrder.LITTLE_ENDIAN);
        // The two images were made moments apart: only their id (a timestamp) and time differ.
        be.id0 = le.id0;
        be.time = le.time;
        assertEquals(fields(le), fields(be));
        SuperblockValidator.validate(be, 8192, 79757312);
    }

    @Test
    void decodesUfs1() throws IOException {
        Superblock s = Superblock.decode(rawAt("ufs1-le", 8192), ByteOrder.LITTLE_ENDIAN);
        assertFalse(s.ufs2);
        assertEquals(Superblock.FS_UFS1_MAGIC, s.magic);
        assertEquals(41264, s.oldSize);
        assertEquals(41264, s.totalFrags());
        assertEquals(3, s.ncg);
        assertEquals(1, s.oldCpg);
        assertEquals(60, s.maxsymlinklen);
        assertEquals(2048, s.nindir);
        assertEquals(64, s.inopb);
        SuperblockValidator.validate(s, 8192, 42254336);
    }

    @Test
    void encodeRoundTripsInBothOrders() throws IOException {
        for (String image : new String[] {"ufs1-le", "ufs2-le", "ufs2-be"}) {
            ByteBuffer raw = rawAt(image, 8192);
            ByteOrder order = Superblock.orderOf(raw);
            Superblock s = Superblock.decode(raw, order);
            byte[] same = s.encode(order);
            assertArrayEquals(java.util.Arrays.copyOf(raw.array(), same.length), same, image + ": identity encode");
            for (ByteOrder o : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                ByteBuffer enc = ByteBuffer.wrap(s.encode(o));
                assertEquals(o, Superblock.orderOf(enc));
                assertEquals(fields(s), fields(Superblock.decode(enc, o)), image + " encoded " + o);
            }
        }
    }

    @Test
    void noMagicMeansNoOrder() {
        assertNull(Superblock.orderOf(ByteBuffer.allocate(Superblock.SBLOCKSIZE)));
        assertNull(Superblock.orderOf(ByteBuffer.allocate(100)));
    }

    @Test
    void oldUfs1WithoutUpdatedFlagsReadsTheOld32BitFields() throws IOException {
        Superblock s = Superblock.decode(rawAt("ufs1-le", 8192), ByteOrder.LITTLE_ENDIAN);
        s.oldFlags = 0;
        s.size = 0;
        s.cstotal[1] = 0;
        s.oldCstotal[1] = 77;
        assertEquals(41264, s.totalFrags());
        assertEquals(77, s.summary()[1]);
        assertEquals(4096, s.recordedLocation(4096));
    }

    /** Every modelled field, for comparing decodes. */
    static String fields(Superblock s) {
        StringBuilder b = new StringBuilder();
        for (java.lang.reflect.Field f : Superblock.class.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) || f.getName().equals("raw")
                    || f.getName().equals("order")) {
                continue;
            }
            try {
                Object v = f.get(s);
                String text = v instanceof int[] a ? java.util.Arrays.toString(a)
                        : v instanceof long[] a ? java.util.Arrays.toString(a)
                        : v instanceof byte[] a ? java.util.Arrays.toString(a) : String.valueOf(v);
                b.append(f.getName()).append('=').append(text).append('\n');
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return b.toString();
    }
}
