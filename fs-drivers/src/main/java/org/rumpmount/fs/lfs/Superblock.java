package org.rumpmount.fs.lfs;

import java.nio.ByteBuffer;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * The LFS superblock and checkpoint (struct dlfs / struct dlfs64 in NetBSD's lfs.h), decoded from
 * its first 512 bytes. Addresses ("daddr") are in fragment units of {@link #fsize} for format
 * version 2. Only the fields the reader needs are kept; all of them are checked by
 * {@link #validate}.
 */
final class Superblock {
    /** Where the primary superblock lives: after the disk label pad (LFS_LABELPAD). */
    static final int LABELPAD = 8192;
    /** Room reserved for each superblock copy (LFS_SBPAD). */
    static final int SBPAD = 8192;
    /** Bytes of the on-disk structure that the checksum and the decoder look at. */
    static final int DISK_SIZE = 512;
    /** Offset of dlfs_cksum, the last field, in both layouts; the checksum covers what precedes it. */
    static final int CKSUM_OFFSET = 508;
    static final int MAXNUMSB = 10;
    static final int LFS_VERSION = 2;
    static final int PF_CLEAN = 0x1;
    /** The largest block size NetBSD accepts (MAXBSIZE). */
    static final int MAXBSIZE = 65536;
    static final int DEV_BSHIFT = 9;

    final LfsLayout layout;
    final long location;
    final int magic;
    final int version;
    final long size;
    final long dsize;
    final long ssize;
    final int bsize;
    final int fsize;
    final int frag;
    final long freehd;
    final long nfiles;
    final long bfree;
    final long avail;
    final long idaddr;
    final long ifile;
    final long lastseg;
    final long nextseg;
    final long curseg;
    final long offset;
    final long lastpseg;
    final long inopf;
    final int minfree;
    final long maxfilesize;
    final long fsbpseg;
    final int inopb;
    final int ifpb;
    final int sepb;
    final int nindir;
    final long nseg;
    final int nspf;
    final int cleansz;
    final int segtabsz;
    final int bshift;
    final int ffshift;
    final int fbshift;
    final long bmask;
    final long ffmask;
    final long fbmask;
    final int blktodb;
    final int maxsymlinklen;
    final long[] sboffs = new long[MAXNUMSB];
    final long nclean;
    final int pflags;
    final long dmeta;
    final long minfreeseg;
    final int sumsize;
    final long serial;
    final int ibsize;
    final long s0addr;
    final long tstamp;
    final int inodefmt;
    final int ident;
    final int fsbtodb;
    final int cksum;
    /** The checksum recomputed over the bytes read. */
    final int computedCksum;

    private Superblock(LfsLayout l, ByteBuffer raw, long location) {
        ByteBuffer b = l.view(raw);
        this.layout = l;
        this.location = location;
        magic = b.getInt(0);
        version = b.getInt(4);
        if (l.is64()) {
            size = b.getLong(8);
            dsize = b.getLong(16);
            ssize = u32(b, 24);
            bsize = b.getInt(28);
            fsize = b.getInt(32);
            frag = b.getInt(36);
            freehd = b.getLong(40);
            nfiles = b.getLong(48);
            bfree = b.getLong(56);
            avail = b.getLong(64);
            idaddr = b.getLong(72);
            ifile = 1;
            lastseg = b.getLong(88);
            nextseg = b.getLong(96);
            curseg = b.getLong(104);
            offset = b.getLong(112);
            lastpseg = b.getLong(120);
            inopf = u32(b, 128);
            minfree = b.getInt(132);
            maxfilesize = b.getLong(136);
            fsbpseg = u32(b, 144);
            inopb = b.getInt(148);
            ifpb = b.getInt(152);
            sepb = b.getInt(156);
            nindir = b.getInt(160);
            nseg = u32(b, 164);
            nspf = b.getInt(168);
            cleansz = b.getInt(172);
            segtabsz = b.getInt(176);
            bshift = b.getInt(180);
            ffshift = b.getInt(184);
            fbshift = b.getInt(188);
            bmask = b.getLong(192);
            ffmask = b.getLong(200);
            fbmask = b.getLong(208);
            blktodb = b.getInt(216);
            for (int i = 0; i < MAXNUMSB; i++) {
                sboffs[i] = b.getLong(224 + 8 * i);
            }
            maxsymlinklen = b.getInt(304);
            nclean = u32(b, 308);
            pflags = b.getShort(402) & 0xffff;
            dmeta = b.getInt(404);
            minfreeseg = u32(b, 408);
            sumsize = b.getInt(412);
            ibsize = b.getInt(416);
            inodefmt = b.getInt(420);
            serial = b.getLong(424);
            s0addr = b.getLong(432);
            tstamp = b.getLong(440);
            ident = b.getInt(452);
            fsbtodb = b.getInt(456);
        } else {
            size = u32(b, 8);
            ssize = u32(b, 12);
            dsize = u32(b, 16);
            bsize = b.getInt(20);
            fsize = b.getInt(24);
            frag = b.getInt(28);
            freehd = u32(b, 32);
            bfree = b.getInt(36);
            nfiles = u32(b, 40);
            avail = b.getInt(44);
            idaddr = b.getInt(52);
            ifile = u32(b, 56);
            lastseg = b.getInt(60);
            nextseg = b.getInt(64);
            curseg = b.getInt(68);
            offset = b.getInt(72);
            lastpseg = b.getInt(76);
            inopf = u32(b, 80);
            minfree = b.getInt(84);
            maxfilesize = b.getLong(88);
            fsbpseg = u32(b, 96);
            inopb = b.getInt(100);
            ifpb = b.getInt(104);
            sepb = b.getInt(108);
            nindir = b.getInt(112);
            nseg = u32(b, 116);
            nspf = b.getInt(120);
            cleansz = b.getInt(124);
            segtabsz = b.getInt(128);
            bshift = b.getInt(140);
            ffshift = b.getInt(144);
            fbshift = b.getInt(148);
            bmask = b.getLong(152);
            ffmask = b.getLong(160);
            fbmask = b.getLong(168);
            blktodb = b.getInt(176);
            maxsymlinklen = b.getInt(184);
            for (int i = 0; i < MAXNUMSB; i++) {
                sboffs[i] = b.getInt(188 + 4 * i);
            }
            nclean = u32(b, 228);
            pflags = b.getShort(322) & 0xffff;
            dmeta = b.getInt(324);
            minfreeseg = u32(b, 328);
            sumsize = b.getInt(332);
            serial = b.getLong(336);
            ibsize = b.getInt(344);
            s0addr = b.getInt(348);
            tstamp = b.getLong(352);
            inodefmt = b.getInt(360);
            ident = b.getInt(368);
            fsbtodb = b.getInt(372);
        }
        cksum = b.getInt(CKSUM_OFFSET);
        computedCksum = LfsLayout.cksum(b, 0, CKSUM_OFFSET);
    }

    private static long u32(ByteBuffer b, int off) {
        return b.getInt(off) & 0xffffffffL;
    }

    /**
     * Decodes the superblock in the first {@link #DISK_SIZE} bytes of {@code raw}, read at byte
     * {@code location}; null when no LFS magic is there in either byte order or width.
     */
    static Superblock decode(ByteBuffer raw, long location) {
        if (raw.limit() < DISK_SIZE) {
            return null;
        }
        LfsLayout l = LfsLayout.ofMagic(raw);
        return l == null ? null : new Superblock(l, raw, location);
    }

    boolean checksumOk() {
        return (cksum & 0xffffffffL) == (computedCksum & 0xffffffffL);
    }

    boolean isClean() {
        return (pflags & PF_CLEAN) != 0;
    }

    /** The byte offset of fragment address {@code daddr}. */
    long byteOffset(long daddr) {
        return daddr << ffshift;
    }

    /** Fragments in {@code bytes}, rounded up (lfs_btofsb). */
    long btofsb(long bytes) {
        return (bytes + fsize - 1) >> ffshift;
    }

    /** The first fragment of segment {@code sn} (lfs_sntod). */
    long sntod(long sn) {
        return s0addr + sn * fsbpseg;
    }

    /** The segment holding fragment {@code daddr} (lfs_dtosn). */
    long dtosn(long daddr) {
        return (daddr - s0addr) / fsbpseg;
    }

    /** Entries of the IFILE that describe inodes, given the ifile's size in bytes. */
    long ifileInodeCapacity(long ifileSize) {
        long blocks = ifileSize / bsize - cleansz - segtabsz;
        return blocks <= 0 ? 0 : blocks * ifpb;
    }

    /**
     * Checks every field the reader relies on against the others and against a device of
     * {@code deviceSize} bytes, as lfs_mountfs does and more. EFTYPE naming the field.
     */
    Superblock validate(long deviceSize) throws VfsException {
        if (!checksumOk()) {
            throw bad("checksum", String.format("stored 0x%x, computed 0x%x", cksum, computedCksum));
        }
        if (version != LFS_VERSION) {
            throw new VfsException(Errno.EFTYPE, where() + ": LFS format version " + version
                    + " is not supported (only version " + LFS_VERSION + ")");
        }
        if (inodefmt != 0) {
            throw bad("inodefmt", inodefmt + " (only 0 is known)");
        }
        if (!pow2(bsize) || bsize < DISK_SIZE || bsize > MAXBSIZE || bsize != 1 << bshift) {
            throw bad("bsize", bsize + " (bshift " + bshift + ")");
        }
        if (!pow2(fsize) || fsize < 512 || fsize > bsize || fsize != 1 << ffshift) {
            throw bad("fsize", fsize + " (ffshift " + ffshift + ", bsize " + bsize + ")");
        }
        if (frag != bsize / fsize || 1 << fbshift != frag) {
            throw bad("frag", frag + " (bsize/fsize " + (bsize / fsize) + ", fbshift " + fbshift + ")");
        }
        if (fsbtodb != ffshift - DEV_BSHIFT) {
            throw bad("fsbtodb", fsbtodb + " (fsize " + fsize + " needs " + (ffshift - DEV_BSHIFT) + ")");
        }
        if (nindir != bsize / layout.daddrSize()) {
            throw bad("nindir", nindir + " (bsize " + bsize + " / " + layout.daddrSize() + ")");
        }
        if (ibsize < fsize || ibsize > bsize || ibsize % fsize != 0) {
            throw bad("ibsize", ibsize + " (fsize " + fsize + ", bsize " + bsize + ")");
        }
        if (inopb < 1 || inopb != ibsize / layout.dinodeSize()) {
            throw bad("inopb", inopb + " (ibsize " + ibsize + " / dinode " + layout.dinodeSize() + ")");
        }
        if (ifpb < 1 || ifpb != bsize / layout.ifileEntrySize()) {
            throw bad("ifpb", ifpb + " (bsize " + bsize + " / " + layout.ifileEntrySize() + ")");
        }
        if (sepb < 1 || sepb != bsize / layout.segUseSize()) {
            throw bad("sepb", sepb + " (bsize " + bsize + " / " + layout.segUseSize() + ")");
        }
        if (ssize < bsize || ssize % bsize != 0 || ssize > (1L << 32)) {
            throw bad("ssize", ssize + " (bsize " + bsize + ")");
        }
        if (fsbpseg != ssize / fsize) {
            throw bad("fsbpseg", fsbpseg + " (ssize/fsize " + (ssize / fsize) + ")");
        }
        if (sumsize < layout.segSumSize() || sumsize > bsize || sumsize % 512 != 0 || sumsize > ssize) {
            throw bad("sumsize", sumsize + " (bsize " + bsize + ")");
        }
        if (size <= 0 || size > deviceSize >> ffshift) {
            throw bad("size", size + " fragments of " + fsize + " bytes, but the device holds "
                    + (deviceSize >> ffshift));
        }
        if (nseg < 1 || s0addr < 0 || s0addr + nseg * fsbpseg > size) {
            throw bad("nseg", nseg + " segments of " + fsbpseg + " fragments from " + s0addr
                    + " do not fit in " + size + " fragments");
        }
        if (cleansz != (layout.cleanerInfoSize() + bsize - 1) / bsize) {
            throw bad("cleansz", cleansz + " blocks");
        }
        if (segtabsz != (nseg + sepb - 1) / sepb) {
            throw bad("segtabsz", segtabsz + " blocks (nseg " + nseg + ", sepb " + sepb + ")");
        }
        if (maxsymlinklen < 0 || maxsymlinklen > layout.inlineSymlinkCapacity()) {
            throw bad("maxsymlinklen", maxsymlinklen + " (at most " + layout.inlineSymlinkCapacity() + ")");
        }
        if (ifile != 1) {
            throw bad("ifile", ifile + " (the ifile is inode 1)");
        }
        if (idaddr <= 0 || idaddr > size - (ibsize >> ffshift)) {
            throw bad("idaddr", idaddr + " (file system of " + size + " fragments)");
        }
        if (minfree < 0 || minfree > 100) {
            throw bad("minfree", minfree + "%");
        }
        if (maxfilesize < 0) {
            throw bad("maxfilesize", Long.toUnsignedString(maxfilesize));
        }
        return this;
    }

    private VfsException bad(String field, String detail) {
        return new VfsException(Errno.EFTYPE, where() + ": bad " + field + ": " + detail);
    }

    private String where() {
        return "LFS superblock at byte " + location;
    }

    private static boolean pow2(long v) {
        return v > 0 && (v & (v - 1)) == 0;
    }

    @Override
    public String toString() {
        return "LFS v" + version + " (" + layout + "), " + bsize + "/" + fsize + ", " + nseg + " segments of "
                + ssize + " bytes, serial " + serial + (isClean() ? ", clean" : ", not clean");
    }
}
