package org.rumpmount.fs.ffs.newfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The superblock (struct fs) newfs writes, encoded at its on-disk offsets in the chosen byte
 * order. Unlike the driver's codec, which rewrites a superblock it has read, this one starts from
 * zeros: every field a fresh file system defines is set here, including the historic UFS1
 * geometry fields (one "cylinder" per group, one rotational position) that mkfs.c still fills.
 */
final class SuperblockImage {
    static final int FS_UFS1_MAGIC = 0x011954;
    static final int FS_UFS2_MAGIC = 0x19540119;
    static final int FS_ISCLEAN = 0x01;
    static final int FS_FLAGS_UPDATED = 0x80;
    static final int FS_44INODEFMT = 2;
    static final int FS_DYNAMICPOSTBLFMT = 1;
    static final int MAXSYMLINKLEN_UFS1 = 60;
    static final int MAXSYMLINKLEN_UFS2 = 120;

    private SuperblockImage() {
    }

    /**
     * Encodes the superblock of layout {@code l} with summary totals {@code cstotal} (ndir, nbfree,
     * nifree, nffree) into a buffer of {@code length} bytes (the rest zero).
     */
    static ByteBuffer encode(NewfsLayout l, NewfsOptions o, long[] cstotal, long time, int id1, int length) {
        ByteBuffer b = ByteBuffer.allocate(length).order(o.byteOrder());
        boolean ufs2 = l.ufs2();
        b.putInt(8, l.sblkno()).putInt(12, l.cblkno()).putInt(16, l.iblkno()).putInt(20, l.dblkno());
        b.putInt(44, l.ncg()).putInt(48, l.bsize()).putInt(52, l.fsize()).putInt(56, l.frag());
        b.putInt(60, o.minfree());
        b.putInt(72, ~(l.bsize() - 1)).putInt(76, ~(l.fsize() - 1));
        b.putInt(80, l.bshift()).putInt(84, l.fshift());
        b.putInt(88, l.maxcontig()).putInt(92, l.maxbpg()).putInt(96, l.fragshift());
        b.putInt(100, Integer.numberOfTrailingZeros(l.fsize() / 512)).putInt(104, l.sbsize());
        b.putInt(116, l.nindir()).putInt(120, l.inopb()).putInt(128, o.optimization().code);
        b.putInt(144, (int) time).putInt(148, id1);
        b.putInt(156, l.cssize()).putInt(160, l.cgsize());
        b.putInt(184, l.ipg()).putInt(188, l.fpg());
        b.put(209, (byte) FS_ISCLEAN).put(211, (byte) FS_FLAGS_UPDATED);
        byte[] label = o.volumeLabel().getBytes(StandardCharsets.UTF_8);
        b.put(680, label);
        b.putInt(860, l.bsize());
        b.putLong(1000, l.sblockloc());
        for (int i = 0; i < 4; i++) {
            b.putLong(1008 + 8 * i, cstotal[i]);
        }
        b.putLong(1072, time).putLong(1080, l.size()).putLong(1088, l.dsize()).putLong(1096, l.csaddr());
        b.putInt(1196, o.avgFileSize()).putInt(1200, o.avgFilesPerDir());
        b.putInt(1312, 0).putInt(1316, l.contigsumsize());
        b.putInt(1320, ufs2 ? MAXSYMLINKLEN_UFS2 : MAXSYMLINKLEN_UFS1).putInt(1324, FS_44INODEFMT);
        b.putLong(1328, l.maxfilesize()).putLong(1336, l.bsize() - 1L).putLong(1344, l.fsize() - 1L);
        b.putInt(1372, ufs2 ? FS_UFS2_MAGIC : FS_UFS1_MAGIC);
        if (!ufs2) {
            int nspf = l.fsize() / 512;
            int spc = l.fpg() * nspf;
            b.putInt(24, 0).putInt(28, 0xffffffff).putInt(32, (int) time).putInt(36, (int) l.size());
            b.putInt(40, (int) l.dsize()).putInt(68, 60).putInt(124, nspf).putInt(132, spc).putInt(136, 1);
            b.putInt(152, (int) l.csaddr()).putInt(168, spc).putInt(172, spc).putInt(176, l.ncg()).putInt(180, 1);
            for (int i = 0; i < 4; i++) {
                b.putInt(192 + 4 * i, (int) cstotal[i]);
            }
            b.putInt(1356, FS_DYNAMICPOSTBLFMT).putInt(1360, 1);
        }
        return b;
    }

    static boolean looksLikeSuperblock(ByteBuffer b) {
        if (b.limit() < 1376) {
            return false;
        }
        for (ByteOrder o : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            int m = b.duplicate().order(o).getInt(1372);
            if (m == FS_UFS1_MAGIC || m == FS_UFS2_MAGIC) {
                return true;
            }
        }
        return false;
    }
}
