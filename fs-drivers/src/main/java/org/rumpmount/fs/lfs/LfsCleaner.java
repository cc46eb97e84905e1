package org.rumpmount.fs.lfs;

import java.io.IOException;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.VfsException;

/**
 * Cleaning an LFS mount on demand, as running lfs_cleanerd by hand would: for tools outside the
 * driver (rumpmount lfs-clean). The driver also cleans by itself when clean segments run low.
 */
public final class LfsCleaner {
    private LfsCleaner() {
    }

    /**
     * What a run did: segments marked clean (including those found already empty), segments of
     * them whose live blocks were copied forward, the live bytes copied, and the clean segments
     * of all segments afterwards.
     */
    public record Result(long segmentsCleaned, long segmentsCopied, long bytesMoved, long cleanSegments,
            long totalSegments) {
    }

    /**
     * Cleans the writable LFS {@code mp} until {@code segments} segments have been marked clean
     * or no more can be. EINVAL when {@code mp} is not an LFS, EROFS when it is read-only.
     */
    public static Result clean(Mount mp, long segments) throws IOException {
        if (segments < 0) {
            throw new VfsException(Errno.EINVAL, "cannot clean a negative number of segments (" + segments + ")");
        }
        LfsMount m = lfs(mp);
        m.segLock.writeLock().lock();
        try {
            SegmentCleaner.Totals t = m.cleaner.clean(segments);
            LfsFileSystem fs = m.fs();
            return new Result(t.segmentsCleaned(), t.segmentsCopied(), t.bytesMoved(), fs.cleanerInfo().clean(),
                    fs.sb.nseg);
        } finally {
            m.segLock.writeLock().unlock();
        }
    }

    /** What cleaning has done on {@code mp} since it was mounted, whether run on demand or by itself. */
    public static Result totals(Mount mp) throws IOException {
        LfsMount m = lfs(mp);
        m.segLock.writeLock().lock();
        try {
            SegmentCleaner.Totals t = m.cleaner.totals();
            LfsFileSystem fs = m.fs();
            return new Result(t.segmentsCleaned(), t.segmentsCopied(), t.bytesMoved(), fs.cleanerInfo().clean(),
                    fs.sb.nseg);
        } finally {
            m.segLock.writeLock().unlock();
        }
    }

    private static LfsMount lfs(Mount mp) throws VfsException {
        if (!(mp.vfsOps() instanceof LfsMount m)) {
            throw new VfsException(Errno.EINVAL, mp + " is " + mp.type() + ", not an LFS: only an LFS has segments to clean");
        }
        if (m.cleaner == null) {
            throw new VfsException(Errno.EROFS, mp + " is mounted read-only: cleaning writes to the log");
        }
        return m;
    }
}
