package org.rumpmount.block;

import static org.rumpmount.block.BlockDeviceException.Kind.CLOSED;
import static org.rumpmount.block.BlockDeviceException.Kind.MISALIGNED;
import static org.rumpmount.block.BlockDeviceException.Kind.OUT_OF_BOUNDS;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A window {@code [offset, offset + length)} of another device, seen as a device of its own: a
 * partition of a disk image, or one file system inside a larger image (as rump's block driver
 * maps a host file window).
 *
 * <p>Every transfer is checked against the window, so a file system inside it cannot reach its
 * neighbours' bytes, and again by the parent against the whole disk. The window inherits the
 * parent's sector size and alignment demand, and is read-only when the parent is or when asked.
 *
 * <p>Closing a window does not close the parent: several windows (the partitions of one disk)
 * share it, and whoever opened the parent closes it once all its windows are done.
 */
public final class WindowBlockDevice implements BlockDevice {
    private final BlockDevice parent;
    private final long offset;
    private final long length;
    private final boolean readOnly;
    private volatile boolean closed;

    private WindowBlockDevice(BlockDevice parent, long offset, long length, boolean readOnly) {
        this.parent = parent;
        this.offset = offset;
        this.length = length;
        this.readOnly = readOnly;
    }

    /** A window of {@code parent}, writable if the parent is. */
    public static WindowBlockDevice of(BlockDevice parent, long offset, long length) throws BlockDeviceException {
        return of(parent, offset, length, false);
    }

    /**
     * A window of {@code length} bytes at {@code offset} of {@code parent}; read-only if
     * {@code readOnly} or if the parent is. Fails with {@code OUT_OF_BOUNDS} when the window does
     * not lie inside the parent (window bounds often come from an image's own partition table, so
     * they are untrusted), and with {@code MISALIGNED} when the parent demands alignment and the
     * window's edges are not on sector boundaries.
     */
    public static WindowBlockDevice of(BlockDevice parent, long offset, long length, boolean readOnly)
            throws BlockDeviceException {
        long parentSize = parent.size();
        if (offset < 0 || length < 0 || offset > parentSize || length > parentSize - offset) {
            throw new BlockDeviceException(OUT_OF_BOUNDS, parent.name() + ": window of " + length
                    + " bytes at offset " + offset + " does not fit in the device (size " + parentSize + ")");
        }
        int sector = parent.sectorSize();
        if (parent.requiresAlignment() && (offset % sector != 0 || length % sector != 0)) {
            throw new BlockDeviceException(MISALIGNED, parent.name() + ": window of " + length
                    + " bytes at offset " + offset + " is not aligned to the sector size " + sector);
        }
        return new WindowBlockDevice(parent, offset, length, readOnly);
    }

    /** Where the window starts in the parent. */
    public long offset() {
        return offset;
    }

    @Override
    public long size() {
        return length;
    }

    @Override
    public int sectorSize() {
        return parent.sectorSize();
    }

    @Override
    public boolean requiresAlignment() {
        return parent.requiresAlignment();
    }

    @Override
    public boolean isReadOnly() {
        return readOnly || parent.isReadOnly();
    }

    @Override
    public String name() {
        return parent.name() + "[offset=" + offset + ",length=" + length + "]";
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        ensureOpen();
        DeviceChecks.checkRead(this, offset, dst.remaining());
        parent.read(this.offset + offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        ensureOpen();
        DeviceChecks.checkWrite(this, offset, src.remaining());
        parent.write(this.offset + offset, src);
    }

    /** Flushes the parent (the host cannot flush a range alone); a no-op when the window is read-only. */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        if (!isReadOnly()) {
            parent.flush();
        }
    }

    /** Closes this window only; the parent stays open for its other users. */
    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() throws BlockDeviceException {
        if (closed) {
            throw new BlockDeviceException(CLOSED, name() + " is closed");
        }
    }
}
