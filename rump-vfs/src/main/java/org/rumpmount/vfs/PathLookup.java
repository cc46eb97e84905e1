package org.rumpmount.vfs;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Path name lookup (NetBSD's namei): walks a byte path from the root of one mount, checking
 * search permission on every directory, following symbolic links (ELOOP after
 * {@link #MAXSYMLINKS}), treating "." and ".." as POSIX says and a trailing slash as "must be a
 * directory".
 *
 * <p>At most one vnode lock is held at a time: each step locks the directory shared, looks the
 * name up and unlocks before the next step, so lookups never take locks out of order. Paths are
 * relative to the mount's root whether or not they start with '/'.
 */
final class PathLookup {
    /** The longest path, in bytes, as NetBSD's MAXPATHLEN (counting the terminating NUL). */
    static final int MAXPATHLEN = 1024;
    /** Symbolic links followed in one lookup before ELOOP (NetBSD's MAXSYMLINKS). */
    static final int MAXSYMLINKS = 32;

    private final Mount mount;
    private final Credentials cred;

    PathLookup(Mount mount, Credentials cred) {
        this.mount = mount;
        this.cred = cred;
    }

    /** The directory holding a path's last component, and that component. */
    record Parent(Vnode dir, Name last, boolean trailingSlash) implements AutoCloseable {
        /** Whether the path named the root itself (no last component). */
        boolean isRoot() {
            return last == null;
        }

        /**
         * Whether the path ends in "/", "." or "..": it then names a directory that exists, so
         * nothing can be created there and no entry removed by that name.
         */
        boolean namesExistingDirectory() {
            return last == null || last.isDot() || last.isDotDot();
        }

        @Override
        public void close() {
            dir.close();
        }
    }

    /** The vnode a path names, referenced. */
    Vnode resolve(byte[] path, boolean followLast) throws IOException {
        Split s = split(path);
        Vnode vp = walk(root(), s.components, 0, followLast || s.trailingSlash, new int[1]);
        if (s.trailingSlash && vp.type() != VType.VDIR) {
            String p = display(path);
            vp.close();
            throw new VfsException(Errno.ENOTDIR, p + ": not a directory");
        }
        return vp;
    }

    /** The parent directory of a path's last component, referenced; the root has none. */
    Parent resolveParent(byte[] path) throws IOException {
        Split s = split(path);
        if (s.components.isEmpty()) {
            return new Parent(root(), null, s.trailingSlash);
        }
        Name last = s.components.peekLast();
        Vnode dir = walk(root(), s.components, 1, true, new int[1]);
        if (dir.type() != VType.VDIR) {
            dir.close();
            throw new VfsException(Errno.ENOTDIR, display(path) + ": a component of the path is not a directory");
        }
        return new Parent(dir, last, s.trailingSlash);
    }

    private Vnode root() throws IOException {
        return mount.vfsOps().root();
    }

    /**
     * Walks {@code comps} from {@code start} (whose reference it takes over) until
     * {@code keep} components remain, returning the vnode reached, referenced.
     */
    private Vnode walk(Vnode start, Deque<Name> comps, int keep, boolean followLast, int[] links) throws IOException {
        Vnode dir = start;
        try {
            while (comps.size() > keep) {
                Name name = comps.pollFirst();
                boolean last = comps.size() == keep;
                Vnode child = step(dir, name);
                if (child.type() == VType.VLNK && (!last || followLast || keep > 0)) {
                    byte[] target;
                    try {
                        if (++links[0] > MAXSYMLINKS) {
                            throw new VfsException(Errno.ELOOP, "more than " + MAXSYMLINKS + " symbolic links in path");
                        }
                        try (Vnode.Locked l = child.lock(Vnode.LockMode.SHARED)) {
                            target = child.ops().readlink(child);
                        }
                    } finally {
                        child.close();
                    }
                    if (target.length == 0) {
                        throw new VfsException(Errno.ENOENT, "empty symbolic link target");
                    }
                    Split t = split(target);
                    while (!t.components.isEmpty()) {
                        comps.addFirst(t.components.pollLast());
                    }
                    if (target[0] == '/') {
                        dir.close();
                        dir = root();
                    }
                    continue;
                }
                dir.close();
                dir = child;
            }
            return dir;
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /** One step: {@code name} in {@code dir}, with search permission checked. */
    private Vnode step(Vnode dir, Name name) throws IOException {
        try (Vnode.Locked l = dir.lock(Vnode.LockMode.SHARED)) {
            Vattr va = dir.ops().getattr(dir);
            if (va.type != VType.VDIR) {
                throw new VfsException(Errno.ENOTDIR, "'" + name + "': parent is not a directory (inode " + dir.fileid() + ")");
            }
            Permissions.check(va, cred, Access.VEXEC, () -> "search in directory inode " + dir.fileid());
            if (name.isDot()) {
                return dir.ref();
            }
            if (name.isDotDot() && isRoot(dir)) {
                return dir.ref();
            }
            return dir.ops().lookup(dir, name);
        }
    }

    private boolean isRoot(Vnode dir) throws IOException {
        try (Vnode root = root()) {
            return root == dir;
        }
    }

    /** A path cut into components. */
    private record Split(Deque<Name> components, boolean trailingSlash) {
    }

    private static Split split(byte[] path) throws VfsException {
        if (path.length == 0) {
            throw new VfsException(Errno.ENOENT, "empty path");
        }
        if (path.length >= MAXPATHLEN) {
            throw new VfsException(Errno.ENAMETOOLONG, "path of " + path.length + " bytes (limit " + (MAXPATHLEN - 1) + ")");
        }
        Deque<Name> comps = new ArrayDeque<>();
        int i = 0;
        while (i < path.length) {
            while (i < path.length && path[i] == '/') {
                i++;
            }
            int start = i;
            while (i < path.length && path[i] != '/') {
                if (path[i] == 0) {
                    throw new VfsException(Errno.EINVAL, "path holds a NUL byte");
                }
                i++;
            }
            if (i > start) {
                comps.addLast(Name.of(path, start, i - start));
            }
        }
        boolean trailing = path[path.length - 1] == '/' && !comps.isEmpty();
        return new Split(comps, trailing);
    }

    static String display(byte[] path) {
        return Names.display(path);
    }
}
