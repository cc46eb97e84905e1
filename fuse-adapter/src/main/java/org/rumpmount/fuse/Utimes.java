package org.rumpmount.fuse;

import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VfsException;

/**
 * utimensat(2) times from FUSE into the kernel's form. The special values live in tv_nsec:
 * UTIME_NOW ("set to now") and UTIME_OMIT ("leave alone"); they map to the facade's markers.
 * Access and modification time are converted separately and never mixed.
 */
final class Utimes {
    /** Linux's UTIME_NOW: (1 << 30) - 1. */
    static final long UTIME_NOW = (1L << 30) - 1;
    /** Linux's UTIME_OMIT: (1 << 30) - 2. */
    static final long UTIME_OMIT = (1L << 30) - 2;

    private Utimes() {
    }

    /** One time: seconds and the tv_nsec field (which may hold UTIME_NOW or UTIME_OMIT). */
    static Timespec toKernel(long sec, long nsec) throws VfsException {
        if (nsec == UTIME_NOW) {
            return PathFacade.UTIME_NOW;
        }
        if (nsec == UTIME_OMIT) {
            return PathFacade.UTIME_OMIT;
        }
        if (nsec < 0 || nsec > 999_999_999) {
            throw new VfsException(Errno.EINVAL, "utimens: tv_nsec " + nsec + " is out of range");
        }
        return new Timespec(sec, (int) nsec);
    }

    static Timespec toKernel(ru.serce.jnrfuse.struct.Timespec t) throws VfsException {
        return toKernel(t.tv_sec.get(), t.tv_nsec.longValue());
    }
}
