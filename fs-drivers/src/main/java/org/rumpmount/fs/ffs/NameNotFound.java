package org.rumpmount.fs.ffs;

import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.VfsException;

/**
 * ENOENT from a directory lookup: the answer to every lookup of a name about to be made (each
 * create looks its name up first, and through FUSE the host kernel asks once more before that),
 * so it is made cheaply: without a stack trace, which says nothing a caller needs (the name and
 * the directory say where), and with its message built only when someone reads it.
 */
final class NameNotFound extends VfsException {
    private static final long serialVersionUID = 1L;

    private final transient Name name;
    private final long dir;

    NameNotFound(Name name, long dir) {
        super(Errno.ENOENT, null);
        this.name = name;
        this.dir = dir;
    }

    @Override
    public String getMessage() {
        return Errno.ENOENT + ": " + name + " not found in directory inode " + dir;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
