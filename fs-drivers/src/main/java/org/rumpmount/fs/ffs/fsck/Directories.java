package org.rumpmount.fs.ffs.fsck;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.rumpmount.fs.ffs.Dinode;
import org.rumpmount.fs.ffs.DirectoryBlock;
import org.rumpmount.fs.ffs.Superblock;
import org.rumpmount.vfs.VfsException;

/**
 * Edits directories after phase 2 has read them: removes or repoints one entry found by its
 * offset, adds an entry where a record has room (fsck_ffs makeentry), and reconnects orphans under
 * lost+found, creating it when missing (linkup, allocdir) and giving it room when it is full
 * (expanddir).
 */
final class Directories {
    private final FsckState st;
    private final Superblock sb;

    Directories(FsckState st) {
        this.st = st;
        this.sb = st.sb;
    }

    private long[] blockAt(FsckState.Dir dir, long offset) {
        long lbn = offset / sb.bsize;
        for (long[] b : dir.blocks) {
            if (b[0] == lbn) {
                return b;
            }
        }
        return null;
    }

    /** Zeroes the entry at {@code offset} of {@code dir}, merging its space into the record before it. */
    void remove(FsckState.Dir dir, long offset) throws VfsException {
        edit(dir, offset, -1);
    }

    /** Points the entry at {@code offset} of {@code dir} at {@code ino}. */
    void repoint(FsckState.Dir dir, long offset, long ino) throws VfsException {
        edit(dir, offset, ino);
    }

    private void edit(FsckState.Dir dir, long offset, long ino) throws VfsException {
        long[] blk = blockAt(dir, offset);
        if (blk == null) {
            return;
        }
        ByteBuffer b = st.disk.readFrags(blk[1], (int) blk[2], "directory inode " + dir.ino + " block");
        int inBlock = (int) (offset - blk[0] * sb.bsize);
        int chunk = inBlock / DirectoryBlock.DIRBLKSIZ * DirectoryBlock.DIRBLKSIZ;
        int pos = chunk;
        int prev = -1;
        while (pos < inBlock && pos < chunk + DirectoryBlock.DIRBLKSIZ) {
            int reclen = b.getShort(pos + 4) & 0xffff;
            if (reclen == 0) {
                return;
            }
            prev = pos;
            pos += reclen;
        }
        if (pos != inBlock) {
            return;
        }
        if (ino >= 0) {
            b.putInt(pos, (int) ino);
        } else if (prev >= 0) {
            int reclen = b.getShort(pos + 4) & 0xffff;
            b.putShort(prev + 4, (short) ((b.getShort(prev + 4) & 0xffff) + reclen));
        } else {
            b.putInt(pos, 0);
        }
        st.disk.writeFrags(blk[1], b.array(), "directory inode " + dir.ino + " block");
    }

    /** Adds an entry to {@code dir}; false when no record has room. */
    boolean makeEntry(FsckState.Dir dir, long ino, String name, int type) throws VfsException {
        byte[] nm = name.getBytes(StandardCharsets.UTF_8);
        int need = DirectoryBlock.dirsiz(nm.length);
        boolean old = sb.oldFormat();
        for (long[] blk : dir.blocks) {
            long limit = Math.min(blk[2], dir.size - blk[0] * sb.bsize);
            ByteBuffer b = st.disk.readFrags(blk[1], (int) blk[2], "directory inode " + dir.ino + " block");
            for (int chunk = 0; chunk + DirectoryBlock.DIRBLKSIZ <= limit; chunk += DirectoryBlock.DIRBLKSIZ) {
                int pos = chunk;
                while (pos + DirectoryBlock.HEADER <= chunk + DirectoryBlock.DIRBLKSIZ) {
                    long eino = b.getInt(pos) & 0xffffffffL;
                    int reclen = b.getShort(pos + 4) & 0xffff;
                    int namlen = old ? b.getShort(pos + 6) & 0xffff : b.get(pos + 7) & 0xff;
                    if (reclen == 0 || pos + reclen > chunk + DirectoryBlock.DIRBLKSIZ) {
                        break;
                    }
                    if (eino == 0 && reclen >= need) {
                        DirectoryBlock.encode(b, pos, ino, reclen, type, nm, old);
                        st.disk.writeFrags(blk[1], b.array(), "directory inode " + dir.ino + " block");
                        return true;
                    }
                    int used = DirectoryBlock.dirsiz(namlen);
                    if (eino != 0 && reclen - used >= need) {
                        b.putShort(pos + 4, (short) used);
                        DirectoryBlock.encode(b, pos + used, ino, reclen - used, type, nm, old);
                        st.disk.writeFrags(blk[1], b.array(), "directory inode " + dir.ino + " block");
                        return true;
                    }
                    pos += reclen;
                }
            }
        }
        return false;
    }

    /**
     * Finds lost+found in the root, creating it when missing (in a fresh inode and fragment);
     * 0 when there is none and it cannot be made.
     */
    long lostAndFound() throws VfsException, FsckState.PreenStop {
        if (st.lostFound != 0) {
            return st.lostFound;
        }
        FsckState.Dir root = st.dirs.get(FsckState.ROOTINO);
        if (root == null) {
            return 0;
        }
        long existing = lookup(root, "lost+found");
        if (existing != 0) {
            if (st.state[(int) existing] != FsckState.DSTATE) {
                st.cannotFix("lost+found IS NOT A DIRECTORY");
                return 0;
            }
            st.lostFound = existing;
            return existing;
        }
        if (!st.ask("NO lost+found DIRECTORY", "CREATE", true)) {
            return 0;
        }
        long ino = 0;
        for (long i = FsckState.ROOTINO + 1; i < st.maxino; i++) {
            long cg = i / sb.ipg;
            if (st.state[(int) i] == FsckState.USTATE && st.refs[(int) i] == 0
                    && i % sb.ipg < st.initedInodes[(int) cg]) {
                ino = i;
                break;
            }
        }
        long frag = freeFragment();
        if (ino == 0 || frag < 0) {
            st.cannotFix("SORRY. NO SPACE FOR lost+found DIRECTORY");
            return 0;
        }
        st.used.set((int) frag);
        ByteBuffer b = ByteBuffer.allocate(sb.fsize).order(sb.order);
        boolean old = sb.oldFormat();
        DirectoryBlock.encode(b, 0, ino, DirectoryBlock.dirsiz(1), DirectoryBlock.DT_DIR, new byte[] {'.'}, old);
        DirectoryBlock.encode(b, DirectoryBlock.dirsiz(1), FsckState.ROOTINO,
                DirectoryBlock.DIRBLKSIZ - DirectoryBlock.dirsiz(1), DirectoryBlock.DT_DIR, new byte[] {'.', '.'}, old);
        for (int c = DirectoryBlock.DIRBLKSIZ; c < sb.fsize; c += DirectoryBlock.DIRBLKSIZ) {
            DirectoryBlock.encode(b, c, 0, DirectoryBlock.DIRBLKSIZ, 0, new byte[0], old);
        }
        st.disk.writeFrags(frag, b.array(), "lost+found directory block");
        Dinode d = new Dinode();
        d.ufs2 = sb.ufs2;
        d.order = sb.order;
        d.mode = Dinode.IFDIR | 0700;
        d.nlink = 2;
        d.size = sb.fsize;
        d.blocks = sb.fsize / 512;
        d.atime = d.mtime = d.ctime = st.now;
        d.birthtime = sb.ufs2 ? st.now : 0;
        d.gen = (int) (st.now * 2654435761L);
        d.db[0] = frag;
        st.disk.writeInode(ino, d);
        int i = (int) ino;
        st.state[i] = FsckState.DSTATE;
        st.type[i] = DirectoryBlock.DT_DIR;
        st.nlink[i] = 2;
        st.refs[i] = 1;
        // lost+found's ".." is one more link to the root: counted now, because phase 4 may
        // already have passed the root.
        st.refs[(int) FsckState.ROOTINO]++;
        Dinode rootInode = st.disk.readInode(FsckState.ROOTINO);
        rootInode.nlink++;
        st.disk.writeInode(FsckState.ROOTINO, rootInode);
        st.nlink[(int) FsckState.ROOTINO]++;
        st.files++;
        st.usedFrags++;
        FsckState.Dir lf = new FsckState.Dir(ino);
        lf.size = sb.fsize;
        lf.blocks.add(new long[] {0, frag, sb.fsize});
        lf.parent = FsckState.ROOTINO;
        lf.dotdot = FsckState.ROOTINO;
        lf.found = true;
        st.dirs.put(ino, lf);
        if (!makeEntry(root, ino, "lost+found", DirectoryBlock.DT_DIR)) {
            st.cannotFix("NO SPACE LEFT IN /; lost+found NOT LINKED");
            return 0;
        }
        st.refs[i]++;
        st.lostFound = ino;
        return ino;
    }

    /** Reconnects {@code ino} under lost+found as "#ino" (fsck_ffs linkup); false when it could not. */
    boolean linkup(long ino) throws VfsException, FsckState.PreenStop {
        long lf = lostAndFound();
        if (lf == 0) {
            return false;
        }
        FsckState.Dir lfd = st.dirs.get(lf);
        if (!makeEntry(lfd, ino, "#" + ino, st.type[(int) ino])
                && !(expand(lfd) && makeEntry(lfd, ino, "#" + ino, st.type[(int) ino]))) {
            st.cannotFix("NO SPACE LEFT IN lost+found");
            return false;
        }
        st.refs[(int) ino]++;
        FsckState.Dir child = st.dirs.get(ino);
        if (child != null) {
            if (child.parent != 0 && !child.namedBy.isEmpty()) {
                st.say("DIR I=" + ino + " CONNECTED. PARENT WAS I=" + child.parent);
                for (long[] at : child.namedBy) {
                    remove(st.dirs.get(at[0]), at[1]);
                    st.refs[(int) ino]--;
                }
                child.namedBy.clear();
            } else {
                st.say("DIR I=" + ino + " CONNECTED.");
            }
            child.parent = lf;
            if (child.dotdotOffset >= 0) {
                repoint(child, child.dotdotOffset, lf);
                st.uncountDotdot(child);
                st.refs[(int) lf]++;
                child.dotdot = lf;
                child.dotdotCounted = true;
            }
        }
        return true;
    }

    /**
     * fsck_ffs expanddir: more room in {@code dir}. A last block of fragments is moved to a whole
     * block of its own and the rest of it filled with empty chunks; a whole last block gets a new
     * empty block after it. Only direct blocks: false when the directory has reached the indirect
     * ones, or no whole block is free.
     */
    private boolean expand(FsckState.Dir dir) throws VfsException {
        if (dir.size <= 0 || dir.size % DirectoryBlock.DIRBLKSIZ != 0) {
            return false;
        }
        long lastLbn = (dir.size - 1) / sb.bsize;
        long[] last = blockAt(dir, lastLbn * sb.bsize);
        int have = last == null ? 0 : (int) last[2];
        boolean grows = have == sb.bsize;
        long lbn = grows ? lastLbn + 1 : lastLbn;
        if (last == null || lbn >= Dinode.NDADDR) {
            return false;
        }
        long nb = freeBlock();
        if (nb < 0) {
            return false;
        }
        byte[] data = new byte[sb.bsize];
        int keep = grows ? 0 : (int) (dir.size - lastLbn * sb.bsize);
        if (keep > 0) {
            st.disk.readFrags(last[1], keep, "directory inode " + dir.ino + " block").get(0, data, 0, keep);
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(sb.order);
        for (int c = keep; c < sb.bsize; c += DirectoryBlock.DIRBLKSIZ) {
            DirectoryBlock.encode(b, c, 0, DirectoryBlock.DIRBLKSIZ, 0, new byte[0], sb.oldFormat());
        }
        st.disk.writeFrags(nb, data, "directory inode " + dir.ino + " new block");
        st.used.set((int) nb, (int) nb + sb.frag);
        Dinode d = st.disk.readInode(dir.ino);
        d.db[(int) lbn] = nb;
        long newSize = (lbn + 1) * sb.bsize;
        int added = grows ? sb.bsize : sb.bsize - have;
        d.size = newSize;
        d.blocks += added / 512;
        st.disk.writeInode(dir.ino, d);
        st.usedFrags += added / sb.fsize;
        if (grows) {
            dir.blocks.add(new long[] {lbn, nb, sb.bsize});
        } else {
            st.used.clear((int) last[1], (int) last[1] + have / sb.fsize);
            last[1] = nb;
            last[2] = sb.bsize;
        }
        dir.size = newSize;
        return true;
    }

    /** A whole free block: {@code fs_frag} unclaimed fragments from a block boundary; -1 when none. */
    private long freeBlock() {
        long total = sb.totalFrags();
        for (long f = st.used.nextClearBit(0); f >= 0 && f + sb.frag <= total; f = st.used.nextClearBit((int) f + 1)) {
            if (f % sb.frag != 0) {
                continue;
            }
            int next = st.used.nextSetBit((int) f);
            if (next < 0 || next >= f + sb.frag) {
                return f;
            }
        }
        return -1;
    }

    private long lookup(FsckState.Dir dir, String name) throws VfsException {
        byte[] nm = name.getBytes(StandardCharsets.UTF_8);
        boolean old = sb.oldFormat();
        for (long[] blk : dir.blocks) {
            long limit = Math.min(blk[2], dir.size - blk[0] * sb.bsize);
            ByteBuffer b = st.disk.readFrags(blk[1], (int) blk[2], "directory inode " + dir.ino + " block");
            for (int chunk = 0; chunk + DirectoryBlock.DIRBLKSIZ <= limit; chunk += DirectoryBlock.DIRBLKSIZ) {
                int pos = chunk;
                while (pos + DirectoryBlock.HEADER <= chunk + DirectoryBlock.DIRBLKSIZ) {
                    long eino = b.getInt(pos) & 0xffffffffL;
                    int reclen = b.getShort(pos + 4) & 0xffff;
                    int namlen = old ? b.getShort(pos + 6) & 0xffff : b.get(pos + 7) & 0xff;
                    if (reclen < DirectoryBlock.HEADER || pos + reclen > chunk + DirectoryBlock.DIRBLKSIZ
                            || namlen > reclen - DirectoryBlock.HEADER) {
                        break;
                    }
                    if (eino != 0 && eino < st.maxino && namlen == nm.length) {
                        byte[] have = new byte[namlen];
                        b.get(pos + DirectoryBlock.HEADER, have);
                        if (java.util.Arrays.equals(have, nm)) {
                            return eino;
                        }
                    }
                    pos += reclen;
                }
            }
        }
        return 0;
    }

    /** An unclaimed fragment, preferring one in a block already broken into fragments. */
    private long freeFragment() {
        long total = sb.totalFrags();
        long any = -1;
        for (long f = st.used.nextClearBit(0); f >= 0 && f < total; f = st.used.nextClearBit((int) f + 1)) {
            long blk = f / sb.frag * sb.frag;
            boolean partial = false;
            for (long k = blk; k < blk + sb.frag; k++) {
                if (st.used.get((int) k)) {
                    partial = true;
                    break;
                }
            }
            if (partial) {
                return f;
            }
            if (any < 0) {
                any = f;
            }
            if (f > Integer.MAX_VALUE - 2) {
                break;
            }
        }
        return any;
    }
}
