package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.VfsException;

/**
 * The block map over a hand-built device: direct, single, double and triple indirect pointers,
 * holes at every level, pointers outside the file system, and an indirect block naming itself.
 */
class BlockMapTest {
    private static final int BSIZE = 4096;
    private static final int FSIZE = 1024;
    private static final int FRAGS = 256;

    private Superblock sb;
    private byte[] disk;

    private void geometry(boolean ufs2, ByteOrder order) {
        sb = new Superblock();
        sb.ufs2 = ufs2;
        sb.order = order;
        sb.oldFlags = Superblock.FS_FLAGS_UPDATED;
        sb.bsize = BSIZE;
        sb.fsize = FSIZE;
        sb.frag = BSIZE / FSIZE;
        sb.fragshift = 2;
        sb.bshift = 12;
        sb.fshift = 10;
        sb.nindir = BSIZE / (ufs2 ? 8 : 4);
        sb.size = FRAGS;
        disk = new byte[FRAGS * FSIZE];
    }

    private void pointer(long blockFrag, int slot, long value) {
        ByteBuffer b = ByteBuffer.wrap(disk).order(sb.order);
        int at = (int) (blockFrag * FSIZE) + slot * (sb.ufs2 ? 8 : 4);
        if (sb.ufs2) {
            b.putLong(at, value);
        } else {
            b.putInt(at, (int) value);
        }
    }

    @ParameterizedTest
    @CsvSource({"false,le", "false,be", "true,le", "true,be"})
    void mapsEveryLevel(boolean ufs2, String o) throws VfsException {
        geometry(ufs2, o.equals("le") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        long n = sb.nindir;
        Dinode d = new Dinode();
        d.ufs2 = ufs2;
        d.order = sb.order;
        d.db[3] = 40;
        d.ib[0] = 8;
        d.ib[1] = 12;
        d.ib[2] = 16;
        pointer(8, 0, 32);
        pointer(8, (int) n - 1, 36);
        pointer(12, 1, 44);
        pointer(44, 2, 48);
        pointer(16, 0, 20);
        pointer(20, 1, 24);
        pointer(24, 2, 28);
        pointer(24, 5, 1_000_000);
        pointer(24, 6, 24);
        pointer(24, 7, -8);
        Inode ip = new Inode(9, d, VType.VREG);
        MemoryBlockDevice dev = MemoryBlockDevice.of(disk, 512, false, true);
        BlockMap m = new BlockMap(new FfsIo(dev, sb, new org.rumpmount.vfs.buf.BufferCache(1 << 20)), sb, ip);

        assertEquals(40, m.fragAddr(3));
        assertEquals(0, m.fragAddr(4), "direct hole");
        assertEquals(32, m.fragAddr(12));
        assertEquals(36, m.fragAddr(12 + n - 1));
        assertEquals(0, m.fragAddr(13), "hole in the single indirect block");
        long dbl = 12 + n;
        assertEquals(48, m.fragAddr(dbl + n + 2));
        assertEquals(0, m.fragAddr(dbl), "hole in the double indirect block");
        assertEquals(0, m.fragAddr(dbl + n + 3), "hole below the double indirect block");
        long triple = dbl + n * n;
        assertEquals(28, m.fragAddr(triple + n + 2));
        assertEquals(24, m.fragAddr(triple + n + 6), "a block naming itself is just an address");
        assertEquals(0, m.fragAddr(triple + 2 * n * n), "hole in the triple indirect block");

        VfsException out = assertThrows(VfsException.class, () -> m.fragAddr(triple + n + 5));
        assertEquals(Errno.EIO, out.errno());
        assertTrue(out.getMessage().contains("inode 9") && out.getMessage().contains("1000000"), out.getMessage());
        VfsException negative = assertThrows(VfsException.class, () -> m.fragAddr(triple + n + 7));
        assertTrue(negative.getMessage().contains("-8"), negative.getMessage());
        VfsException beyond = assertThrows(VfsException.class, () -> m.fragAddr(triple + n * n * n));
        assertEquals(Errno.EFBIG, beyond.errno());
    }

    /**
     * A map that copies a window of pointers from each leaf indirect block answers as one that
     * copies a single pointer at a time, for every block from the direct ones across the single
     * and double indirect leaves, in forward and backward order, with holes and bad pointers in
     * the windows reported only for the block that uses them.
     */
    /** The address the pointers of the test below give logical block {@code lbn}. */
    private long expected(long lbn) {
        int n = sb.nindir;
        if (lbn < Dinode.NDADDR) {
            return lbn == 5 ? 0 : 100 + lbn;
        }
        long slot = lbn - Dinode.NDADDR;
        if (slot < n) {
            return slot % 9 == 4 ? 0 : 1 + (slot % 200);
        }
        slot -= n;
        if (slot < n) {
            return slot % 11 == 2 ? 0 : 30 + (slot % 150);
        }
        slot -= n;
        return 50 + (slot % 100);
    }

    @ParameterizedTest
    @CsvSource({"false,1", "false,3", "false,16", "false,5000", "true,1", "true,7", "true,512"})
    void windowsOfAnySizeMapAsSinglePointersDo(boolean ufs2, int window) throws VfsException {
        geometry(ufs2, ByteOrder.LITTLE_ENDIAN);
        int n = sb.nindir;
        Dinode d = new Dinode();
        d.ufs2 = ufs2;
        d.order = sb.order;
        for (int i = 0; i < Dinode.NDADDR; i++) {
            d.db[i] = i == 5 ? 0 : 100 + i;
        }
        d.ib[0] = 8;
        d.ib[1] = 12;
        pointer(12, 0, 16);
        pointer(12, 1, 20);
        for (int slot = 0; slot < n; slot++) {
            pointer(8, slot, slot % 9 == 4 ? 0 : 1 + (slot % 200));
            pointer(16, slot, slot % 11 == 2 ? 0 : 30 + (slot % 150));
            pointer(20, slot, slot == n - 3 ? FRAGS + 7 : 50 + (slot % 100));
        }
        Inode ip = new Inode(9, d, VType.VREG);
        MemoryBlockDevice dev = MemoryBlockDevice.of(disk, 512, false, true);
        FfsIo io = new FfsIo(dev, sb, new org.rumpmount.vfs.buf.BufferCache(1 << 20));
        long last = Dinode.NDADDR + 3L * n;
        long bad = Dinode.NDADDR + 3L * n - 3;
        BlockMap wide = new BlockMap(io, sb, ip, window);
        BlockMap backward = new BlockMap(io, sb, ip, window);
        for (long lbn = 0; lbn < last; lbn++) {
            long back = last - 1 - lbn;
            if (lbn == bad) {
                VfsException e = assertThrows(VfsException.class, () -> wide.fragAddr(bad));
                assertTrue(e.getMessage().contains("slot " + (n - 3)) && e.getMessage().contains("fragment 20"),
                        e.getMessage());
            } else {
                assertEquals(expected(lbn), wide.fragAddr(lbn), "block " + lbn);
            }
            if (back != bad) {
                assertEquals(expected(back), backward.fragAddr(back), "block " + back);
                assertEquals(expected(back), new BlockMap(io, sb, ip, 1).fragAddr(back), "block " + back);
            }
        }
    }
}
