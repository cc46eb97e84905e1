package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * Maps a file's logical blocks to fragment addresses through its direct and indirect block
 * pointers (ulfs_bmap). A result of 0 or less is a hole. Indirect blocks read are kept in a small
 * cache, since sequential reads visit the same ones again and again.
 */
final class BlockMap {
    private static final int CACHE_BLOCKS = 64;

    private final Superblock sb;
    private final LfsDisk disk;
    private final Map<Long, ByteBuffer> cache = new LinkedHashMap<>(CACHE_BLOCKS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ByteBuffer> eldest) {
            return size() > CACHE_BLOCKS;
        }
    };

    BlockMap(Superblock sb, LfsDisk disk) {
        this.sb = sb;
        this.disk = disk;
    }

    /** The fragment address of logical block {@code lbn} of {@code din} (inode {@code ino}). */
    long bmap(long ino, Dinode din, long lbn) throws IOException {
        if (lbn < 0) {
            throw new VfsException(Errno.EINVAL, "inode " + ino + ": negative logical block " + lbn);
        }
        if (lbn < Dinode.NDADDR) {
            return din.db[(int) lbn];
        }
        long n = sb.nindir;
        long rest = lbn - Dinode.NDADDR;
        long span = n;
        for (int level = 0; level < Dinode.NIADDR; level++) {
            if (rest < span) {
                return walk(ino, lbn, din.ib[level], level + 1, rest);
            }
            rest -= span;
            span *= n;
            if (span <= 0) {
                break;
            }
        }
        throw new VfsException(Errno.EFBIG, "inode " + ino + ": logical block " + lbn + " is beyond the block map");
    }

    private long walk(long ino, long lbn, long ptr, int levels, long index) throws IOException {
        long n = sb.nindir;
        long divisor = 1;
        for (int i = 1; i < levels; i++) {
            divisor *= n;
        }
        for (int i = 0; i < levels; i++) {
            if (ptr <= 0) {
                return 0;
            }
            ByteBuffer b = indirect(ino, lbn, ptr);
            int slot = (int) ((index / divisor) % n);
            ptr = sb.layout.daddr(b, slot * sb.layout.daddrSize());
            divisor /= n;
        }
        return ptr;
    }

    private ByteBuffer indirect(long ino, long lbn, long daddr) throws IOException {
        checkAddress(ino, lbn, daddr, sb.bsize, "indirect block");
        synchronized (cache) {
            ByteBuffer b = cache.get(daddr);
            if (b != null) {
                return b;
            }
        }
        ByteBuffer b = disk.read(sb.byteOffset(daddr), sb.bsize,
                "inode " + ino + ": indirect block at fragment " + daddr + " (for logical block " + lbn + ")");
        synchronized (cache) {
            cache.put(daddr, b);
        }
        return b;
    }

    /** Drops the cached indirect blocks: the log has been written, and an address may now hold other contents. */
    void forgetAll() {
        synchronized (cache) {
            cache.clear();
        }
    }

    /**
     * EIO unless {@code len} bytes at fragment {@code daddr} lie inside the file system;
     * {@code lbn} is named in the message when it is not negative.
     */
    void checkAddress(long ino, long lbn, long daddr, long len, String what) throws VfsException {
        long frags = sb.btofsb(len);
        if (daddr <= 0 || daddr > sb.size - frags) {
            throw new VfsException(Errno.EIO, "inode " + ino + ": " + what
                    + (lbn >= 0 ? " of logical block " + lbn : "") + " at fragment " + daddr
                    + " lies outside the file system (" + sb.size + " fragments)");
        }
    }
}
