package org.rumpmount.fs.lfs;

import java.nio.ByteBuffer;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VfsException;

/**
 * One on-disk inode as LFS stores it: struct lfs32_dinode (128 bytes, the UFS1 shape) or struct
 * lfs64_dinode (256 bytes, the UFS2 shape). Block addresses are fragment addresses; a value of
 * 0 or less is a hole. {@code blocks} counts fragments (LFS keeps di_blocks in fragment units).
 */
final class Dinode {
    /** Direct block pointers (ULFS_NDADDR). */
    static final int NDADDR = 12;
    /** Indirect block pointers: single, double, triple (ULFS_NIADDR). */
    static final int NIADDR = 3;

    final long inumber;
    final int mode;
    final int nlink;
    final long size;
    final long uid;
    final long gid;
    final long flags;
    /** Fragments held, indirect blocks included. */
    final long blocks;
    final long gen;
    final long atimeSec;
    final int atimeNsec;
    final long mtimeSec;
    final int mtimeNsec;
    final long ctimeSec;
    final int ctimeNsec;
    /** Birth time; 32-bit dinodes have none and report 0. */
    final long birthSec;
    final int birthNsec;
    final long[] db = new long[NDADDR];
    final long[] ib = new long[NIADDR];
    /** The raw first block pointer: the NetBSD dev_t of a device node (low 32 bits). */
    final long rawRdev;
    /** The bytes of the block-pointer area, where a short symlink keeps its target. */
    final byte[] inlineArea;
    /** The whole on-disk dinode, for rewriting it with a few fields changed. */
    final byte[] raw;

    private Dinode(LfsLayout l, ByteBuffer b, int off) {
        raw = bytes(b, off, l.dinodeSize());
        mode = b.getShort(off) & 0xffff;
        nlink = b.getShort(off + 2);
        if (l.is64()) {
            uid = u32(b, off + 4);
            gid = u32(b, off + 8);
            size = b.getLong(off + 16);
            blocks = b.getLong(off + 24);
            atimeSec = b.getLong(off + 32);
            mtimeSec = b.getLong(off + 40);
            ctimeSec = b.getLong(off + 48);
            birthSec = b.getLong(off + 56);
            mtimeNsec = b.getInt(off + 64);
            atimeNsec = b.getInt(off + 68);
            ctimeNsec = b.getInt(off + 72);
            birthNsec = b.getInt(off + 76);
            gen = u32(b, off + 80);
            flags = u32(b, off + 88);
            for (int i = 0; i < NDADDR; i++) {
                db[i] = b.getLong(off + 112 + 8 * i);
            }
            for (int i = 0; i < NIADDR; i++) {
                ib[i] = b.getLong(off + 208 + 8 * i);
            }
            inumber = b.getLong(off + 240);
            rawRdev = b.getLong(off + 112) & 0xffffffffL;
            inlineArea = bytes(b, off + 112, 120);
        } else {
            inumber = u32(b, off + 4);
            size = b.getLong(off + 8);
            atimeSec = b.getInt(off + 16);
            atimeNsec = b.getInt(off + 20);
            mtimeSec = b.getInt(off + 24);
            mtimeNsec = b.getInt(off + 28);
            ctimeSec = b.getInt(off + 32);
            ctimeNsec = b.getInt(off + 36);
            for (int i = 0; i < NDADDR; i++) {
                db[i] = b.getInt(off + 40 + 4 * i);
            }
            for (int i = 0; i < NIADDR; i++) {
                ib[i] = b.getInt(off + 88 + 4 * i);
            }
            flags = u32(b, off + 100);
            blocks = u32(b, off + 104);
            gen = u32(b, off + 108);
            uid = u32(b, off + 112);
            gid = u32(b, off + 116);
            birthSec = 0;
            birthNsec = 0;
            rawRdev = u32(b, off + 40);
            inlineArea = bytes(b, off + 40, 60);
        }
    }

    /** Decodes the dinode at byte {@code off} of {@code b} (already in the file system's order). */
    static Dinode decode(LfsLayout l, ByteBuffer b, int off) {
        return new Dinode(l, b, off);
    }

    /** The inode number field alone, for scanning an inode block. */
    static long inumberAt(LfsLayout l, ByteBuffer b, int off) {
        return l.is64() ? b.getLong(off + 240) : u32(b, off + 4);
    }

    /** A time from disk as a Timespec; EIO naming the inode when the nanoseconds are out of range. */
    static Timespec time(long sec, int nsec, String what, long ino) throws VfsException {
        if (nsec < 0 || nsec > 999_999_999) {
            throw new VfsException(Errno.EIO, "inode " + ino + ": " + what + " nanoseconds " + nsec + " out of range");
        }
        return new Timespec(sec, nsec);
    }

    private static long u32(ByteBuffer b, int off) {
        return b.getInt(off) & 0xffffffffL;
    }

    private static byte[] bytes(ByteBuffer b, int off, int len) {
        byte[] out = new byte[len];
        b.duplicate().position(off).get(out);
        return out;
    }
}
