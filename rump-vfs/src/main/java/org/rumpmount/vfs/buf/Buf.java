package org.rumpmount.vfs.buf;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.rumpmount.block.BlockDevice;

/**
 * A buffer held busy by its caller: one use of a cached block, from {@link BufferCache#bread} or
 * {@link BufferCache#getblk} until exactly one of {@link #brelse}, {@link #bdwrite},
 * {@link #bwrite}, {@link #bawrite} or {@link #invalidate}. While it is held nobody else can have
 * the block; others asking for it sleep until it is released.
 *
 * <p>After release every method but {@link #device}, {@link #offset}, {@link #size} and
 * {@code toString} throws IllegalStateException, so a use-after-release shows up at once. A
 * ByteBuffer obtained from {@link #data} cannot be revoked: dropping it at release is the
 * caller's part.
 */
public final class Buf {
    private final BufferCache cache;
    final CachedBlock block;
    /** Set under the cache's lock by the release; volatile so the checks in data() see it. */
    volatile boolean released;

    Buf(BufferCache cache, CachedBlock block) {
        this.cache = cache;
        this.block = block;
    }

    /**
     * The contents: a new view on each call, position 0 at {@link #offset()}, capacity and
     * limit {@link #size()}, big-endian until the caller sets an order. Changes are the cache's
     * contents, reaching the device only through {@link #bwrite} or {@link #bdwrite}.
     */
    public ByteBuffer data() {
        checkHeld("data");
        return ByteBuffer.wrap(block.data);
    }

    public BlockDevice device() {
        return block.dev;
    }

    /** Byte offset of the buffer's first byte on the device. */
    public long offset() {
        return block.offset;
    }

    /** Length in bytes. */
    public int size() {
        return block.data.length;
    }

    /**
     * Whether the contents are the device's (or newer): always after {@link BufferCache#bread};
     * after {@link BufferCache#getblk} only if the block was cached, else they are zeros.
     */
    public boolean isValid() {
        checkHeld("isValid");
        return cache.isValid(this);
    }

    /**
     * Changes the size, keeping the contents up to the smaller of the two sizes and zero-filling
     * any growth: NetBSD's allocbuf with preserve, for a file system extending a fragment run in
     * place. Views from earlier {@link #data} calls no longer show the buffer. Growth past the cap
     * is taken back when room is next needed.
     */
    public void resize(int newSize) throws IOException {
        checkHeld("resize");
        cache.resize(this, newSize);
    }

    /** Whether a delayed write of this buffer is pending. */
    public boolean isDirty() {
        checkHeld("isDirty");
        return cache.isDirty(this);
    }

    /** Releases the buffer unchanged: it stays cached, and stays dirty if it was. */
    public void brelse() {
        cache.release(this);
    }

    /**
     * Delayed write: marks the buffer dirty and releases it. The device sees it at the next
     * {@link BufferCache#sync}, when it is evicted, or when its offset is asked for with another
     * size. Refused (IllegalStateException, and the buffer discarded) on a read-only device, where
     * the write could never happen.
     */
    public void bdwrite() {
        cache.delayedWrite(this);
    }

    /**
     * Writes the buffer to the device now, then releases it. On a device error the buffer is
     * still released but stays cached and dirty, so the data is not lost: a later sync retries.
     */
    public void bwrite() throws IOException {
        cache.write(this);
    }

    /** Asynchronous write in NetBSD; here the same as {@link #bwrite}. */
    public void bawrite() throws IOException {
        cache.write(this);
    }

    /**
     * Releases the buffer and drops it from the cache, even if dirty: for blocks the file system
     * has freed, whose pending write must never reach the device.
     */
    public void invalidate() {
        cache.discard(this);
    }

    private void checkHeld(String what) {
        if (released) {
            throw new IllegalStateException(what + "() on " + block + " after it was released");
        }
    }

    @Override
    public String toString() {
        return "Buf(" + block + (released ? ", released)" : ")");
    }
}
