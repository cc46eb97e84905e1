package org.rumpmount.fs.ffs.fsck;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rumpmount.vfs.VfsException;

/**
 * Phase 3, Check Connectivity (fsck_ffs pass3.c): each directory must reach the root through its
 * chosen parents. The top of each chain that does not (a directory nobody names, or one member of
 * a loop) is an UNREF DIR, reconnected under lost+found; a loop member is cut from the entry that
 * closed the loop.
 */
final class Pass3 {
    private final FsckState st;
    private final Directories edit;

    Pass3(FsckState st, Directories edit) {
        this.st = st;
        this.edit = edit;
    }

    void run() throws VfsException, FsckState.PreenStop {
        FsckState.Dir root = st.dirs.get(FsckState.ROOTINO);
        if (root == null) {
            return;
        }
        root.found = true;
        List<FsckState.Dir> order = new ArrayList<>(st.dirs.values());
        order.sort(Comparator.comparingLong(d -> d.ino));
        Set<Long> given = new HashSet<>();
        for (FsckState.Dir d : order) {
            if (d.found || st.state[(int) d.ino] != FsckState.DSTATE) {
                continue;
            }
            List<FsckState.Dir> chain = new ArrayList<>();
            Set<Long> inChain = new HashSet<>();
            FsckState.Dir cur = d;
            while (!cur.found) {
                chain.add(cur);
                inChain.add(cur.ino);
                FsckState.Dir up = cur.parent == 0 ? null : st.dirs.get(cur.parent);
                if (up == null || inChain.contains(up.ino)) {
                    break;
                }
                cur = up;
            }
            if (cur.found) {
                chain.forEach(c -> c.found = true);
                continue;
            }
            FsckState.Dir top = cur;
            if (!given.add(top.ino)) {
                continue;
            }
            if (st.ask("UNREF DIR I=" + top.ino + st.describe(top.ino), "RECONNECT", true) && edit.linkup(top.ino)) {
                top.found = true;
                for (FsckState.Dir c : chain) {
                    c.found = true;
                    if (c == top) {
                        break;
                    }
                }
                // Directories below the top that are not on this chain are found by their own chains later.
                markFound(order);
            }
        }
    }

    private void markFound(List<FsckState.Dir> order) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (FsckState.Dir d : order) {
                if (!d.found && d.parent != 0) {
                    FsckState.Dir up = st.dirs.get(d.parent);
                    if (up != null && up.found && up != d) {
                        d.found = true;
                        changed = true;
                    }
                }
            }
        }
    }
}
