package org.rumpmount.vfs;

import java.io.IOException;

/**
 * An error crossing a layer of the kernel: an {@link Errno} plus a message naming what failed
 * (path, inode, block, offset). It extends IOException so that device errors and kernel errors
 * travel the same way; at an edge, a VfsException maps to its errno and any other IOException
 * maps to EIO.
 */
public class VfsException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Errno errno;

    public VfsException(Errno errno, String message) {
        super(message);
        this.errno = errno;
    }

    public VfsException(Errno errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }

    /** The errno an arbitrary failure maps to at an edge: its own, or EIO. */
    public static Errno errnoOf(Throwable t) {
        return t instanceof VfsException ve ? ve.errno : Errno.EIO;
    }

    @Override
    public String getMessage() {
        return errno + ": " + super.getMessage();
    }
}
