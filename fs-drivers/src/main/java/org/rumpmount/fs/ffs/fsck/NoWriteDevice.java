package org.rumpmount.fs.ffs.fsck;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.rumpmount.block.BlockDevice;

/**
 * A device for {@code fsck -n}: reads pass through, and a write is refused before it reaches the
 * device below, so a check-only run cannot change the image even if the device below would allow
 * it. An attempted write is counted, so the caller can tell that fsck tried.
 */
final class NoWriteDevice implements BlockDevice {
    private final BlockDevice dev;
    private int attempts;

    NoWriteDevice(BlockDevice dev) {
        this.dev = dev;
    }

    int writeAttempts() {
        return attempts;
    }

    @Override
    public long size() {
        return dev.size();
    }

    @Override
    public int sectorSize() {
        return dev.sectorSize();
    }

    @Override
    public boolean requiresAlignment() {
        return dev.requiresAlignment();
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public String name() {
        return dev.name();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        dev.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        attempts++;
        throw new IOException(dev.name() + ": fsck -n must not write (" + src.remaining() + " bytes at byte offset "
                + offset + ")");
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        // The caller owns the device below.
    }
}
