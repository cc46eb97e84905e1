package org.rumpmount.fs.ffs.fsck;

import java.nio.ByteBuffer;
import org.rumpmount.fs.ffs.Superblock;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * A cylinder group header made from the superblock alone, for a group whose own header cannot be
 * trusted (bad magic, wrong index, maps that overrun it). fsck_ffs's pass5 builds the same
 * layout for every group and compares: the fixed part of struct cg, then (UFS1) the old
 * per-cylinder block totals and rotational positions, the inode map, the fragment map, and with
 * clustering the cluster summary and cluster map. The maps are left empty for phase 5 to fill.
 */
final class CylinderGroupTemplate {
    static final int CG_MAGIC = 0x090255;
    /** offsetof(struct cg, cg_space): where the maps start. */
    static final int CG_SPACE = 168;

    private CylinderGroupTemplate() {
    }

    /** Group {@code cg}'s header, {@code fs_cgsize} bytes; {@code initedInodes} is UFS2's cg_initediblk. */
    static ByteBuffer make(Superblock sb, int cg, long initedInodes) throws VfsException {
        ByteBuffer b = ByteBuffer.allocate(sb.cgsize).order(sb.order);
        long ndblk = Math.min(sb.fpg, sb.totalFrags() - sb.cgbase(cg));
        int btotoff = 0;
        int boff = 0;
        int iusedoff;
        int cpg = Math.max(1, sb.oldCpg);
        if (sb.ufs2) {
            iusedoff = CG_SPACE;
        } else {
            btotoff = CG_SPACE;
            boff = btotoff + 4 * cpg;
            iusedoff = boff + 2 * cpg * Math.max(1, sb.oldNrpos);
        }
        long freeoff = iusedoff + howmany(sb.ipg, 8);
        long clustersumoff = 0;
        long clusteroff = 0;
        long nclusterblks = 0;
        long nextfreeoff;
        if (sb.contigsumsize > 0) {
            // One slot early, as in mkfs.c and pass5.c: clusters of length 0 are never counted.
            clustersumoff = (freeoff + howmany(sb.fpg, 8) - 4 + 3) / 4 * 4;
            clusteroff = clustersumoff + (sb.contigsumsize + 1) * 4L;
            nextfreeoff = clusteroff + howmany(sb.fpg / sb.frag, 8);
            nclusterblks = ndblk / sb.frag;
        } else {
            nextfreeoff = freeoff + howmany(sb.fpg, 8);
        }
        if (nextfreeoff > sb.cgsize) {
            throw new VfsException(Errno.EIO, "cylinder group " + cg + ": the superblock's geometry needs " + nextfreeoff
                    + " bytes of header, more than its fs_cgsize " + sb.cgsize);
        }
        b.putInt(4, CG_MAGIC).putInt(12, cg).putInt(20, (int) ndblk);
        if (sb.ufs2) {
            b.putInt(116, sb.ipg).putInt(120, (int) Math.min(sb.ipg, initedInodes));
        } else {
            b.putShort(16, (short) cpg).putShort(18, (short) sb.ipg);
            b.putInt(84, btotoff).putInt(88, boff);
        }
        b.putInt(92, iusedoff).putInt(96, (int) freeoff).putInt(100, (int) nextfreeoff);
        b.putInt(104, (int) clustersumoff).putInt(108, (int) clusteroff).putInt(112, (int) nclusterblks);
        return b;
    }

    private static long howmany(long x, long y) {
        return (x + y - 1) / y;
    }
}
