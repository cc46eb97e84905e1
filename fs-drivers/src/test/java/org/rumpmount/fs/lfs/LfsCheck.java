package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.VType;

/**
 * A consistency check of an unmounted LFS in the spirit of fsck_lfs -n, since NetBSD's is not
 * available here: every allocated inode's blocks counted into the segments they lie in and
 * compared with the segment usage table (pass 5), the free-space figures of the superblock
 * recomputed as pass 5 does, the inode free list walked, di_blocks recounted, link counts
 * compared with the directory entries naming each inode, and every partial segment of every
 * dirty segment checked against its checksums. Returns the problems found, each in a sentence.
 */
final class LfsCheck {
    private final LfsFileSystem fs;
    private final Superblock sb;
    private final List<String> problems = new ArrayList<>();
    private final long[] live;

    /** Segments whose usage entry claims other than their live bytes: claimed minus live. */
    private final Map<Long, Long> excess = new java.util.TreeMap<>();

    /** What the check found: problems in sentences, and the segment usage discrepancies apart. */
    record Report(List<String> problems, Map<Long, Long> excess, long currentSegment) {
    }

    private LfsCheck(LfsFileSystem fs) {
        this.fs = fs;
        this.sb = fs.sb;
        this.live = new long[(int) sb.nseg];
    }

    /** Checks {@code dev}; {@link Report#excess} lists the segments whose usage is wrong, by how much. */
    static Report check(BlockDevice dev) throws IOException {
        LfsCheck c = new LfsCheck(LfsFileSystem.open(dev));
        c.run();
        return new Report(List.copyOf(c.problems), Map.copyOf(c.excess), c.sb.dtosn(c.sb.offset));
    }

    private void problem(String s) {
        if (problems.size() < 50) {
            problems.add(s);
        }
    }

    private void run() throws IOException {
        Map<Long, Integer> nlink = new HashMap<>();
        Map<Long, VType> types = new HashMap<>();
        long allocated = 0;
        for (long ino = 1; ino < fs.maxInodes; ino++) {
            IfileEntry e = fs.ifileEntry(ino);
            // The IFILE's own entry stays unused: the superblock's idaddr says where its inode is.
            long daddr = ino == LfsFileSystem.IFILE_INUM ? sb.idaddr : e.daddr();
            if (ino == LfsFileSystem.IFILE_INUM && e.isAllocated()) {
                problem("the IFILE's own entry is in use (address " + e.daddr() + ")");
            }
            if (daddr == IfileEntry.UNUSED_DADDR) {
                continue;
            }
            if (ino != LfsFileSystem.IFILE_INUM) {
                allocated++;
            }
            Dinode d;
            try {
                d = ino == LfsFileSystem.IFILE_INUM ? fs.readDinode(ino, daddr) : fs.loadInode(ino).din;
            } catch (IOException ex) {
                problem("inode " + ino + ": " + ex.getMessage());
                continue;
            }
            count(daddr, fs.sb.layout.dinodeSize());
            long frags = blocks(ino, d);
            if (frags != d.blocks) {
                problem("inode " + ino + " holds " + frags + " fragments but di_blocks says " + d.blocks);
            }
            nlink.put(ino, d.nlink);
            types.put(ino, VType.ofMode(d.mode));
        }
        // In both NetBSD-made images nfiles is one less than the inodes in use besides the IFILE
        // (newfs_lfs's starting count leaves one of the inodes it makes out); allocation and
        // freeing keep that difference.
        if (allocated - 1 != sb.nfiles) {
            problem("nfiles is " + sb.nfiles + " but " + allocated + " inodes besides the IFILE are in use");
        }
        freeList();
        segments();
        links(nlink, types);
        log();
    }

    private void count(long daddr, long bytes) {
        long sn = sb.dtosn(daddr);
        if (sn < 0 || sn >= sb.nseg) {
            problem("address " + daddr + " lies outside every segment");
            return;
        }
        live[(int) sn] += bytes;
    }

    /** Counts a file's blocks into their segments; returns the fragments it holds. */
    private long blocks(long ino, Dinode d) throws IOException {
        long frags = 0;
        int type = d.mode & 0170000;
        boolean inline = type == 0120000 && (d.size < sb.maxsymlinklen || (sb.maxsymlinklen == 0 && d.blocks == 0));
        if (type == 0020000 || type == 0060000 || inline) {
            return 0;
        }
        for (int i = 0; i < Dinode.NDADDR; i++) {
            if (d.db[i] > 0) {
                long bs = ino == LfsFileSystem.IFILE_INUM ? sb.bsize : fs.blockSize(d.size, i);
                if (bs <= 0) {
                    problem("inode " + ino + ": block " + i + " at " + d.db[i] + " lies past the end of file");
                    continue;
                }
                count(d.db[i], bs);
                frags += sb.btofsb(bs);
            }
        }
        for (int level = 0; level < Dinode.NIADDR; level++) {
            frags += indirect(ino, d.ib[level], level + 1);
        }
        return frags;
    }

    private long indirect(long ino, long daddr, int level) throws IOException {
        if (daddr <= 0) {
            return 0;
        }
        count(daddr, sb.bsize);
        long frags = sb.frag;
        ByteBuffer b = fs.disk.read(sb.byteOffset(daddr), sb.bsize, "indirect block of inode " + ino);
        for (int i = 0; i < sb.nindir; i++) {
            long a = sb.layout.daddr(b, i * sb.layout.daddrSize());
            if (a <= 0) {
                continue;
            }
            if (level > 1) {
                frags += indirect(ino, a, level - 1);
            } else {
                count(a, sb.bsize);
                frags += sb.frag;
            }
        }
        return frags;
    }

    private void freeList() throws IOException {
        Set<Long> seen = new HashSet<>();
        long ino = sb.freehd;
        long last = 0;
        while (ino != 0) {
            if (ino >= fs.maxInodes || !seen.add(ino)) {
                problem("the inode free list " + (ino >= fs.maxInodes ? "runs past the IFILE" : "loops") + " at " + ino);
                return;
            }
            IfileEntry e = fs.ifileEntry(ino);
            if (e.isAllocated()) {
                problem("inode " + ino + " is on the free list but allocated");
            }
            last = ino;
            ino = e.nextfree();
        }
        CleanerInfo ci = fs.cleanerInfo();
        if (ci.freeHead() != sb.freehd) {
            problem("cleaner info free head " + ci.freeHead() + " differs from the superblock's " + sb.freehd);
        }
        if (last != 0 && ci.freeTail() != last) {
            problem("cleaner info free tail " + ci.freeTail() + " but the list ends at " + last);
        }
    }

    /** fsck_lfs pass 5. */
    private void segments() throws IOException {
        SpaceTotals t = new SpaceTotals(sb);
        for (long sn = 0; sn < sb.nseg; sn++) {
            SegUse su = fs.segUse(sn);
            if (!su.isDirty() && live[(int) sn] > 0) {
                problem(live[(int) sn] + " bytes contained in clean segment " + sn);
            }
            if (su.isDirty() && su.nbytes() != live[(int) sn]) {
                excess.put(sn, su.nbytes() - live[(int) sn]);
                problem("segment " + sn + " claims " + su.nbytes() + " bytes but has " + live[(int) sn]);
            }
            t.add(sn, su);
        }
        t.finish(sb.offset);
        long dmeta = t.dmeta;
        long nclean = t.nclean;
        long avail = t.avail;
        if (dmeta != sb.dmeta) {
            problem("dmeta given as " + sb.dmeta + ", should be " + dmeta);
        }
        if (avail != sb.avail) {
            problem("avail given as " + sb.avail + ", should be " + avail);
        }
        if (nclean != sb.nclean) {
            problem("nclean given as " + sb.nclean + ", should be " + nclean);
        }
        CleanerInfo ci = fs.cleanerInfo();
        if (ci.clean() != nclean || ci.dirty() != sb.nseg - nclean) {
            problem("cleaner info counts " + ci.clean() + " clean and " + ci.dirty() + " dirty segments, the table "
                    + nclean + " and " + (sb.nseg - nclean));
        }
        if (sb.bfree > t.bfreeMax() || sb.bfree < t.bfreeMin()) {
            problem("bfree given as " + sb.bfree + ", should be between " + t.bfreeMin() + " and " + t.bfreeMax());
        }
    }

    private void links(Map<Long, Integer> nlink, Map<Long, VType> types) throws IOException {
        Map<Long, Integer> refs = new HashMap<>();
        for (Map.Entry<Long, VType> t : types.entrySet()) {
            if (t.getValue() != VType.VDIR || t.getKey() == LfsFileSystem.IFILE_INUM) {
                continue;
            }
            LfsInode dp = fs.loadInode(t.getKey());
            ByteBuffer all = ByteBuffer.allocate((int) dp.size()).order(sb.layout.order());
            fs.read(dp, 0, all);
            for (int c = 0; c < dp.size(); c += DirectoryBlock.DIRBLKSIZ) {
                ByteBuffer chunk = all.duplicate().position(c).limit(c + DirectoryBlock.DIRBLKSIZ).slice()
                        .order(sb.layout.order());
                int pos = 0;
                while (pos < DirectoryBlock.DIRBLKSIZ) {
                    DirectoryBlock.Entry e = DirectoryBlock.decode(sb.layout, chunk, pos, c, dp.ino);
                    pos = (int) (e.nextOffset() - c);
                    if (e.ino() == 0) {
                        continue;
                    }
                    if (!nlink.containsKey(e.ino())) {
                        problem("directory " + dp.ino + " entry " + new String(e.name()) + " names unallocated inode "
                                + e.ino());
                        continue;
                    }
                    refs.merge(e.ino(), 1, Integer::sum);
                }
            }
        }
        for (Map.Entry<Long, Integer> n : nlink.entrySet()) {
            long ino = n.getKey();
            if (ino == LfsFileSystem.IFILE_INUM) {
                continue;
            }
            int r = refs.getOrDefault(ino, 0);
            if (r != n.getValue()) {
                problem("inode " + ino + " has link count " + n.getValue() + " but " + r + " entries name it");
            }
        }
    }

    private void log() throws IOException {
        LogWalker w = new LogWalker(fs);
        long current = sb.dtosn(sb.curseg);
        for (LogWalker.PartialSegment ps : w.walkDirtySegments()) {
            // Past the checkpoint's offset the log may end in a partial segment a crash cut
            // short: roll-forward's business, not the checkpoint's.
            if (ps.segment() == current && ps.address() >= sb.offset) {
                continue;
            }
            if (!ps.datasumOk()) {
                problem("partial segment at " + ps.address() + ": data checksum " + ps.summary().datasum
                        + ", computed " + ps.computedDatasum());
            }
        }
        // Every inode the IFILE points at must lie in an inode block some summary lists.
        Set<Long> inodeBlocks = new HashSet<>();
        for (LogWalker.PartialSegment ps : w.walkDirtySegments()) {
            for (long a : ps.summary().inodeBlocks) {
                inodeBlocks.add(a);
            }
        }
        if (!inodeBlocks.contains(sb.idaddr)) {
            problem("the IFILE's inode at " + sb.idaddr + " is in no inode block the log's summaries list");
        }
        for (long ino = 2; ino < fs.maxInodes; ino++) {
            IfileEntry e = fs.ifileEntry(ino);
            if (e.isAllocated() && !inodeBlocks.contains(e.daddr())) {
                problem("inode " + ino + " at " + e.daddr() + " is in no inode block the log's summaries list");
            }
        }
    }
}
