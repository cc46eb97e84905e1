package org.rumpmount.vfs.buf;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * The buffer cache: NetBSD's bread/getblk/bwrite/bdwrite/brelse ({@code sys/kern/vfs_bio.c}),
 * shared by every mount of one kernel.
 *
 * <p>A buffer is named by its device (by identity, not equals) and the byte offset of its first
 * byte; its size is whatever the first request asked for (fragments, blocks, superblocks). A
 * request for a cached offset with a different size writes the old buffer back if it is dirty and
 * replaces it. Buffers at different offsets must not overlap while cached: the cache does not
 * reconcile aliases, so a file system invalidates what it frees and reads a range with one size
 * at a time.
 *
 * <p>Ownership follows NetBSD's B_BUSY: {@link #bread} and {@link #getblk} return the buffer
 * held exclusively by the caller until it is released through its {@link Buf}; anyone else
 * asking for it sleeps until then. A thread asking again for a buffer it already holds would
 * sleep forever, so that is refused with IllegalStateException. As with any lock, threads that
 * hold several buffers at once must take them in one agreed order (a file system's own rule).
 *
 * <p>Bounds: the bytes of all buffers stay at or under the cap. To make room, the least recently
 * released idle buffer is dropped, after being written if dirty; if that write fails the buffer
 * stays cached and dirty and the request that needed the room fails with the error. When every
 * buffer is busy nothing can be dropped and the cache goes over its cap rather than wait (waiting
 * could deadlock a caller holding buffers); the excess is dropped as buffers are released and
 * room is next needed.
 *
 * <p>The byte arrays of dropped buffers are kept while buffers and kept arrays together stay
 * within the cap, and handed to the next
 * new buffer of the same size (zeroed). Streaming a large file through the cache then allocates
 * nothing: without this every block read or written was a new array that lived just long enough
 * to be copied by the garbage collector, which cost more than the data's own copies.
 *
 * <p>Threads: one lock guards the index, the idle list and the counters, and it is never held
 * during device I/O, so transfers of different buffers run in parallel. A block being read or
 * written is busy, so a second thread wanting it waits instead of transferring it again.
 */
public final class BufferCache {
    private final long capBytes;
    private final ReentrantLock lock = new ReentrantLock();
    /** Attached blocks, per device in offset order (sync writes in that order). */
    private final Map<BlockDevice, TreeMap<Long, CachedBlock>> index = new IdentityHashMap<>();
    private final IdleList idle = new IdleList();
    /** Arrays of dropped buffers by size, for reuse; their bytes count towards the cap. */
    private final Map<Integer, ArrayDeque<byte[]>> spare = new HashMap<>();
    private long spareBytes;

    private long cachedBytes;
    private long dirtyBytes;
    private int buffers;
    private long hits;
    private long misses;
    private long evictions;
    private long reads;
    private long writes;
    private long waits;

    /** A cache holding at most {@code capBytes} bytes of buffers (see the class note on busy ones). */
    public BufferCache(long capBytes) {
        if (capBytes <= 0) {
            throw new IllegalArgumentException("buffer cache cap must be positive, got " + capBytes);
        }
        this.capBytes = capBytes;
    }

    public long capBytes() {
        return capBytes;
    }

    /**
     * The buffer of {@code size} bytes at {@code offset} of {@code dev}, held by the caller, with
     * the device's contents (or newer ones from a delayed write). Reads the device on a miss;
     * a read error leaves nothing cached.
     */
    public Buf bread(BlockDevice dev, long offset, int size) throws IOException {
        CachedBlock b = acquire(dev, offset, size);
        if (!b.valid) {
            fill(b);
        }
        return new Buf(this, b);
    }

    /**
     * The buffer of {@code size} bytes at {@code offset} of {@code dev}, held by the caller,
     * without reading the device: the cached contents if there are any ({@link Buf#isValid}),
     * else zeros. For a block about to be overwritten whole.
     */
    public Buf getblk(BlockDevice dev, long offset, int size) throws IOException {
        return new Buf(this, acquire(dev, offset, size));
    }

    /**
     * Writes every delayed write of {@code dev} in offset order, waiting for buffers others hold,
     * then flushes the device. A buffer whose write fails stays dirty; the others are still
     * written and the first error is thrown (later ones suppressed in it). Refused with
     * IllegalStateException if the calling thread itself holds a dirty buffer of {@code dev}.
     */
    public void sync(BlockDevice dev) throws IOException {
        Objects.requireNonNull(dev, "dev");
        List<Long> offsets = new ArrayList<>();
        lock.lock();
        try {
            TreeMap<Long, CachedBlock> blocks = index.get(dev);
            if (blocks != null) {
                for (CachedBlock b : blocks.values()) {
                    if (b.dirty) {
                        if (b.busy && b.owner == Thread.currentThread()) {
                            throw new IllegalStateException("sync of " + dev.name() + " while this thread holds the dirty " + b);
                        }
                        offsets.add(b.offset);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        IOException failure = null;
        for (long offset : offsets) {
            try {
                writeBackIfDirty(dev, offset);
            } catch (IOException e) {
                failure = addFailure(failure, e);
            }
        }
        try {
            dev.flush();
        } catch (IOException e) {
            failure = addFailure(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** {@link #sync} of every device with delayed writes; every device is tried, the first error thrown. */
    public void syncAll() throws IOException {
        List<BlockDevice> devices;
        lock.lock();
        try {
            devices = new ArrayList<>(index.keySet());
        } finally {
            lock.unlock();
        }
        IOException failure = null;
        for (BlockDevice dev : devices) {
            try {
                sync(dev);
            } catch (IOException e) {
                failure = addFailure(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Drops every buffer of {@code dev}, dirty ones included: their delayed writes are lost.
     * For a device gone bad or being given up. A buffer someone holds now is detached at once (new
     * requests no longer find it) and dropped when its holder releases it; until then the holder
     * may use it, and a {@link Buf#bwrite} by the holder still reaches the device.
     */
    public void invalidate(BlockDevice dev) {
        Objects.requireNonNull(dev, "dev");
        lock.lock();
        try {
            TreeMap<Long, CachedBlock> blocks = index.remove(dev);
            if (blocks == null) {
                return;
            }
            for (CachedBlock b : blocks.values()) {
                b.attached = false;
                if (!b.busy) {
                    idle.remove(b);
                    forget(b);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * For unmount: {@link #sync} then {@link #invalidate}. If the sync fails nothing is dropped
     * and the error is thrown, so no write is lost unnoticed; a forced unmount then calls
     * {@link #invalidate} itself.
     */
    public void purge(BlockDevice dev) throws IOException {
        sync(dev);
        invalidate(dev);
    }

    /**
     * The offset of the first buffer of {@code dev} that overlaps the bytes {@code [from, to)},
     * or -1 if none does: for a file system that moves data past the cache (a run of blocks
     * read or written in one transfer) and must go through the cache for the blocks it holds,
     * whose contents may be newer than the device's or would go stale. The answer holds only as
     * long as the caller's own locks keep others from caching those bytes.
     */
    public long firstCached(BlockDevice dev, long from, long to) {
        Objects.requireNonNull(dev, "dev");
        lock.lock();
        try {
            TreeMap<Long, CachedBlock> blocks = index.get(dev);
            if (blocks == null || from >= to) {
                return -1;
            }
            Map.Entry<Long, CachedBlock> before = blocks.lowerEntry(from);
            if (before != null && before.getKey() + before.getValue().size() > from) {
                return before.getKey();
            }
            Long first = blocks.ceilingKey(from);
            return first != null && first < to ? first : -1;
        } finally {
            lock.unlock();
        }
    }

    /** The counters now. */
    public CacheStats stats() {
        lock.lock();
        try {
            return new CacheStats(hits, misses, evictions, reads, writes, waits, buffers, cachedBytes, dirtyBytes);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "BufferCache(cap " + capBytes + ", " + stats() + ")";
    }

    // ---- acquisition ----

    /** Finds or makes the block, and returns it busy for the calling thread. */
    private CachedBlock acquire(BlockDevice dev, long offset, int size) throws IOException {
        checkRequest(dev, offset, size);
        Thread me = Thread.currentThread();
        lock.lock();
        try {
            for (;;) {
                CachedBlock b = lookup(dev, offset);
                if (b != null) {
                    if (b.busy) {
                        if (b.owner == me) {
                            throw new IllegalStateException("this thread already holds the " + b
                                    + "; asking for it again would wait forever");
                        }
                        awaitRelease(b);
                        continue;
                    }
                    idle.remove(b);
                    take(b);
                    if (b.size() == size) {
                        hits++;
                        return b;
                    }
                    // NetBSD resizes in place (allocbuf); here the old buffer goes and a new one comes.
                    if (b.dirty) {
                        writeBackTaken(b, "before replacing it with a " + size + "-byte buffer");
                    }
                    release(b, true);
                    continue;
                }
                if (cachedBytes + size > capBytes) {
                    CachedBlock victim = idle.oldest();
                    if (victim != null) {
                        idle.remove(victim);
                        take(victim);
                        if (victim.dirty) {
                            writeBackTaken(victim, "to make room for a " + size + "-byte buffer at offset "
                                    + offset + " of " + dev.name());
                        }
                        evictions++;
                        release(victim, true);
                        continue;
                    }
                    // Every buffer is busy: go over the cap (see the class note).
                }
                CachedBlock fresh = new CachedBlock(dev, offset, newData(size), lock.newCondition());
                index.computeIfAbsent(dev, d -> new TreeMap<>()).put(offset, fresh);
                take(fresh);
                buffers++;
                cachedBytes += size;
                misses++;
                return fresh;
            }
        } finally {
            lock.unlock();
        }
    }

    private void checkRequest(BlockDevice dev, long offset, int size) throws VfsException {
        Objects.requireNonNull(dev, "dev");
        if (size > capBytes) {
            throw new VfsException(Errno.EINVAL, dev.name() + ": buffer of " + size + " bytes at offset " + offset
                    + " is larger than the whole buffer cache (" + capBytes + " bytes)");
        }
        if (size <= 0 || offset < 0) {
            throw new VfsException(Errno.EINVAL, dev.name() + ": buffer of " + size + " bytes at offset " + offset
                    + ": size must be positive and offset non-negative");
        }
        if (offset > dev.size() - size) {
            throw new VfsException(Errno.EIO, dev.name() + ": buffer of " + size + " bytes at offset " + offset
                    + " does not lie inside the device (size " + dev.size() + ")");
        }
        if (dev.requiresAlignment() && (offset % dev.sectorSize() != 0 || size % dev.sectorSize() != 0)) {
            throw new VfsException(Errno.EINVAL, dev.name() + ": buffer of " + size + " bytes at offset " + offset
                    + " is not aligned to the sector size " + dev.sectorSize());
        }
    }

    private CachedBlock lookup(BlockDevice dev, long offset) {
        TreeMap<Long, CachedBlock> blocks = index.get(dev);
        return blocks == null ? null : blocks.get(offset);
    }

    private void take(CachedBlock b) {
        b.busy = true;
        b.owner = Thread.currentThread();
    }

    private void awaitRelease(CachedBlock b) throws InterruptedIOException {
        waits++;
        try {
            while (b.busy) {
                b.released.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the busy " + b);
        }
    }

    /** Reads a new block from its device; on failure the block is dropped and the error thrown. */
    private void fill(CachedBlock b) throws IOException {
        boolean ok = false;
        try {
            b.dev.read(b.offset, ByteBuffer.wrap(b.data));
            ok = true;
        } finally {
            lock.lock();
            try {
                if (ok) {
                    b.valid = true;
                    reads++;
                } else {
                    release(b, true);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    // ---- release, called through Buf ----

    boolean isValid(Buf buf) {
        lock.lock();
        try {
            return buf.block.valid;
        } finally {
            lock.unlock();
        }
    }

    boolean isDirty(Buf buf) {
        lock.lock();
        try {
            return buf.block.dirty;
        } finally {
            lock.unlock();
        }
    }

    void resize(Buf buf, int newSize) throws VfsException {
        CachedBlock b = buf.block;
        checkRequest(b.dev, b.offset, newSize);
        lock.lock();
        try {
            if (buf.released) {
                throw releasedError(buf, "resize");
            }
            int delta = newSize - b.size();
            b.data = Arrays.copyOf(b.data, newSize);
            cachedBytes += delta;
            if (b.dirty) {
                dirtyBytes += delta;
            }
        } finally {
            lock.unlock();
        }
    }

    void release(Buf buf) {
        lock.lock();
        try {
            markReleased(buf, "brelse");
            release(buf.block, false);
        } finally {
            lock.unlock();
        }
    }

    void discard(Buf buf) {
        lock.lock();
        try {
            markReleased(buf, "invalidate");
            release(buf.block, true);
        } finally {
            lock.unlock();
        }
    }

    void delayedWrite(Buf buf) {
        lock.lock();
        try {
            markReleased(buf, "bdwrite");
            CachedBlock b = buf.block;
            if (b.dev.isReadOnly()) {
                release(b, true);
                throw new IllegalStateException("bdwrite of the " + b + ": the device is read-only; buffer discarded");
            }
            b.valid = true;
            markDirty(b);
            release(b, false);
        } finally {
            lock.unlock();
        }
    }

    void write(Buf buf) throws IOException {
        CachedBlock b = buf.block;
        lock.lock();
        try {
            if (buf.released) {
                throw releasedError(buf, "bwrite");
            }
            // Dirty first, so that a failed write leaves a pending write rather than nothing.
            b.valid = true;
            markDirty(b);
        } finally {
            lock.unlock();
        }
        boolean ok = false;
        try {
            b.dev.write(b.offset, ByteBuffer.wrap(b.data));
            ok = true;
        } finally {
            lock.lock();
            try {
                if (ok) {
                    writes++;
                    markClean(b);
                }
                // Released on every outcome, even an unchecked throw from the device: a block
                // left busy forever would hang everyone who later asks for it.
                markReleased(buf, "bwrite");
                release(b, false);
            } finally {
                lock.unlock();
            }
        }
    }

    private void markReleased(Buf buf, String how) {
        if (buf.released) {
            throw releasedError(buf, how);
        }
        buf.released = true;
    }

    private static IllegalStateException releasedError(Buf buf, String how) {
        return new IllegalStateException(how + "() on the " + buf.block + " after it was released");
    }

    // ---- internals, lock held ----

    /**
     * Ends a busy period. The block goes back to the idle list, unless {@code drop}, or it was
     * detached by {@link #invalidate(BlockDevice)}, or it holds nothing worth keeping (a getblk
     * buffer released unwritten).
     */
    private void release(CachedBlock b, boolean drop) {
        b.busy = false;
        b.owner = null;
        if (drop || !b.attached || !b.valid) {
            if (b.attached) {
                TreeMap<Long, CachedBlock> blocks = index.get(b.dev);
                blocks.remove(b.offset);
                if (blocks.isEmpty()) {
                    index.remove(b.dev);
                }
                b.attached = false;
            }
            forget(b);
        } else {
            idle.addNewest(b);
        }
        b.released.signalAll();
    }

    /** Takes a detached block out of the accounting; its array is kept for reuse. */
    private void forget(CachedBlock b) {
        markClean(b);
        buffers--;
        cachedBytes -= b.size();
        byte[] data = b.data;
        if (cachedBytes + spareBytes + data.length <= capBytes) {
            spare.computeIfAbsent(data.length, n -> new ArrayDeque<>()).push(data);
            spareBytes += data.length;
        }
    }

    /** A zeroed array of {@code size} bytes: a kept one if there is one, else a new one. */
    private byte[] newData(int size) {
        ArrayDeque<byte[]> q = spare.get(size);
        if (q == null || q.isEmpty()) {
            if (cachedBytes + spareBytes + size > capBytes) {
                // Kept arrays of other sizes make way: buffers and kept arrays stay within the cap.
                dropSpares();
            }
            return new byte[size];
        }
        byte[] data = q.pop();
        spareBytes -= size;
        Arrays.fill(data, (byte) 0);
        return data;
    }

    private void dropSpares() {
        spare.clear();
        spareBytes = 0;
    }

    private void markDirty(CachedBlock b) {
        if (!b.dirty) {
            b.dirty = true;
            dirtyBytes += b.size();
        }
    }

    private void markClean(CachedBlock b) {
        if (b.dirty) {
            b.dirty = false;
            dirtyBytes -= b.size();
        }
    }

    /**
     * Writes a block this thread has taken busy from the idle list, dropping the lock for the
     * transfer. On failure the block goes back to the idle list, still dirty, as the most recently
     * used (so the next room-making tries others first), and the error names why it was written.
     */
    private void writeBackTaken(CachedBlock b, String why) throws IOException {
        boolean ok = false;
        lock.unlock();
        try {
            b.dev.write(b.offset, ByteBuffer.wrap(b.data));
            ok = true;
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, "writing back the dirty " + b + " " + why
                    + " failed; it stays cached and dirty: " + e.getMessage(), e);
        } finally {
            lock.lock();
            if (ok) {
                writes++;
                markClean(b);
            } else {
                release(b, false);
            }
        }
    }

    /** The sync step for one offset: waits for the block if held, then writes it if still dirty. */
    private void writeBackIfDirty(BlockDevice dev, long offset) throws IOException {
        lock.lock();
        try {
            for (;;) {
                CachedBlock b = lookup(dev, offset);
                if (b == null || !b.dirty) {
                    return;
                }
                if (b.busy) {
                    if (b.owner == Thread.currentThread()) {
                        throw new IllegalStateException("sync of " + dev.name() + " while this thread holds the dirty " + b);
                    }
                    awaitRelease(b);
                    continue;
                }
                idle.remove(b);
                take(b);
                writeBackTaken(b, "for sync");
                release(b, false);
                return;
            }
        } finally {
            lock.unlock();
        }
    }

    private static IOException addFailure(IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
