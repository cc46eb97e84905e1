package org.rumpmount.fs.ffs.fsck;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.rumpmount.fs.ffs.Dinode;
import org.rumpmount.fs.ffs.DirectoryBlock;
import org.rumpmount.fs.ffs.Superblock;
import org.rumpmount.vfs.VfsException;

/**
 * Phase 2, Check Pathnames (fsck_ffs pass2.c): every record of every directory is checked as
 * fsck_ffs's dircheck does (a chunk that fails is salvaged from the bad record to its end); "."
 * and ".." must open each directory; each entry must name an allocated inode of the type its
 * d_type says. Each directory's name is chosen (the entry in the directory its ".." names, else
 * the first seen); other names of a directory are extraneous hard links; ".." is then repointed
 * at the chosen parent.
 */
final class Pass2 {
    private static final int DIRBLKSIZ = DirectoryBlock.DIRBLKSIZ;
    private final FsckState st;
    private final Superblock sb;
    private final Directories edit;
    private final boolean old;

    Pass2(FsckState st, Directories edit) {
        this.st = st;
        this.sb = st.sb;
        this.edit = edit;
        this.old = sb.oldFormat();
    }

    void run() throws VfsException, FsckState.PreenStop {
        int rootState = st.state[(int) FsckState.ROOTINO];
        if (rootState == FsckState.USTATE) {
            st.cannotFix("ROOT INODE UNALLOCATED");
            return;
        }
        if (rootState == FsckState.FSTATE || rootState == FsckState.FCLEAR) {
            st.cannotFix("ROOT INODE NOT DIRECTORY");
            return;
        }
        if (rootState == FsckState.DCLEAR) {
            st.cannotFix("DUPS/BAD IN ROOT INODE");
            st.state[(int) FsckState.ROOTINO] = FsckState.DSTATE;
        }
        List<FsckState.Dir> order = new ArrayList<>(st.dirs.values());
        order.sort(Comparator.comparingLong(d -> d.ino));
        for (FsckState.Dir dir : order) {
            if (st.state[(int) dir.ino] == FsckState.DSTATE) {
                scan(dir);
            }
        }
        chooseParents(order);
    }

    private void scan(FsckState.Dir dir) throws VfsException, FsckState.PreenStop {
        if (dir.size % DIRBLKSIZ != 0) {
            long rounded = (dir.size + DIRBLKSIZ - 1) / DIRBLKSIZ * DIRBLKSIZ;
            if (st.ask("DIRECTORY I=" + dir.ino + ": LENGTH " + dir.size + " NOT MULTIPLE OF " + DIRBLKSIZ, "ADJUST",
                    true)) {
                Dinode d = st.disk.readInode(dir.ino);
                d.size = rounded;
                st.disk.writeInode(dir.ino, d);
            }
            dir.size = rounded;
        }
        dir.blocks.sort(Comparator.comparingLong(b -> b[0]));
        int[] entryNo = {0};
        for (long[] blk : dir.blocks) {
            long start = blk[0] * sb.bsize;
            long limit = Math.min(blk[2], dir.size - start);
            if (limit <= 0) {
                continue;
            }
            ByteBuffer b = st.disk.readFrags(blk[1], (int) blk[2], "directory inode " + dir.ino + " block");
            boolean dirty = false;
            for (int chunk = 0; chunk + DIRBLKSIZ <= limit; chunk += DIRBLKSIZ) {
                dirty |= chunk(dir, b, chunk, start + chunk, entryNo);
            }
            if (dirty) {
                st.disk.writeFrags(blk[1], b.array(), "directory inode " + dir.ino + " block");
            }
        }
    }

    /** One DIRBLKSIZ chunk; true when it was changed. */
    private boolean chunk(FsckState.Dir dir, ByteBuffer b, int chunk, long dirOffset, int[] entryNo)
            throws VfsException, FsckState.PreenStop {
        boolean dirty = false;
        int pos = chunk;
        int prev = -1;
        int end = chunk + DIRBLKSIZ;
        while (pos < end) {
            // Less than a record header left: read as a record of length 0, which fails dircheck.
            boolean room = end - pos >= DirectoryBlock.HEADER;
            long ino = room ? b.getInt(pos) & 0xffffffffL : 0;
            int reclen = room ? b.getShort(pos + 4) & 0xffff : 0;
            int type = !room || old ? DirectoryBlock.DT_UNKNOWN : b.get(pos + 6) & 0xff;
            int namlen = !room ? 0 : old ? b.getShort(pos + 6) & 0xffff : b.get(pos + 7) & 0xff;
            long off = dirOffset + (pos - chunk);
            if (!valid(b, pos, end, ino, reclen, type, namlen)) {
                if (st.ask("DIRECTORY CORRUPTED I=" + dir.ino + " OFFSET " + off, "SALVAGE", false)) {
                    if (prev >= 0) {
                        b.putShort(prev + 4, (short) (end - prev));
                        dirty = true;
                    } else {
                        DirectoryBlock.encode(b, pos, 0, end - pos, 0, new byte[0], old);
                        dirty = true;
                        continue;
                    }
                }
                break;
            }
            // A free record's d_namlen is not checked, so its name is not read.
            byte[] name = new byte[ino == 0 ? 0 : namlen];
            b.get(pos + DirectoryBlock.HEADER, name);
            if (entryNo[0] <= 0 && dirOffset == 0 && pos == chunk) {
                entryNo[0] = 0;
                dirty |= dot(dir, b, pos, entryNo);
                reclen = b.getShort(pos + 4) & 0xffff;
                prev = pos;
                pos += reclen;
                continue;
            }
            if (entryNo[0] == 1) {
                entryNo[0] = 2;
                if (ino == 0 || isName(name, "..")) {
                    dirty |= dotdot(dir, b, pos, off, ino, type, name);
                    prev = pos;
                    pos += b.getShort(pos + 4) & 0xffff;
                    continue;
                }
                st.cannotFix("MISSING '..' I=" + dir.ino + "\nCANNOT FIX, SECOND ENTRY IN DIRECTORY CONTAINS "
                        + new String(name, StandardCharsets.UTF_8));
            }
            entryNo[0] = 2;
            int verdict = entry(dir, b, pos, off, ino, type, name);
            if (verdict == REMOVED) {
                dirty = true;
                if (prev >= 0) {
                    b.putShort(prev + 4, (short) ((b.getShort(prev + 4) & 0xffff) + reclen));
                    pos += reclen;
                    continue;
                }
                b.putInt(pos, 0);
            } else if (verdict == CHANGED) {
                dirty = true;
            }
            prev = pos;
            pos += reclen;
        }
        return dirty;
    }

    /** fsck_ffs's dircheck. */
    private boolean valid(ByteBuffer b, int pos, int end, long ino, int reclen, int type, int namlen) {
        if (ino >= st.maxino || reclen == 0 || reclen > end - pos || (reclen & 3) != 0) {
            return false;
        }
        if (ino == 0) {
            return reclen >= DirectoryBlock.HEADER;
        }
        if (reclen < DirectoryBlock.dirsiz(namlen) || namlen == 0 || namlen > DirectoryBlock.MAXNAMLEN || type > 15) {
            return false;
        }
        for (int i = 0; i < namlen; i++) {
            byte c = b.get(pos + DirectoryBlock.HEADER + i);
            if (c == 0 || c == '/') {
                return false;
            }
        }
        return b.get(pos + DirectoryBlock.HEADER + namlen) == 0;
    }

    private boolean isName(byte[] name, String s) {
        return new String(name, StandardCharsets.ISO_8859_1).equals(s);
    }

    /** The first record: ".", created in an empty record when missing. */
    private boolean dot(FsckState.Dir dir, ByteBuffer b, int pos, int[] entryNo) throws VfsException,
            FsckState.PreenStop {
        entryNo[0] = 1;
        long ino = b.getInt(pos) & 0xffffffffL;
        int reclen = b.getShort(pos + 4) & 0xffff;
        int namlen = old ? b.getShort(pos + 6) & 0xffff : b.get(pos + 7) & 0xff;
        byte[] name = new byte[ino == 0 ? 0 : Math.max(0, Math.min(namlen, reclen - DirectoryBlock.HEADER))];
        b.get(pos + DirectoryBlock.HEADER, name);
        boolean dirty = false;
        if (ino != 0 && isName(name, ".")) {
            if (ino != dir.ino) {
                if (st.ask("BAD INODE NUMBER FOR '.' I=" + dir.ino, "FIX", false)) {
                    b.putInt(pos, (int) dir.ino);
                    dirty = true;
                } else {
                    countRef(ino);
                    return false;
                }
            }
            if (!old && (b.get(pos + 6) & 0xff) != DirectoryBlock.DT_DIR) {
                if (st.ask("BAD TYPE VALUE FOR '.' I=" + dir.ino, "FIX", false)) {
                    b.put(pos + 6, (byte) DirectoryBlock.DT_DIR);
                    dirty = true;
                }
            }
            st.refs[(int) dir.ino]++;
            return dirty;
        }
        if (ino != 0 && !isName(name, "..")) {
            st.cannotFix("MISSING '.' I=" + dir.ino + "\nCANNOT FIX, FIRST ENTRY IN DIRECTORY CONTAINS "
                    + new String(name, StandardCharsets.UTF_8));
            return false;
        }
        if (ino != 0 || reclen < DirectoryBlock.dirsiz(1)) {
            st.cannotFix("MISSING '.' I=" + dir.ino + "\nCANNOT FIX, INSUFFICIENT SPACE TO ADD '.'");
            return false;
        }
        if (!st.ask("MISSING '.' I=" + dir.ino, "FIX", false)) {
            return false;
        }
        int dotSize = DirectoryBlock.dirsiz(1);
        if (reclen >= dotSize + DirectoryBlock.dirsiz(2)) {
            DirectoryBlock.encode(b, pos, dir.ino, dotSize, DirectoryBlock.DT_DIR, new byte[] {'.'}, old);
            DirectoryBlock.encode(b, pos + dotSize, 0, reclen - dotSize, 0, new byte[0], old);
        } else {
            DirectoryBlock.encode(b, pos, dir.ino, reclen, DirectoryBlock.DT_DIR, new byte[] {'.'}, old);
        }
        st.refs[(int) dir.ino]++;
        return true;
    }

    /** The second record: "..", made in free space when missing; its target is settled after the scan. */
    private boolean dotdot(FsckState.Dir dir, ByteBuffer b, int pos, long off, long ino, int type, byte[] name)
            throws VfsException, FsckState.PreenStop {
        if (ino != 0 && isName(name, "..")) {
            dir.dotdot = ino;
            dir.dotdotOffset = off;
            if (st.state[(int) ino] == FsckState.DSTATE || st.state[(int) ino] == FsckState.DCLEAR) {
                countRef(ino);
                dir.dotdotCounted = true;
            }
            if (!old && type != DirectoryBlock.DT_DIR) {
                if (st.ask("BAD TYPE VALUE FOR '..' I=" + dir.ino, "FIX", false)) {
                    b.put(pos + 6, (byte) DirectoryBlock.DT_DIR);
                    return true;
                }
            }
            return false;
        }
        int reclen = b.getShort(pos + 4) & 0xffff;
        if (reclen < DirectoryBlock.dirsiz(2)) {
            st.cannotFix("MISSING '..' I=" + dir.ino + "\nCANNOT FIX, INSUFFICIENT SPACE TO ADD '..'");
            return false;
        }
        if (!st.ask("MISSING '..' I=" + dir.ino, "FIX", false)) {
            return false;
        }
        DirectoryBlock.encode(b, pos, 0, reclen, DirectoryBlock.DT_DIR, new byte[] {'.', '.'}, old);
        dir.dotdot = 0;
        dir.dotdotOffset = off;
        return true;
    }

    private static final int UNCHANGED = 0;
    private static final int CHANGED = 1;
    private static final int REMOVED = 2;

    private int entry(FsckState.Dir dir, ByteBuffer b, int pos, long off, long ino, int type, byte[] name)
            throws VfsException, FsckState.PreenStop {
        if (ino == 0) {
            return UNCHANGED;
        }
        String where = " I=" + ino + " IN DIR I=" + dir.ino + " NAME=" + new String(name, StandardCharsets.UTF_8);
        if (isName(name, ".") || isName(name, "..")) {
            return st.ask("EXTRA '" + new String(name, StandardCharsets.ISO_8859_1) + "' ENTRY" + where, "FIX", false)
                    ? REMOVED : UNCHANGED;
        }
        if (ino < FsckState.ROOTINO) {
            return st.ask("I OUT OF RANGE" + where, "REMOVE", false) ? REMOVED : UNCHANGED;
        }
        int i = (int) ino;
        switch (st.state[i]) {
            case FsckState.USTATE -> {
                return st.ask("UNALLOCATED" + where, "REMOVE", false) ? REMOVED : UNCHANGED;
            }
            case FsckState.FCLEAR, FsckState.DCLEAR -> {
                String why = st.state[i] == FsckState.FCLEAR ? "DUP/BAD" : "ZERO LENGTH DIRECTORY";
                if (st.ask(why + where, "REMOVE", false)) {
                    return REMOVED;
                }
                st.state[i] = st.dirs.containsKey(ino) ? FsckState.DSTATE : FsckState.FSTATE;
            }
            default -> {
            }
        }
        int verdict = UNCHANGED;
        if (!old && type != st.type[i]) {
            if (st.ask("BAD TYPE VALUE" + where, "FIX", false)) {
                b.put(pos + 6, st.type[i]);
                verdict = CHANGED;
            }
        }
        FsckState.Dir sub = st.dirs.get(ino);
        if (sub != null && st.state[i] == FsckState.DSTATE) {
            sub.namedBy.add(new long[] {dir.ino, off});
        } else {
            st.refs[i]++;
        }
        return verdict;
    }

    private void countRef(long ino) {
        if (ino > 0 && ino < st.maxino) {
            st.refs[(int) ino]++;
        }
    }

    /** Picks each directory's one name, drops the others, and repoints ".." at the chosen parent. */
    private void chooseParents(List<FsckState.Dir> order) throws VfsException, FsckState.PreenStop {
        FsckState.Dir root = st.dirs.get(FsckState.ROOTINO);
        if (root != null) {
            root.parent = FsckState.ROOTINO;
        }
        for (FsckState.Dir d : order) {
            if (d.namedBy.isEmpty()) {
                continue;
            }
            long[] chosen = null;
            if (d.ino != FsckState.ROOTINO) {
                for (long[] at : d.namedBy) {
                    if (at[0] == d.dotdot) {
                        chosen = at;
                        break;
                    }
                }
                if (chosen == null) {
                    chosen = d.namedBy.get(0);
                }
            }
            List<long[]> keep = new ArrayList<>();
            for (long[] at : d.namedBy) {
                if (at == chosen) {
                    keep.add(at);
                    st.refs[(int) d.ino]++;
                    continue;
                }
                if (st.ask("EXTRANEOUS HARD LINK TO DIRECTORY I=" + d.ino + " IN DIR I=" + at[0], "REMOVE", false)) {
                    edit.remove(st.dirs.get(at[0]), at[1]);
                } else {
                    st.refs[(int) d.ino]++;
                }
            }
            d.namedBy.clear();
            d.namedBy.addAll(keep);
            if (chosen != null) {
                d.parent = chosen[0];
            }
        }
        for (FsckState.Dir d : order) {
            if (d.parent == 0 || d.dotdotOffset < 0 || d.dotdot == d.parent) {
                continue;
            }
            boolean fix = d.dotdot == 0
                    || st.ask("BAD INODE NUMBER FOR '..' I=" + d.ino + " (IS " + d.dotdot + ", PARENT IS " + d.parent
                            + ")", "FIX", false);
            if (fix) {
                edit.repoint(d, d.dotdotOffset, d.parent);
                st.uncountDotdot(d);
                st.refs[(int) d.parent]++;
                d.dotdot = d.parent;
                d.dotdotCounted = true;
            }
        }
    }
}
