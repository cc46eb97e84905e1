package org.rumpmount.vfs.contract;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;

/**
 * Walks a whole mounted tree (as root, through the path facade, with a byte-preserving charset)
 * and checks what must hold of any consistent file system, fsck-style:
 * <ul>
 *   <li>every directory lists "." (itself) and ".." (its parent; the root's is the root), and no
 *       name twice;</li>
 *   <li>every directory's link count is 2 plus its subdirectories;</li>
 *   <li>every entry can be lstat'ed, with the file id and type its entry claims;</li>
 *   <li>every other file's link count equals the number of names it has.</li>
 * </ul>
 * Returns a list of problems rather than stopping at the first, so one failure shows the damage.
 */
public final class TreeAudit {
    private final PathFacade fs;
    private final List<String> problems = new ArrayList<>();
    private final Map<Long, Integer> namesPerFile = new HashMap<>();
    private final Map<Long, Long> nlinkPerFile = new HashMap<>();
    private final Map<Long, String> somePathOf = new HashMap<>();
    private int directories;
    private int files;

    private TreeAudit(PathFacade rootView) {
        this.fs = rootView.withCharset(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Audits the tree below "/" and returns what is wrong (empty when consistent). */
    public static List<String> audit(PathFacade rootView) throws IOException {
        TreeAudit a = new TreeAudit(rootView);
        Vattr root = a.fs.lstat("/");
        a.walk("/", root, root.fileid, new HashSet<>());
        a.checkLinkCounts();
        return a.problems;
    }

    private void walk(String path, Vattr dir, long parentId, Set<Long> onPath) throws IOException {
        directories++;
        if (!onPath.add(dir.fileid)) {
            problems.add(path + ": directory " + dir.fileid + " is its own ancestor");
            return;
        }
        List<Dirent> entries = fs.readdir(path);
        Set<Name> seen = new HashSet<>();
        int subdirs = 0;
        boolean dot = false;
        boolean dotdot = false;
        for (Dirent d : entries) {
            if (!seen.add(d.name())) {
                problems.add(path + ": entry '" + d.name() + "' listed more than once");
                continue;
            }
            if (d.name().isDot()) {
                dot = true;
                if (d.fileid() != dir.fileid) {
                    problems.add(path + ": '.' has file id " + d.fileid() + ", the directory is " + dir.fileid);
                }
                continue;
            }
            if (d.name().isDotDot()) {
                dotdot = true;
                if (d.fileid() != parentId) {
                    problems.add(path + ": '..' has file id " + d.fileid() + ", the parent is " + parentId);
                }
                continue;
            }
            String child = (path.equals("/") ? "/" : path + "/") + d.name().toString(java.nio.charset.StandardCharsets.ISO_8859_1);
            Vattr va;
            try {
                va = fs.lstat(child);
            } catch (IOException e) {
                problems.add(child + ": listed but lstat fails: " + e.getMessage());
                continue;
            }
            if (va.fileid != d.fileid()) {
                problems.add(child + ": entry says file id " + d.fileid() + ", lstat says " + va.fileid);
            }
            if (d.type() != null && d.type() != VType.VNON && d.type() != VType.VBAD && d.type() != va.type) {
                problems.add(child + ": entry says type " + d.type() + ", lstat says " + va.type);
            }
            if (va.type == VType.VDIR) {
                subdirs++;
                walk(child, va, dir.fileid, onPath);
            } else {
                files++;
                namesPerFile.merge(va.fileid, 1, Integer::sum);
                nlinkPerFile.put(va.fileid, va.nlink);
                somePathOf.putIfAbsent(va.fileid, child);
            }
        }
        if (!dot) {
            problems.add(path + ": no '.' entry");
        }
        if (!dotdot) {
            problems.add(path + ": no '..' entry");
        }
        Vattr now = fs.lstat(path);
        if (now.nlink != 2 + subdirs) {
            problems.add(path + ": link count " + now.nlink + " but 2 + " + subdirs + " subdirectories");
        }
        onPath.remove(dir.fileid);
    }

    private void checkLinkCounts() {
        for (Map.Entry<Long, Integer> e : namesPerFile.entrySet()) {
            long nlink = nlinkPerFile.get(e.getKey());
            if (nlink != e.getValue()) {
                problems.add(somePathOf.get(e.getKey()) + ": link count " + nlink + " but " + e.getValue() + " name(s) found");
            }
        }
    }

    @Override
    public String toString() {
        return "audit of " + directories + " directories and " + files + " other names";
    }
}
