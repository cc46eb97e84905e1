package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * Logical block to fragment address for one inode (NetBSD's ufs_bmap): twelve direct
 * pointers, then single, double and triple indirect blocks of fs_nindir pointers each (32-bit
 * for UFS1, 64-bit for UFS2). Address 0 is a hole. Every pointer is checked to lie inside the
 * file system before it is followed; the depth is fixed, so a corrupt indirect block pointing at
 * itself cannot loop.
 *
 * <p>One instance serves one operation on one thread: it keeps the last indirect block of each
 * level, so a sequential read costs one indirect read per fs_nindir blocks.
 */
final class BlockMap {
    private final FfsIo io;
    private final Superblock sb;
    private final Inode ip;
    private final long[] cachedAddr = {-1, -1, -1};
    private final ByteBuffer[] cached = new ByteBuffer[3];

    BlockMap(FfsIo io, Superblock sb, Inode ip) {
        this.io = io;
        this.sb = sb;
        this.ip = ip;
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

    private long walk(int level, long index, long span, long lbn) throws VfsException {
        long addr = ip.din.ib[level];
        if (outside(addr)) {
            throw outside(addr, lbn, "indirect pointer " + level);
        }
        long per = span;
        for (int depth = level; depth >= 0; depth--) {
            if (addr == 0) {
                return 0;
            }
            per /= sb.nindir;
            int slot = (int) ((index / per) % sb.nindir);
            ByteBuffer b = indirect(depth, addr, lbn);
            long next = sb.ufs2 ? b.getLong(slot * 8) : b.getInt(slot * 4);
            if (outside(next)) {
                throw outside(next, lbn, "level-" + (depth + 1) + " indirect block at fragment " + addr + " slot " + slot);
            }
            addr = next;
        }
        return addr;
    }

    private ByteBuffer indirect(int depth, long addr, long lbn) throws VfsException {
        if (cachedAddr[depth] != addr) {
            cached[depth] = io.readFrags(addr, sb.bsize, ip + " indirect block for logical block " + lbn);
            cachedAddr[depth] = addr;
        }
        return cached[depth];
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
