package org.rumpmount.fs.ffs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.buf.Buf;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * The driver's only path to the device: every read of metadata or data after the superblock
 * goes through the kernel's buffer cache here.
 *
 * <p>The cache does not reconcile buffers that overlap, so this class caches in one shape only:
 * whole file system blocks at block-aligned fragment addresses (the last block of the volume may
 * be short). A request for any fragment run is served from the one or more blocks covering it.
 * One buffer is held at a time and released before the next is taken, so no lock order among
 * buffers arises. Addresses are checked against the file system's size before the cache is
 * asked, because every address comes from a possibly hostile image.
 */
final class FfsIo {
    private final BlockDevice dev;
    private final Superblock sb;
    private final BufferCache cache;

    FfsIo(BlockDevice dev, Superblock sb, BufferCache cache) {
        this.dev = dev;
        this.sb = sb;
        this.cache = cache;
    }

    BlockDevice device() {
        return dev;
    }

    /**
     * Reads {@code size} bytes starting at fragment {@code fragAddr}, in the file system's byte
     * order, into a buffer of the caller's own. {@code what} names the structure for error
     * messages ("inode 7 indirect block").
     */
    ByteBuffer readFrags(long fragAddr, int size, String what) throws VfsException {
        long frags = (size + sb.fsize - 1L) / sb.fsize;
        if (fragAddr < 0 || size < 0 || fragAddr > sb.totalFrags() - frags) {
            throw new VfsException(Errno.EIO, dev.name() + ": " + what + " at fragment " + fragAddr + " (" + size
                    + " bytes) lies outside the file system of " + sb.totalFrags() + " fragments");
        }
        byte[] out = new byte[size];
        long pos = fragAddr * sb.fsize;
        int done = 0;
        while (done < size) {
            long blockFrag = (pos / sb.fsize) & ~((long) sb.frag - 1);
            long blockStart = blockFrag * sb.fsize;
            int blockBytes = (int) Math.min(sb.bsize, (sb.totalFrags() - blockFrag) * sb.fsize);
            int from = (int) (pos - blockStart);
            int n = Math.min(size - done, blockBytes - from);
            Buf bp;
            try {
                bp = cache.bread(dev, blockStart, blockBytes);
            } catch (VfsException e) {
                throw new VfsException(e.errno(), "reading " + what + " at fragment " + fragAddr + ": "
                        + e.getMessage(), e);
            } catch (IOException e) {
                throw new VfsException(Errno.EIO, dev.name() + ": reading " + what + " at fragment " + fragAddr
                        + " (block at byte offset " + blockStart + ") failed: " + e.getMessage(), e);
            }
            try {
                bp.data().get(from, out, done, n);
            } finally {
                bp.brelse();
            }
            done += n;
            pos += n;
        }
        return ByteBuffer.wrap(out).order(sb.order);
    }

    /**
     * Reads raw bytes at a byte offset straight from the device: for the superblock, before the
     * geometry is known and outside any mount. Read-only mounts never write, so these uncached
     * reads cannot disagree with the cache.
     */
    static ByteBuffer readBytes(BlockDevice dev, long offset, int size, String what) throws VfsException {
        if (offset < 0 || size < 0 || offset > dev.size() - size) {
            throw new VfsException(Errno.EIO, dev.name() + ": " + what + " at byte offset " + offset + " (" + size
                    + " bytes) lies beyond the end of the device (" + dev.size() + " bytes)");
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        try {
            dev.read(offset, b);
        } catch (VfsException e) {
            throw e;
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, dev.name() + ": reading " + what + " at byte offset " + offset + " ("
                    + size + " bytes) failed: " + e.getMessage(), e);
        }
        b.flip();
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }
}
