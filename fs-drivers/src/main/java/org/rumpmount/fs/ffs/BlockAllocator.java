package org.rumpmount.fs.ffs;

import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * Allocation and freeing of blocks and fragment runs (NetBSD's ffs_alloc, ffs_alloccg,
 * ffs_alloccgblk, ffs_fragextend, ffs_blkfree). A request names a preferred fragment (from
 * {@link #blkpref}); the group holding it is tried first, then the others in NetBSD's hashed
 * order. A fragment run comes from the smallest free run that fits, else from a free block whose
 * remainder becomes free fragments. Only the superuser may dip into the fs_minfree reserve.
 */
final class BlockAllocator {
    private final Superblock sb;
    private final CylinderGroups cgs;

    BlockAllocator(Superblock sb, CylinderGroups cgs) {
        this.sb = sb;
        this.cgs = cgs;
    }

    /** Whether {@code cred} may use the reserve: the kernel itself (null) and root. */
    static boolean privileged(Credentials cred) {
        return cred == null || cred.isRoot();
    }

    /** NetBSD's freespace(fs, fs_minfree): fragments free beyond the reserve (may be negative). */
    long freeBeyondReserve() {
        return (sb.cstotal[CylinderGroups.NBFREE] << sb.fragshift) + sb.cstotal[CylinderGroups.NFFREE]
                - sb.dataFrags() * sb.minfree / 100;
    }

    /** The first data fragment of the group holding inode {@code ino} (cgdmin). */
    long groupDataStart(long ino) {
        long cg = ino / sb.ipg;
        return sb.cgstart(cg) + sb.dblkno;
    }

    /** ffs_blkpref, simply: right after the previous block of the file, else its inode's group. */
    long blkpref(long ino, long prevAddr) {
        if (prevAddr > 0 && prevAddr + sb.frag < sb.totalFrags()) {
            return prevAddr + sb.frag;
        }
        return groupDataStart(ino);
    }

    /** Allocates {@code nfrags} (1..fs_frag) fragments inside one block near {@code pref}. ENOSPC when none. */
    long alloc(long pref, int nfrags, Credentials cred, String what) throws VfsException {
        if (nfrags <= 0 || nfrags > sb.frag) {
            throw new IllegalArgumentException("allocation of " + nfrags + " fragments");
        }
        cgs.lock.lock();
        try {
            if (nfrags == sb.frag && sb.cstotal[CylinderGroups.NBFREE] == 0) {
                throw noSpace(what, "no free blocks");
            }
            if (!privileged(cred) && freeBeyondReserve() <= 0) {
                throw noSpace(what, "only the " + sb.minfree + "% reserve (minfree) is left");
            }
            if (freeBeyondReserve() + sb.dataFrags() * sb.minfree / 100 < nfrags) {
                throw noSpace(what, "no free fragments");
            }
            int start = (int) (pref >= 0 && pref < sb.totalFrags() ? pref / sb.fpg : 0);
            for (int cg : order(start)) {
                CylinderGroups.Group g = cgs.group(cg);
                long rel = allocIn(g, pref / sb.fpg == cg ? pref - sb.cgbase(cg) : -1, nfrags);
                if (rel >= 0) {
                    return sb.cgbase(cg) + rel;
                }
            }
            throw noSpace(what, "no group holds " + nfrags + " free fragment(s) in one block");
        } finally {
            cgs.unlock();
        }
    }

    private VfsException noSpace(String what, String why) {
        return new VfsException(Errno.ENOSPC, "file system full: cannot allocate " + what + ": " + why);
    }

    /** The group search order of ffs_hashalloc: the preferred one, quadratic rehash, then all. */
    private int[] order(int start) {
        int[] out = new int[sb.ncg];
        boolean[] seen = new boolean[sb.ncg];
        int n = 0;
        out[n++] = start;
        seen[start] = true;
        int cg = start;
        for (int i = 1; i < sb.ncg; i *= 2) {
            cg = (cg + i) % sb.ncg;
            if (!seen[cg]) {
                seen[cg] = true;
                out[n++] = cg;
            }
        }
        for (int i = 0; i < sb.ncg; i++) {
            int c = (start + i) % sb.ncg;
            if (!seen[c]) {
                seen[c] = true;
                out[n++] = c;
            }
        }
        return out;
    }

    private long allocIn(CylinderGroups.Group g, long pref, int n) throws VfsException {
        int[] cs = cgs.csum(g.cgx);
        if (n == sb.frag) {
            if (cs[CylinderGroups.NBFREE] == 0) {
                return -1;
            }
            long base = freeBlock(g, pref);
            cgs.setFrags(g, base, sb.frag, false);
            g.hdr.rotor = base;
            return base;
        }
        int k = n;
        while (k < sb.frag && g.hdr.frsum[k] == 0) {
            k++;
        }
        if (k == sb.frag) {
            if (cs[CylinderGroups.NBFREE] == 0) {
                return -1;
            }
            long base = freeBlock(g, pref);
            cgs.setFrags(g, base, n, false);
            return base;
        }
        long start = runOf(g, k);
        cgs.setFrags(g, start, n, false);
        g.hdr.frotor = start - start % sb.frag;
        return start;
    }

    /** A free block of g, from the preferred one onwards, else from the rotor. */
    private long freeBlock(CylinderGroups.Group g, long pref) throws VfsException {
        long blocks = g.hdr.ndblk / sb.frag;
        long first = (pref >= 0 && pref < g.hdr.ndblk ? pref : g.hdr.rotor) / sb.frag;
        if (first >= blocks) {
            first = 0;
        }
        for (long i = 0; i < blocks; i++) {
            long b = (first + i) % blocks;
            if (cgs.isBlockFree(g, b * sb.frag)) {
                return b * sb.frag;
            }
        }
        throw new VfsException(Errno.EIO, "cylinder group " + g.cgx + " counts " + cgs.csum(g.cgx)[CylinderGroups.NBFREE]
                + " free blocks but its map has none");
    }

    /** The start of a run of exactly {@code k} free fragments in a partly used block (ffs_mapsearch). */
    private long runOf(CylinderGroups.Group g, int k) throws VfsException {
        long blocks = (g.hdr.ndblk + sb.frag - 1) / sb.frag;
        long first = Math.min(g.hdr.frotor / sb.frag, Math.max(0, blocks - 1));
        for (long i = 0; i < blocks; i++) {
            long base = ((first + i) % blocks) * sb.frag;
            if (cgs.isBlockFree(g, base)) {
                continue;
            }
            long end = Math.min(base + sb.frag, g.hdr.ndblk);
            int run = 0;
            for (long f = base; f <= end; f++) {
                if (f < end && cgs.isFragFree(g, f)) {
                    run++;
                } else {
                    if (run == k) {
                        return f - k;
                    }
                    run = 0;
                }
            }
        }
        throw new VfsException(Errno.EIO, "cylinder group " + g.cgx + ": cg_frsum counts free runs of " + k
                + " fragments but its map has none");
    }

    /**
     * ffs_fragextend: grows the run of {@code oldFrags} at {@code addr} to {@code newFrags} in place
     * when the fragments after it in the same block are free. Returns false when they are not.
     */
    boolean extendInPlace(long addr, int oldFrags, int newFrags, Credentials cred) throws VfsException {
        cgs.lock.lock();
        try {
            if (!privileged(cred) && freeBeyondReserve() <= 0) {
                throw noSpace("fragment extension", "only the " + sb.minfree + "% reserve (minfree) is left");
            }
            int cg = (int) (addr / sb.fpg);
            long rel = addr - sb.cgbase(cg);
            if (rel % sb.frag + newFrags > sb.frag) {
                return false;
            }
            CylinderGroups.Group g = cgs.group(cg);
            if (rel + newFrags > g.hdr.ndblk) {
                return false;
            }
            for (long f = rel + oldFrags; f < rel + newFrags; f++) {
                if (!cgs.isFragFree(g, f)) {
                    return false;
                }
            }
            cgs.setFrags(g, rel + oldFrags, newFrags - oldFrags, false);
            return true;
        } finally {
            cgs.unlock();
        }
    }

    /**
     * Whether every fragment of the block holding the run {@code addr}..{@code addr + nfrags}
     * outside that run is free: then nothing else lives in the block, and its old bytes need not
     * be read before the run is written.
     */
    boolean restOfBlockFree(long addr, int nfrags) throws VfsException {
        cgs.lock.lock();
        try {
            int cg = (int) (addr / sb.fpg);
            long rel = addr - sb.cgbase(cg);
            long base = rel - rel % sb.frag;
            CylinderGroups.Group g = cgs.group(cg);
            if (!cgs.isWholeBlock(g, base)) {
                return false;
            }
            for (long f = base; f < base + sb.frag; f++) {
                if ((f < rel || f >= rel + nfrags) && !cgs.isFragFree(g, f)) {
                    return false;
                }
            }
            return true;
        } finally {
            cgs.unlock();
        }
    }

    /** ffs_blkfree: frees {@code nfrags} fragments at {@code addr} (inside one block). */
    void free(long addr, int nfrags) throws VfsException {
        if (addr <= 0 || addr + nfrags > sb.totalFrags()) {
            throw new VfsException(Errno.EIO, "freeing fragments " + addr + "+" + nfrags + " outside the file system of "
                    + sb.totalFrags() + " fragments");
        }
        int cg = (int) (addr / sb.fpg);
        long metaStart = cg == 0 ? 0 : sb.cgstart(cg) + sb.sblkno;
        long metaEnd = sb.cgstart(cg) + sb.dblkno;
        long csEnd = sb.csAddr() + (sb.cssize + sb.fsize - 1) / sb.fsize;
        if ((addr < metaEnd && addr + nfrags > metaStart) || (addr < csEnd && addr + nfrags > sb.csAddr())) {
            throw new VfsException(Errno.EIO, "freeing fragments " + addr + "+" + nfrags + ", which hold cylinder group "
                    + cg + "'s superblock copy, header, inodes or the summary area: an inode points at metadata");
        }
        cgs.lock.lock();
        try {
            cgs.setFrags(cgs.group(cg), addr - sb.cgbase(cg), nfrags, true);
        } finally {
            cgs.unlock();
        }
    }
}
