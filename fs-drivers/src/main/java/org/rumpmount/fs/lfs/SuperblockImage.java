package org.rumpmount.fs.lfs;

import java.nio.ByteBuffer;

/**
 * A whole superblock (struct dlfs / struct dlfs64, the first 512 bytes) to be written by newfs:
 * every field NetBSD's newfs_lfs sets, at the offsets {@link Superblock} decodes them from, then
 * the checksum. Fields newfs leaves zero (dlfs_fsmnt, uinodes, nspf, the pad) stay zero.
 */
final class SuperblockImage {
    private final LfsLayout l;
    private final ByteBuffer b;

    SuperblockImage(LfsLayout l) {
        this.l = l;
        this.b = ByteBuffer.allocate(Superblock.DISK_SIZE).order(l.order());
    }

    /** The geometry newfs decides: everything but the checkpoint. */
    record Geometry(long size, long dsize, long ssize, int bsize, int fsize, int minfree, long maxfilesize,
            long fsbpseg, int inopb, int ifpb, int sepb, int nindir, long nseg, int cleansz, int segtabsz,
            int bshift, int ffshift, int fbshift, int blktodb, int fsbtodb, int maxsymlinklen, long[] sboffs,
            long minfreeseg, int sumsize, int ibsize, long s0addr, int inopf, int interleave, int ident,
            int resvseg) {
    }

    void geometry(Geometry g) {
        b.putInt(0, l.magic()).putInt(4, Superblock.LFS_VERSION);
        int frag = g.bsize() / g.fsize();
        if (l.is64()) {
            b.putLong(8, g.size()).putLong(16, g.dsize()).putInt(24, (int) g.ssize()).putInt(28, g.bsize())
                    .putInt(32, g.fsize()).putInt(36, frag);
            b.putInt(128, g.inopf()).putInt(132, g.minfree()).putLong(136, g.maxfilesize())
                    .putInt(144, (int) g.fsbpseg()).putInt(148, g.inopb()).putInt(152, g.ifpb())
                    .putInt(156, g.sepb()).putInt(160, g.nindir()).putInt(164, (int) g.nseg())
                    .putInt(172, g.cleansz()).putInt(176, g.segtabsz()).putInt(180, g.bshift())
                    .putInt(184, g.ffshift()).putInt(188, g.fbshift()).putLong(192, g.bsize() - 1)
                    .putLong(200, g.fsize() - 1).putLong(208, frag - 1).putInt(216, g.blktodb());
            for (int i = 0; i < Superblock.MAXNUMSB; i++) {
                b.putLong(224 + 8 * i, g.sboffs()[i]);
            }
            b.putInt(304, g.maxsymlinklen()).putInt(408, (int) g.minfreeseg()).putInt(412, g.sumsize())
                    .putInt(416, g.ibsize()).putInt(420, 0).putLong(432, g.s0addr()).putInt(448, g.interleave())
                    .putInt(452, g.ident()).putInt(456, g.fsbtodb()).putInt(460, g.resvseg());
        } else {
            b.putInt(8, (int) g.size()).putInt(12, (int) g.ssize()).putInt(16, (int) g.dsize())
                    .putInt(20, g.bsize()).putInt(24, g.fsize()).putInt(28, frag);
            b.putInt(56, (int) LfsFileSystem.IFILE_INUM);
            b.putInt(80, g.inopf()).putInt(84, g.minfree()).putLong(88, g.maxfilesize())
                    .putInt(96, (int) g.fsbpseg()).putInt(100, g.inopb()).putInt(104, g.ifpb())
                    .putInt(108, g.sepb()).putInt(112, g.nindir()).putInt(116, (int) g.nseg())
                    .putInt(124, g.cleansz()).putInt(128, g.segtabsz())
                    // segmask and segshift (132, 136) are zero in format version 2.
                    .putInt(140, g.bshift()).putInt(144, g.ffshift()).putInt(148, g.fbshift())
                    .putLong(152, g.bsize() - 1).putLong(160, g.fsize() - 1).putLong(168, frag - 1)
                    .putInt(176, g.blktodb()).putInt(184, g.maxsymlinklen());
            for (int i = 0; i < Superblock.MAXNUMSB; i++) {
                b.putInt(188 + 4 * i, (int) g.sboffs()[i]);
            }
            b.putInt(328, (int) g.minfreeseg()).putInt(332, g.sumsize()).putInt(344, g.ibsize())
                    .putInt(348, (int) g.s0addr()).putInt(360, 0).putInt(364, g.interleave())
                    .putInt(368, g.ident()).putInt(372, g.fsbtodb()).putInt(376, g.resvseg());
        }
    }

    /** Sets the checkpoint fields and the checksum; returns the 512 bytes to write. */
    byte[] checkpoint(CheckpointFields cp) {
        cp.apply(l, b);
        byte[] out = new byte[Superblock.DISK_SIZE];
        b.duplicate().clear().get(out);
        return out;
    }
}
