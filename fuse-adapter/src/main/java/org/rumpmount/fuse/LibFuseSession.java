package org.rumpmount.fuse;

import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.types.size_t;
import ru.serce.jnrfuse.struct.FuseOperations;

/**
 * The parts of libfuse 2.9 that {@code fuse_main} is made of (helper.c: {@code fuse_setup},
 * a request loop, {@code fuse_teardown}), for {@link FuseSession} to run the loop on threads of
 * its own. Pointers to libfuse's opaque structures are plain addresses: no wrapper object is made
 * per request. Public only because jnr-ffi implements it from another package; not an API.
 */
public interface LibFuseSession {
    /**
     * Parses the arguments as fuse_main does, mounts, and makes the {@code struct fuse}; 0 on
     * failure (libfuse has said why on standard error). Stores a malloc'ed copy of the mount point
     * at {@code mountpointOut} ({@code char **}) and whether {@code -s} was absent at
     * {@code multithreadedOut} ({@code int *}).
     */
    long fuse_setup(int argc, String[] argv, FuseOperations op, @size_t long opSize, long mountpointOut,
            long multithreadedOut, long userData);

    /** Removes the signal handlers, unmounts if still mounted, destroys {@code fuse}, frees the mount point. */
    void fuse_teardown(long fuse, long mountpoint);

    long fuse_get_session(long fuse);

    /** The channel after {@code ch} (0: the first). */
    long fuse_session_next_chan(long session, long ch);

    @size_t
    long fuse_chan_bufsize(long ch);

    /** The channel's /dev/fuse descriptor. */
    int fuse_chan_fd(long ch);

    /**
     * Reads one request into {@code buf} ({@code struct fuse_buf *}): its size, or 0 once the
     * session has ended (the file system was unmounted), or -errno.
     */
    @IgnoreError
    int fuse_session_receive_buf(long session, long buf, long chp);

    /** Serves the request in {@code buf}: calls the operation and writes the reply. */
    @IgnoreError
    void fuse_session_process_buf(long session, long buf, long ch);

    void fuse_session_exit(long session);
}
