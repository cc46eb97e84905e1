package org.rumpmount.fs.ffs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * The driver's only path to the device. Every read of file system metadata or data goes
 * through here, so moving onto the kernel's buffer cache later changes this class alone.
 * Addresses are checked against the file system's size before the device is touched, because
 * every address comes from a possibly hostile image.
 */
final class FfsIo {
    private final BlockDevice dev;
    private final Superblock sb;

    FfsIo(BlockDevice dev, Superblock sb) {
        this.dev = dev;
        this.sb = sb;
    }

    BlockDevice device() {
        return dev;
    }

    /**
     * Reads {@code size} bytes starting at fragment {@code fragAddr}, in the file system's byte
     * order. {@code what} names the structure for error messages ("inode 7 indirect block").
     */
    ByteBuffer readFrags(long fragAddr, int size, String what) throws VfsException {
        long frags = (size + sb.fsize - 1L) / sb.fsize;
        if (fragAddr < 0 || size < 0 || fragAddr > sb.totalFrags() - frags) {
            throw new VfsException(Errno.EIO, dev.name() + ": " + what + " at fragment " + fragAddr + " (" + size
                    + " bytes) lies outside the file system of " + sb.totalFrags() + " fragments");
        }
        return readBytes(dev, fragAddr * sb.fsize, size, what).order(sb.order);
    }

    /** Reads raw bytes at a byte offset (for the superblock, before the geometry is known). */
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
