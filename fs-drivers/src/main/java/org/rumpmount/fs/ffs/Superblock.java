package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The FFS superblock (NetBSD's struct fs), UFS1 and UFS2, in either byte order.
 *
 * <p>{@link #decode} reads every field the driver uses at its fixed offset; {@link #encode}
 * writes them back over the bytes originally read, so fields this class does not model survive a
 * round trip untouched (the write side needs that). Fields keep their on-disk names. For a UFS1
 * superblock written before the 64-bit fields existed (FS_FLAGS_UPDATED clear), the accessors
 * {@link #totalFrags()}, {@link #dataFrags()}, {@link #csAddr()}, {@link #summary()} and
 * {@link #fsFlags()} answer from the old 32-bit fields, as ffs_oldfscompat_read does.
 */
public final class Superblock {
    public static final int SBLOCKSIZE = 8192;
    /** Where NetBSD looks, in its order (SBLOCKSEARCH): UFS2, UFS1, floppy, piggy. */
    static final long[] SBLOCKSEARCH = {65536, 8192, 0, 262144};
    static final long SBLOCK_UFS2 = 65536;
    /** sizeof(struct fs): the smallest legal fs_sbsize. */
    public static final int SIZEOF_FS = 1376;
    public static final int MAGIC_OFFSET = 1372;

    public static final int FS_UFS1_MAGIC = 0x011954;
    public static final int FS_UFS2_MAGIC = 0x19540119;

    public static final int FS_ISCLEAN = 0x01;
    static final int FS_WASCLEAN = 0x02;

    static final int FS_DOSOFTDEP = 0x002;
    static final int FS_POSIX1EACLS = 0x010;
    static final int FS_FLAGS_UPDATED = 0x080;
    static final int FS_DOWAPBL = 0x100;
    static final int FS_DOQUOTA2 = 0x200;
    static final int FS_NFS4ACLS = 0x800;
    /** Flags NetBSD mounts with (FS_KNOWN_FLAGS); anything else is refused. */
    static final int FS_KNOWN_FLAGS = FS_DOSOFTDEP | FS_DOWAPBL | FS_DOQUOTA2 | FS_POSIX1EACLS | FS_NFS4ACLS;
    static final int FS_INTERNAL = 0x80000000;

    static final int FS_42INODEFMT = -1;
    static final int FS_44INODEFMT = 2;

    static final int MAXMNTLEN = 468;
    static final int MAXVOLLEN = 32;

    public ByteOrder order;
    public boolean ufs2;
    /** The bytes as read (fs_sbsize of them), the base for {@link #encode}. */
    public byte[] raw;

    public int sblkno;
    public int cblkno;
    public int iblkno;
    public int dblkno;
    int oldCgoffset;
    int oldCgmask;
    int oldTime;
    int oldSize;
    int oldDsize;
    public int ncg;
    public int bsize;
    public int fsize;
    public int frag;
    int minfree;
    int bmask;
    int fmask;
    int bshift;
    int fshift;
    int maxcontig;
    int maxbpg;
    int fragshift;
    int fsbtodb;
    public int sbsize;
    public int nindir;
    public int inopb;
    int optim;
    int id0;
    int id1;
    int oldCsaddr;
    public int cssize;
    public int cgsize;
    public int oldCpg;
    public int ipg;
    public int fpg;
    /** fs_old_cstotal: ndir, nbfree, nifree, nffree (32-bit). */
    public final int[] oldCstotal = new int[4];
    byte fmod;
    public int clean;
    byte ronly;
    int oldFlags;
    byte[] fsmnt = new byte[MAXMNTLEN];
    byte[] volname = new byte[MAXVOLLEN];
    long swuid;
    int maxbsize;
    int journalVersion;
    int journalLocation;
    int journalFlags;
    final long[] journallocs = new long[4];
    public long sblockloc;
    /** fs_cstotal: ndir, nbfree, nifree, nffree (64-bit). */
    public final long[] cstotal = new long[4];
    long time;
    long size;
    long dsize;
    long csaddr;
    long pendingblocks;
    int pendinginodes;
    int avgfilesize;
    int avgfpdir;
    int flags;
    public int contigsumsize;
    public int maxsymlinklen;
    int oldInodefmt;
    long maxfilesize;
    long qbmask;
    long qfmask;
    int oldPostblformat;
    public int oldNrpos;
    public int magic;

    /** The byte order a superblock image is in, from its magic; null when neither magic is there. */
    public static ByteOrder orderOf(ByteBuffer b) {
        if (b.limit() < SIZEOF_FS) {
            return null;
        }
        int le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(MAGIC_OFFSET);
        if (le == FS_UFS1_MAGIC || le == FS_UFS2_MAGIC) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        int be = b.duplicate().order(ByteOrder.BIG_ENDIAN).getInt(MAGIC_OFFSET);
        if (be == FS_UFS1_MAGIC || be == FS_UFS2_MAGIC) {
            return ByteOrder.BIG_ENDIAN;
        }
        return null;
    }

    /**
     * Decodes a superblock from {@code src} (at least {@link #SIZEOF_FS} bytes from index 0).
     * The caller has found a magic with {@link #orderOf}; the fields are not validated here.
     */
    public static Superblock decode(ByteBuffer src, ByteOrder order) {
        ByteBuffer b = src.duplicate().order(order);
        Superblock s = new Superblock();
        s.order = order;
        s.raw = new byte[Math.min(b.limit(), SBLOCKSIZE)];
        b.get(0, s.raw);
        s.sblkno = b.getInt(8);
        s.cblkno = b.getInt(12);
        s.iblkno = b.getInt(16);
        s.dblkno = b.getInt(20);
        s.oldCgoffset = b.getInt(24);
        s.oldCgmask = b.getInt(28);
        s.oldTime = b.getInt(32);
        s.oldSize = b.getInt(36);
        s.oldDsize = b.getInt(40);
        s.ncg = b.getInt(44);
        s.bsize = b.getInt(48);
        s.fsize = b.getInt(52);
        s.frag = b.getInt(56);
        s.minfree = b.getInt(60);
        s.bmask = b.getInt(72);
        s.fmask = b.getInt(76);
        s.bshift = b.getInt(80);
        s.fshift = b.getInt(84);
        s.maxcontig = b.getInt(88);
        s.maxbpg = b.getInt(92);
        s.fragshift = b.getInt(96);
        s.fsbtodb = b.getInt(100);
        s.sbsize = b.getInt(104);
        s.nindir = b.getInt(116);
        s.inopb = b.getInt(120);
        s.optim = b.getInt(128);
        s.id0 = b.getInt(144);
        s.id1 = b.getInt(148);
        s.oldCsaddr = b.getInt(152);
        s.cssize = b.getInt(156);
        s.cgsize = b.getInt(160);
        s.oldCpg = b.getInt(180);
        s.ipg = b.getInt(184);
        s.fpg = b.getInt(188);
        for (int i = 0; i < 4; i++) {
            s.oldCstotal[i] = b.getInt(192 + 4 * i);
        }
        s.fmod = b.get(208);
        s.clean = b.get(209) & 0xff;
        s.ronly = b.get(210);
        s.oldFlags = b.get(211) & 0xff;
        b.get(212, s.fsmnt);
        b.get(680, s.volname);
        s.swuid = b.getLong(712);
        s.maxbsize = b.getInt(860);
        s.journalVersion = b.get(864) & 0xff;
        s.journalLocation = b.get(865) & 0xff;
        s.journalFlags = b.getInt(868);
        for (int i = 0; i < 4; i++) {
            s.journallocs[i] = b.getLong(872 + 8 * i);
        }
        s.sblockloc = b.getLong(1000);
        for (int i = 0; i < 4; i++) {
            s.cstotal[i] = b.getLong(1008 + 8 * i);
        }
        s.time = b.getLong(1072);
        s.size = b.getLong(1080);
        s.dsize = b.getLong(1088);
        s.csaddr = b.getLong(1096);
        s.pendingblocks = b.getLong(1104);
        s.pendinginodes = b.getInt(1112);
        s.avgfilesize = b.getInt(1196);
        s.avgfpdir = b.getInt(1200);
        s.flags = b.getInt(1312);
        s.contigsumsize = b.getInt(1316);
        s.maxsymlinklen = b.getInt(1320);
        s.oldInodefmt = b.getInt(1324);
        s.maxfilesize = b.getLong(1328);
        s.qbmask = b.getLong(1336);
        s.qfmask = b.getLong(1344);
        s.oldPostblformat = b.getInt(1356);
        s.oldNrpos = b.getInt(1360);
        s.magic = b.getInt(MAGIC_OFFSET);
        s.ufs2 = s.magic == FS_UFS2_MAGIC;
        return s;
    }

    /** Writes this superblock, in {@code order}, over a copy of the bytes it was read from. */
    public byte[] encode(ByteOrder order) {
        byte[] out = raw.clone();
        ByteBuffer b = ByteBuffer.wrap(out).order(order);
        if (order != this.order) {
            // Unmodelled fields cannot be swapped without knowing their widths: clear them so that
            // no bytes in the wrong order survive (the same choice ffs_sb_swap leaves to newfs).
            java.util.Arrays.fill(out, (byte) 0);
        }
        b.putInt(8, sblkno).putInt(12, cblkno).putInt(16, iblkno).putInt(20, dblkno);
        b.putInt(24, oldCgoffset).putInt(28, oldCgmask).putInt(32, oldTime).putInt(36, oldSize).putInt(40, oldDsize);
        b.putInt(44, ncg).putInt(48, bsize).putInt(52, fsize).putInt(56, frag).putInt(60, minfree);
        b.putInt(72, bmask).putInt(76, fmask).putInt(80, bshift).putInt(84, fshift);
        b.putInt(88, maxcontig).putInt(92, maxbpg).putInt(96, fragshift).putInt(100, fsbtodb).putInt(104, sbsize);
        b.putInt(116, nindir).putInt(120, inopb).putInt(128, optim).putInt(144, id0).putInt(148, id1);
        b.putInt(152, oldCsaddr).putInt(156, cssize).putInt(160, cgsize).putInt(180, oldCpg);
        b.putInt(184, ipg).putInt(188, fpg);
        for (int i = 0; i < 4; i++) {
            b.putInt(192 + 4 * i, oldCstotal[i]);
        }
        b.put(208, fmod).put(209, (byte) clean).put(210, ronly).put(211, (byte) oldFlags);
        b.put(212, fsmnt).put(680, volname).putLong(712, swuid);
        b.putInt(860, maxbsize).put(864, (byte) journalVersion).put(865, (byte) journalLocation).putInt(868, journalFlags);
        for (int i = 0; i < 4; i++) {
            b.putLong(872 + 8 * i, journallocs[i]);
        }
        b.putLong(1000, sblockloc);
        for (int i = 0; i < 4; i++) {
            b.putLong(1008 + 8 * i, cstotal[i]);
        }
        b.putLong(1072, time).putLong(1080, size).putLong(1088, dsize).putLong(1096, csaddr);
        b.putLong(1104, pendingblocks).putInt(1112, pendinginodes);
        b.putInt(1196, avgfilesize).putInt(1200, avgfpdir).putInt(1312, flags);
        b.putInt(1316, contigsumsize).putInt(1320, maxsymlinklen).putInt(1324, oldInodefmt);
        b.putLong(1328, maxfilesize).putLong(1336, qbmask).putLong(1344, qfmask);
        b.putInt(1356, oldPostblformat).putInt(1360, oldNrpos).putInt(MAGIC_OFFSET, magic);
        return out;
    }

    /** Whether the 64-bit fields are authoritative (always for UFS2; for UFS1 once FS_FLAGS_UPDATED). */
    public boolean hasNewFields() {
        return ufs2 || (oldFlags & FS_FLAGS_UPDATED) != 0;
    }

    /** Size of the file system in fragments. */
    public long totalFrags() {
        return hasNewFields() ? size : oldSize;
    }

    /** Fragments available for data (fs_dsize). */
    public long dataFrags() {
        return hasNewFields() ? dsize : oldDsize;
    }

    public long csAddr() {
        return hasNewFields() ? csaddr : oldCsaddr;
    }

    /** The file system summary: ndir, nbfree, nifree, nffree. */
    public long[] summary() {
        if (hasNewFields()) {
            return cstotal.clone();
        }
        return new long[] {oldCstotal[0], oldCstotal[1], oldCstotal[2], oldCstotal[3]};
    }

    int fsFlags() {
        return hasNewFields() ? flags : oldFlags;
    }

    /** The location recorded in the superblock itself (old UFS1 has none: where it was found). */
    long recordedLocation(long foundAt) {
        return hasNewFields() ? sblockloc : foundAt;
    }

    public int dinodeSize() {
        return ufs2 ? Dinode.UFS2_SIZE : Dinode.UFS1_SIZE;
    }

    /** Whether old-format (4.2BSD) directories and 16-bit ids are in use. */
    public boolean oldFormat() {
        return !ufs2 && oldInodefmt < FS_44INODEFMT;
    }

    public long inodeCount() {
        return (long) ncg * (ipg & 0xffffffffL);
    }

    // Geometry: where things are, in fragments.

    public long cgbase(long cg) {
        return (long) fpg * cg;
    }

    public long cgstart(long cg) {
        return ufs2 ? cgbase(cg) : cgbase(cg) + (long) oldCgoffset * (cg & ~oldCgmask);
    }

    /** Fragment address of cylinder group {@code cg}'s header block. */
    public long cgtod(long cg) {
        return cgstart(cg) + cblkno;
    }

    long cgimin(long cg) {
        return cgstart(cg) + iblkno;
    }

    /** Fragment address of the inode block holding inode {@code ino}. */
    public long inoToFsba(long ino) {
        long cg = ino / ipg;
        return cgimin(cg) + (((ino % ipg) / inopb) << fragshift);
    }

    /** Byte offset of inode {@code ino} inside its inode block. */
    public int inoToFsbo(long ino) {
        return (int) (ino % inopb) * dinodeSize();
    }

    long fragroundup(long n) {
        return (n + fsize - 1) & ~((long) fsize - 1);
    }

    /** Bytes of logical block {@code lbn} of a file of {@code fileSize} bytes (NetBSD's sblksize). */
    public int blksize(long fileSize, long lbn) {
        if (lbn >= Dinode.NDADDR || fileSize >= (lbn + 1) << bshift) {
            return bsize;
        }
        return (int) fragroundup(fileSize & (bsize - 1));
    }

    /** The largest file the block map can address, capped by what the format allows. */
    public long addressableBytes() {
        try {
            long n = nindir;
            long nn = Math.multiplyExact(n, n);
            long blocks = Dinode.NDADDR + n + nn + Math.multiplyExact(nn, n);
            return Math.multiplyExact(blocks, (long) bsize);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return (ufs2 ? "FFSv2 (UFS2)" : "FFSv1 (UFS1)") + ", " + (order == ByteOrder.BIG_ENDIAN ? "big" : "little")
                + "-endian, bsize " + bsize + "/fsize " + fsize + ", " + ncg + " cylinder groups, "
                + totalFrags() * fsize + " bytes";
    }
}
