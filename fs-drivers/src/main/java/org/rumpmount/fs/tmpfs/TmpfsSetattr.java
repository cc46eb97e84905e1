package org.rumpmount.fs.tmpfs;

import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;

/**
 * One setattr on one node (NetBSD's tmpfs_setattr with tmpfs_chflags, chmod, chown, chsize and
 * chtimes). Everything is checked before anything changes, so a refused setattr changes nothing.
 */
final class TmpfsSetattr {
    private final TmpfsMount tm;
    private final TmpfsNode n;
    private final Vattr va;

    TmpfsSetattr(TmpfsMount tm, TmpfsNode n, Vattr va) {
        this.tm = tm;
        this.n = n;
        this.va = va;
    }

    void apply() throws VfsException {
        refuseReadOnlyFields();
        boolean changesSize = va.size != Vattr.VNOVAL;
        if (va.mode != (int) Vattr.VNOVAL && (va.mode & ~07777) != 0) {
            throw new VfsException(Errno.EINVAL, "tmpfs: mode 0" + Integer.toOctalString(va.mode)
                    + " for file " + n.fileid + " has bits beyond 07777");
        }
        checkId("uid", va.uid);
        checkId("gid", va.gid);
        Timespec now = tm.now();
        boolean changed = false;
        if (changesSize && resize(va.size)) {
            n.mtime = now;
            changed = true;
        }
        if (va.flags != Vattr.VNOVAL) {
            n.flags = va.flags;
            changed = true;
        }
        if (va.mode != (int) Vattr.VNOVAL) {
            n.mode = va.mode;
            changed = true;
        }
        if (va.uid != Vattr.VNOVAL) {
            n.uid = va.uid;
            changed = true;
        }
        if (va.gid != Vattr.VNOVAL) {
            n.gid = va.gid;
            changed = true;
        }
        if (va.atime != null) {
            n.atime = va.atime;
            changed = true;
        }
        if (va.mtime != null) {
            n.mtime = va.mtime;
            changed = true;
        }
        if (va.birthtime != null) {
            n.birthtime = va.birthtime;
            changed = true;
        }
        if (changed) {
            n.ctime = now;
        }
    }

    /** Sets the size; false when the type has no size to set (devices and fifos ignore it). */
    private boolean resize(long size) throws VfsException {
        switch (n.type) {
            case VDIR -> throw new VfsException(Errno.EISDIR, "tmpfs: cannot set the size of directory " + n.fileid);
            case VREG -> {
                n.data.truncate(size, n.fileid);
                return true;
            }
            case VCHR, VBLK, VFIFO -> {
                return false;
            }
            default -> throw new VfsException(Errno.EOPNOTSUPP, "tmpfs: cannot set the size of file "
                    + n.fileid + ", a " + n.type);
        }
    }

    /** NetBSD refuses a setattr that tries to change what only the file system decides. */
    private void refuseReadOnlyFields() throws VfsException {
        String field = null;
        if (va.type != null && va.type != VType.VNON) {
            field = "type";
        } else if (va.nlink != Vattr.VNOVAL) {
            field = "nlink";
        } else if (va.fsid != Vattr.VNOVAL) {
            field = "fsid";
        } else if (va.fileid != Vattr.VNOVAL) {
            field = "fileid";
        } else if (va.blocksize != Vattr.VNOVAL) {
            field = "blocksize";
        } else if (va.rdev != Vattr.VNOVAL) {
            field = "rdev";
        } else if (va.bytes != Vattr.VNOVAL) {
            field = "bytes";
        } else if (va.gen != Vattr.VNOVAL) {
            field = "gen";
        }
        // va.ctime is ignored rather than refused: ctime always becomes now, and callers that
        // copy every time field of a request (FUSE does) must not fail for it.
        if (field != null) {
            throw new VfsException(Errno.EINVAL, "tmpfs: setattr cannot change " + field + " of file " + n.fileid);
        }
    }

    private void checkId(String what, long id) throws VfsException {
        if (id != Vattr.VNOVAL && (id < 0 || id > 0xffff_ffffL)) {
            throw new VfsException(Errno.EINVAL, "tmpfs: " + what + " " + id + " for file " + n.fileid
                    + " is not an unsigned 32-bit id");
        }
    }
}
