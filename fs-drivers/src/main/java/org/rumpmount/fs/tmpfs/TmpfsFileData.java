package org.rumpmount.fs.tmpfs;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * The contents of a regular file: a sparse array of pages. A page exists only once something was
 * written into it; a missing page is a hole and reads as zeros. Bytes of the last page beyond
 * the file size are always zero, so growing the file never exposes old data.
 *
 * <p>Guarded by the file's vnode lock (read under shared, changed under exclusive); pages are
 * charged to the mount's {@link TmpfsLimits}.
 */
final class TmpfsFileData {
    static final int PAGE_SIZE = 4096;
    private static final int PAGE_SHIFT = 12;

    /** The largest file size: the last page boundary a signed 64-bit offset can express. */
    static final long MAX_FILE_SIZE = Long.MAX_VALUE & ~(PAGE_SIZE - 1L);

    private final TmpfsLimits limits;
    private final TreeMap<Long, byte[]> pages = new TreeMap<>();
    private long size;

    TmpfsFileData(TmpfsLimits limits) {
        this.limits = limits;
    }

    long size() {
        return size;
    }

    long pageCount() {
        return pages.size();
    }

    /** Bytes of memory held: allocated pages only, so holes cost nothing. */
    long bytesHeld() {
        return (long) pages.size() * PAGE_SIZE;
    }

    /** Copies bytes from {@code offset} into {@code dst}, stopping at end of file. */
    int read(long offset, ByteBuffer dst) {
        if (offset >= size || !dst.hasRemaining()) {
            return 0;
        }
        int n = (int) Math.min(dst.remaining(), size - offset);
        int done = 0;
        while (done < n) {
            long pos = offset + done;
            int inPage = (int) (pos & (PAGE_SIZE - 1));
            int chunk = Math.min(n - done, PAGE_SIZE - inPage);
            byte[] page = pages.get(pos >>> PAGE_SHIFT);
            if (page == null) {
                for (int i = 0; i < chunk; i++) {
                    dst.put((byte) 0);
                }
            } else {
                dst.put(page, inPage, chunk);
            }
            done += chunk;
        }
        return n;
    }

    /**
     * Writes all of {@code src} at {@code offset}, allocating pages as needed. Stops early when
     * the mount runs out of pages (returning the count written, or ENOSPC if none was) or at the
     * file size limit (EFBIG if not a byte fits).
     */
    int write(long offset, ByteBuffer src, long fileid) throws VfsException {
        if (offset >= MAX_FILE_SIZE) {
            throw new VfsException(Errno.EFBIG, "tmpfs: write at offset " + offset + " of file " + fileid
                    + " is beyond the largest file size " + MAX_FILE_SIZE);
        }
        int n = (int) Math.min(src.remaining(), MAX_FILE_SIZE - offset);
        int done = 0;
        while (done < n) {
            long pos = offset + done;
            int inPage = (int) (pos & (PAGE_SIZE - 1));
            int chunk = Math.min(n - done, PAGE_SIZE - inPage);
            long index = pos >>> PAGE_SHIFT;
            byte[] page = pages.get(index);
            if (page == null) {
                if (!limits.reservePages(1)) {
                    if (done == 0) {
                        throw new VfsException(Errno.ENOSPC, "tmpfs: no page left for file " + fileid
                                + " at offset " + pos + " (limit " + limits.maxPages() + " pages of " + PAGE_SIZE + ")");
                    }
                    break;
                }
                page = new byte[PAGE_SIZE];
                pages.put(index, page);
            }
            src.get(page, inPage, chunk);
            done += chunk;
        }
        size = Math.max(size, offset + done);
        return done;
    }

    /**
     * Sets the size. Shrinking frees the pages past the end and zeroes the rest of the last
     * page; growing adds a hole.
     */
    void truncate(long newSize, long fileid) throws VfsException {
        if (newSize < 0) {
            throw new VfsException(Errno.EINVAL, "tmpfs: negative size " + newSize + " for file " + fileid);
        }
        if (newSize > MAX_FILE_SIZE) {
            throw new VfsException(Errno.EFBIG, "tmpfs: size " + newSize + " of file " + fileid
                    + " is beyond the largest file size " + MAX_FILE_SIZE);
        }
        if (newSize < size) {
            long firstGone = (newSize + PAGE_SIZE - 1) >>> PAGE_SHIFT;
            Map<Long, byte[]> gone = pages.tailMap(firstGone, true);
            long freed = gone.size();
            gone.clear();
            limits.releasePages(freed);
            int tail = (int) (newSize & (PAGE_SIZE - 1));
            if (tail != 0) {
                byte[] last = pages.get(newSize >>> PAGE_SHIFT);
                if (last != null) {
                    Arrays.fill(last, tail, PAGE_SIZE, (byte) 0);
                }
            }
        }
        size = newSize;
    }

    /** Frees every page (the file is gone). Idempotent. */
    void free() {
        long n = pages.size();
        pages.clear();
        limits.releasePages(n);
        size = 0;
    }
}
