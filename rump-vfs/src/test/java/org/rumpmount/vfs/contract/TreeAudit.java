package org.rumpmount.vfs.contract;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.Vnode;

/**
 * Walks a whole mounted tree and checks what must hold of any consistent file system,
 * fsck-style:
 * <ul>
 *   <li>every directory lists "." (itself) and ".." (its parent; the root's is the root), and no
 *       name twice;</li>
 *   <li>every directory's link count is 2 plus its subdirectories;</li>
 *   <li>every entry can be looked up and stat'ed, with the file id and type its entry claims;</li>
 *   <li>every other file's link count equals the number of names it has;</li>
 *   <li>no directory is its own ancestor.</li>
 * </ul>
 * It walks vnode by vnode through the driver's lookup, readdir and getattr (under the locks the
 * kernel would take), not by path, so a tree deeper than MAXPATHLEN (which renames can build)
 * is audited too. Returns a list of problems rather than stopping at the first, so one failure
 * shows the damage.
 */
public final class TreeAudit {
    private static final int MAX_PROBLEMS = 50;

    private final Mount mount;
    private final List<String> problems = new ArrayList<>();
    private final Map<Long, Integer> namesPerFile = new HashMap<>();
    private final Map<Long, Long> nlinkPerFile = new HashMap<>();
    private final Map<Long, String> somePathOf = new HashMap<>();

    private TreeAudit(Mount mount) {
        this.mount = mount;
    }

    /** Stack for the walk: racing renames can nest directories thousands deep. */
    private static final long WALK_STACK_BYTES = 1L << 30;

    /** Audits the tree of {@code view}'s mount and returns what is wrong (empty when consistent). */
    public static List<String> audit(PathFacade view) throws IOException {
        TreeAudit a = new TreeAudit(view.mount());
        Throwable[] failure = new Throwable[1];
        Thread walker = new Thread(null, () -> {
            try (Vnode root = a.mount.vfsOps().root()) {
                Vattr va = getattr(root);
                a.walk("/", root, va, va.fileid, new HashSet<>());
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "tree-audit", WALK_STACK_BYTES);
        walker.start();
        try {
            walker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("tree audit interrupted");
        }
        if (failure[0] instanceof IOException e) {
            throw e;
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        a.checkLinkCounts();
        return a.problems;
    }

    private void problem(String path, String what) {
        if (problems.size() < MAX_PROBLEMS) {
            String shown = path.length() > 160 ? "..." + path.substring(path.length() - 157) : path;
            problems.add(shown + ": " + what);
        }
    }

    private static Vattr getattr(Vnode vp) throws IOException {
        try (Vnode.Locked l = vp.lock(Vnode.LockMode.SHARED)) {
            return vp.ops().getattr(vp);
        }
    }

    private static List<Dirent> list(Vnode dir) throws IOException {
        List<Dirent> out = new ArrayList<>();
        try (Vnode.Locked l = dir.lock(Vnode.LockMode.SHARED)) {
            dir.ops().readdir(dir, 0, out::add);
        }
        return out;
    }

    private static Vnode lookup(Vnode dir, Name name) throws IOException {
        try (Vnode.Locked l = dir.lock(Vnode.LockMode.SHARED)) {
            return dir.ops().lookup(dir, name);
        }
    }

    private void walk(String path, Vnode dir, Vattr dva, long parentId, Set<Long> onPath) throws IOException {
        if (!onPath.add(dva.fileid)) {
            problem(path, "directory " + dva.fileid + " is its own ancestor");
            return;
        }
        Set<Name> seen = new HashSet<>();
        int subdirs = 0;
        boolean dot = false;
        boolean dotdot = false;
        for (Dirent d : list(dir)) {
            if (!seen.add(d.name())) {
                problem(path, "entry '" + d.name() + "' listed more than once");
                continue;
            }
            if (d.name().isDot()) {
                dot = true;
                if (d.fileid() != dva.fileid) {
                    problem(path, "'.' has file id " + d.fileid() + ", the directory is " + dva.fileid);
                }
                continue;
            }
            if (d.name().isDotDot()) {
                dotdot = true;
                if (d.fileid() != parentId) {
                    problem(path, "'..' has file id " + d.fileid() + ", the parent is " + parentId);
                }
                continue;
            }
            String child = (path.equals("/") ? "/" : path + "/") + d.name();
            try (Vnode vp = lookup(dir, d.name())) {
                Vattr va = getattr(vp);
                if (va.fileid != d.fileid()) {
                    problem(child, "entry says file id " + d.fileid() + ", the file is " + va.fileid);
                }
                if (d.type() != null && d.type() != VType.VNON && d.type() != VType.VBAD && d.type() != va.type) {
                    problem(child, "entry says type " + d.type() + ", the file is " + va.type);
                }
                if (va.type == VType.VDIR) {
                    subdirs++;
                    walk(child, vp, va, dva.fileid, onPath);
                } else {
                    namesPerFile.merge(va.fileid, 1, Integer::sum);
                    nlinkPerFile.put(va.fileid, va.nlink);
                    somePathOf.putIfAbsent(va.fileid, child);
                }
            } catch (IOException e) {
                problem(child, "listed but cannot be looked up: " + e.getMessage());
            }
        }
        if (!dot) {
            problem(path, "no '.' entry");
        }
        if (!dotdot) {
            problem(path, "no '..' entry");
        }
        long nlink = getattr(dir).nlink;
        if (nlink != 2 + subdirs) {
            problem(path, "link count " + nlink + " but 2 + " + subdirs + " subdirectories");
        }
        onPath.remove(dva.fileid);
    }

    private void checkLinkCounts() {
        for (Map.Entry<Long, Integer> e : namesPerFile.entrySet()) {
            long nlink = nlinkPerFile.get(e.getKey());
            if (nlink != e.getValue()) {
                problem(somePathOf.get(e.getKey()), "link count " + nlink + " but " + e.getValue() + " name(s) found");
            }
        }
    }
}
