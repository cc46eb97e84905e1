package org.rumpmount.fuse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.FileHandle;
import org.rumpmount.vfs.VfsException;

/**
 * Open files by the number FUSE carries in {@code fuse_file_info.fh}. Numbers start at 1 and
 * are never reused within a mount, so a stale number from a released file cannot reach a newer
 * file; 0 means "no handle" (FUSE passes it for path-only calls such as truncate(2)).
 */
final class HandleTable {
    private final ConcurrentHashMap<Long, FileHandle> open = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(1);

    /** Registers {@code h} and returns its number. */
    long add(FileHandle h) {
        long fh = next.getAndIncrement();
        open.put(fh, h);
        return fh;
    }

    /** The handle numbered {@code fh}; EBADF when there is none. */
    FileHandle get(long fh) throws VfsException {
        FileHandle h = open.get(fh);
        if (h == null) {
            throw new VfsException(Errno.EBADF, "no open file with handle " + fh);
        }
        return h;
    }

    /** Removes the handle numbered {@code fh} and returns it; EBADF when there is none. */
    FileHandle remove(long fh) throws VfsException {
        FileHandle h = open.remove(fh);
        if (h == null) {
            throw new VfsException(Errno.EBADF, "no open file with handle " + fh);
        }
        return h;
    }

    int size() {
        return open.size();
    }

    /**
     * Closes every handle still open (when the mount ends without a release for each) and
     * throws the first failure, with the others suppressed, after trying them all.
     */
    void closeAll() throws IOException {
        List<Long> keys = new ArrayList<>(open.keySet());
        IOException first = null;
        for (Long k : keys) {
            FileHandle h = open.remove(k);
            if (h == null) {
                continue;
            }
            try {
                h.close();
            } catch (IOException | RuntimeException e) {
                IOException io = e instanceof IOException ie ? ie : new IOException("closing handle " + k, e);
                if (first == null) {
                    first = io;
                } else {
                    first.addSuppressed(io);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
