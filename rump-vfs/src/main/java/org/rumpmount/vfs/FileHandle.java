package org.rumpmount.vfs;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An open file: a referenced vnode, the flags it was opened with and the caller who opened it
 * (NetBSD's struct file). Reads and writes through a handle are checked against its open
 * flags (EBADF), not against the file's current permissions, just as with a file descriptor.
 * Closing releases the vnode; a file unlinked while open lives until then.
 */
public final class FileHandle implements AutoCloseable {
    private final PathFacade facade;
    private final Vnode vnode;
    private final int flags;
    private boolean closed;

    FileHandle(PathFacade facade, Vnode vnode, int flags) {
        this.facade = facade;
        this.vnode = vnode;
        this.flags = flags;
    }

    public Vnode vnode() {
        return vnode;
    }

    public int flags() {
        return flags;
    }

    /** pread: up to {@code dst.remaining()} bytes at {@code offset}; 0 at end of file. */
    public int read(long offset, ByteBuffer dst) throws IOException {
        ensureOpen();
        if (!OpenFlags.readable(flags)) {
            throw new VfsException(Errno.EBADF, "handle on inode " + vnode.fileid() + " is not open for reading");
        }
        if (vnode.type() == VType.VDIR) {
            throw new VfsException(Errno.EISDIR, "inode " + vnode.fileid() + " is a directory");
        }
        if (offset < 0) {
            throw new VfsException(Errno.EINVAL, "negative offset " + offset);
        }
        try (Vnode.Locked l = vnode.lock(Vnode.LockMode.SHARED)) {
            return vnode.ops().read(vnode, offset, dst, 0, facade.credentials());
        }
    }

    /**
     * pwrite: all of {@code src} at {@code offset} (at the end of file with O_APPEND); EPERM into
     * an immutable file, or anywhere but at the end of an append-only one ({@link FileFlags}). A write
     * by a caller other than root clears set-user-ID and set-group-ID, so that nobody can plant
     * code in a program that runs with someone else's rights.
     */
    public int write(long offset, ByteBuffer src) throws IOException {
        ensureOpen();
        if (!OpenFlags.writable(flags)) {
            throw new VfsException(Errno.EBADF, "handle on inode " + vnode.fileid() + " is not open for writing");
        }
        if (offset < 0) {
            throw new VfsException(Errno.EINVAL, "negative offset " + offset);
        }
        facade.checkNotReadOnly("inode " + vnode.fileid());
        Credentials cred = facade.credentials();
        int ioflags = 0;
        if ((flags & OpenFlags.O_SYNC) == OpenFlags.O_SYNC) {
            ioflags |= IoFlags.IO_SYNC;
        } else if ((flags & OpenFlags.O_DSYNC) != 0) {
            ioflags |= IoFlags.IO_DSYNC;
        }
        try (Vnode.Locked l = vnode.lock(Vnode.LockMode.EXCLUSIVE)) {
            Vattr va = vnode.ops().getattr(vnode);
            long off = (flags & OpenFlags.O_APPEND) != 0 ? va.size : offset;
            if (src.hasRemaining() && FileFlags.of(va) != 0) {
                FileFlags.checkWrite(va, off, "inode " + vnode.fileid());
            }
            int n = vnode.ops().write(vnode, off, src, ioflags, cred);
            if (n > 0 && !cred.isRoot() && (va.mode & (Permissions.S_ISUID | Permissions.S_ISGID)) != 0) {
                Vattr t = Vattr.forSetattr();
                t.mode = va.mode & ~(Permissions.S_ISUID | Permissions.S_ISGID);
                vnode.ops().setattr(vnode, t, cred);
            }
            return n;
        }
    }

    /** fstat. */
    public Vattr getattr() throws IOException {
        ensureOpen();
        return PathFacade.getattr(vnode);
    }

    /** ftruncate: needs the handle open for writing; EFBIG beyond the file system's limit. */
    public void truncate(long size) throws IOException {
        ensureOpen();
        if (!OpenFlags.writable(flags)) {
            throw new VfsException(Errno.EINVAL, "handle on inode " + vnode.fileid() + " is not open for writing");
        }
        if (size < 0) {
            throw new VfsException(Errno.EINVAL, "negative size " + size);
        }
        facade.checkNotReadOnly("inode " + vnode.fileid());
        try (Vnode.Locked l = vnode.lock(Vnode.LockMode.EXCLUSIVE)) {
            FileFlags.checkAttributeChange(vnode.ops().getattr(vnode), "inode " + vnode.fileid());
            Vattr t = Vattr.forSetattr();
            t.size = size;
            vnode.ops().setattr(vnode, t, facade.credentials());
        }
    }

    /** fchmod. */
    public void chmod(int mode) throws IOException {
        ensureOpen();
        facade.chmod(vnode, mode, "inode " + vnode.fileid());
    }

    /** fchown; {@link Vattr#VNOVAL} leaves an id alone. */
    public void chown(long uid, long gid) throws IOException {
        ensureOpen();
        facade.chown(vnode, uid, gid, "inode " + vnode.fileid());
    }

    /** futimens, with the conventions of {@link PathFacade#utimens}. */
    public void utimens(Timespec atime, Timespec mtime) throws IOException {
        ensureOpen();
        facade.utimens(vnode, atime, mtime, "inode " + vnode.fileid());
    }

    /** Lists the directory this handle is open on (opendir + readdir). */
    public void readdir(long cookie, DirentSink sink) throws IOException {
        ensureOpen();
        facade.readdir(vnode, cookie, sink);
    }

    /** fsync/fdatasync. */
    public void fsync(boolean dataOnly) throws IOException {
        ensureOpen();
        if (facade.mount().isReadOnly()) {
            return;
        }
        try (Vnode.Locked l = vnode.lock(Vnode.LockMode.EXCLUSIVE)) {
            vnode.ops().fsync(vnode, dataOnly);
        }
    }

    /** Closes the handle; a second close does nothing. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            try (Vnode.Locked l = vnode.lock(Vnode.LockMode.SHARED)) {
                vnode.ops().close(vnode, flags, facade.credentials());
            }
        } finally {
            vnode.close();
        }
    }

    private synchronized void ensureOpen() throws VfsException {
        if (closed) {
            throw new VfsException(Errno.EBADF, "handle on inode " + vnode.fileid() + " is closed");
        }
    }
}
