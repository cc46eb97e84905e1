package org.rumpmount.fs.ffs.fsck;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.block.ForwardingBlockDevice;

/**
 * A device for {@code fsck -n}: reads pass through, and a write is refused before it reaches the
 * device below, so a check-only run cannot change the image even if the device below would allow
 * it. An attempted write is counted, so the caller can tell that fsck tried.
 */
final class NoWriteDevice extends ForwardingBlockDevice {
    private int attempts;

    NoWriteDevice(BlockDevice dev) {
        super(dev);
    }

    int writeAttempts() {
        return attempts;
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        attempts++;
        throw new IOException(inner.name() + ": fsck -n must not write (" + src.remaining() + " bytes at byte offset "
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
