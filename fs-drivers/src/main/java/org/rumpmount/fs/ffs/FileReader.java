package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import org.rumpmount.vfs.VfsException;

/**
 * Reads a file's bytes through its block map (NetBSD's ffs_read for the read side): whole
 * blocks, the last direct block as a run of fragments, holes as zeros, never past di_size.
 *
 * <p>Data goes straight from the device into the caller's buffer, one transfer per run of
 * blocks that follow each other on disk (what NetBSD's read clustering achieves). On a mount
 * that writes, the blocks of a run that the buffer cache holds are copied from there instead,
 * since a delayed write makes them newer than the device.
 */
final class FileReader {
    private static final byte[] ZEROS = new byte[1 << 16];

    private FileReader() {
    }

    /** Reads up to {@code dst.remaining()} bytes at {@code offset}; returns the count (0 at EOF). */
    static int read(FfsIo io, Superblock sb, Inode ip, long offset, ByteBuffer dst, boolean uncached) throws VfsException {
        long size = ip.size();
        if (offset >= size || !dst.hasRemaining()) {
            return 0;
        }
        long end = Math.min(size, offset + dst.remaining());
        BlockMap map = new BlockMap(io, sb, ip, ((end - 1) >> sb.bshift) - (offset >> sb.bshift) + 1);
        long pos = offset;
        while (pos < end) {
            long lbn = pos >> sb.bshift;
            int inBlock = (int) (pos & (sb.bsize - 1));
            int blk = sb.blksize(size, lbn);
            int n = (int) Math.min(end - pos, blk - inBlock);
            long addr = map.fragAddr(lbn);
            if (addr == 0) {
                for (int left = n; left > 0; left -= Math.min(left, ZEROS.length)) {
                    dst.put(ZEROS, 0, Math.min(left, ZEROS.length));
                }
            } else {
                long runEnd = pos + n;
                long next = lbn + 1;
                // Extend over following blocks stored right after this one; only whole blocks
                // are followed, so a run ends at the file's fragment tail at the latest.
                while (runEnd < end && (runEnd & (sb.bsize - 1)) == 0 && runEnd - pos < Integer.MAX_VALUE - sb.bsize
                        && map.fragAddr(next) == addr + (next - lbn) * sb.frag) {
                    runEnd += Math.min(end - runEnd, sb.blksize(size, next));
                    next++;
                }
                if (uncached) {
                    io.readUncached(addr, inBlock, (int) (runEnd - pos), dst, () -> ip + " logical block " + lbn);
                } else {
                    io.readRun(addr, inBlock, (int) (runEnd - pos), dst, () -> ip + " logical block " + lbn);
                }
                pos = runEnd;
                continue;
            }
            pos += n;
        }
        return (int) (end - offset);
    }
}
