package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.rumpmount.vfs.Errno;

/**
 * The errno behind an IOException from java.nio on Linux. The JDK turns a few errno values into
 * their own exception classes and reports the rest as a FileSystemException whose reason is
 * strerror(3)'s text (and java.io reports strerror's text as the message), so both are read back.
 */
final class HostErrno {
    /** strerror(3) texts of glibc, for the errno values these tests expect. */
    private static final Map<String, Errno> BY_TEXT = Map.ofEntries(
            Map.entry("File name too long", Errno.ENAMETOOLONG),
            Map.entry("File too large", Errno.EFBIG),
            Map.entry("Is a directory", Errno.EISDIR),
            Map.entry("Not a directory", Errno.ENOTDIR),
            Map.entry("Invalid argument", Errno.EINVAL),
            Map.entry("Operation not permitted", Errno.EPERM),
            Map.entry("Permission denied", Errno.EACCES),
            Map.entry("Too many levels of symbolic links", Errno.ELOOP),
            Map.entry("Read-only file system", Errno.EROFS),
            Map.entry("Directory not empty", Errno.ENOTEMPTY),
            Map.entry("File exists", Errno.EEXIST),
            Map.entry("No such file or directory", Errno.ENOENT),
            Map.entry("Too many links", Errno.EMLINK),
            Map.entry("No space left on device", Errno.ENOSPC),
            Map.entry("Device or resource busy", Errno.EBUSY),
            Map.entry("Input/output error", Errno.EIO),
            Map.entry("Bad file descriptor", Errno.EBADF),
            Map.entry("Operation not supported", Errno.EOPNOTSUPP));

    private HostErrno() {
    }

    /** What the host reported {@code e} for. */
    static Errno of(IOException e) {
        if (e instanceof NoSuchFileException) {
            return Errno.ENOENT;
        }
        if (e instanceof FileAlreadyExistsException) {
            return Errno.EEXIST;
        }
        if (e instanceof AccessDeniedException) {
            return Errno.EACCES;
        }
        if (e instanceof DirectoryNotEmptyException) {
            return Errno.ENOTEMPTY;
        }
        if (e instanceof NotDirectoryException) {
            return Errno.ENOTDIR;
        }
        if (e instanceof NotLinkException) {
            return Errno.EINVAL;
        }
        String text = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage();
        if (text != null) {
            for (Map.Entry<String, Errno> t : BY_TEXT.entrySet()) {
                if (text.contains(t.getKey())) {
                    return t.getValue();
                }
            }
        }
        return fail("cannot tell the errno of " + e, e);
    }

    /** A call on the host that may fail with an IOException. */
    interface Call {
        void run() throws IOException;
    }

    /** Runs {@code call}; it must fail with one of {@code allowed}. */
    static void assertFails(String what, Call call, Errno... allowed) {
        Errno got;
        try {
            call.run();
            got = null;
        } catch (IOException e) {
            got = of(e);
        }
        Set<Errno> ok = new TreeSet<>(Arrays.asList(allowed));
        if (got == null) {
            fail(what + ": succeeded, expected " + ok);
        }
        if (!ok.contains(got)) {
            fail(what + ": failed with " + got + ", expected " + ok);
        }
    }
}
