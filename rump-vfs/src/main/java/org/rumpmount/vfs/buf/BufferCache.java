package org.rumpmount.vfs.buf;

import java.io.IOException;
import org.rumpmount.block.BlockDevice;

/**
 * The buffer cache (NetBSD's bread/getblk/bwrite/bdwrite/brelse). API placeholder: the
 * implementation lands with its tests.
 */
public final class BufferCache {
    private final long capBytes;

    public BufferCache(long capBytes) {
        this.capBytes = capBytes;
    }

    public long capBytes() {
        return capBytes;
    }

    public Buf bread(BlockDevice dev, long offset, int size) throws IOException {
        throw new UnsupportedOperationException("buffer cache not implemented yet");
    }

    public Buf getblk(BlockDevice dev, long offset, int size) throws IOException {
        throw new UnsupportedOperationException("buffer cache not implemented yet");
    }

    public void sync(BlockDevice dev) throws IOException {
        throw new UnsupportedOperationException("buffer cache not implemented yet");
    }

    public void invalidate(BlockDevice dev) throws IOException {
        throw new UnsupportedOperationException("buffer cache not implemented yet");
    }
}
