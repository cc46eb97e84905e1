package org.rumpmount.fs.lfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The shape of one LFS: 32-bit (struct dlfs) or 64-bit (struct dlfs64) layout, and byte order.
 * Like NetBSD's lfs_accessors.h, every codec asks this object for sizes and reads fields through
 * it, so the rest of the driver never cares which variant it is looking at.
 */
final class LfsLayout {
    /** struct dlfs magic, 32-bit LFS. */
    static final int LFS_MAGIC = 0x070162;
    /** struct dlfs64 magic: 0x19620701 with every bit flipped. */
    static final int LFS64_MAGIC = 0x19620701 ^ 0xffffffff;

    static final LfsLayout LE32 = new LfsLayout(false, ByteOrder.LITTLE_ENDIAN);
    static final LfsLayout BE32 = new LfsLayout(false, ByteOrder.BIG_ENDIAN);
    static final LfsLayout LE64 = new LfsLayout(true, ByteOrder.LITTLE_ENDIAN);
    static final LfsLayout BE64 = new LfsLayout(true, ByteOrder.BIG_ENDIAN);

    private final boolean is64;
    private final ByteOrder order;

    private LfsLayout(boolean is64, ByteOrder order) {
        this.is64 = is64;
        this.order = order;
    }

    /** The layout whose magic the first four bytes of {@code sb} carry, or null. */
    static LfsLayout ofMagic(ByteBuffer sb) {
        for (LfsLayout l : new LfsLayout[] {LE32, BE32, LE64, BE64}) {
            int m = sb.duplicate().order(l.order).getInt(0);
            if (m == (l.is64 ? LFS64_MAGIC : LFS_MAGIC)) {
                return l;
            }
        }
        return null;
    }

    boolean is64() {
        return is64;
    }

    ByteOrder order() {
        return order;
    }

    int magic() {
        return is64 ? LFS64_MAGIC : LFS_MAGIC;
    }

    /** A view of {@code b} in this file system's byte order. */
    ByteBuffer view(ByteBuffer b) {
        return b.duplicate().order(order);
    }

    /** Bytes of one on-disk inode (lfs32_dinode / lfs64_dinode). */
    int dinodeSize() {
        return is64 ? 256 : 128;
    }

    /** Bytes of one block pointer (indirect blocks, inode block lists). */
    int daddrSize() {
        return is64 ? 8 : 4;
    }

    /** Bytes of one IFILE entry (ifile32 / ifile64). */
    int ifileEntrySize() {
        return is64 ? 32 : 20;
    }

    /** Bytes of CLEANERINFO. */
    int cleanerInfoSize() {
        return is64 ? 48 : 28;
    }

    /** Bytes of a SEGUSE entry (version 2; the same in both widths). */
    int segUseSize() {
        return 24;
    }

    /** Bytes of the SEGSUM header. */
    int segSumSize() {
        return is64 ? 56 : 48;
    }

    /** Bytes of a FINFO header (without its block list). */
    int finfoSize() {
        return is64 ? 24 : 16;
    }

    /** Bytes of one logical block number in a FINFO list. */
    int finfoBlockSize() {
        return is64 ? 8 : 4;
    }

    /** Bytes of one IINFO (an inode block address in a summary). */
    int iinfoSize() {
        return is64 ? 8 : 4;
    }

    /** Bytes of a directory entry header (lfs_dirheader32 / lfs_dirheader64). */
    int dirHeaderSize() {
        return is64 ? 12 : 8;
    }

    /** Bytes of the block-pointer area of a dinode, where a fast symlink keeps its target. */
    int inlineSymlinkCapacity() {
        return is64 ? 120 : 60;
    }

    /** Reads a disk address (a signed int32 or int64) at {@code off}. */
    long daddr(ByteBuffer b, int off) {
        return is64 ? b.getLong(off) : b.getInt(off);
    }

    /**
     * NetBSD's LFS checksum (lfs_cksum.c): the XOR of the 16-bit words of {@code len} bytes at
     * {@code off}, read in the file system's byte order. An odd trailing byte is ignored.
     */
    static int cksum(ByteBuffer b, int off, int len) {
        int sum = 0;
        int end = off + (len & ~1);
        for (int i = off; i < end; i += 2) {
            sum ^= b.getShort(i) & 0xffff;
        }
        return sum;
    }

    @Override
    public String toString() {
        return (is64 ? "64-bit" : "32-bit") + ", " + (order == ByteOrder.LITTLE_ENDIAN ? "little-endian" : "big-endian");
    }
}
