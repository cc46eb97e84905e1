package org.rumpmount.fs.ffs.newfs;

import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * The geometry newfs chooses, computed as NetBSD's sbin/newfs/mkfs.c does: as few cylinder
 * groups as keep each group's header (struct cg with its maps) within one block, but at least
 * four for all but small file systems; every group the same size, so only the last may be short,
 * and a last group too short to hold its inodes is dropped. All addresses are in fragments.
 */
public record NewfsLayout(boolean ufs2, int bsize, int fsize, int frag, int fragshift, int bshift, int fshift,
        long sblockloc, int sblkno, int cblkno, int iblkno, int dblkno, long size, long dsize, int ncg, int fpg,
        int ipg, int inopb, int nindir, int cgsize, int cssize, long csaddr, int maxcontig, int contigsumsize,
        int maxbpg, int density, int sbsize, long maxfilesize) {

    static final int SBLOCKSIZE = 8192;
    static final long SBLOCK_UFS1 = 8192;
    static final long SBLOCK_UFS2 = 65536;
    static final int SIZEOF_FS = 1376;
    /** offsetof(struct cg, cg_space): where the maps begin. */
    static final int CG_SPACE = 168;
    static final int SIZEOF_CG = 176;
    static final int SIZEOF_CSUM = 16;
    static final int MINCYLGRPS = 4;
    static final int MAXPHYS = 65536;
    static final int FS_MAXCONTIG = 16;
    static final int NDADDR = 12;
    static final int NIADDR = 3;
    static final int ROOTINO = 2;

    /** Block and fragment size newfs picks for a file system of {@code bytes} when none is given. */
    static int[] defaultSizes(long bytes) {
        if (bytes < 20L << 20) {
            return new int[] {4096, 512};
        }
        if (bytes < 1000L << 20) {
            return new int[] {8192, 1024};
        }
        if (bytes < 128L << 30) {
            return new int[] {16384, 2048};
        }
        return new int[] {32768, 4096};
    }

    /** Plans a file system of {@code bytes} bytes (already rounded to the options' wishes). */
    public static NewfsLayout plan(NewfsOptions o, long bytes) throws VfsException {
        int[] dflt = defaultSizes(bytes);
        int bsize = o.blockSize() != 0 ? o.blockSize()
                : o.fragmentSize() != 0 ? Math.max(Math.min(o.fragmentSize() * 8, dflt[0]), Math.max(o.fragmentSize(), NewfsOptions.MINBSIZE))
                : dflt[0];
        int fsize = o.fragmentSize() != 0 ? o.fragmentSize() : Math.max(bsize / 8, Math.min(dflt[1], bsize));
        if (fsize > bsize || bsize / fsize > NewfsOptions.MAXFRAG) {
            throw new VfsException(Errno.EINVAL, "-f (fragment size) " + fsize + " must be from -b (block size)/"
                    + NewfsOptions.MAXFRAG + " = " + bsize / NewfsOptions.MAXFRAG + " to " + bsize);
        }
        boolean ufs2 = o.version() == 2;
        int frag = bsize / fsize;
        int fragshift = log2(frag);
        int bshift = log2(bsize);
        int fshift = log2(fsize);
        long sblockloc = ufs2 ? SBLOCK_UFS2 : SBLOCK_UFS1;
        int inopb = bsize / (ufs2 ? 256 : 128);
        int nindir = bsize / (ufs2 ? 8 : 4);
        long size = bytes / fsize;
        if (!ufs2 && size >= 1L << 31) {
            throw new VfsException(Errno.EFBIG, "-s (size) " + bytes + " bytes is " + size
                    + " fragments, too many for UFS1 (at most " + ((1L << 31) - 1) + "); use -O 2");
        }
        int sblkno = (int) roundup(howmany(sblockloc + SBLOCKSIZE, fsize), frag);
        int cblkno = sblkno + (int) roundup(howmany(SBLOCKSIZE, fsize), frag);
        int iblkno = cblkno + frag;
        long maxfilesize = (long) bsize * NDADDR - 1;
        long sizepb = bsize;
        for (int i = 0; i < NIADDR; i++) {
            sizepb *= nindir;
            maxfilesize += sizepb;
        }
        long minFrags = iblkno + 3L * frag;
        if (size < minFrags) {
            throw new VfsException(Errno.EINVAL, "-s (size) " + bytes + " bytes is too small: with -b " + bsize
                    + " -f " + fsize + " a file system needs at least " + minFrags * fsize + " bytes");
        }
        int maxcontig = Math.max(1, Math.min(MAXPHYS, NewfsOptions.MAXBSIZE) / bsize);
        int contigsumsize = maxcontig > 1 ? Math.min(maxcontig, FS_MAXCONTIG) : 0;
        int density = o.bytesPerInode() != 0 ? o.bytesPerInode() : 4 * fsize;

        long fragsPerInodeBlock = Math.max(((long) density * inopb) >> fshift, 1);
        long inodeblks = (size - iblkno) / (frag + fragsPerInodeBlock);
        if (inodeblks == 0) {
            inodeblks = 1;
        }
        if (inodeblks > (size - iblkno) / frag - 2) {
            inodeblks = (size - iblkno) / frag - 2;
        }
        if (inodeblks * inopb >= 1L << 31) {
            inodeblks = ((1L << 31) - 8) / inopb;
        }
        long cgzero = cgsizeIf(ufs2, contigsumsize, fragshift, 0, 0);
        long cgall = cgsizeIf(ufs2, contigsumsize, fragshift, inodeblks * inopb, size);
        long ncg = howmany(cgall - cgzero, bsize - cgzero - 1);
        if (ncg < MINCYLGRPS) {
            long i = size / 2 / (iblkno + inodeblks * frag);
            if (i > ncg) {
                ncg = i;
            }
            if (ncg > MINCYLGRPS) {
                ncg = MINCYLGRPS;
            }
            if (ncg > inodeblks) {
                ncg = inodeblks;
            }
        }
        long fpg = roundup(howmany(size, ncg), frag);
        long over = cgsizeIf(ufs2, contigsumsize, fragshift, inodeblks * inopb / ncg, fpg);
        if (over > bsize) {
            fpg -= (over - bsize) * 8;
        }
        ncg = howmany(size, fpg);
        inodeblks /= ncg;
        if (inodeblks == 0) {
            inodeblks = 1;
        }
        long ipg = inodeblks * inopb;
        long cgsizeRaw = cgsizeIf(ufs2, contigsumsize, fragshift, ipg, fpg);
        if (cgsizeRaw > bsize) {
            throw new VfsException(Errno.EINVAL, "a cylinder group header of " + cgsizeRaw
                    + " bytes does not fit a block of " + bsize + " bytes; use a larger -b or -i");
        }
        long last = size - fpg * (ncg - 1);
        if (last < iblkno + inodeblks * frag) {
            // The last group cannot hold its inodes: drop it, as mkfs does.
            ncg--;
            size -= last;
        }
        if (ncg > Integer.MAX_VALUE || fpg > Integer.MAX_VALUE) {
            throw new VfsException(Errno.EFBIG, "-s (size) " + bytes + " bytes needs " + ncg
                    + " cylinder groups of " + fpg + " fragments, beyond the format's 32-bit counts");
        }
        int cgsize = (int) roundup(cgsizeRaw, fsize);
        int dblkno = iblkno + (int) (inodeblks * frag);
        int cssize = (int) roundup(ncg * SIZEOF_CSUM, fsize);
        long csaddr = dblkno;
        long csfrags = howmany(cssize, fsize);
        if (dblkno + csfrags + frag > Math.min(fpg, size)) {
            throw new VfsException(Errno.EINVAL, "-s (size) " + bytes + " bytes: the first cylinder group ("
                    + Math.min(fpg, size) + " fragments) cannot hold its inodes, the summary of " + ncg
                    + " groups and the root directory; use a smaller -i or a larger size");
        }
        long dsize = size - sblkno - ncg * (long) (dblkno - sblkno) - csfrags;
        // newfs.c takes MAXBLKPG_FFS1 for both versions.
        int maxbpg = o.maxBlocksPerGroup() != 0 ? o.maxBlocksPerGroup() : bsize / 4;
        int sbsize = (int) Math.min(roundup(SIZEOF_FS, fsize), SBLOCKSIZE);
        return new NewfsLayout(ufs2, bsize, fsize, frag, fragshift, bshift, fshift, sblockloc, sblkno, cblkno,
                iblkno, dblkno, size, dsize, (int) ncg, (int) fpg, (int) ipg, inopb, nindir, cgsize, cssize, csaddr,
                maxcontig, contigsumsize, maxbpg, density, sbsize, maxfilesize);
    }

    /** NetBSD's CGSIZE_IF: bytes of a group header with maps for {@code ipg} inodes and {@code fpg} fragments. */
    static long cgsizeIf(boolean ufs2, int contigsumsize, int fragshift, long ipg, long fpg) {
        int oldCpg = ufs2 ? 0 : 1;
        long n = SIZEOF_CG + 4L + oldCpg * 4L + oldCpg * 2L + howmany(ipg, 8) + howmany(fpg, 8);
        if (contigsumsize > 0) {
            n += contigsumsize * 4L + howmany(fpg >> fragshift, 8);
        }
        return n;
    }

    /** First fragment of group {@code cg}. */
    long cgbase(int cg) {
        return (long) fpg * cg;
    }

    /** Fragments group {@code cg} spans (the last may be short). */
    int cgFrags(int cg) {
        return (int) (Math.min(cgbase(cg) + fpg, size) - cgbase(cg));
    }

    long inodeCount() {
        return (long) ncg * ipg;
    }

    static long howmany(long x, long y) {
        return (x + y - 1) / y;
    }

    static long roundup(long x, long y) {
        return howmany(x, y) * y;
    }

    private static int log2(int x) {
        return 31 - Integer.numberOfLeadingZeros(x);
    }
}
