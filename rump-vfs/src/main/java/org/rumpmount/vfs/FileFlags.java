package org.rumpmount.vfs;

/**
 * File flags (chflags(2)): NetBSD's bits from sys/stat.h, and what they forbid. The kernel
 * enforces them for every driver from the flags its getattr reports, so a driver only stores
 * them. NetBSD checks the same rules in each file system (ufs_vnops.c, tmpfs_vnops.c, the
 * genfs_ufslike checks of genfs_rename.c); they do not differ between file systems, so they
 * are made once here.
 *
 * <ul>
 * <li>Immutable ({@link #UF_IMMUTABLE}, {@link #SF_IMMUTABLE}): no write, truncation or
 * attribute change other than of the flags; never removed, renamed or linked to. An immutable
 * directory neither gains nor loses an entry.
 * <li>Append-only ({@link #UF_APPEND}, {@link #SF_APPEND}): opened for writing only with
 * O_APPEND and written only at its end; never truncated, never given other attributes, never
 * removed, renamed or linked to. An append-only directory gains entries but loses none.
 * <li>Changing flags: the owner (or root) may; only root changes the system flags (SF_*), and
 * nobody changes the snapshot bits. A caller other than root changes no flag of a device node.
 * <li>Root is bound by the flags like anyone, but may clear them. NetBSD lets root clear
 * SF_IMMUTABLE and SF_APPEND only at securelevel 0 or below; this kernel has no securelevel
 * and behaves as NetBSD at securelevel 0, as a rump kernel does.
 * </ul>
 *
 * Every refusal is EPERM, as in NetBSD, with a message naming the file and its flags.
 */
public final class FileFlags {
    /** Do not dump the file. */
    public static final long UF_NODUMP = 0x00000001L;
    /** The file may not be changed (owner-settable). */
    public static final long UF_IMMUTABLE = 0x00000002L;
    /** Writes may only append (owner-settable). */
    public static final long UF_APPEND = 0x00000004L;
    /** The directory is opaque to union mounts. */
    public static final long UF_OPAQUE = 0x00000008L;
    /** The flags the owner may change: the low 16 bits. */
    public static final long UF_SETTABLE = 0x0000ffffL;
    /** The file is archived. */
    public static final long SF_ARCHIVED = 0x00010000L;
    /** The file may not be changed (root only). */
    public static final long SF_IMMUTABLE = 0x00020000L;
    /** Writes may only append (root only). */
    public static final long SF_APPEND = 0x00040000L;
    /** An FFS snapshot inode: nobody reads, writes or re-flags it. */
    public static final long SF_SNAPSHOT = 0x00200000L;
    /** A snapshot that is no longer valid. */
    public static final long SF_SNAPINVAL = 0x00800000L;
    /** The flags only root may change: the high 16 bits. */
    public static final long SF_SETTABLE = 0xffff0000L;

    /** Either immutable flag. */
    public static final long IMMUTABLE = UF_IMMUTABLE | SF_IMMUTABLE;
    /** Either append-only flag. */
    public static final long APPEND = UF_APPEND | SF_APPEND;

    private FileFlags() {
    }

    /** The flags of {@code va}; a driver that reports none has none. */
    public static long of(Vattr va) {
        return va.flags == Vattr.VNOVAL ? 0 : va.flags;
    }

    public static boolean immutable(Vattr va) {
        return (of(va) & IMMUTABLE) != 0;
    }

    public static boolean appendOnly(Vattr va) {
        return (of(va) & APPEND) != 0;
    }

    /**
     * An access check ({@link Access} bits), as ufs_access: nobody gets write access to an
     * immutable file or directory, nor any access to a snapshot. Runs before the permission
     * bits are looked at, so these refusals are EPERM even for root.
     */
    public static void checkAccess(Vattr va, int accmode, String what) throws VfsException {
        if ((of(va) & SF_SNAPSHOT) != 0 && accmode != 0) {
            throw refused(what, va, "is a file system snapshot");
        }
        if ((accmode & (Access.VWRITE | Access.VAPPEND)) != 0 && immutable(va)) {
            throw refused(what, va, "is immutable");
        }
    }

    /**
     * open(2) of an existing file with {@link OpenFlags} {@code openFlags}, after the access
     * check: an append-only file opens for writing only with O_APPEND (ufs_open), and O_TRUNC
     * would truncate it (vn_open's setattr), whatever its size.
     */
    public static void checkOpen(Vattr va, int openFlags, String what) throws VfsException {
        if (!appendOnly(va)) {
            return;
        }
        if (OpenFlags.writable(openFlags) && (openFlags & OpenFlags.O_APPEND) == 0) {
            throw refused(what, va, "is append-only: open it for writing with O_APPEND");
        }
        if ((openFlags & OpenFlags.O_TRUNC) != 0) {
            throw refused(what, va, "is append-only and cannot be truncated");
        }
    }

    /**
     * A write at {@code offset} through a handle opened before the flags were set: nothing
     * into an immutable file, and into an append-only one only at its end (ffs_write and
     * tmpfs_write). NetBSD lets such a handle still write into an immutable file; refusing it
     * keeps "immutable" meaning what it says.
     */
    public static void checkWrite(Vattr va, long offset, String what) throws VfsException {
        if (immutable(va)) {
            throw refused(what, va, "is immutable");
        }
        if (appendOnly(va) && offset != va.size) {
            throw refused(what, va, "is append-only: a write at offset " + offset + " is not at its end ("
                    + va.size + " bytes)");
        }
    }

    /**
     * Any attribute change but of the flags (mode, owner, times, size), as ufs_setattr: none
     * on an immutable or append-only file.
     */
    public static void checkAttributeChange(Vattr va, String what) throws VfsException {
        if ((of(va) & (IMMUTABLE | APPEND)) != 0) {
            throw refused(what, va, "is immutable or append-only");
        }
    }

    /**
     * chflags(2) of a file with attributes {@code va} to {@code flags} by {@code cred}, as
     * ufs_setattr and genfs_can_chflags: the snapshot bits never change; root may do the rest;
     * anyone else must own the file, may not change a system flag, and may not change the flags
     * of a device node. An owner may change the owner flags of a file that carries system flags
     * (which stay).
     */
    public static void checkChflags(Vattr va, long flags, Credentials cred, String what) throws VfsException {
        long current = of(va);
        long snap = SF_SNAPSHOT | SF_SNAPINVAL;
        if ((flags & snap) != (current & snap)) {
            throw new VfsException(Errno.EPERM, what + ": the snapshot flags cannot be set or cleared (0x"
                    + Long.toHexString(current & snap) + " to 0x" + Long.toHexString(flags & snap) + ")");
        }
        if (cred.isRoot()) {
            return;
        }
        if (cred.uid() != va.uid) {
            throw new VfsException(Errno.EPERM, what + ": not the owner (owner uid " + va.uid + ", caller " + cred
                    + "), so its flags cannot be changed");
        }
        if ((flags & SF_SETTABLE) != (current & SF_SETTABLE)) {
            throw new VfsException(Errno.EPERM, what + ": only root may change system flags (0x"
                    + Long.toHexString(current & SF_SETTABLE) + " to 0x" + Long.toHexString(flags & SF_SETTABLE) + ")");
        }
        if (va.type == VType.VCHR || va.type == VType.VBLK) {
            throw new VfsException(Errno.EPERM, what + ": only root may change the flags of a device node");
        }
    }

    /** link(2) of a file with attributes {@code va}: not to an immutable or append-only file. */
    public static void checkLink(Vattr va, String what) throws VfsException {
        if ((of(va) & (IMMUTABLE | APPEND)) != 0) {
            throw refused(what, va, "is immutable or append-only and takes no new name");
        }
    }

    /**
     * unlink(2) or rmdir(2) of {@code file} from directory {@code dir}
     * (genfs_ufslike_remove_check_possible): neither may be immutable or append-only.
     */
    public static void checkRemove(Vattr dir, Vattr file, String what) throws VfsException {
        if ((of(dir) & (IMMUTABLE | APPEND)) != 0) {
            throw refused(what, dir, "is the directory, which is immutable or append-only and loses no entry");
        }
        if ((of(file) & (IMMUTABLE | APPEND)) != 0) {
            throw refused(what, file, "is immutable or append-only");
        }
    }

    /**
     * rename(2) of {@code file} from {@code fromDir} to {@code toDir}, replacing {@code target}
     * when not null (genfs_ufslike_rename_check_possible): the file and the directory it leaves
     * must be neither immutable nor append-only; the directory it enters must not be immutable,
     * nor append-only when an entry there is replaced; a replaced file must be neither.
     */
    public static void checkRename(Vattr fromDir, Vattr file, Vattr toDir, Vattr target, String what)
            throws VfsException {
        if ((of(fromDir) & (IMMUTABLE | APPEND)) != 0) {
            throw refused(what, fromDir, "is the source directory, which is immutable or append-only and loses no entry");
        }
        if ((of(file) & (IMMUTABLE | APPEND)) != 0) {
            throw refused(what, file, "is immutable or append-only and keeps its name");
        }
        long replaceable = target == null ? IMMUTABLE : IMMUTABLE | APPEND;
        if ((of(toDir) & replaceable) != 0) {
            throw refused(what, toDir, target == null ? "is the target directory, which is immutable"
                    : "is the target directory, which is immutable or append-only and keeps its entries");
        }
        if (target != null && (of(target) & (IMMUTABLE | APPEND)) != 0) {
            throw refused(what, target, "is the file to be replaced, which is immutable or append-only");
        }
    }

    private static VfsException refused(String what, Vattr va, String why) {
        return new VfsException(Errno.EPERM, what + ": inode " + va.fileid + " " + why + " (flags 0x"
                + Long.toHexString(of(va)) + ")");
    }
}
