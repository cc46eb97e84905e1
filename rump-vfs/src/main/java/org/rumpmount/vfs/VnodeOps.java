package org.rumpmount.vfs;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The vnode operations a driver implements: NetBSD's vnode_if.src, one method per operation.
 *
 * <p><b>Division of labour.</b> The kernel ({@link PathFacade} and its helpers) does what is the
 * same for every file system before it calls here: path walking, "." handling, POSIX permission
 * and ownership checks, sticky-directory rules, EROFS on read-only mounts, type checks between
 * source and target of rename, the rename-into-own-subtree check, name validation
 * ({@link Name} is at most 255 bytes), and what file flags forbid ({@link FileFlags}: immutable
 * and append-only files and directories, who may change the flags), read from {@link #getattr}'s
 * {@code flags}; a driver stores the flags {@link #setattr} gives it. A driver does the mechanics and reports what only it can
 * know: EEXIST, ENOENT, ENOTEMPTY, ENOSPC, EMLINK, EFBIG, corrupt metadata (EIO or EFTYPE with a
 * message naming inode, block and offset). Drivers update timestamps as POSIX says (using
 * {@code mount.host().now()}).
 *
 * <p><b>Locks on entry.</b> Every vnode passed in is referenced. "Locked shared" and "locked
 * exclusive" refer to {@link Vnode#lock}; the kernel takes them, in the documented order
 * (see {@link Vnode}), and releases them after the call. Drivers never lock vnodes passed to
 * them; they guard their own shared structures (allocation maps, superblock) with their own
 * locks, which come last in the lock order.
 *
 * <p><b>Errors.</b> Failures are {@link VfsException}s carrying an errno; any other IOException is
 * treated as EIO. Every default method here fails with EOPNOTSUPP, as the first row of a NetBSD
 * vnodeop table does, so an operation a driver lacks is an error and never a crash.
 *
 * <p>Vnodes returned by lookup, create, mknod, mkdir and symlink carry a new reference that the
 * caller releases with {@link Vnode#close()}; they are returned unlocked.
 */
public interface VnodeOps {

    private static VfsException unsupported(String op) {
        return new VfsException(Errno.EOPNOTSUPP, op + " is not supported by this file system");
    }

    /**
     * Finds {@code name} in directory {@code dvp} (locked shared). Handles ".." (the parent; the
     * root's ".." is the root). The kernel handles "." itself.
     * ENOENT when absent, ENOTDIR when dvp is not a directory.
     */
    default Vnode lookup(Vnode dvp, Name name) throws IOException {
        throw unsupported("lookup");
    }

    /**
     * Creates a regular file or socket {@code name} in {@code dvp} (locked exclusive) with
     * {@code va.type}, {@code va.mode}, {@code va.uid}, {@code va.gid} (filled in by the kernel).
     * EEXIST when the name exists. Sets all four times to now; updates dvp's mtime and ctime.
     */
    default Vnode create(Vnode dvp, Name name, Vattr va, Credentials cred) throws IOException {
        throw unsupported("create");
    }

    /** As {@link #create}, for VFIFO, VCHR, VBLK and VSOCK, with {@code va.rdev} for devices. */
    default Vnode mknod(Vnode dvp, Name name, Vattr va, Credentials cred) throws IOException {
        throw unsupported("mknod");
    }

    /**
     * Creates directory {@code name} in {@code dvp} (locked exclusive) with "." and "..";
     * dvp's link count grows by one. EEXIST, EMLINK (dvp has too many links), ENOSPC.
     */
    default Vnode mkdir(Vnode dvp, Name name, Vattr va, Credentials cred) throws IOException {
        throw unsupported("mkdir");
    }

    /**
     * Creates symbolic link {@code name} in {@code dvp} (locked exclusive) pointing at
     * {@code target} (1..1023 bytes, checked by the kernel). EEXIST, ENOSPC.
     */
    default Vnode symlink(Vnode dvp, Name name, Vattr va, byte[] target, Credentials cred) throws IOException {
        throw unsupported("symlink");
    }

    /**
     * Notes an open of {@code vp} (locked shared) with {@link OpenFlags} {@code flags}. Permission
     * checks are the kernel's. Drivers may refuse (EOPNOTSUPP for device nodes they cannot serve).
     * The default accepts every open, since most file systems keep no per-open state.
     */
    default void open(Vnode vp, int flags, Credentials cred) throws IOException {
    }

    /** The matching close of an {@link #open}. The default does nothing. */
    default void close(Vnode vp, int flags, Credentials cred) throws IOException {
    }

    /**
     * Extra access checks a driver may impose beyond the kernel's POSIX and file-flag checks
     * (the immutable flags already refuse VWRITE with EPERM, see {@link FileFlags}).
     * {@code accmode} is a set of {@link Access} bits. The default allows everything the
     * kernel allowed.
     */
    default void access(Vnode vp, int accmode, Credentials cred) throws IOException {
    }

    /** Every attribute of {@code vp} (locked shared), all fields filled. */
    default Vattr getattr(Vnode vp) throws IOException {
        throw unsupported("getattr");
    }

    /**
     * Changes the attributes set in {@code va} ({@link Vattr#VNOVAL}/null means unchanged) on
     * {@code vp} (locked exclusive): mode, uid, gid, size (truncate or extend with zeros;
     * EISDIR on a directory, EFBIG past the file system's limit), atime, mtime, birthtime, flags.
     * The kernel has already checked permission. ctime becomes now for any change.
     */
    default void setattr(Vnode vp, Vattr va, Credentials cred) throws IOException {
        throw unsupported("setattr");
    }

    /**
     * Reads from regular file {@code vp} (locked shared) at {@code offset} into {@code dst}, up
     * to {@code dst.remaining()} bytes, stopping at end of file. Holes read as zeros. Returns the
     * count (0 at or past end of file), advancing dst's position by it. EISDIR for a directory.
     * Updating atime is the driver's choice (NetBSD: unless mounted noatime).
     */
    default int read(Vnode vp, long offset, ByteBuffer dst, int ioflags, Credentials cred) throws IOException {
        throw unsupported("read");
    }

    /**
     * Writes all of {@code src} to regular file {@code vp} (locked exclusive) at {@code offset},
     * growing the file as needed (a gap becomes a hole or zeros). Returns the count written,
     * which is all of it unless an error came after some bytes were written (then the partial
     * count). ENOSPC, EFBIG. Sets mtime and ctime. {@link IoFlags} says whether to sync.
     */
    default int write(Vnode vp, long offset, ByteBuffer src, int ioflags, Credentials cred) throws IOException {
        throw unsupported("write");
    }

    /**
     * Makes {@code vp}'s data (and, unless {@code dataOnly}, its metadata) durable on the
     * device. vp is locked exclusive.
     */
    default void fsync(Vnode vp, boolean dataOnly) throws IOException {
        throw unsupported("fsync");
    }

    /**
     * Removes entry {@code name}, which refers to non-directory {@code vp}, from {@code dvp}.
     * Both locked exclusive (dvp first). vp's link count drops by one and its ctime becomes now;
     * its storage is freed by {@link #inactive} once it is unreferenced with no links.
     */
    default void remove(Vnode dvp, Vnode vp, Name name, Credentials cred) throws IOException {
        throw unsupported("remove");
    }

    /**
     * Adds entry {@code name} in {@code dvp} for non-directory {@code vp} (the kernel refuses
     * directories with EPERM and links across mounts with EXDEV). Both locked exclusive (dvp
     * first). EEXIST, EMLINK, ENOSPC.
     */
    default void link(Vnode dvp, Vnode vp, Name name, Credentials cred) throws IOException {
        throw unsupported("link");
    }

    /**
     * Renames {@code fname} (vnode {@code fvp}) in {@code fdvp} to {@code tname} in {@code tdvp},
     * replacing {@code tvp} if it is not null. The kernel holds the mount's rename lock and has
     * locked all of them exclusive; it has checked: same mount, permissions, sticky bits, that
     * fvp and tvp are both directories or both not (EISDIR/ENOTDIR), that fvp is not an ancestor
     * of tdvp (EINVAL), and that fvp != tvp. The driver refuses a non-empty directory tvp with
     * ENOTEMPTY, and for a directory moved between directories rewrites its ".." and the
     * parents' link counts.
     */
    default void rename(Vnode fdvp, Vnode fvp, Name fname, Vnode tdvp, Vnode tvp, Name tname, Credentials cred)
            throws IOException {
        throw unsupported("rename");
    }

    /**
     * Removes directory {@code name} (vnode {@code vp}) from {@code dvp}, both locked exclusive.
     * ENOTEMPTY if vp holds anything besides "." and "..". dvp's link count drops by one.
     */
    default void rmdir(Vnode dvp, Vnode vp, Name name, Credentials cred) throws IOException {
        throw unsupported("rmdir");
    }

    /**
     * Lists directory {@code vp} (locked shared) from position {@code cookie} (0 is the first
     * entry; the others are cookies this method handed out). Each entry goes to {@code sink},
     * carrying the cookie of the entry after it, until the sink refuses one or the directory
     * ends. Emits "." and "..". Cookies stay valid while the directory changes: an entry present
     * throughout a listing is returned exactly once.
     */
    default void readdir(Vnode vp, long cookie, DirentSink sink) throws IOException {
        throw unsupported("readdir");
    }

    /** The target of symbolic link {@code vp} (locked shared). EINVAL when not a symlink. */
    default byte[] readlink(Vnode vp) throws IOException {
        throw unsupported("readlink");
    }

    /**
     * Called with vp locked exclusive when its last reference is dropped. A driver writes back
     * in-core state, and when the file has no links left frees its storage. Returns true when
     * the vnode should be reclaimed now (it has no links) rather than kept cached. May be called
     * more than once for one vnode; must be idempotent.
     */
    default boolean inactive(Vnode vp) throws IOException {
        return false;
    }

    /**
     * Called with vp locked exclusive when the kernel drops the vnode from its cache: release
     * the in-core inode. vp is unreferenced and never used again.
     */
    default void reclaim(Vnode vp) throws IOException {
    }
}
