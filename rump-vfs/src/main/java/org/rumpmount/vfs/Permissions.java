package org.rumpmount.vfs;

import java.util.function.Supplier;

/**
 * POSIX permission rules, applied by the kernel for every driver (NetBSD's genfs_can_access
 * and the ufs_setattr ownership rules).
 */
public final class Permissions {
    public static final int S_ISUID = 04000;
    public static final int S_ISGID = 02000;
    public static final int S_ISVTX = 01000;

    private Permissions() {
    }

    /** Whether {@code cred} owns the file. */
    public static boolean isOwner(Vattr va, Credentials cred) {
        return cred.uid() == va.uid;
    }

    /**
     * Checks {@code accmode} ({@link Access} bits) against the file's mode and owner: the owner
     * class if the caller owns the file, else the group class if a member, else other. Root may
     * do anything, except execute a non-directory that has no execute bit at all.
     * EACCES when refused.
     */
    public static void check(Vattr va, Credentials cred, int accmode, String what) throws VfsException {
        if (!allowed(va, cred, accmode)) {
            throw new VfsException(Errno.EACCES, what + ": " + describe(accmode) + " denied to " + cred);
        }
    }

    /** As {@link #check(Vattr, Credentials, int, String)}, {@code what} built only when access is denied. */
    static void check(Vattr va, Credentials cred, int accmode, Supplier<String> what) throws VfsException {
        if (!allowed(va, cred, accmode)) {
            check(va, cred, accmode, what.get());
        }
    }

    static boolean allowed(Vattr va, Credentials cred, int accmode) {
        int want = 0;
        if ((accmode & Access.VREAD) != 0) {
            want |= 4;
        }
        if ((accmode & (Access.VWRITE | Access.VAPPEND)) != 0) {
            want |= 2;
        }
        if ((accmode & Access.VEXEC) != 0) {
            want |= 1;
        }
        if (cred.isRoot()) {
            if ((want & 1) != 0 && va.type != VType.VDIR && (va.mode & 0111) == 0) {
                return false;
            }
            return true;
        }
        int bits;
        if (cred.uid() == va.uid) {
            bits = (va.mode >> 6) & 7;
        } else if (cred.isMember(va.gid)) {
            bits = (va.mode >> 3) & 7;
        } else {
            bits = va.mode & 7;
        }
        return (bits & want) == want;
    }

    /**
     * In a sticky directory only root, the directory's owner or the file's owner may remove
     * or rename an entry. EPERM otherwise.
     */
    public static void checkSticky(Vattr dir, Vattr file, Credentials cred, String what) throws VfsException {
        if ((dir.mode & S_ISVTX) != 0 && !cred.isRoot() && cred.uid() != dir.uid && cred.uid() != file.uid) {
            throw new VfsException(Errno.EPERM, what + ": sticky directory: only its owner or the file's owner may do this");
        }
    }

    /** Only the owner or root may change mode, times (explicitly) or flags. EPERM otherwise. */
    public static void checkOwner(Vattr va, Credentials cred, String what) throws VfsException {
        if (!cred.isRoot() && !isOwner(va, cred)) {
            throw new VfsException(Errno.EPERM, what + ": not the owner (owner uid " + va.uid + ", caller " + cred + ")");
        }
    }

    /**
     * chown rules: root may do anything; the owner may change the group to one of its own
     * groups and may "change" the uid only to itself. EPERM otherwise.
     */
    public static void checkChown(Vattr va, Credentials cred, long uid, long gid, String what) throws VfsException {
        if (cred.isRoot()) {
            return;
        }
        boolean uidOk = uid == Vattr.VNOVAL || uid == va.uid;
        boolean gidOk = gid == Vattr.VNOVAL || gid == va.gid || cred.isMember(gid);
        if (!isOwner(va, cred) || !uidOk || !gidOk) {
            throw new VfsException(Errno.EPERM, what + ": chown to " + uid + ":" + gid + " not permitted to " + cred);
        }
    }

    private static String describe(int accmode) {
        StringBuilder sb = new StringBuilder();
        if ((accmode & Access.VREAD) != 0) {
            sb.append("read");
        }
        if ((accmode & (Access.VWRITE | Access.VAPPEND)) != 0) {
            sb.append(sb.length() > 0 ? "/" : "").append("write");
        }
        if ((accmode & Access.VEXEC) != 0) {
            sb.append(sb.length() > 0 ? "/" : "").append("execute");
        }
        return sb.length() == 0 ? "access" : sb + " access";
    }
}
