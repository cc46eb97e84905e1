package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An on-disk inode: NetBSD's struct ufs1_dinode (128 bytes) or struct ufs2_dinode (256
 * bytes), in either byte order. One Java shape holds both; fields UFS1 lacks (birthtime,
 * kernflags, extattr) stay zero there. Block addresses are fragment numbers; UFS1 keeps them as
 * signed 32-bit values, widened here. Device numbers and fast symlink targets live in the block
 * address area, as on disk.
 */
public final class Dinode {
    static final int UFS1_SIZE = 128;
    static final int UFS2_SIZE = 256;
    public static final int NDADDR = 12;
    public static final int NIADDR = 3;

    public static final int IFMT = 0170000;
    public static final int IFIFO = 0010000;
    public static final int IFCHR = 0020000;
    public static final int IFDIR = 0040000;
    public static final int IFBLK = 0060000;
    public static final int IFREG = 0100000;
    public static final int IFLNK = 0120000;
    public static final int IFSOCK = 0140000;

    public boolean ufs2;
    public ByteOrder order;
    public int mode;
    public int nlink;
    /** UFS1's historic 16-bit ids, used only by pre-4.4BSD inode formats. */
    int ouid;
    int ogid;
    public long uid;
    long gid;
    int blksize;
    public long size;
    /** 512-byte sectors held, indirect blocks included. */
    public long blocks;
    public long atime;
    int atimensec;
    public long mtime;
    int mtimensec;
    public long ctime;
    int ctimensec;
    public long birthtime;
    int birthnsec;
    public int gen;
    int kernflags;
    int flags;
    int extsize;
    final long[] extb = new long[2];
    public final long[] db = new long[NDADDR];
    public final long[] ib = new long[NIADDR];
    long modrev;

    public static Dinode decode(ByteBuffer src, int off, boolean ufs2) {
        ByteBuffer b = src.duplicate().order(src.order());
        Dinode d = new Dinode();
        d.ufs2 = ufs2;
        d.order = src.order();
        d.mode = b.getShort(off) & 0xffff;
        d.nlink = b.getShort(off + 2) & 0xffff;
        if (ufs2) {
            d.uid = b.getInt(off + 4) & 0xffffffffL;
            d.gid = b.getInt(off + 8) & 0xffffffffL;
            d.blksize = b.getInt(off + 12);
            d.size = b.getLong(off + 16);
            d.blocks = b.getLong(off + 24);
            d.atime = b.getLong(off + 32);
            d.mtime = b.getLong(off + 40);
            d.ctime = b.getLong(off + 48);
            d.birthtime = b.getLong(off + 56);
            d.mtimensec = b.getInt(off + 64);
            d.atimensec = b.getInt(off + 68);
            d.ctimensec = b.getInt(off + 72);
            d.birthnsec = b.getInt(off + 76);
            d.gen = b.getInt(off + 80);
            d.kernflags = b.getInt(off + 84);
            d.flags = b.getInt(off + 88);
            d.extsize = b.getInt(off + 92);
            d.extb[0] = b.getLong(off + 96);
            d.extb[1] = b.getLong(off + 104);
            for (int i = 0; i < NDADDR; i++) {
                d.db[i] = b.getLong(off + 112 + 8 * i);
            }
            for (int i = 0; i < NIADDR; i++) {
                d.ib[i] = b.getLong(off + 208 + 8 * i);
            }
            d.modrev = b.getLong(off + 232);
        } else {
            d.ouid = b.getShort(off + 4) & 0xffff;
            d.ogid = b.getShort(off + 6) & 0xffff;
            d.size = b.getLong(off + 8);
            d.atime = b.getInt(off + 16);
            d.atimensec = b.getInt(off + 20);
            d.mtime = b.getInt(off + 24);
            d.mtimensec = b.getInt(off + 28);
            d.ctime = b.getInt(off + 32);
            d.ctimensec = b.getInt(off + 36);
            for (int i = 0; i < NDADDR; i++) {
                d.db[i] = b.getInt(off + 40 + 4 * i);
            }
            for (int i = 0; i < NIADDR; i++) {
                d.ib[i] = b.getInt(off + 88 + 4 * i);
            }
            d.flags = b.getInt(off + 100);
            d.blocks = b.getInt(off + 104) & 0xffffffffL;
            d.gen = b.getInt(off + 108);
            d.uid = b.getInt(off + 112) & 0xffffffffL;
            d.gid = b.getInt(off + 116) & 0xffffffffL;
            d.modrev = b.getLong(off + 120);
        }
        return d;
    }

    /** Writes this inode at {@code off} of {@code dst}, in {@code dst}'s byte order. */
    public void encode(ByteBuffer dst, int off) {
        ByteBuffer b = dst.duplicate().order(dst.order());
        b.putShort(off, (short) mode).putShort(off + 2, (short) nlink);
        if (ufs2) {
            b.putInt(off + 4, (int) uid).putInt(off + 8, (int) gid).putInt(off + 12, blksize);
            b.putLong(off + 16, size).putLong(off + 24, blocks);
            b.putLong(off + 32, atime).putLong(off + 40, mtime).putLong(off + 48, ctime).putLong(off + 56, birthtime);
            b.putInt(off + 64, mtimensec).putInt(off + 68, atimensec).putInt(off + 72, ctimensec);
            b.putInt(off + 76, birthnsec).putInt(off + 80, gen).putInt(off + 84, kernflags).putInt(off + 88, flags);
            b.putInt(off + 92, extsize).putLong(off + 96, extb[0]).putLong(off + 104, extb[1]);
            for (int i = 0; i < NDADDR; i++) {
                b.putLong(off + 112 + 8 * i, db[i]);
            }
            for (int i = 0; i < NIADDR; i++) {
                b.putLong(off + 208 + 8 * i, ib[i]);
            }
            b.putLong(off + 232, modrev);
            for (int i = 240; i < UFS2_SIZE; i++) {
                b.put(off + i, (byte) 0);
            }
        } else {
            b.putShort(off + 4, (short) ouid).putShort(off + 6, (short) ogid).putLong(off + 8, size);
            b.putInt(off + 16, (int) atime).putInt(off + 20, atimensec);
            b.putInt(off + 24, (int) mtime).putInt(off + 28, mtimensec);
            b.putInt(off + 32, (int) ctime).putInt(off + 36, ctimensec);
            for (int i = 0; i < NDADDR; i++) {
                b.putInt(off + 40 + 4 * i, (int) db[i]);
            }
            for (int i = 0; i < NIADDR; i++) {
                b.putInt(off + 88 + 4 * i, (int) ib[i]);
            }
            b.putInt(off + 100, flags).putInt(off + 104, (int) blocks).putInt(off + 108, gen);
            b.putInt(off + 112, (int) uid).putInt(off + 116, (int) gid).putLong(off + 120, modrev);
        }
    }

    int size() {
        return ufs2 ? UFS2_SIZE : UFS1_SIZE;
    }

    public int ifmt() {
        return mode & IFMT;
    }

    /** The raw device number kept in di_db[0] (di_rdev), as NetBSD's 32-bit dev_t. */
    long rawRdev() {
        return ufs2 ? db[0] : db[0] & 0xffffffffL;
    }

    /**
     * The bytes of the block address area (di_db then di_ib) as they lie on disk: where a fast
     * symlink keeps its target. 60 bytes for UFS1, 120 for UFS2.
     */
    byte[] addressArea() {
        int width = ufs2 ? 8 : 4;
        ByteBuffer b = ByteBuffer.allocate(width * (NDADDR + NIADDR)).order(order);
        for (long a : db) {
            if (ufs2) {
                b.putLong(a);
            } else {
                b.putInt((int) a);
            }
        }
        for (long a : ib) {
            if (ufs2) {
                b.putLong(a);
            } else {
                b.putInt((int) a);
            }
        }
        return b.array();
    }

    /** Stores {@code bytes} (at most the area's size) in the block address area, as a fast symlink does. */
    void setAddressArea(byte[] bytes) {
        int width = ufs2 ? 8 : 4;
        ByteBuffer b = ByteBuffer.allocate(width * (NDADDR + NIADDR)).order(order);
        b.put(0, bytes);
        for (int i = 0; i < NDADDR + NIADDR; i++) {
            long v = ufs2 ? b.getLong(i * 8) : b.getInt(i * 4);
            if (i < NDADDR) {
                db[i] = v;
            } else {
                ib[i - NDADDR] = v;
            }
        }
    }
}
