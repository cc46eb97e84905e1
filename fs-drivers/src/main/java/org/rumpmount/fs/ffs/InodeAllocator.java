package org.rumpmount.fs.ffs;

import java.util.random.RandomGenerator;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * Allocation and freeing of inodes (NetBSD's ffs_valloc, ffs_dirpref, ffs_nodealloccg,
 * ffs_freefile). A new directory goes to a group with at least the average number of free
 * inodes and the fewest directories, which spreads the tree over the disk; any other file goes
 * to its directory's group. On UFS2 the inode blocks of a group are initialised lazily, as
 * newfs leaves them: cg_initediblk counts the inodes written so far, and the next inode block
 * is zeroed, with a random generation number per inode, just before its first inode is used.
 */
final class InodeAllocator {
    private final Superblock sb;
    private final CylinderGroups cgs;
    private final FfsIo io;
    private final RandomGenerator random;

    InodeAllocator(Superblock sb, CylinderGroups cgs, FfsIo io, RandomGenerator random) {
        this.sb = sb;
        this.cgs = cgs;
        this.io = io;
        this.random = random;
    }

    /** Allocates an inode for a new file in directory {@code parentIno}; ENOSPC when none is free. */
    long alloc(long parentIno, boolean directory) throws VfsException {
        cgs.lock.lock();
        try {
            if (sb.cstotal[CylinderGroups.NIFREE] <= 0) {
                throw new VfsException(Errno.ENOSPC, "file system out of inodes (fs_cstotal.cs_nifree is 0)");
            }
            int start = directory ? dirpref() : (int) (parentIno / sb.ipg);
            for (int i = 0; i < sb.ncg; i++) {
                int cg = (start + i) % sb.ncg;
                if (cgs.csum(cg)[CylinderGroups.NIFREE] <= 0) {
                    continue;
                }
                long ino = allocIn(cgs.group(cg), directory);
                if (ino >= 0) {
                    return ino;
                }
            }
            throw new VfsException(Errno.ENOSPC, "file system out of inodes: no group has a free one");
        } finally {
            cgs.unlock();
        }
    }

    /** The 4.4BSD ffs_dirpref: among groups with at least average free inodes, the one with fewest directories. */
    private int dirpref() {
        long avg = sb.cstotal[CylinderGroups.NIFREE] / sb.ncg;
        int best = -1;
        for (int cg = 0; cg < sb.ncg; cg++) {
            int[] cs = cgs.csum(cg);
            if (cs[CylinderGroups.NIFREE] >= avg && cs[CylinderGroups.NIFREE] > 0
                    && (best < 0 || cs[CylinderGroups.NDIR] < cgs.csum(best)[CylinderGroups.NDIR])) {
                best = cg;
            }
        }
        return best < 0 ? 0 : best;
    }

    private long allocIn(CylinderGroups.Group g, boolean directory) throws VfsException {
        long ipg = sb.ipg & 0xffffffffL;
        long start = g.hdr.irotor < ipg ? g.hdr.irotor : 0;
        for (long k = 0; k < ipg; k++) {
            long i = (start + k) % ipg;
            if (cgs.isInodeUsed(g, i)) {
                continue;
            }
            long ino = (long) g.cgx * ipg + i;
            if (ino < FfsFileSystem.ROOTINO) {
                continue;
            }
            initialiseInodeBlock(g, i);
            cgs.putInodeBit(g, i, true);
            cgs.count(g, CylinderGroups.NIFREE, -1);
            if (directory) {
                cgs.count(g, CylinderGroups.NDIR, 1);
            }
            g.hdr.irotor = i;
            return ino;
        }
        throw new VfsException(Errno.EIO, "cylinder group " + g.cgx + " counts " + cgs.csum(g.cgx)[CylinderGroups.NIFREE]
                + " free inodes but its map has none");
    }

    /** UFS2: zeroes the inode block holding group inode {@code i} if newfs left it uninitialised. */
    private void initialiseInodeBlock(CylinderGroups.Group g, long i) throws VfsException {
        if (!sb.ufs2) {
            return;
        }
        while (i + sb.inopb > g.hdr.initediblk && g.hdr.initediblk < g.hdr.niblk) {
            long first = (long) g.cgx * sb.ipg + g.hdr.initediblk;
            long frag = sb.inoToFsba(first);
            byte[] block = new byte[sb.bsize];
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(block).order(sb.order);
            for (int k = 0; k < sb.inopb; k++) {
                b.putInt(k * Dinode.UFS2_SIZE + 80, newGeneration());
            }
            io.writeFrags(frag, block, 0, sb.bsize, true, "inode block of cylinder group " + g.cgx);
            g.hdr.initediblk += sb.inopb;
            g.dirty = true;
        }
    }

    /** A generation number as NetBSD makes one: random, positive, never zero. */
    int newGeneration() {
        int g = random.nextInt() >>> 1;
        return g == 0 ? 1 : g;
    }

    /** ffs_freefile. */
    void free(long ino, boolean directory) throws VfsException {
        cgs.lock.lock();
        try {
            int cg = (int) (ino / sb.ipg);
            long i = ino % sb.ipg;
            CylinderGroups.Group g = cgs.group(cg);
            if (!cgs.isInodeUsed(g, i)) {
                throw new VfsException(Errno.EIO, "freeing inode " + ino + ", which cylinder group " + cg
                        + " already marks free");
            }
            cgs.putInodeBit(g, i, false);
            cgs.count(g, CylinderGroups.NIFREE, 1);
            if (directory) {
                cgs.count(g, CylinderGroups.NDIR, -1);
            }
            if (i < g.hdr.irotor) {
                g.hdr.irotor = i;
            }
        } finally {
            cgs.unlock();
        }
    }
}
