package org.rumpmount.fs.ffs;

import java.util.function.Supplier;

import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * The chflags(2) bits FFS enforces (di_flags), with NetBSD's rules from ufs_vnops.c: an
 * immutable inode takes no change at all; an append-only file takes writes only at its end and
 * is never truncated; neither is removed, renamed or linked; an append-only directory gains
 * entries but loses none; an immutable directory neither gains nor loses any.
 */
final class FileFlags {
    static final int UF_NODUMP = 0x00000001;
    static final int UF_IMMUTABLE = 0x00000002;
    static final int UF_APPEND = 0x00000004;
    static final int SF_IMMUTABLE = 0x00020000;
    static final int SF_APPEND = 0x00040000;

    static final int IMMUTABLE = UF_IMMUTABLE | SF_IMMUTABLE;
    static final int APPEND = UF_APPEND | SF_APPEND;

    private FileFlags() {
    }

    static boolean immutable(Inode ip) {
        return (ip.din.flags & IMMUTABLE) != 0;
    }

    static boolean appendOnly(Inode ip) {
        return (ip.din.flags & APPEND) != 0;
    }

    /** EPERM unless {@code ip} may change: neither immutable nor append-only. */
    static void checkChangeable(Inode ip, Supplier<String> op) throws VfsException {
        if ((ip.din.flags & (IMMUTABLE | APPEND)) != 0) {
            throw refused(ip, op, "immutable or append-only");
        }
    }

    /** EPERM when directory {@code dir} may gain no entry (immutable). */
    static void checkMayAddEntry(Inode dir, Supplier<String> op) throws VfsException {
        if (immutable(dir)) {
            throw refused(dir, op, "an immutable directory");
        }
    }

    /** EPERM when directory {@code dir} may lose or change no entry (immutable or append-only). */
    static void checkMayDropEntry(Inode dir, Supplier<String> op) throws VfsException {
        if ((dir.din.flags & (IMMUTABLE | APPEND)) != 0) {
            throw refused(dir, op, "an immutable or append-only directory");
        }
    }

    /** {@code op} names the operation; asked only on a refusal (building it per call cost a create more than the check). */
    private static VfsException refused(Inode ip, Supplier<String> op, String what) {
        return new VfsException(Errno.EPERM, op.get() + ": inode " + ip.number + " is " + what
                + " (flags 0x" + Integer.toHexString(ip.din.flags) + ")");
    }
}
