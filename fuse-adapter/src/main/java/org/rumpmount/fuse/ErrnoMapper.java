package org.rumpmount.fuse;

import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * Errors at the FUSE edge. Inside, the kernel speaks NetBSD errno values; FUSE wants the Linux
 * value, negated, as a callback's return. {@link Errno#linux()} is the table; this class only
 * applies it and decides what an exception that carries no errno becomes.
 */
final class ErrnoMapper {
    private ErrnoMapper() {
    }

    /** The FUSE reply for {@code e}: minus its Linux value. */
    static int reply(Errno e) {
        return -e.linux();
    }

    /**
     * The FUSE reply for a failure: a {@link VfsException}'s own errno, EIO for anything else
     * (a device IOException, a bug). An unexpected failure must still look like an I/O error to
     * the caller rather than something it might retry or misread.
     */
    static int reply(Throwable t) {
        return reply(VfsException.errnoOf(t));
    }
}
