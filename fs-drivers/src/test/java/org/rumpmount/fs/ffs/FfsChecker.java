package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * A minimal fsck: recomputes from the inodes alone which fragments and inodes are in use, every
 * free count, fragment run summary and cluster summary, and every link count, and compares them
 * with what the cylinder groups, the summary area and the superblock say. Reads an unmounted
 * image's bytes through the read-side codecs only, never through the write side it judges.
 */
public final class FfsChecker {
    private final byte[] image;
    private final List<String> problems = new ArrayList<>();
    private Superblock sb;
    private FfsIo io;

    private FfsChecker(byte[] image) {
        this.image = image;
    }

    /** Every inconsistency found in {@code image}; empty when the file system is consistent and clean-able. */
    public static List<String> check(byte[] image) {
        FfsChecker c = new FfsChecker(image);
        try {
            c.run();
        } catch (VfsException | RuntimeException e) {
            c.problems.add("checker stopped: " + e);
        }
        return c.problems;
    }

    private void problem(String s) {
        if (problems.size() < 50) {
            problems.add(s);
        }
    }

    private void run() throws VfsException {
        MemoryBlockDevice dev = MemoryBlockDevice.of(image, 512, false, true);
        SuperblockLocator.Found f = SuperblockLocator.locate(dev);
        sb = f.sb();
        io = new FfsIo(dev, sb, new BufferCache(8L << 20));
        long total = sb.totalFrags();
        boolean[] used = new boolean[(int) total];
        // Metadata: boot area, superblock, group header, inode blocks of each group; the summary area.
        for (int cg = 0; cg < sb.ncg; cg++) {
            long from = cg == 0 ? 0 : sb.cgstart(cg) + sb.sblkno;
            long to = Math.min(sb.cgstart(cg) + sb.dblkno, total);
            for (long a = from; a < to; a++) {
                used[(int) a] = true;
            }
        }
        for (long a = sb.csAddr(); a < sb.csAddr() + (sb.cssize + sb.fsize - 1) / sb.fsize; a++) {
            used[(int) a] = true;
        }
        long inodes = sb.inodeCount();
        Map<Long, Dinode> live = new HashMap<>();
        CylinderGroup[] groups = new CylinderGroup[sb.ncg];
        ByteBuffer[] raws = new ByteBuffer[sb.ncg];
        for (int cg = 0; cg < sb.ncg; cg++) {
            raws[cg] = io.readFrags(sb.cgtod(cg), sb.cgsize, "cg " + cg);
            groups[cg] = CylinderGroup.decode(raws[cg]);
            groups[cg].check(sb, cg);
        }
        for (long ino = FfsFileSystem.ROOTINO; ino < inodes; ino++) {
            int cg = (int) (ino / sb.ipg);
            long i = ino % sb.ipg;
            if (sb.ufs2 && i >= groups[cg].initediblk) {
                continue;
            }
            Dinode d = readDinode(ino);
            if (d.mode != 0) {
                live.put(ino, d);
                markBlocks(ino, d, used);
            }
        }
        long[] totals = new long[4];
        ByteBuffer csum = io.readFrags(sb.csAddr(), sb.cssize, "summary area");
        for (int cg = 0; cg < sb.ncg; cg++) {
            checkGroup(cg, groups[cg], raws[cg], used, live, totals, csum);
        }
        long[] sum = sb.summary();
        String[] names = {"ndir", "nbfree", "nifree", "nffree"};
        for (int k = 0; k < 4; k++) {
            if (sum[k] != totals[k]) {
                problem("fs_cstotal." + names[k] + " is " + sum[k] + ", recount gives " + totals[k]);
            }
        }
        checkLinks(live);
    }

    private Dinode readDinode(long ino) throws VfsException {
        long frag = sb.inoToFsba(ino);
        int off = sb.inoToFsbo(ino);
        int fragInBlock = off >> sb.fshift;
        ByteBuffer b = io.readFrags(frag + fragInBlock, sb.fsize, "inode " + ino);
        return Dinode.decode(b, off - (fragInBlock << sb.fshift), sb.ufs2);
    }

    private void claim(long ino, long addr, int frags, boolean[] used) {
        for (long a = addr; a < addr + frags; a++) {
            if (a <= 0 || a >= used.length) {
                problem("inode " + ino + " claims fragment " + a + " outside the file system");
                return;
            }
            if (used[(int) a]) {
                problem("inode " + ino + " claims fragment " + a + ", already in use");
            }
            used[(int) a] = true;
        }
    }

    private void markBlocks(long ino, Dinode d, boolean[] used) throws VfsException {
        int ifmt = d.ifmt();
        if (ifmt == Dinode.IFCHR || ifmt == Dinode.IFBLK || ifmt == Dinode.IFIFO || ifmt == Dinode.IFSOCK
                || (ifmt == Dinode.IFLNK && d.size < sb.maxsymlinklen)) {
            if (d.blocks != 0) {
                problem("inode " + ino + " (mode 0" + Integer.toOctalString(d.mode) + ") holds " + d.blocks + " sectors");
            }
            return;
        }
        long frags = 0;
        long lastLbn = d.size == 0 ? -1 : (d.size - 1) >> sb.bshift;
        for (int i = 0; i < Dinode.NDADDR; i++) {
            if (d.db[i] != 0) {
                if (i > lastLbn) {
                    problem("inode " + ino + " has direct block " + i + " past its size " + d.size);
                }
                int n = sb.blksize(d.size, i) >> sb.fshift;
                if (n == 0) {
                    n = sb.frag;
                }
                if ((d.db[i] % sb.frag) + n > sb.frag) {
                    problem("inode " + ino + " block " + i + " at " + d.db[i] + " crosses a block boundary");
                }
                claim(ino, d.db[i], n, used);
                frags += n;
            }
        }
        long first = Dinode.NDADDR;
        long span = 1;
        for (int level = 0; level < Dinode.NIADDR; level++) {
            span *= sb.nindir;
            if (d.ib[level] != 0) {
                if (first > lastLbn) {
                    problem("inode " + ino + " has indirect block " + level + " past its size " + d.size);
                }
                frags += tree(ino, d.ib[level], level, first, lastLbn, used);
            }
            first += span;
        }
        if (frags * (sb.fsize / 512) != d.blocks) {
            problem("inode " + ino + " di_blocks " + d.blocks + ", its blocks hold " + frags * (sb.fsize / 512) + " sectors");
        }
    }

    private long tree(long ino, long addr, int level, long first, long lastLbn, boolean[] used) throws VfsException {
        claim(ino, addr, sb.frag, used);
        long frags = sb.frag;
        ByteBuffer b = io.readFrags(addr, sb.bsize, "indirect");
        long per = 1;
        for (int i = 0; i < level; i++) {
            per *= sb.nindir;
        }
        for (int s = 0; s < sb.nindir; s++) {
            long p = sb.ufs2 ? b.getLong(s * 8) : b.getInt(s * 4);
            if (p == 0) {
                continue;
            }
            long childFirst = first + s * per;
            if (childFirst > lastLbn) {
                problem("inode " + ino + " maps block " + childFirst + " past its size");
            }
            frags += level == 0 ? claimData(ino, p, used) : tree(ino, p, level - 1, childFirst, lastLbn, used);
        }
        return frags;
    }

    private long claimData(long ino, long p, boolean[] used) {
        claim(ino, p, sb.frag, used);
        return sb.frag;
    }

    private static boolean bit(ByteBuffer b, long off, long i) {
        return (b.get((int) (off + (i >> 3))) & (1 << (i & 7))) != 0;
    }

    private void checkGroup(int cg, CylinderGroup g, ByteBuffer raw, boolean[] used, Map<Long, Dinode> live,
            long[] totals, ByteBuffer csum) {
        String where = "cylinder group " + cg + ": ";
        int ndir = 0;
        int nifree = 0;
        for (long i = 0; i < sb.ipg; i++) {
            long ino = (long) cg * sb.ipg + i;
            boolean inUse = ino < FfsFileSystem.ROOTINO || live.containsKey(ino);
            if (bit(raw, g.iusedoff, i) != inUse) {
                problem(where + "inode " + ino + " map says " + (inUse ? "free" : "used") + " but it is the opposite");
            }
            if (!inUse) {
                nifree++;
            } else if (live.containsKey(ino) && live.get(ino).ifmt() == Dinode.IFDIR) {
                ndir++;
            }
        }
        long base = sb.cgbase(cg);
        int nbfree = 0;
        int nffree = 0;
        long[] frsum = new long[SuperblockValidator.MAXFRAG];
        int cs = sb.contigsumsize;
        int[] clsum = new int[cs + 1];
        int run = 0;
        for (long f = 0; f < g.ndblk; f++) {
            boolean free = bit(raw, g.freeoff, f);
            if (free == used[(int) (base + f)]) {
                problem(where + "fragment " + (base + f) + " map says " + (free ? "free" : "used") + " but it is "
                        + (used[(int) (base + f)] ? "used" : "free"));
            }
        }
        for (long blk = 0; blk * sb.frag < g.ndblk; blk++) {
            long b0 = blk * sb.frag;
            boolean whole = b0 + sb.frag <= g.ndblk;
            boolean all = whole;
            for (long f = b0; f < Math.min(b0 + sb.frag, g.ndblk); f++) {
                all &= bit(raw, g.freeoff, f);
            }
            if (all) {
                nbfree++;
            } else {
                int r = 0;
                for (long f = b0; f <= Math.min(b0 + sb.frag, g.ndblk); f++) {
                    if (f < Math.min(b0 + sb.frag, g.ndblk) && bit(raw, g.freeoff, f)) {
                        r++;
                        nffree++;
                    } else if (r > 0) {
                        frsum[r]++;
                        r = 0;
                    }
                }
            }
            if (cs > 0 && whole && blk < g.nclusterblks) {
                if (bit(raw, g.clusteroff, blk) != all) {
                    problem(where + "cluster map bit of block " + blk + " is " + !all);
                }
                if (all) {
                    run++;
                } else if (run > 0) {
                    clsum[Math.min(run, cs)]++;
                    run = 0;
                }
            }
        }
        if (cs > 0 && run > 0) {
            clsum[Math.min(run, cs)]++;
        }
        int[] want = {ndir, nbfree, nifree, nffree};
        String[] names = {"ndir", "nbfree", "nifree", "nffree"};
        for (int k = 0; k < 4; k++) {
            if (g.cs[k] != want[k]) {
                problem(where + "cg_cs." + names[k] + " is " + g.cs[k] + ", recount gives " + want[k]);
            }
            if (csum.getInt(cg * 16 + 4 * k) != want[k]) {
                problem(where + "fs_cs." + names[k] + " in the summary area is " + csum.getInt(cg * 16 + 4 * k)
                        + ", recount gives " + want[k]);
            }
            totals[k] += want[k];
        }
        for (int k = 1; k < sb.frag; k++) {
            if (g.frsum[k] != frsum[k]) {
                problem(where + "cg_frsum[" + k + "] is " + g.frsum[k] + ", recount gives " + frsum[k]);
            }
        }
        for (int k = 1; k <= cs; k++) {
            int have = raw.getInt((int) g.clustersumoff + 4 * k);
            if (have != clsum[k]) {
                problem(where + "cg_clustersum[" + k + "] is " + have + ", recount gives " + clsum[k]);
            }
        }
    }

    /** Walks the tree from the root, counting names of every inode, and compares with di_nlink. */
    private void checkLinks(Map<Long, Dinode> live) throws VfsException {
        Map<Long, Integer> refs = new HashMap<>();
        Deque<long[]> todo = new ArrayDeque<>();
        todo.add(new long[] {FfsFileSystem.ROOTINO, FfsFileSystem.ROOTINO});
        java.util.Set<Long> seen = new java.util.HashSet<>();
        DirectoryReader dr = new DirectoryReader(io, sb, new DirHashMemory(DirHashMemory.MIN_BYTES));
        while (!todo.isEmpty()) {
            long[] t = todo.poll();
            long dirIno = t[0];
            if (!seen.add(dirIno)) {
                problem("directory inode " + dirIno + " is reachable twice");
                continue;
            }
            Dinode d = live.get(dirIno);
            if (d == null) {
                problem("directory inode " + dirIno + " is named but free");
                continue;
            }
            List<DirectoryBlock.Entry> es = new ArrayList<>();
            dr.scan(new Inode(dirIno, d, org.rumpmount.vfs.VType.VDIR), 0, e -> es.add(e));
            boolean dot = false;
            boolean dotdot = false;
            for (DirectoryBlock.Entry e : es) {
                String n = new String(e.name(), java.nio.charset.StandardCharsets.ISO_8859_1);
                if (n.equals(".")) {
                    dot = e.ino() == dirIno;
                    refs.merge(dirIno, 1, Integer::sum);
                    continue;
                }
                if (n.equals("..")) {
                    dotdot = e.ino() == t[1];
                    refs.merge(e.ino(), 1, Integer::sum);
                    continue;
                }
                Dinode c = live.get(e.ino());
                if (c == null) {
                    problem("directory inode " + dirIno + " names " + n + " as free inode " + e.ino());
                    continue;
                }
                refs.merge(e.ino(), 1, Integer::sum);
                int want = switch (c.ifmt()) {
                    case Dinode.IFDIR -> DirectoryBlock.DT_DIR;
                    case Dinode.IFREG -> DirectoryBlock.DT_REG;
                    case Dinode.IFLNK -> DirectoryBlock.DT_LNK;
                    case Dinode.IFCHR -> DirectoryBlock.DT_CHR;
                    case Dinode.IFBLK -> DirectoryBlock.DT_BLK;
                    case Dinode.IFIFO -> DirectoryBlock.DT_FIFO;
                    default -> DirectoryBlock.DT_SOCK;
                };
                if (e.type() != want) {
                    problem("directory inode " + dirIno + " entry " + n + " has d_type " + e.type() + ", inode says " + want);
                }
                if (c.ifmt() == Dinode.IFDIR) {
                    todo.add(new long[] {e.ino(), dirIno});
                }
            }
            if (!dot || !dotdot) {
                problem("directory inode " + dirIno + " has a wrong or missing '.' or '..'");
            }
        }
        for (Map.Entry<Long, Dinode> e : live.entrySet()) {
            int have = e.getValue().nlink;
            int want = refs.getOrDefault(e.getKey(), 0);
            if (have != want) {
                problem("inode " + e.getKey() + " di_nlink " + have + ", names found " + want);
            }
        }
    }
}
