package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * Where the driver's reads go: the one place that touches the device, so that moving to the
 * kernel's buffer cache changes this class alone. Every read is bounds-checked first, since
 * addresses come from a possibly hostile image, and the failure names what was being read.
 */
final class LfsDisk {
    private final BlockDevice dev;
    private final LfsLayout layout;

    LfsDisk(BlockDevice dev, LfsLayout layout) {
        this.dev = dev;
        this.layout = layout;
    }

    BlockDevice device() {
        return dev;
    }

    long size() {
        return dev.size();
    }

    /**
     * Reads {@code len} bytes at byte {@code offset}, in the file system's byte order. EIO naming
     * {@code what} when the range lies outside the device.
     */
    ByteBuffer read(long offset, int len, String what) throws IOException {
        if (offset < 0 || len < 0 || offset > dev.size() - len) {
            throw new VfsException(Errno.EIO, what + ": " + len + " bytes at byte offset " + offset
                    + " lie outside the device (" + dev.size() + " bytes)");
        }
        ByteBuffer b;
        if (dev.requiresAlignment()) {
            // Read the enclosing aligned range and hand back the part asked for.
            long sector = dev.sectorSize();
            long start = offset - offset % sector;
            long end = (offset + len + sector - 1) / sector * sector;
            ByteBuffer whole = ByteBuffer.allocate(Math.toIntExact(end - start));
            dev.read(start, whole);
            b = whole.position((int) (offset - start)).limit((int) (offset - start) + len).slice();
        } else {
            b = ByteBuffer.allocate(len);
            dev.read(offset, b);
            b.flip();
        }
        return layout == null ? b : b.order(layout.order());
    }
}
