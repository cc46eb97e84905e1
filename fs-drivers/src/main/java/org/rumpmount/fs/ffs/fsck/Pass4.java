package org.rumpmount.fs.ffs.fsck;

import java.util.List;
import org.rumpmount.fs.ffs.Dinode;
import org.rumpmount.vfs.VfsException;

/**
 * Phase 4, Check Reference Counts (fsck_ffs pass4.c): inodes marked bad or duplicate in phase 1
 * are cleared; a file no entry names is reconnected under lost+found as #inode, or cleared when it
 * is empty; every other link count is set to the number of entries naming the inode.
 */
final class Pass4 {
    private final FsckState st;
    private final Directories edit;

    Pass4(FsckState st, Directories edit) {
        this.st = st;
        this.edit = edit;
    }

    void run() throws VfsException, FsckState.PreenStop {
        for (long ino = FsckState.ROOTINO; ino < st.maxino; ino++) {
            int i = (int) ino;
            byte s = st.state[i];
            if (s == FsckState.USTATE) {
                continue;
            }
            boolean dir = s == FsckState.DSTATE || s == FsckState.DCLEAR;
            String kind = dir ? "DIR" : "FILE";
            if (s == FsckState.FCLEAR || s == FsckState.DCLEAR) {
                if (st.ask("BAD/DUP " + kind + " I=" + ino + st.describe(ino), "CLEAR", false)) {
                    clear(ino);
                }
                continue;
            }
            if (st.refs[i] == 0 && !dir) {
                Dinode d = st.disk.readInode(ino);
                if (d.size == 0) {
                    if (st.ask("UNREF " + kind + " I=" + ino + st.describe(ino), "CLEAR", true)) {
                        clear(ino);
                    }
                    continue;
                }
                if (!st.ask("UNREF " + kind + " I=" + ino + st.describe(ino), "RECONNECT", true)
                        || !edit.linkup(ino)) {
                    if (st.ask("UNREF " + kind + " I=" + ino, "CLEAR", true)) {
                        clear(ino);
                    }
                    continue;
                }
            }
            if (st.refs[i] != st.nlink[i]) {
                if (st.ask("LINK COUNT " + kind + " I=" + ino + st.describe(ino) + " COUNT " + st.nlink[i]
                        + " SHOULD BE " + st.refs[i], "ADJUST", true)) {
                    Dinode d = st.disk.readInode(ino);
                    d.nlink = st.refs[i];
                    st.disk.writeInode(ino, d);
                    st.nlink[i] = st.refs[i];
                }
            }
        }
    }

    /** Frees an inode and the fragments only it holds (fsck_ffs clri with pass4check). */
    void clear(long ino) throws VfsException {
        Dinode d = st.disk.readInode(ino);
        if (BlockWalker.hasBlocks(st.sb, d)) {
            new BlockWalker(st.sb, st.disk).walk(d, new BlockWalker.Visitor() {
                @Override
                public boolean data(long lbn, long frag, int frags) {
                    release(frag, frags);
                    return true;
                }

                @Override
                public boolean indirect(long frag, int level) {
                    boolean shared = st.inRange(frag, st.sb.frag) && st.dups.get((int) frag);
                    release(frag, st.sb.frag);
                    return st.inRange(frag, st.sb.frag) && !shared;
                }

                private void release(long frag, int frags) {
                    if (!st.inRange(frag, frags)) {
                        return;
                    }
                    for (int k = 0; k < frags; k++) {
                        long f = frag + k;
                        st.usedFrags--;
                        if (st.dups.get((int) f)) {
                            List<Long> who = st.claimants.get(f);
                            if (who != null) {
                                who.remove(Long.valueOf(ino));
                                if (!who.isEmpty()) {
                                    continue;
                                }
                            }
                            st.dups.clear((int) f);
                        }
                        if (!st.reserved.get((int) f)) {
                            st.used.clear((int) f);
                        }
                    }
                }
            });
        }
        st.disk.writeInode(ino, Pass1.cleared(d));
        st.state[(int) ino] = FsckState.USTATE;
        st.dirs.remove(ino);
        st.files--;
    }
}
