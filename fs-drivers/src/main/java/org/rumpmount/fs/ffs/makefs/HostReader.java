package org.rumpmount.fs.ffs.makefs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * Reads the tree's regular files, in the order makefs copies them, on a thread of its own, so
 * that the host's reads (open, read, close: kernel time as much as ours) overlap the writing of
 * the image instead of adding to it. Only files of up to {@link #WHOLE_LIMIT} bytes are read
 * ahead, whole, and no more than {@link #AHEAD_BYTES} of them are held at once; a larger file is
 * handed over unread, for the writer to stream.
 */
final class HostReader implements AutoCloseable {
    /** The writer's chunk for a file too large to read ahead. */
    static final int STREAM_CHUNK = 1 << 20;
    /** Files up to this size are read ahead whole. */
    static final int WHOLE_LIMIT = 1 << 20;
    /** Bytes read ahead and not yet written, at most. */
    private static final int AHEAD_BYTES = 32 << 20;

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
                int permits = (int) Math.max(1, e.size());
                budget.acquire(permits);
                try {
                    byte[] b = Files.readAllBytes(e.host());
                    ready.put(new Contents(e, b, b.length, permits, null));
                } catch (IOException ex) {
                    ready.put(new Contents(e, null, 0, permits, ex));
                } catch (OutOfMemoryError | RuntimeException ex) {
                    ready.put(new Contents(e, null, 0, permits, new IOException("makefs: reading " + e.host()
                            + " failed: " + ex, ex)));
                }
            }
        } catch (InterruptedException ex) {
            // Closed early: the writer gave up.
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
