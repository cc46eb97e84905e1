package org.rumpmount.vfs.buf;

import java.util.concurrent.locks.Condition;
import org.rumpmount.block.BlockDevice;

/**
 * One block held by the cache: NetBSD's struct buf without the I/O plumbing. Every field but
 * the contents is guarded by the cache's lock; the contents belong to whoever holds the block
 * busy, and nobody else touches them.
 */
final class CachedBlock {
    final BlockDevice dev;
    final long offset;
    /** Replaced only by {@link BufferCache#resize}, by the holder; volatile for size() from anywhere. */
    volatile byte[] data;
    /** Signalled whenever the block stops being busy; waiters then look it up again. */
    final Condition released;

    /** Owned by one thread (NetBSD's B_BUSY): handed out, or being written back by the cache. */
    boolean busy;
    /** The thread that made it busy, to refuse a second acquisition that would wait forever. */
    Thread owner;
    /** The contents are those of the device, or newer (NetBSD's B_DONE or B_DELWRI). */
    boolean valid;
    /** A delayed write not yet on the device (NetBSD's B_DELWRI). */
    boolean dirty;
    /** Findable by (device, offset). A block invalidated while busy is detached but still held. */
    boolean attached = true;

    /** Links in the cache's list of idle blocks; null when busy. */
    CachedBlock older;
    CachedBlock newer;
    boolean idle;

    /** A block over {@code data}, zeroed or about to be filled, which the block owns from now on. */
    CachedBlock(BlockDevice dev, long offset, byte[] data, Condition released) {
        this.dev = dev;
        this.offset = offset;
        this.data = data;
        this.released = released;
    }

    int size() {
        return data.length;
    }

    @Override
    public String toString() {
        return data.length + "-byte buffer at offset " + offset + " of " + dev.name();
    }
}
