package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.function.Supplier;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.buf.Buf;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * Where the driver's reads go: the one place that touches the device. Every read is
 * bounds-checked first, since addresses come from a possibly hostile image, and a failure names
 * what was being read.
 *
 * <p>With the kernel's buffer cache, reads are served from cached buffers of one shape only
 * (the cache does not reconcile overlapping buffers): {@code grid}-byte pieces at multiples of
 * {@code grid}, the last piece of the device possibly shorter. LFS writes blocks at any
 * fragment address, so one block may come from two pieces. One buffer is held at a time.
 * Without a cache (the superblocks, read before the block size is known, and tools working on
 * a bare device) reads go straight to the device.
 *
 * <p>LFS never delays a write: everything reaches the device as it is written, through the
 * cache, so the device holds the newest contents of every piece the cache does not hold. File
 * data is therefore read straight from the device, a run of blocks in one transfer, except for
 * the pieces the cache holds (whose copies are then used, as a device that lost writes at a
 * power cut would otherwise show the software what it never learnt of). Which pieces may be
 * cached is noted here as they are read or written ({@link #maybeCached}).
 */
final class LfsDisk {
    private final BlockDevice dev;
    private final LfsLayout layout;
    private final BufferCache cache;
    private final int grid;
    /**
     * The pieces (by offset / grid) read through the cache: a superset of those it holds, since
     * the cache may have dropped some since. Null without a cache, or when piece numbers would
     * not fit an int (then writes go piece by piece through the cache).
     */
    private final BitSet maybeCached;

    /** Reads straight from the device. */
    LfsDisk(BlockDevice dev, LfsLayout layout) {
        this(dev, layout, null, 0);
    }

    /** Reads through {@code cache} in {@code grid}-byte pieces, or straight when {@code cache} is null. */
    LfsDisk(BlockDevice dev, LfsLayout layout, BufferCache cache, int grid) {
        this.dev = dev;
        this.layout = layout;
        this.cache = cache;
        this.grid = grid;
        this.maybeCached = cache != null && dev.size() / grid < Integer.MAX_VALUE ? new BitSet() : null;
    }

    BlockDevice device() {
        return dev;
    }

    long size() {
        return dev.size();
    }

    /**
     * Reads {@code len} bytes at byte {@code offset}, in the file system's byte order, into a
     * buffer of the caller's own. EIO naming {@code what} when the range lies outside the device.
     */
    ByteBuffer read(long offset, int len, String what) throws IOException {
        checkInside(offset, len, what);
        ByteBuffer b = cache == null ? direct(offset, len) : cached(offset, len, what);
        return layout == null ? b : b.order(layout.order());
    }

    /**
     * Writes {@code data} at byte {@code offset}, through the cache when there is one so that
     * later reads see it. EIO naming {@code what} when the range lies outside the device.
     */
    void write(long offset, byte[] data, String what) throws IOException {
        write(offset, data, data.length, what);
    }

    /** As {@link #write(long, byte[], String)}, of the first {@code len} bytes of {@code data}. */
    void write(long offset, byte[] data, int len, String what) throws IOException {
        write(offset, data, 0, len, what);
    }

    /** As {@link #write(long, byte[], String)}, of the {@code len} bytes of {@code data} from index {@code at}. */
    void write(long offset, byte[] data, int at, int len, String what) throws IOException {
        if (at < 0 || len < 0 || len > data.length - at) {
            throw new IllegalArgumentException("writing " + len + " bytes from index " + at + " of a " + data.length
                    + "-byte array");
        }
        checkInside(offset, len, what);
        try {
            if (cache == null) {
                dev.write(offset, ByteBuffer.wrap(data, at, len));
                return;
            }
            pieces(offset, len, (start, pieceLen, from, done, n) -> {
                Buf bp = n == pieceLen ? cache.getblk(dev, start, pieceLen) : cache.bread(dev, start, pieceLen);
                bp.data().put(from, data, at + done, n);
                bp.bwrite();
            });
        } catch (VfsException e) {
            throw new VfsException(e.errno(), what + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, what + ": writing " + len + " bytes at byte offset " + offset
                    + " of " + dev.name() + " failed: " + e.getMessage(), e);
        }
    }

    /** EIO naming {@code what} unless {@code len} bytes at byte {@code offset} lie on the device. */
    private void checkInside(long offset, int len, String what) throws VfsException {
        if (offset < 0 || len < 0 || offset > dev.size() - len) {
            throw new VfsException(Errno.EIO, what + ": " + len + " bytes at byte offset " + offset
                    + " lie outside the device (" + dev.size() + " bytes)");
        }
    }

    /**
     * One piece of a range, within one cache block: the block at byte {@code start},
     * {@code pieceLen} bytes long, whose bytes from index {@code from} are the range's {@code n}
     * bytes from index {@code done}.
     */
    @FunctionalInterface
    private interface Piece {
        void at(long start, int pieceLen, int from, int done, int n) throws IOException;
    }

    /** Hands {@code len} bytes at byte {@code offset} to {@code piece} block by block, in order. */
    private void pieces(long offset, int len, Piece piece) throws IOException {
        int done = 0;
        while (done < len) {
            long pos = offset + done;
            long start = pos - pos % grid;
            int pieceLen = (int) Math.min(grid, dev.size() - start);
            int from = (int) (pos - start);
            int n = Math.min(len - done, pieceLen - from);
            noteCached(start);
            piece.at(start, pieceLen, from, done, n);
            done += n;
        }
    }

    private void noteCached(long start) {
        if (maybeCached != null) {
            synchronized (maybeCached) {
                maybeCached.set((int) (start / grid));
            }
        }
    }

    private boolean isMaybeCached(long start) {
        if (maybeCached == null) {
            return true;
        }
        synchronized (maybeCached) {
            return maybeCached.get((int) (start / grid));
        }
    }

    /**
     * Reads {@code len} bytes at byte {@code offset} of file data into {@code dst}, advancing it:
     * straight from the device in one transfer when it can (see the class note), else through
     * the cache without an intermediate copy. {@code what} is asked only when there is an error.
     */
    void readData(long offset, int len, ByteBuffer dst, Supplier<String> what) throws IOException {
        if (len > dst.remaining()) {
            throw new IllegalArgumentException(len + " bytes asked for into a buffer with room for " + dst.remaining());
        }
        if (offset < 0 || len < 0 || offset > dev.size() - len) {
            throw new VfsException(Errno.EIO, what.get() + ": " + len + " bytes at byte offset " + offset
                    + " lie outside the device (" + dev.size() + " bytes)");
        }
        if (cache == null || maybeCached == null || dev.requiresAlignment()) {
            dst.put(read(offset, len, what.get()));
            return;
        }
        long end = offset + len;
        long pos = offset;
        long direct = offset;
        while (pos < end) {
            long start = pos - pos % grid;
            int pieceLen = (int) Math.min(grid, dev.size() - start);
            long pieceEnd = Math.min(start + pieceLen, end);
            if (isMaybeCached(start)) {
                Buf bp = piece(start, pieceLen, what);
                if (bp.isValid()) {
                    readDirect(direct, (int) (pos - direct), dst, what);
                    try {
                        dst.put(bp.data().limit((int) (pieceEnd - start)).position((int) (pos - start)));
                    } finally {
                        bp.brelse();
                    }
                    direct = pieceEnd;
                } else {
                    // Dropped by the cache since: the device has the newest contents.
                    bp.invalidate();
                    synchronized (maybeCached) {
                        maybeCached.clear((int) (start / grid));
                    }
                }
            }
            pos = pieceEnd;
        }
        readDirect(direct, (int) (end - direct), dst, what);
    }

    private void readDirect(long offset, int len, ByteBuffer dst, Supplier<String> what) throws IOException {
        if (len == 0) {
            return;
        }
        try {
            dev.read(offset, dst.slice(dst.position(), len));
        } catch (VfsException e) {
            throw new VfsException(e.errno(), what.get() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, what.get() + ": reading " + len + " bytes at byte offset " + offset
                    + " of " + dev.name() + " failed: " + e.getMessage(), e);
        }
        dst.position(dst.position() + len);
    }

    /** The piece at {@code start} as the cache has it (getblk: not read, invalid when not cached). */
    private Buf piece(long start, int pieceLen, Supplier<String> what) throws IOException {
        try {
            return cache.getblk(dev, start, pieceLen);
        } catch (VfsException e) {
            throw new VfsException(e.errno(), what.get() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, what.get() + ": looking up " + pieceLen + " bytes at byte offset " + start
                    + " of " + dev.name() + " in the cache failed: " + e.getMessage(), e);
        }
    }

    void flush() throws IOException {
        try {
            dev.flush();
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, dev.name() + ": flush failed: " + e.getMessage(), e);
        }
    }

    private ByteBuffer cached(long offset, int len, String what) throws IOException {
        byte[] out = new byte[len];
        pieces(offset, len, (start, pieceLen, from, done, n) -> {
            Buf bp;
            try {
                bp = cache.bread(dev, start, pieceLen);
            } catch (VfsException e) {
                throw new VfsException(e.errno(), what + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new VfsException(Errno.EIO, what + ": reading " + pieceLen + " bytes at byte offset " + start
                        + " of " + dev.name() + " failed: " + e.getMessage(), e);
            }
            try {
                bp.data().get(from, out, done, n);
            } finally {
                bp.brelse();
            }
        });
        return ByteBuffer.wrap(out);
    }

    private ByteBuffer direct(long offset, int len) throws IOException {
        if (dev.requiresAlignment()) {
            // Read the enclosing aligned range and hand back the part asked for.
            long sector = dev.sectorSize();
            long start = offset - offset % sector;
            long end = (offset + len + sector - 1) / sector * sector;
            ByteBuffer whole = ByteBuffer.allocate(Math.toIntExact(end - start));
            dev.read(start, whole);
            return whole.position((int) (offset - start)).limit((int) (offset - start) + len).slice();
        }
        ByteBuffer b = ByteBuffer.allocate(len);
        dev.read(offset, b);
        return b.flip();
    }
}
