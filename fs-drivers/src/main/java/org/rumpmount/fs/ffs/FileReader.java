package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import org.rumpmount.vfs.VfsException;

/**
 * Reads a file's bytes through its block map (NetBSD's ffs_read for the read side): whole
 * blocks, the last direct block as a run of fragments, holes as zeros, never past di_size.
 */
final class FileReader {
    private FileReader() {
    }

    /** Reads up to {@code dst.remaining()} bytes at {@code offset}; returns the count (0 at EOF). */
    static int read(FfsIo io, Superblock sb, Inode ip, long offset, ByteBuffer dst) throws VfsException {
        long size = ip.size();
        if (offset >= size || !dst.hasRemaining()) {
            return 0;
        }
        long end = Math.min(size, offset + dst.remaining());
        BlockMap map = new BlockMap(io, sb, ip);
        long pos = offset;
        while (pos < end) {
            long lbn = pos >> sb.bshift;
            int inBlock = (int) (pos & (sb.bsize - 1));
            int blk = sb.blksize(size, lbn);
            int n = (int) Math.min(end - pos, blk - inBlock);
            long addr = map.fragAddr(lbn);
            if (addr == 0) {
                for (int i = 0; i < n; i++) {
                    dst.put((byte) 0);
                }
            } else {
                // Read only the fragments that hold the wanted bytes.
                int firstFrag = inBlock >> sb.fshift;
                int lastFrag = (inBlock + n - 1) >> sb.fshift;
                int from = inBlock - (firstFrag << sb.fshift);
                int limit = dst.limit();
                dst.limit(dst.position() + n);
                try {
                    io.readInto(addr + firstFrag, (lastFrag - firstFrag + 1) << sb.fshift, from, dst,
                            () -> ip + " logical block " + lbn);
                } finally {
                    dst.limit(limit);
                }
            }
            pos += n;
        }
        return (int) (end - offset);
    }
}
