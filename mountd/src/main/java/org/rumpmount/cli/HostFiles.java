package org.rumpmount.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import org.rumpmount.vfs.Timespec;

/**
 * The host's file system calls on names that are bytes, through libc.
 *
 * <p>java.nio.file encodes a path with {@code sun.jnu.encoding}, which Java 17 takes from the
 * locale and will not let {@code -D} override: under UTF-8 or C a name such as {@code 0xe9} alone
 * cannot be spelled, and no Java API makes a FIFO or a device node, sets a set-id bit or changes
 * a symbolic link's owner. These calls take the exact bytes instead. Paths are raw Strings
 * (one char per byte, see {@link RawText}); a failure is a {@link HostCallException} naming the
 * call and errno.
 */
final class HostFiles {
    static final int S_IFIFO = 0010000;
    static final int S_IFCHR = 0020000;
    static final int S_IFBLK = 0060000;
    static final int S_IFSOCK = 0140000;

    // Linux's generic values, the same on x86-64 and arm64.
    private static final int O_WRONLY = 01;
    private static final int O_CREAT = 0100;
    private static final int O_EXCL = 0200;
    private static final int O_CLOEXEC = 02000000;
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int ENOENT = 2;
    private static final int EINTR = 4;

    /** The few libc functions used, each keeping errno. */
    public interface LibC {
        @SaveError
        int open(@In byte[] path, int flags, int mode);

        @SaveError
        long write(int fd, @In ByteBuffer buf, long count);

        @SaveError
        int close(int fd);

        @SaveError
        int mkdir(@In byte[] path, int mode);

        @SaveError
        int symlink(@In byte[] target, @In byte[] path);

        @SaveError
        int link(@In byte[] existing, @In byte[] path);

        @SaveError
        int mknod(@In byte[] path, int mode, long dev);

        @SaveError
        int unlink(@In byte[] path);

        @SaveError
        int chmod(@In byte[] path, int mode);

        @SaveError
        int lchown(@In byte[] path, int uid, int gid);

        @SaveError
        int utimensat(int dirfd, @In byte[] path, @In long[] times, int flags);

        @SaveError
        Pointer opendir(@In byte[] path);

        int closedir(Pointer dir);

        int geteuid();

        String strerror(int errnum);
    }

    private final LibC libc;
    private final Runtime runtime;

    private HostFiles(LibC libc) {
        this.libc = libc;
        this.runtime = Runtime.getRuntime(libc);
    }

    /** Binds libc; a host without it (or without the native glue) gives an IOException. */
    static HostFiles load() throws IOException {
        try {
            return new HostFiles(LibraryLoader.create(LibC.class).load("c"));
        } catch (LinkageError | RuntimeException e) {
            throw new IOException("cannot call the host's C library: " + e, e);
        }
    }

    /** A failed host call: its name, errno and strerror text. */
    static final class HostCallException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int errno;

        HostCallException(String call, int errno, String text) {
            super(call + ": " + text);
            this.errno = errno;
        }

        int errno() {
            return errno;
        }
    }

    boolean isRoot() {
        return libc.geteuid() == 0;
    }

    /** Whether {@code raw} names a directory (or a symbolic link to one). */
    boolean isDirectory(String raw) {
        Pointer d = libc.opendir(c(raw));
        if (d == null || d.address() == 0) {
            return false;
        }
        libc.closedir(d);
        return true;
    }

    /** Removes a non-directory if it is there. */
    void unlinkIfPresent(String raw) throws IOException {
        if (libc.unlink(c(raw)) != 0 && errno() != ENOENT) {
            throw failure("unlink");
        }
    }

    /** Creates a new regular file (it must not exist), open for writing; returns its descriptor. */
    int createFile(String raw, int mode) throws IOException {
        int fd = libc.open(c(raw), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (fd < 0) {
            throw failure("open");
        }
        return fd;
    }

    /** Writes all of {@code buf}'s remaining bytes. */
    void write(int fd, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            // A slice starts at the buffer's position, so the address passed is that of the next byte.
            ByteBuffer rest = buf.slice();
            long n = libc.write(fd, rest, rest.remaining());
            if (n < 0) {
                if (errno() == EINTR) {
                    continue;
                }
                throw failure("write");
            }
            buf.position(buf.position() + (int) n);
        }
    }

    void close(int fd) throws IOException {
        if (libc.close(fd) != 0) {
            throw failure("close");
        }
    }

    void mkdir(String raw, int mode) throws IOException {
        check(libc.mkdir(c(raw), mode), "mkdir");
    }

    void symlink(String rawTarget, String raw) throws IOException {
        check(libc.symlink(c(rawTarget), c(raw)), "symlink");
    }

    void link(String rawExisting, String raw) throws IOException {
        check(libc.link(c(rawExisting), c(raw)), "link");
    }

    /** Makes a FIFO, socket or device node: {@code mode} carries the S_IF bits. */
    void mknod(String raw, int mode, long linuxDev) throws IOException {
        check(libc.mknod(c(raw), mode, linuxDev), "mknod");
    }

    /** chmod, with the set-id and sticky bits; never for a symbolic link, which chmod would follow. */
    void chmod(String raw, int mode) throws IOException {
        check(libc.chmod(c(raw), mode & 07777), "chmod");
    }

    /** Owner and group of the entry itself, a symbolic link included. */
    void lchown(String raw, long uid, long gid) throws IOException {
        check(libc.lchown(c(raw), (int) uid, (int) gid), "lchown");
    }

    /** Access and modification times with nanoseconds, of the entry itself. */
    void setTimes(String raw, Timespec atime, Timespec mtime) throws IOException {
        long[] times = {atime.sec(), atime.nsec(), mtime.sec(), mtime.nsec()};
        check(libc.utimensat(AT_FDCWD, c(raw), times, AT_SYMLINK_NOFOLLOW), "utimensat");
    }

    private void check(int rc, String call) throws IOException {
        if (rc != 0) {
            throw failure(call);
        }
    }

    private int errno() {
        return LastError.getLastError(runtime);
    }

    private HostCallException failure(String call) {
        int e = errno();
        return new HostCallException(call, e, libc.strerror(e));
    }

    /** The NUL-terminated bytes of a raw path. */
    private static byte[] c(String raw) {
        byte[] b = RawText.bytes(raw);
        return Arrays.copyOf(b, b.length + 1);
    }
}
