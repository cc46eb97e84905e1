package org.rumpmount.vfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One rename(2): the checks that are the same for every file system, and the locking that
 * keeps it free of deadlock (NetBSD's genfs_rename in spirit).
 *
 * <p>Order: the mount's rename lock; then the two directories, an ancestor before its
 * descendant, unrelated ones by file id; then the moved vnode and the replaced one, by file
 * id. Ancestry is settled before any vnode lock is taken, while the rename lock keeps every
 * other rename out: the source may not be an ancestor of the target directory (EINVAL), and a
 * target that is an ancestor of the source directory is not empty (ENOTEMPTY). With those cases
 * gone, no lock here can be taken after one of its descendants.
 */
final class Rename {
    private final Mount mount;
    private final Credentials cred;
    private final PathLookup lookup;
    private final byte[] from;
    private final byte[] to;

    Rename(Mount mount, Credentials cred, PathLookup lookup, byte[] from, byte[] to) {
        this.mount = mount;
        this.cred = cred;
        this.lookup = lookup;
        this.from = from;
        this.to = to;
    }

    void run() throws IOException {
        String what = PathLookup.display(from) + " -> " + PathLookup.display(to);
        mount.renameLock().lock();
        try (PathLookup.Parent fp = lookup.resolveParent(from);
             PathLookup.Parent tp = lookup.resolveParent(to)) {
            checkNames(fp, tp, what);
            Vnode fdvp = fp.dir();
            Vnode tdvp = tp.dir();
            List<Long> fChain = ancestors(fdvp);
            List<Long> tChain = ancestors(tdvp);
            try (Held held = new Held()) {
                lockDirectories(held, fdvp, tdvp, fChain, tChain);
                Vattr fdva = fdvp.ops().getattr(fdvp);
                Vattr tdva = fdvp == tdvp ? fdva : tdvp.ops().getattr(tdvp);
                Permissions.check(fdva, cred, Access.VEXEC, what);
                Permissions.check(tdva, cred, Access.VEXEC, what);
                Vnode fvp = held.keep(fdvp.ops().lookup(fdvp, fp.last()));
                Vnode tvp = held.keep(PathFacade.lookupOrNull(tdvp, tp.last()));
                if (fvp == tvp) {
                    return; // two names of one file: POSIX says do nothing, successfully
                }
                if (fvp.type() != VType.VDIR && (fp.trailingSlash() || tp.trailingSlash())) {
                    throw new VfsException(Errno.ENOTDIR, what + ": trailing slash on a file that is not a directory");
                }
                if (fvp.type() == VType.VDIR && tChain.contains(fvp.fileid())) {
                    throw new VfsException(Errno.EINVAL, what + ": cannot move a directory into itself");
                }
                if (tvp != null) {
                    if (tvp.type() == VType.VDIR && fChain.contains(tvp.fileid())) {
                        throw new VfsException(Errno.ENOTEMPTY, what + ": target directory holds the source");
                    }
                    if (fvp.type() == VType.VDIR && tvp.type() != VType.VDIR) {
                        throw new VfsException(Errno.ENOTDIR, what + ": target is not a directory");
                    }
                    if (fvp.type() != VType.VDIR && tvp.type() == VType.VDIR) {
                        throw new VfsException(Errno.EISDIR, what + ": target is a directory");
                    }
                }
                lockLeaves(held, fvp, tvp);
                if (mount.isReadOnly()) {
                    throw new VfsException(Errno.EROFS, what + ": read-only file system");
                }
                FileFlags.checkAccess(fdva, Access.VWRITE, what);
                FileFlags.checkAccess(tdva, Access.VWRITE, what);
                Permissions.check(fdva, cred, Access.VWRITE | Access.VEXEC, what);
                Permissions.check(tdva, cred, Access.VWRITE | Access.VEXEC, what);
                Vattr fva = fvp.ops().getattr(fvp);
                Vattr tva = tvp == null ? null : tvp.ops().getattr(tvp);
                FileFlags.checkRename(fdva, fva, tdva, tva, what);
                Permissions.checkSticky(fdva, fva, cred, what);
                if (tva != null) {
                    Permissions.checkSticky(tdva, tva, cred, what);
                }
                if (fvp.type() == VType.VDIR && fdvp != tdvp) {
                    // Moving a directory rewrites its "..": that needs write permission on it.
                    Permissions.check(fva, cred, Access.VWRITE, what);
                }
                fdvp.ops().rename(fdvp, fvp, fp.last(), tdvp, tvp, tp.last(), cred);
            }
        } finally {
            mount.renameLock().unlock();
        }
    }

    private static void checkNames(PathLookup.Parent fp, PathLookup.Parent tp, String what) throws VfsException {
        if (fp.isRoot() || tp.isRoot()) {
            throw new VfsException(Errno.EBUSY, what + ": the root cannot be renamed or replaced");
        }
        if (fp.last().isDot() || fp.last().isDotDot() || tp.last().isDot() || tp.last().isDotDot()) {
            throw new VfsException(Errno.EINVAL, what + ": '.' and '..' cannot be renamed");
        }
    }

    /** File ids from {@code dir} up to the root, inclusive, by walking "..". */
    private List<Long> ancestors(Vnode dir) throws IOException {
        List<Long> chain = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        Vnode vp = dir.ref();
        try {
            while (true) {
                if (!seen.add(vp.fileid())) {
                    throw new VfsException(Errno.EIO, "directory loop through inode " + vp.fileid());
                }
                chain.add(vp.fileid());
                Vnode parent;
                try (Vnode.Locked l = vp.lock(Vnode.LockMode.SHARED)) {
                    parent = vp.ops().lookup(vp, Name.DOTDOT);
                }
                if (parent == vp) {
                    parent.close();
                    return chain;
                }
                try (Vnode root = mount.vfsOps().root()) {
                    if (vp == root) {
                        parent.close();
                        return chain;
                    }
                }
                vp.close();
                vp = parent;
            }
        } finally {
            vp.close();
        }
    }

    private static void lockDirectories(Held held, Vnode fdvp, Vnode tdvp, List<Long> fChain, List<Long> tChain) {
        if (fdvp == tdvp) {
            held.lock(fdvp);
        } else if (tChain.contains(fdvp.fileid())) {
            held.lock(fdvp);
            held.lock(tdvp);
        } else if (fChain.contains(tdvp.fileid())) {
            held.lock(tdvp);
            held.lock(fdvp);
        } else if (fdvp.fileid() < tdvp.fileid()) {
            held.lock(fdvp);
            held.lock(tdvp);
        } else {
            held.lock(tdvp);
            held.lock(fdvp);
        }
    }

    private static void lockLeaves(Held held, Vnode fvp, Vnode tvp) {
        if (tvp == null) {
            held.lock(fvp);
        } else if (fvp.fileid() < tvp.fileid()) {
            held.lock(fvp);
            held.lock(tvp);
        } else {
            held.lock(tvp);
            held.lock(fvp);
        }
    }

    /** The locks and references taken, released in reverse order. */
    private static final class Held implements AutoCloseable {
        private final List<Vnode.Locked> locks = new ArrayList<>();
        private final List<Vnode> refs = new ArrayList<>();

        void lock(Vnode vp) {
            locks.add(vp.lock(Vnode.LockMode.EXCLUSIVE));
        }

        Vnode keep(Vnode vp) {
            if (vp != null) {
                refs.add(vp);
            }
            return vp;
        }

        @Override
        public void close() {
            for (int i = locks.size() - 1; i >= 0; i--) {
                locks.get(i).close();
            }
            for (int i = refs.size() - 1; i >= 0; i--) {
                refs.get(i).close();
            }
        }
    }
}
