package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.rumpmount.vfs.VType;

/**
 * The bytes each segment holds that something still uses, found by walking every inode the
 * IFILE points at (its log copy and every block it holds, indirect blocks included) and the
 * IFILE itself: what su_nbytes must say, and what fsck_lfs's pass 5 compares it with.
 */
final class SegmentUsage {
    private final LfsFileSystem fs;
    private final Superblock sb;
    private final long[] live;

    private SegmentUsage(LfsFileSystem fs) {
        this.fs = fs;
        this.sb = fs.sb;
        this.live = new long[(int) sb.nseg];
    }

    /** Live bytes per segment, the IFILE's inode taken to be at {@code idaddr}. */
    static long[] live(LfsFileSystem fs, long idaddr) throws IOException {
        SegmentUsage u = new SegmentUsage(fs);
        u.count(idaddr, fs.sb.layout.dinodeSize());
        u.blocks(LfsFileSystem.IFILE_INUM, fs.ifile);
        for (long ino = LfsFileSystem.ROOT_INUM; ino < fs.maxInodes; ino++) {
            IfileEntry e = fs.ifileEntry(ino);
            if (!e.isAllocated()) {
                continue;
            }
            u.count(e.daddr(), fs.sb.layout.dinodeSize());
            u.blocks(ino, fs.loadInode(ino));
        }
        return u.live;
    }

    private void count(long daddr, long bytes) {
        long sn = sb.dtosn(daddr);
        if (sn >= 0 && sn < sb.nseg) {
            live[(int) sn] += bytes;
        }
    }

    private void blocks(long ino, LfsInode ip) throws IOException {
        if (ip.type != VType.VREG && !FileBlocks.hasBlocks(sb, ip)) {
            return;
        }
        Dinode d = ip.din;
        for (int i = 0; i < Dinode.NDADDR; i++) {
            if (d.db[i] > 0) {
                count(d.db[i], ino == LfsFileSystem.IFILE_INUM ? sb.bsize : fs.blockSize(d.size, i));
            }
        }
        for (int level = 0; level < Dinode.NIADDR; level++) {
            indirect(ino, d.ib[level], level + 1);
        }
    }

    private void indirect(long ino, long daddr, int level) throws IOException {
        if (daddr <= 0) {
            return;
        }
        fs.bmap.checkAddress(ino, -1, daddr, sb.bsize, "indirect block");
        count(daddr, sb.bsize);
        ByteBuffer b = fs.disk.read(sb.byteOffset(daddr), sb.bsize, "inode " + ino + ": indirect block at fragment " + daddr);
        for (int i = 0; i < sb.nindir; i++) {
            long a = sb.layout.daddr(b, i * sb.layout.daddrSize());
            if (a <= 0) {
                continue;
            }
            if (level > 1) {
                indirect(ino, a, level - 1);
            } else {
                count(a, sb.bsize);
            }
        }
    }
}
