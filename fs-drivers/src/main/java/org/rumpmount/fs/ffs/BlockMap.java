package org.rumpmount.fs.ffs;

import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * Logical block to fragment address for one inode (NetBSD's ufs_bmap): twelve direct
 * pointers, then single, double and triple indirect blocks of fs_nindir pointers each (32-bit
 * for UFS1, 64-bit for UFS2). Address 0 is a hole. Every pointer is checked to lie inside the
 * file system before it is followed or returned; the depth is fixed, so a corrupt indirect
 * block pointing at itself cannot loop.
 *
 * <p>One instance serves one operation on one thread. It keeps a window of consecutive pointers
 * copied from the last leaf indirect block it read, sized for the operation, so that a read of
 * a run of blocks looks each indirect block up once, and copies a few pointers rather than the
 * whole block: a 128 KiB read through FUSE would otherwise copy (and allocate) a whole indirect
 * block per level for every request. The window is a snapshot: a caller that allocates blocks
 * asks only about blocks it has not allocated yet, as with any copy of the map.
 */
final class BlockMap {
    /** Pointers per window when the caller gives no size: a few blocks of a small operation. */
    static final int DEFAULT_WINDOW = 16;
    /** The largest window: 4 KiB of pointers, however long the operation. */
    static final int MAX_WINDOW = 512;

    private final FfsIo io;
    private final Superblock sb;
    private final Inode ip;
    private final long[] window;
    /** The logical block of window[0]; -1 while the window is empty. */
    private long windowLbn = -1;
    private int windowCount;
    /** Where the window was copied from, for messages about a bad pointer in it. */
    private long windowBlock;
    private int windowSlot;

    BlockMap(FfsIo io, Superblock sb, Inode ip) {
        this(io, sb, ip, DEFAULT_WINDOW);
    }

    /** A map for an operation on about {@code blocks} consecutive logical blocks. */
    BlockMap(FfsIo io, Superblock sb, Inode ip, long blocks) {
        this.io = io;
        this.sb = sb;
        this.ip = ip;
        this.window = new long[(int) Math.max(1, Math.min(Math.min(blocks, MAX_WINDOW), sb.nindir))];
    }

    /** The fragment address of logical block {@code lbn}, or 0 for a hole. */
    long fragAddr(long lbn) throws VfsException {
        if (lbn < 0) {
            throw new VfsException(Errno.EINVAL, ip + ": negative logical block " + lbn);
        }
        if (lbn < Dinode.NDADDR) {
            long addr = ip.din.db[(int) lbn];
            if (outside(addr)) {
                throw outside(addr, lbn, "direct pointer " + lbn);
            }
            return addr;
        }
        long at = lbn - windowLbn;
        if (windowLbn >= 0 && at >= 0 && at < windowCount) {
            long addr = window[(int) at];
            if (outside(addr)) {
                throw outside(addr, lbn, "level-1 indirect block at fragment " + windowBlock + " slot "
                        + (windowSlot + at));
            }
            return addr;
        }
        long rest = lbn - Dinode.NDADDR;
        long span = 1;
        for (int level = 0; level < Dinode.NIADDR; level++) {
            span *= sb.nindir;
            if (rest < span) {
                return walk(level, rest, span, lbn);
            }
            rest -= span;
        }
        throw new VfsException(Errno.EFBIG, ip + ": logical block " + lbn + " is beyond the triple indirect block");
    }

    /**
     * Follows the upper levels one pointer at a time, then fills the window from the leaf
     * indirect block, starting at {@code lbn}'s slot; a hole at any level is not remembered.
     */
    private long walk(int level, long index, long span, long lbn) throws VfsException {
        windowLbn = -1; // the upper levels are read through window[0]
        long addr = ip.din.ib[level];
        if (outside(addr)) {
            throw outside(addr, lbn, "indirect pointer " + level);
        }
        long per = span;
        for (int depth = level; depth > 0; depth--) {
            if (addr == 0) {
                return 0;
            }
            per /= sb.nindir;
            int slot = (int) ((index / per) % sb.nindir);
            long next = io.readPointers(addr, slot, window, 1, () -> ip + " indirect block for logical block " + lbn);
            if (outside(next)) {
                throw outside(next, lbn, "level-" + (depth + 1) + " indirect block at fragment " + addr + " slot " + slot);
            }
            addr = next;
        }
        if (addr == 0) {
            return 0;
        }
        int slot = (int) (index % sb.nindir);
        int count = Math.min(window.length, sb.nindir - slot);
        long leaf = addr;
        io.readPointers(leaf, slot, window, count, () -> ip + " indirect block for logical block " + lbn);
        windowLbn = lbn;
        windowCount = count;
        windowBlock = leaf;
        windowSlot = slot;
        return fragAddr(lbn);
    }

    // The message is built only for a bad pointer: this test runs for every block of every read.
    private boolean outside(long addr) {
        return addr < 0 || addr >= sb.totalFrags();
    }

    private VfsException outside(long addr, long lbn, String what) {
        return new VfsException(Errno.EIO, ip + ": " + what + " for logical block " + lbn + " holds fragment "
                + addr + ", outside the file system of " + sb.totalFrags() + " fragments");
    }
}
