package org.rumpmount.fs.ffs.makefs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * Reads the tree's regular files, in the order makefs copies them, on a thread of its own, so
 * that the host's reads (open, read, close: kernel time as much as ours) overlap the writing of
 * the image instead of adding to it. Only files of up to {@link #WHOLE_LIMIT} bytes are read
 * ahead, whole, and no more than {@link #AHEAD_BYTES} of them are held at once; a larger file is
 * handed over unread, for the writer to stream.
 *
 * <p>The arrays files are read into are handed back when written and used again (by size
 * class, powers of two): a new array per file made as much garbage as the tree has bytes, and
 * every collection then copied whatever was read ahead.
 */
final class HostReader implements AutoCloseable {
    /** The writer's chunk for a file too large to read ahead. */
    static final int STREAM_CHUNK = 1 << 20;
    /** Files up to this size are read ahead whole. */
    static final int WHOLE_LIMIT = 1 << 20;
    /** Bytes read ahead and not yet written, at most. */
    private static final int AHEAD_BYTES = 8 << 20;
    private static final int SMALLEST_CLASS = 4096;

    /**
     * A file's contents: {@code bytes} (of which the first {@code length} are the file) when read
     * ahead, null when the writer streams the file itself; {@code failure} if reading failed.
     */
    record Contents(SourceTree.Entry entry, byte[] bytes, int length, int permits, IOException failure) {
    }

    private final List<SourceTree.Entry> entries;
    private final LinkedBlockingQueue<Contents> ready = new LinkedBlockingQueue<>();
    private final Semaphore budget = new Semaphore(AHEAD_BYTES);
    private final Thread thread;
    /** Arrays written and free for the next files, by length; guarded by itself. */
    private final Map<Integer, ArrayDeque<byte[]>> free = new HashMap<>();
    private volatile boolean stopped;

    HostReader(List<SourceTree.Entry> entries) {
        this.entries = entries;
        thread = new Thread(this::run, "makefs host reader");
        thread.setDaemon(true);
        thread.start();
    }

    private static boolean isRead(SourceTree.Entry e) {
        return e.kind() == SourceTree.Kind.FILE && e.hardLinkOf() == null;
    }

    private void run() {
        try {
            for (SourceTree.Entry e : entries) {
                if (stopped) {
                    return;
                }
                if (!isRead(e)) {
                    continue;
                }
                if (e.size() > WHOLE_LIMIT) {
                    ready.put(new Contents(e, null, 0, 0, null));
                    continue;
                }
                int length = sizeClass((int) e.size());
                budget.acquire(length);
                try {
                    ready.put(read(e, length));
                } catch (IOException ex) {
                    ready.put(new Contents(e, null, 0, length, ex));
                } catch (OutOfMemoryError | RuntimeException ex) {
                    ready.put(new Contents(e, null, 0, length, new IOException("makefs: reading " + e.host()
                            + " failed: " + ex, ex)));
                }
            }
        } catch (InterruptedException ex) {
            // Closed early: the writer gave up.
        }
    }

    /** The length of array a file of {@code size} bytes is read into: the next power of two. */
    private static int sizeClass(int size) {
        return Math.max(SMALLEST_CLASS, Integer.highestOneBit(Math.max(1, size) - 1) << 1);
    }

    /**
     * Reads file {@code e} into an array of {@code length} bytes (from the free ones if there is
     * one). A file grown past it since the scan is read whole into a new array of its own.
     */
    private Contents read(SourceTree.Entry e, int length) throws IOException {
        byte[] b;
        synchronized (free) {
            ArrayDeque<byte[]> q = free.get(length);
            b = q == null ? null : q.poll();
        }
        if (b == null) {
            b = new byte[length];
        }
        try (FileChannel ch = FileChannel.open(e.host(), StandardOpenOption.READ)) {
            ByteBuffer dst = ByteBuffer.wrap(b);
            while (dst.hasRemaining() && ch.read(dst) >= 0) {
                // Until the end of the file or of the array.
            }
            if (!dst.hasRemaining() && ch.size() > b.length) {
                recycle(b);
                byte[] all = Files.readAllBytes(e.host());
                return new Contents(e, all, all.length, length, null);
            }
            return new Contents(e, b, dst.position(), length, null);
        } catch (IOException ex) {
            recycle(b);
            throw ex;
        }
    }

    private void recycle(byte[] b) {
        if (b.length == sizeClass(b.length)) {
            synchronized (free) {
                free.computeIfAbsent(b.length, n -> new ArrayDeque<>()).push(b);
            }
        }
    }

    /**
     * The contents of file entry {@code e}, the next regular file in the tree's order; hand them
     * back with {@link #done} once written. A failed read is thrown here, as the writer's own.
     */
    Contents next(SourceTree.Entry e) throws IOException {
        Contents c;
        try {
            c = ready.take();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("makefs: interrupted while waiting for " + e.host() + " to be read");
        }
        if (c.entry() != e) {
            throw new IllegalStateException("makefs: read " + c.entry().host() + " ahead where " + e.host()
                    + " was due");
        }
        if (c.failure() != null) {
            budget.release(c.permits());
            throw c.failure();
        }
        return c;
    }

    /** Returns the room {@code c} took to the read-ahead budget. */
    void done(Contents c) {
        if (c.bytes() != null) {
            recycle(c.bytes());
        }
        budget.release(c.permits());
    }

    /** Stops reading ahead and waits for the thread to end. */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
