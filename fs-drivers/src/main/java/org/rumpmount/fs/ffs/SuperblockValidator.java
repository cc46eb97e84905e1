package org.rumpmount.fs.ffs;

import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * Checks a decoded superblock before anything is computed from it, in the manner of NetBSD's
 * ffs_superblock_validate: every field that can be derived from others is recomputed and
 * compared, and every size and position is checked against the device. A mismatch is an
 * EFTYPE (not a file system we can read) or EINVAL (inconsistent geometry) naming the field,
 * the value found and the value expected.
 */
public final class SuperblockValidator {
    static final int MINBSIZE = 4096;
    static final int MAXBSIZE = 65536;
    static final int MAXFRAG = 8;
    public static final int DEV_BSIZE = 512;
    /** sizeof(struct cg) with its map space, as CGSIZE counts it. */
    static final int SIZEOF_CG = 176;
    static final int SIZEOF_CSUM = 16;

    private SuperblockValidator() {
    }

    /**
     * Validates {@code s}, found at byte offset {@code foundAt} of a device of
     * {@code deviceBytes} bytes.
     */
    public static void validate(Superblock s, long foundAt, long deviceBytes) throws VfsException {
        String where = "superblock at byte " + foundAt + ": ";
        if (s.sbsize < Superblock.SIZEOF_FS || s.sbsize > Superblock.SBLOCKSIZE) {
            throw bad(Errno.EFTYPE, where, "fs_sbsize", s.sbsize,
                    "between " + Superblock.SIZEOF_FS + " and " + Superblock.SBLOCKSIZE);
        }
        if (s.bsize < MINBSIZE || s.bsize > MAXBSIZE || Integer.bitCount(s.bsize) != 1) {
            throw bad(Errno.EFTYPE, where, "fs_bsize", s.bsize, "a power of two from " + MINBSIZE + " to " + MAXBSIZE);
        }
        if (s.fsize < DEV_BSIZE || Integer.bitCount(s.fsize) != 1 || s.fsize > s.bsize) {
            throw bad(Errno.EFTYPE, where, "fs_fsize", s.fsize, "a power of two from " + DEV_BSIZE + " to fs_bsize "
                    + s.bsize);
        }
        if (s.bsize / s.fsize > MAXFRAG) {
            throw bad(Errno.EINVAL, where, "fs_fsize", s.fsize, "at least fs_bsize/" + MAXFRAG + " = " + s.bsize / MAXFRAG);
        }
        expect(where, "fs_frag", s.frag, s.bsize / s.fsize);
        expect(where, "fs_bshift", s.bshift, log2(s.bsize));
        expect(where, "fs_fshift", s.fshift, log2(s.fsize));
        expect(where, "fs_fragshift", s.fragshift, log2(s.frag));
        expect(where, "fs_bmask", s.bmask, ~(s.bsize - 1));
        expect(where, "fs_fmask", s.fmask, ~(s.fsize - 1));
        expect(where, "fs_fsbtodb", s.fsbtodb, log2(s.fsize) - log2(DEV_BSIZE));
        expect(where, "fs_nindir", s.nindir, s.bsize / (s.ufs2 ? 8 : 4));
        expect(where, "fs_inopb", s.inopb, s.bsize / s.dinodeSize());
        if (s.oldInodefmt >= Superblock.FS_44INODEFMT || s.ufs2) {
            expect(where, "fs_qbmask", s.qbmask, ~(long) s.bmask);
            expect(where, "fs_qfmask", s.qfmask, ~(long) s.fmask);
        }
        if (s.ncg <= 0) {
            throw bad(Errno.EINVAL, where, "fs_ncg", s.ncg, "positive");
        }
        if (s.ipg <= 0 || s.ipg % s.inopb != 0) {
            throw bad(Errno.EINVAL, where, "fs_ipg", s.ipg, "a positive multiple of fs_inopb " + s.inopb);
        }
        if (s.fpg <= 0 || s.fpg % s.frag != 0) {
            throw bad(Errno.EINVAL, where, "fs_fpg", s.fpg, "a positive multiple of fs_frag " + s.frag);
        }
        if (s.maxbpg <= 0) {
            throw bad(Errno.EINVAL, where, "fs_maxbpg", s.maxbpg, "positive");
        }
        if (s.minfree < 0 || s.minfree > 99) {
            throw bad(Errno.EINVAL, where, "fs_minfree", s.minfree, "a percentage from 0 to 99");
        }
        long total = s.totalFrags();
        if (total <= 0) {
            throw bad(Errno.EINVAL, where, s.hasNewFields() ? "fs_size" : "fs_old_size", total, "positive");
        }
        long cgSpan = (long) s.ncg * s.fpg;
        if (total > cgSpan || total <= cgSpan - s.fpg) {
            throw bad(Errno.EINVAL, where, "fs_ncg * fs_fpg", cgSpan, "the smallest multiple of fs_fpg " + s.fpg
                    + " covering fs_size " + total);
        }
        if (total > deviceBytes / s.fsize) {
            throw bad(Errno.EINVAL, where, "fs_size", total, "at most the device's " + deviceBytes / s.fsize
                    + " fragments (" + deviceBytes + " bytes)");
        }
        long dsize = s.dataFrags();
        if (dsize <= 0 || dsize > total) {
            throw bad(Errno.EINVAL, where, "fs_dsize", dsize, "from 1 to fs_size " + total);
        }
        expect(where, "fs_cssize", s.cssize, s.fragroundup((long) s.ncg * SIZEOF_CSUM));
        long csaddr = s.csAddr();
        if (csaddr < 0 || csaddr > total - (s.cssize >> s.fshift)) {
            throw bad(Errno.EINVAL, where, "fs_csaddr", csaddr, "inside the file system of " + total + " fragments");
        }
        if (s.sblkno < 0 || s.cblkno <= s.sblkno || s.iblkno <= s.cblkno || s.dblkno <= s.iblkno
                || s.dblkno > s.fpg) {
            throw new VfsException(Errno.EINVAL, where + "cylinder group layout out of order: fs_sblkno " + s.sblkno
                    + ", fs_cblkno " + s.cblkno + ", fs_iblkno " + s.iblkno + ", fs_dblkno " + s.dblkno
                    + " (expected ascending and at most fs_fpg " + s.fpg + ")");
        }
        long inodeFrags = ((long) s.ipg / s.inopb) << s.fragshift;
        if (s.iblkno + inodeFrags > s.dblkno) {
            throw bad(Errno.EINVAL, where, "fs_dblkno", s.dblkno, "at least fs_iblkno + inode blocks = "
                    + (s.iblkno + inodeFrags));
        }
        long cgsize = cgsize(s);
        if (s.cgsize != s.fragroundup(cgsize) && s.cgsize + 1L != cgsize) {
            throw bad(Errno.EINVAL, where, "fs_cgsize", s.cgsize, String.valueOf(s.fragroundup(cgsize)));
        }
        if (s.cgsize > s.bsize || (long) s.cblkno * s.fsize + s.cgsize > (long) s.iblkno * s.fsize) {
            throw bad(Errno.EINVAL, where, "fs_cgsize", s.cgsize, "at most fs_bsize " + s.bsize
                    + " and clear of the inode blocks");
        }
        int linkArea = (s.ufs2 ? 8 : 4) * (Dinode.NDADDR + Dinode.NIADDR);
        if ((s.maxsymlinklen < 0 && !s.oldFormat()) || s.maxsymlinklen > linkArea) {
            throw bad(Errno.EINVAL, where, "fs_maxsymlinklen", s.maxsymlinklen, "from 0 to " + linkArea);
        }
        if (s.contigsumsize < 0 || s.contigsumsize > 16) {
            throw bad(Errno.EINVAL, where, "fs_contigsumsize", s.contigsumsize, "from 0 to 16");
        }
        long[] sum = s.summary();
        String[] names = {"cs_ndir", "cs_nbfree", "cs_nifree", "cs_nffree"};
        long[] limits = {s.inodeCount(), total >> s.fragshift, s.inodeCount(), total};
        for (int i = 0; i < 4; i++) {
            if (sum[i] < 0 || sum[i] > limits[i]) {
                throw bad(Errno.EINVAL, where, "fs_cstotal." + names[i], sum[i], "from 0 to " + limits[i]);
            }
        }
        int unknown = s.fsFlags() & ~(Superblock.FS_KNOWN_FLAGS | Superblock.FS_INTERNAL);
        if (unknown != 0) {
            throw new VfsException(Errno.EINVAL, where + "unknown ufs flags 0x" + Integer.toHexString(s.fsFlags())
                    + " (unknown bits 0x" + Integer.toHexString(unknown) + ")");
        }
    }

    /** NetBSD's CGSIZE: the bytes a cylinder group header with its maps needs. */
    static long cgsize(Superblock s) {
        long n = SIZEOF_CG + 4L
                + (long) s.oldCpg * 4 + (long) s.oldCpg * 2
                + (s.ipg + 7L) / 8
                + (s.fpg + 7L) / 8;
        if (s.contigsumsize > 0) {
            n += s.contigsumsize * 4L + ((s.fpg >> s.fragshift) + 7L) / 8;
        }
        return n;
    }

    private static int log2(int x) {
        return 31 - Integer.numberOfLeadingZeros(x);
    }

    private static void expect(String where, String field, long found, long expected) throws VfsException {
        if (found != expected) {
            throw bad(Errno.EINVAL, where, field, found, String.valueOf(expected));
        }
    }

    private static VfsException bad(Errno errno, String where, String field, long found, String expected) {
        return new VfsException(errno, where + field + " is " + found + ", expected " + expected);
    }
}
