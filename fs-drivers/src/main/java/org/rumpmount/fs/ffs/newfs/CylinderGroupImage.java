package org.rumpmount.fs.ffs.newfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One freshly initialised cylinder group header (struct cg with its maps), laid out as mkfs.c's
 * initcg does: everything from the group's superblock copy up to its first data block is in use
 * (in group 0 also the boot area and the summary area), the rest is free; the free map, the
 * fragment run summary, the cluster map and cluster summary and, for UFS1, the old rotational
 * totals all agree.
 */
final class CylinderGroupImage {
    static final int CG_MAGIC = 0x090255;

    private final NewfsLayout l;
    private final int cgx;
    private final ByteBuffer b;
    private final int ndblk;
    private final int iusedoff;
    private final int freeoff;
    private final int clustersumoff;
    private final int clusteroff;
    private final int btotoff;
    private final int boff;
    /** cg_cs: ndir, nbfree, nifree, nffree. */
    final int[] cs = new int[4];
    private final int[] frsum = new int[NewfsOptions.MAXFRAG];

    CylinderGroupImage(NewfsLayout l, int cgx, ByteOrder order, long time) {
        this.l = l;
        this.cgx = cgx;
        this.b = ByteBuffer.allocate(l.bsize()).order(order);
        this.ndblk = l.cgFrags(cgx);
        int start = NewfsLayout.CG_SPACE;
        if (l.ufs2()) {
            btotoff = 0;
            boff = 0;
            iusedoff = start;
        } else {
            // fs_old_cpg is 1: one int32 of block totals and one int16 of rotational positions.
            btotoff = start;
            boff = btotoff + 4;
            iusedoff = boff + 2;
        }
        freeoff = iusedoff + (int) NewfsLayout.howmany(l.ipg(), 8);
        int nextfreeoff;
        if (l.contigsumsize() <= 0) {
            clustersumoff = 0;
            clusteroff = 0;
            nextfreeoff = freeoff + (int) NewfsLayout.howmany(l.fpg(), 8);
        } else {
            clustersumoff = (int) NewfsLayout.roundup(freeoff + NewfsLayout.howmany(l.fpg(), 8) - 4, 4);
            clusteroff = clustersumoff + (l.contigsumsize() + 1) * 4;
            nextfreeoff = clusteroff + (int) NewfsLayout.howmany(l.fpg() >> l.fragshift(), 8);
        }
        if (nextfreeoff > l.cgsize()) {
            throw new IllegalStateException("cylinder group " + cgx + " maps end at " + nextfreeoff
                    + ", beyond fs_cgsize " + l.cgsize());
        }
        b.putInt(4, CG_MAGIC).putInt(12, cgx).putInt(20, ndblk);
        if (l.ufs2()) {
            b.putLong(136, time).putInt(116, l.ipg());
            b.putInt(120, Math.min(l.ipg(), 2 * l.inopb()));
        } else {
            b.putInt(8, (int) time).putShort(16, (short) 1).putShort(18, (short) l.ipg());
            b.putInt(84, btotoff).putInt(88, boff);
        }
        b.putInt(92, iusedoff).putInt(96, freeoff).putInt(100, nextfreeoff);
        b.putInt(104, clustersumoff).putInt(108, clusteroff);
        if (l.contigsumsize() > 0) {
            b.putInt(112, ndblk >> l.fragshift());
        }
        cs[2] = l.ipg();
        if (cgx == 0) {
            for (int i = 0; i < NewfsLayout.ROOTINO; i++) {
                setBit(iusedoff, i);
                cs[2]--;
            }
        }
        int frag = l.frag();
        if (cgx > 0) {
            // Before the superblock copy lies what group 0 keeps for the boot blocks: free elsewhere.
            for (int d = 0; d < l.sblkno(); d += frag) {
                freeBlock(d);
            }
        }
        int dupper = l.dblkno();
        if (cgx == 0) {
            dupper += (int) NewfsLayout.howmany(l.cssize(), l.fsize());
        }
        int partial = dupper & (frag - 1);
        if (partial != 0) {
            frsum[frag - partial]++;
            for (int end = dupper + frag - partial; dupper < end; dupper++) {
                freeFrag(dupper);
            }
        }
        int d = dupper;
        for (; d + frag <= ndblk; d += frag) {
            freeBlock(d);
        }
        if (d < ndblk) {
            frsum[ndblk - d]++;
            for (; d < ndblk; d++) {
                freeFrag(d);
            }
        }
    }

    /** The group's header bytes, a whole block (only the first fs_cgsize bytes mean anything). */
    ByteBuffer encode() {
        for (int i = 0; i < 4; i++) {
            b.putInt(24 + 4 * i, cs[i]);
        }
        for (int i = 0; i < frsum.length; i++) {
            b.putInt(52 + 4 * i, frsum[i]);
        }
        if (!l.ufs2()) {
            b.putInt(btotoff, cs[1]).putShort(boff, (short) cs[1]);
        }
        if (l.contigsumsize() > 0) {
            int[] sum = new int[l.contigsumsize() + 1];
            int run = 0;
            int nblk = ndblk >> l.fragshift();
            for (int i = 0; i < nblk; i++) {
                if (bit(clusteroff, i)) {
                    run++;
                } else if (run != 0) {
                    sum[Math.min(run, l.contigsumsize())]++;
                    run = 0;
                }
            }
            if (run != 0) {
                sum[Math.min(run, l.contigsumsize())]++;
            }
            // cg_clustersumoff points one slot early (runs of length 0 are never counted), so slot 0
            // overlaps the free map's last bytes and must not be written.
            for (int i = 1; i < sum.length; i++) {
                b.putInt(clustersumoff + 4 * i, sum[i]);
            }
        }
        return b.duplicate().order(b.order()).clear();
    }

    /**
     * Takes the first whole free block of the group for a root directory of one fragment, giving the
     * rest of the block back as free fragments, as mkfs's alloc does. Returns its fragment number
     * relative to the group.
     */
    int allocDirectoryFragment() {
        int frag = l.frag();
        for (int d = 0; d + frag <= ndblk; d += frag) {
            int blk = d >> l.fragshift();
            if (blockFree(d)) {
                for (int i = 0; i < frag; i++) {
                    clearBit(freeoff, d + i);
                }
                if (l.contigsumsize() > 0) {
                    clearBit(clusteroff, blk);
                }
                cs[1]--;
                cs[0]++;
                int used = (int) NewfsLayout.howmany(512, l.fsize());
                if (used != frag) {
                    cs[3] += frag - used;
                    frsum[frag - used]++;
                    for (int i = used; i < frag; i++) {
                        setBit(freeoff, d + i);
                    }
                }
                return d;
            }
        }
        throw new IllegalStateException("cylinder group 0 has no free block for the root directory");
    }

    void markInodeUsed(int ino) {
        setBit(iusedoff, ino);
        cs[2]--;
    }

    private boolean blockFree(int d) {
        for (int i = 0; i < l.frag(); i++) {
            if (!bit(freeoff, d + i)) {
                return false;
            }
        }
        return true;
    }

    private void freeBlock(int d) {
        for (int i = 0; i < l.frag(); i++) {
            setBit(freeoff, d + i);
        }
        if (l.contigsumsize() > 0) {
            setBit(clusteroff, d >> l.fragshift());
        }
        cs[1]++;
    }

    private void freeFrag(int d) {
        setBit(freeoff, d);
        cs[3]++;
    }

    private void setBit(int off, int i) {
        b.put(off + (i >> 3), (byte) (b.get(off + (i >> 3)) | (1 << (i & 7))));
    }

    private void clearBit(int off, int i) {
        b.put(off + (i >> 3), (byte) (b.get(off + (i >> 3)) & ~(1 << (i & 7))));
    }

    private boolean bit(int off, int i) {
        return (b.get(off + (i >> 3)) & (1 << (i & 7))) != 0;
    }
}
