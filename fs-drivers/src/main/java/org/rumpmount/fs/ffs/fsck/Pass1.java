package org.rumpmount.fs.ffs.fsck;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.rumpmount.fs.ffs.CylinderGroup;
import org.rumpmount.fs.ffs.Dinode;
import org.rumpmount.fs.ffs.Superblock;
import org.rumpmount.vfs.VfsException;

/**
 * Phase 1, Check Blocks and Sizes (fsck_ffs pass1.c), and phase 1b, Rescan for More DUPS
 * (pass1b.c). Every inode is read once: its type and sizes are checked, each block pointer is
 * range-checked and claimed in the map of fragments in use, and di_blocks is compared with what
 * the pointers hold. A fragment claimed twice is a DUP; phase 1b then names every claimant.
 *
 * <p>Pointers that map nothing below di_size make a PARTIALLY TRUNCATED INODE (FreeBSD's
 * fsck_ffs name; NetBSD's pass1 checks only the inode's own pointers, and clears the inode). A
 * crash leaves them when an indirect block with a new pointer reaches the disk before the inode
 * whose size covers it. Salvaging clears those pointers, so their blocks become free in phase 5;
 * the file keeps every byte below its size, so preen does it too. Declined, the blocks are
 * claimed as the file's.
 */
final class Pass1 {
    /** After this many bad or duplicate pointers an inode is not walked further (fsck_ffs MAXBAD, MAXDUP). */
    static final int MAXBAD = 10;

    private final FsckState st;
    private final Superblock sb;
    private final BlockWalker walker;

    Pass1(FsckState st) {
        this.st = st;
        this.sb = st.sb;
        this.walker = new BlockWalker(sb, st.disk);
    }

    void run() throws VfsException, FsckState.PreenStop {
        reserveMetadata();
        long done = 0;
        for (int cg = 0; cg < sb.ncg; cg++) {
            long inited = sb.ipg;
            if (sb.ufs2) {
                try {
                    CylinderGroup g = CylinderGroup.decode(st.disk.readFrags(sb.cgtod(cg), sb.cgsize,
                            "cylinder group " + cg + " header"));
                    g.check(sb, cg);
                    inited = Math.min(sb.ipg, g.initediblk);
                } catch (VfsException e) {
                    inited = sb.ipg;
                }
            }
            st.initedInodes[cg] = inited;
            for (long i = 0; i < inited; i += sb.inopb) {
                long ino0 = (long) cg * sb.ipg + i;
                ByteBuffer blk = st.disk.readFrags(sb.inoToFsba(ino0), sb.bsize, "inode block of cylinder group " + cg);
                for (int j = 0; j < sb.inopb && i + j < inited; j++) {
                    long ino = ino0 + j;
                    if (ino < FsckState.ROOTINO) {
                        continue;
                    }
                    checkInode(ino, Dinode.decode(blk, j * sb.dinodeSize(), sb.ufs2));
                }
            }
            done += sb.ipg;
            st.progress.inodes(done, st.maxino);
        }
        if (!st.dups.isEmpty()) {
            rescanForDups();
        }
    }

    /** The superblock copies, group headers, inode blocks and summary area are in use (pass1.c's setbmap loop). */
    private void reserveMetadata() {
        for (long cg = 0; cg < sb.ncg; cg++) {
            long from = cg == 0 ? sb.cgbase(0) : sb.cgstart(cg) + sb.sblkno;
            long to = Math.min(sb.cgstart(cg) + sb.dblkno, sb.totalFrags());
            if (from < to) {
                st.used.set((int) from, (int) to);
                st.reserved.set((int) from, (int) to);
            }
        }
        long cs = sb.csAddr();
        long csFrags = (sb.cssize + sb.fsize - 1L) / sb.fsize;
        long csEnd = Math.min(cs + csFrags, sb.totalFrags());
        if (cs < csEnd) {
            st.used.set((int) cs, (int) csEnd);
            st.reserved.set((int) cs, (int) csEnd);
        }
    }

    private void checkInode(long ino, Dinode d) throws VfsException, FsckState.PreenStop {
        int fmt = d.ifmt();
        if (d.mode == 0) {
            if (!zeroPointers(d) || d.size != 0) {
                if (st.ask("PARTIALLY ALLOCATED INODE I=" + ino, "CLEAR", false)) {
                    st.disk.writeInode(ino, cleared(d));
                }
            }
            return;
        }
        st.files++;
        String bad = null;
        if (fmt != Dinode.IFREG && fmt != Dinode.IFDIR && fmt != Dinode.IFLNK && fmt != Dinode.IFCHR
                && fmt != Dinode.IFBLK && fmt != Dinode.IFIFO && fmt != Dinode.IFSOCK) {
            bad = "UNKNOWN FILE TYPE I=" + ino;
        } else if (d.size < 0 || d.size > sb.addressableBytes()) {
            bad = "BAD SIZE " + d.size + " I=" + ino;
        } else if (!BlockWalker.hasBlocks(sb, d) && !extraPointersZero(d, fmt)) {
            bad = "BAD BLOCK POINTERS IN SPECIAL FILE I=" + ino;
        } else if (fmt == Dinode.IFDIR && d.size == 0) {
            bad = "ZERO LENGTH DIRECTORY I=" + ino;
        }
        if (bad != null) {
            if (st.ask(bad, "CLEAR", false)) {
                st.disk.writeInode(ino, cleared(d));
                st.files--;
                return;
            }
        }
        int i = (int) ino;
        st.state[i] = fmt == Dinode.IFDIR ? FsckState.DSTATE : FsckState.FSTATE;
        st.type[i] = FsckState.typeOf(d.mode);
        st.nlink[i] = d.nlink;
        FsckState.Dir dir = null;
        if (fmt == Dinode.IFDIR) {
            dir = new FsckState.Dir(ino);
            dir.size = d.size;
            st.dirs.put(ino, dir);
        }
        if (!BlockWalker.hasBlocks(sb, d)) {
            checkBlockCount(ino, d, 0);
            return;
        }
        Claimer c = new Claimer(ino, dir);
        walker.walk(d, c);
        if (!c.pastEnd.isEmpty()) {
            pastEnd(ino, d, c);
        }
        st.usedFrags += c.frags;
        if (c.bad > 0 || c.dup > 0) {
            st.state[i] = fmt == Dinode.IFDIR ? FsckState.DCLEAR : FsckState.FCLEAR;
        }
        checkBlockCount(ino, d, c.frags);
    }

    /** Salvages the pointers past di_size that {@code c} set aside, or claims their blocks after all. */
    private void pastEnd(long ino, Dinode d, Claimer c) throws VfsException, FsckState.PreenStop {
        if (st.ask("PARTIALLY TRUNCATED INODE I=" + ino + " (" + c.pastEnd.size() + " pointer"
                + (c.pastEnd.size() == 1 ? "" : "s") + " past di_size " + d.size + ")", "SALVAGE", true)) {
            Dinode fresh = null;
            for (long[] p : c.pastEnd) {
                long holder = p[0];
                int slot = (int) p[1];
                if (holder == 0) {
                    fresh = fresh == null ? st.disk.readInode(ino) : fresh;
                    if (slot < Dinode.NDADDR) {
                        fresh.db[slot] = 0;
                    } else {
                        fresh.ib[slot - Dinode.NDADDR] = 0;
                    }
                } else {
                    ByteBuffer b = st.disk.readFrags(holder, sb.bsize, "indirect block of inode " + ino);
                    if (sb.ufs2) {
                        b.putLong(slot * 8, 0);
                    } else {
                        b.putInt(slot * 4, 0);
                    }
                    st.disk.writeFrags(holder, b.array(), "indirect block of inode " + ino);
                }
            }
            if (fresh != null) {
                st.disk.writeInode(ino, fresh);
            }
            return;
        }
        c.claimAll = true;
        for (long[] p : c.pastEnd) {
            long frag = p[2];
            int level = (int) p[3];
            if (level == 0) {
                c.take(frag, sb.frag);
            } else if (c.indirect(frag, level)) {
                walker.indirect(d, frag, level, p[4], c);
            }
        }
    }

    private void checkBlockCount(long ino, Dinode d, long frags) throws VfsException, FsckState.PreenStop {
        long sectors = frags * (sb.fsize / 512);
        if (d.blocks != sectors) {
            if (st.ask("INCORRECT BLOCK COUNT I=" + ino + " (" + d.blocks + " should be " + sectors + ")", "CORRECT",
                    true)) {
                Dinode fresh = st.disk.readInode(ino);
                fresh.blocks = sectors;
                st.disk.writeInode(ino, fresh);
            }
        }
    }

    /** Claims each pointer of one inode, counting what it holds. */
    private final class Claimer implements BlockWalker.Visitor {
        final long ino;
        final FsckState.Dir dir;
        long frags;
        int bad;
        int dup;
        boolean stop;
        /** Pointers past di_size, set aside: holder, slot, fragment, level, first logical block. */
        final List<long[]> pastEnd = new ArrayList<>();
        /** Set once they are to be claimed like the rest. */
        boolean claimAll;

        Claimer(long ino, FsckState.Dir dir) {
            this.ino = ino;
            this.dir = dir;
        }

        @Override
        public boolean stopped() {
            return stop;
        }

        private boolean take(long frag, int count) throws VfsException {
            if (!st.inRange(frag, count)) {
                bad++;
                st.say(frag + " BAD I=" + ino);
                st.found++;
                st.uncorrected |= st.checkOnly();
                if (bad >= MAXBAD) {
                    st.say("EXCESSIVE BAD BLKS I=" + ino);
                    stop = true;
                }
                return false;
            }
            int d = st.claim(frag, count);
            frags += count;
            if (d > 0) {
                dup++;
                st.say(frag + " DUP I=" + ino);
                if (dup >= MAXBAD) {
                    st.say("EXCESSIVE DUP BLKS I=" + ino);
                    stop = true;
                }
                return false;
            }
            return true;
        }

        @Override
        public boolean data(long lbn, long frag, int count) throws VfsException {
            boolean ok = take(frag, count);
            if (dir != null && (ok || st.inRange(frag, count))) {
                dir.blocks.add(new long[] {lbn, frag, (long) count * sb.fsize});
            }
            return !stop;
        }

        @Override
        public boolean indirect(long frag, int level) throws VfsException {
            return take(frag, sb.frag) && !stop;
        }

        @Override
        public boolean pastEnd(long holder, int slot, long frag, int level, long firstLbn) {
            if (claimAll) {
                return false;
            }
            pastEnd.add(new long[] {holder, slot, frag, level, firstLbn});
            return true;
        }
    }

    /** Phase 1b: walk every inode again and name each one holding a duplicate fragment. */
    private void rescanForDups() throws VfsException {
        st.progress.phase(1, "Phase 1b - Rescan For More DUPS");
        st.say("** Phase 1b - Rescan For More DUPS");
        BitSet descended = new BitSet();
        for (long ino = FsckState.ROOTINO; ino < st.maxino; ino++) {
            byte s = st.state[(int) ino];
            if (s == FsckState.USTATE) {
                continue;
            }
            Dinode d = st.disk.readInode(ino);
            if (!BlockWalker.hasBlocks(sb, d)) {
                continue;
            }
            final long owner = ino;
            List<Long> mine = new ArrayList<>();
            walker.walk(d, new BlockWalker.Visitor() {
                @Override
                public boolean data(long lbn, long frag, int frags) {
                    note(frag, frags);
                    return true;
                }

                @Override
                public boolean indirect(long frag, int level) {
                    note(frag, sb.frag);
                    if (!st.inRange(frag, sb.frag) || descended.get((int) frag)) {
                        return false;
                    }
                    descended.set((int) frag);
                    return true;
                }

                private void note(long frag, int frags) {
                    if (!st.inRange(frag, frags)) {
                        return;
                    }
                    for (int k = 0; k < frags; k++) {
                        if (st.dups.get((int) (frag + k))) {
                            List<Long> who = st.claimants.computeIfAbsent(frag + k, x -> new ArrayList<>());
                            if (!who.contains(owner)) {
                                who.add(owner);
                            }
                            mine.add(frag + k);
                        }
                    }
                }
            });
            if (!mine.isEmpty()) {
                st.state[(int) ino] = st.state[(int) ino] == FsckState.DSTATE || s == FsckState.DCLEAR
                        ? FsckState.DCLEAR : FsckState.FCLEAR;
                for (long f : mine) {
                    st.say(f + " DUP I=" + ino);
                }
            }
        }
    }

    private static boolean zeroPointers(Dinode d) {
        for (long a : d.db) {
            if (a != 0) {
                return false;
            }
        }
        for (long a : d.ib) {
            if (a != 0) {
                return false;
            }
        }
        return true;
    }

    /** Devices keep their number in di_db[0]; FIFOs, sockets and short links need no other pointer check. */
    private static boolean extraPointersZero(Dinode d, int fmt) {
        if (fmt == Dinode.IFLNK) {
            return true;
        }
        for (int i = (fmt == Dinode.IFCHR || fmt == Dinode.IFBLK) ? 1 : 0; i < Dinode.NDADDR; i++) {
            if (d.db[i] != 0) {
                return false;
            }
        }
        for (long a : d.ib) {
            if (a != 0) {
                return false;
            }
        }
        return true;
    }

    static Dinode cleared(Dinode d) {
        Dinode z = new Dinode();
        z.ufs2 = d.ufs2;
        z.order = d.order;
        z.gen = d.gen;
        return z;
    }
}
