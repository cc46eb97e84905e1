package org.rumpmount.fs.tmpfs;

import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.Vnode;

/**
 * One rename (NetBSD's tmpfs_rename.c). The kernel holds the mount's rename lock and every vnode
 * involved exclusive and has done the generic checks; they are repeated here where a mistake
 * would corrupt the tree. Every check comes before the first change, so a refused rename
 * changes nothing.
 */
final class TmpfsRename {
    private final TmpfsMount tm;
    private final TmpfsNode fdn;
    private final TmpfsNode fn;
    private final Name fname;
    private final TmpfsNode tdn;
    private final TmpfsNode tn;
    private final Name tname;

    TmpfsRename(TmpfsMount tm, Vnode fdvp, Vnode fvp, Name fname, Vnode tdvp, Vnode tvp, Name tname)
            throws VfsException {
        this.tm = tm;
        this.fdn = TmpfsVnodeOps.dirNode(fdvp, "rename from '" + fname + "'");
        this.fn = TmpfsVnodeOps.node(fvp);
        this.fname = fname;
        this.tdn = TmpfsVnodeOps.dirNode(tdvp, "rename to '" + tname + "'");
        this.tn = tvp == null ? null : TmpfsVnodeOps.node(tvp);
        this.tname = tname;
        if (fvp.mount() != tdvp.mount() || fdvp.mount() != tdvp.mount() || (tvp != null && tvp.mount() != tdvp.mount())) {
            throw new VfsException(Errno.EXDEV, "tmpfs: rename of '" + fname + "' across mounts");
        }
    }

    void run() throws VfsException {
        if (fname.isDot() || fname.isDotDot() || tname.isDot() || tname.isDotDot()) {
            throw new VfsException(Errno.EINVAL, "tmpfs: rename of '" + fname + "' to '" + tname
                    + "': \".\" and \"..\" cannot be renamed or replaced");
        }
        TmpfsDirent fde = TmpfsVnodeOps.entryFor(fdn, fname, fn);
        TmpfsDirent tde = tdn.dir.lookup(tname);
        if (tn != null) {
            TmpfsVnodeOps.entryFor(tdn, tname, tn);
        } else if (tde != null && tde.node() != fn) {
            throw new VfsException(Errno.EEXIST, "tmpfs: rename target '" + tname + "' appeared in directory "
                    + tdn.fileid);
        }
        // POSIX: when both names are links to the same file, rename does nothing and succeeds.
        if (tn == fn || (tde != null && tde.node() == fn)) {
            return;
        }
        if (tdn.isRemovedDir()) {
            throw new VfsException(Errno.ENOENT, "tmpfs: rename into removed directory " + tdn.fileid);
        }
        if (tn != null) {
            checkReplaceable();
        }
        boolean movesDir = fn.isDir() && fdn != tdn;
        if (movesDir) {
            checkNotIntoOwnSubtree();
            if (tn == null && tdn.nlink >= TmpfsNode.LINK_MAX) {
                throw new VfsException(Errno.EMLINK, "tmpfs: directory " + tdn.fileid + " has " + tdn.nlink
                        + " links, the most allowed");
            }
        }

        Timespec now = tm.now();
        fdn.dir.remove(fde);
        if (tn != null) {
            tdn.dir.remove(tdn.dir.lookup(tname));
            if (tn.isDir()) {
                // The replaced directory's "." and its entry in tdn go, and with its ".." tdn loses a link.
                tn.nlink = 0;
                tdn.nlink--;
            } else {
                tn.nlink--;
            }
            tn.touchChanged(now);
        }
        tdn.dir.add(tname, fn);
        if (movesDir) {
            fn.dir.setParent(tdn);
            fdn.nlink--;
            tdn.nlink++;
        }
        fn.touchChanged(now);
        fdn.touchModified(now);
        tdn.touchModified(now);
    }

    private void checkReplaceable() throws VfsException {
        if (fn.isDir() && !tn.isDir()) {
            throw new VfsException(Errno.ENOTDIR, "tmpfs: rename of directory '" + fname + "' over non-directory '"
                    + tname + "'");
        }
        if (!fn.isDir() && tn.isDir()) {
            throw new VfsException(Errno.EISDIR, "tmpfs: rename of non-directory '" + fname + "' over directory '"
                    + tname + "'");
        }
        if (tn.isDir() && !tn.dir.isEmpty()) {
            throw new VfsException(Errno.ENOTEMPTY, "tmpfs: rename target directory '" + tname + "' (file "
                    + tn.fileid + ") holds " + tn.dir.count() + " entries");
        }
    }

    /**
     * Moving a directory below itself would cut it off from the tree. Parent pointers change
     * only under the rename lock, which the caller holds, so the walk sees a stable tree.
     */
    private void checkNotIntoOwnSubtree() throws VfsException {
        TmpfsNode n = tdn;
        while (true) {
            if (n == fn) {
                throw new VfsException(Errno.EINVAL, "tmpfs: cannot move directory '" + fname + "' (file "
                        + fn.fileid + ") into its own subtree");
            }
            TmpfsNode up = n.dir.parent();
            if (up == n || up == null) {
                return;
            }
            n = up;
        }
    }
}
