package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.VType;

/**
 * Checks an unmounted LFS as NetBSD's fsck_lfs does, and repairs what is safe to repair in place.
 *
 * <p>What it checks: the superblock copies; every partial segment of every dirty segment (the
 * summary checksum, the data checksum) up to the checkpoint; every inode the IFILE points at
 * (readable, in an inode block some summary lists, its block count, its blocks inside the
 * segments); the inode free list and the cleaner info's view of it; the segment usage table
 * against the live bytes the inodes hold (pass 5) and the free-space figures of the superblock
 * and cleaner info; the directory tree (entries that decode, {@code .} and {@code ..}, entries
 * naming free inodes, link counts, allocated inodes no entry names).
 *
 * <p>What it repairs with {@link Mode#YES}: segment usage live-byte counts, the cleaner info's and
 * superblock's segment counts and free-space figures, and link counts that differ from the
 * entries naming an inode. Each is rewritten in place; a block rewritten where a partial
 * segment's data checksum reads its first word gets that checksum (and so the summary's own)
 * patched, so the log stays valid. Everything else is reported and left alone.
 *
 * <p>{@link Mode#PREEN} repairs only what fsck_lfs -p repairs without asking: the superblock's
 * free-space figures (dmeta, avail, nclean, bfree) and the cleaner info's copy of the segment
 * counts, which a crash between a segment write and the next checkpoint leaves behind. Any
 * other inconsistency stops the run before anything is written, asking for a run by hand, as
 * fsck_lfs's preen stops with "UNEXPECTED INCONSISTENCY; RUN fsck_lfs MANUALLY".
 */
public final class LfsFsck {
    /** fsck(8)'s exit codes. */
    public static final int EXIT_CLEAN = 0;
    public static final int EXIT_FIXED = 1;
    public static final int EXIT_UNRESOLVED = 4;
    public static final int EXIT_OPERATIONAL = 8;

    /** What a run may do: only read (-n), repair what is safe (-y), or preen (-p). */
    public enum Mode {
        CHECK_ONLY, YES, PREEN
    }

    /** What preen says when it meets what it must not repair by itself. */
    public static final String MANUAL_RUN = "UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY.";

    /** One finding: where, what, and whether it was repaired. */
    public record Problem(String where, String what, boolean repaired) {
        @Override
        public String toString() {
            return where + ": " + what + (repaired ? " (FIXED)" : "");
        }
    }

    /**
     * Everything found, and the exit code it makes; {@code needsManualRun} when preen stopped at
     * a problem it does not repair (exit code 4, nothing written). {@code usageExcess} gives,
     * for each dirty segment whose usage entry claimed other than the live bytes found in it,
     * the bytes claimed minus those found (as found, before any repair).
     */
    public record Report(List<Problem> problems, boolean needsManualRun, Map<Long, Long> usageExcess) {
        public Report(List<Problem> problems, boolean needsManualRun) {
            this(problems, needsManualRun, Map.of());
        }

        public Report(List<Problem> problems) {
            this(problems, false);
        }

        public boolean clean() {
            return problems.isEmpty();
        }

        public int exitCode() {
            if (problems.isEmpty()) {
                return EXIT_CLEAN;
            }
            if (needsManualRun) {
                return EXIT_UNRESOLVED;
            }
            return problems.stream().allMatch(Problem::repaired) ? EXIT_FIXED : EXIT_UNRESOLVED;
        }
    }

    private final BlockDevice dev;
    private final LfsFileSystem fs;
    private final Superblock sb;
    private final Mode mode;
    private final Consumer<String> out;
    private final List<Problem> problems = new ArrayList<>();
    private final long[] live;
    private List<LogWalker.PartialSegment> log = new ArrayList<>();
    private final Map<Long, Integer> nlink = new HashMap<>();
    private final Map<Long, VType> types = new HashMap<>();
    private final Map<Long, Long> inodeAt = new HashMap<>();
    private final Map<Long, Long> usageExcess = new TreeMap<>();

    /** Thrown when preen meets a problem it leaves to a run by hand. */
    private static final class PreenStop extends RuntimeException {
        PreenStop() {
            super(MANUAL_RUN, null, false, false);
        }
    }

    private LfsFsck(BlockDevice dev, LfsFileSystem fs, Mode mode, Consumer<String> out) {
        this.dev = dev;
        this.fs = fs;
        this.sb = fs.sb;
        this.mode = mode;
        this.out = out;
        this.live = new long[(int) sb.nseg];
    }

    /**
     * Checks the LFS on {@code dev}; with {@code repair} (the device must be writable) repairs
     * what is safe. Each problem is also passed to {@code out} as a line when found. An
     * IOException means the check could not be done (exit code 8).
     */
    public static Report check(BlockDevice dev, boolean repair, Consumer<String> out) throws IOException {
        return check(dev, repair ? Mode.YES : Mode.CHECK_ONLY, out);
    }

    /**
     * Checks the LFS on {@code dev} in {@code mode}; the device must be writable unless the mode
     * is {@link Mode#CHECK_ONLY}. Each problem is also passed to {@code out} as a line when found.
     * An IOException means the check could not be done (exit code 8).
     */
    public static Report check(BlockDevice dev, Mode mode, Consumer<String> out) throws IOException {
        LfsFileSystem fs = LfsFileSystem.open(dev);
        LfsFsck c = new LfsFsck(dev, fs, mode, out);
        out.accept("** " + fs.sb);
        try {
            c.run();
        } catch (PreenStop stop) {
            out.accept(MANUAL_RUN);
            return new Report(List.copyOf(c.problems), true, Map.copyOf(c.usageExcess));
        }
        if (mode != Mode.CHECK_ONLY && c.problems.stream().anyMatch(Problem::repaired)) {
            dev.flush();
        }
        return new Report(List.copyOf(c.problems), false, Map.copyOf(c.usageExcess));
    }

    /** Whether {@code dev} carries an LFS superblock (either width, either byte order) where newfs_lfs puts it. */
    public static boolean looksLikeLfs(BlockDevice dev) throws IOException {
        if (dev.size() < Superblock.LABELPAD + Superblock.DISK_SIZE) {
            return false;
        }
        return LfsLayout.ofMagic(LfsFileSystem.rawSuperblock(dev, Superblock.LABELPAD)) != null;
    }

    /** A problem no mode repairs: reported; preen stops at it. */
    private void problem(String where, String what) {
        add(new Problem(where, what, false));
        if (mode == Mode.PREEN) {
            throw new PreenStop();
        }
    }

    /**
     * A problem -y repairs, and preen too when {@code preenRepairs}: reported, and whether to
     * repair it returned; preen stops at one it does not repair, before anything is written.
     */
    private boolean repairs(String where, String what, boolean preenRepairs) {
        boolean fix = mode == Mode.YES || mode == Mode.PREEN && preenRepairs;
        add(new Problem(where, what, fix));
        if (mode == Mode.PREEN && !preenRepairs) {
            throw new PreenStop();
        }
        return fix;
    }

    private void phase(String line) {
        // Preen speaks only of what it finds, as fsck -p does.
        if (mode != Mode.PREEN) {
            out.accept(line);
        }
    }

    private void add(Problem p) {
        problems.add(p);
        out.accept(p.toString());
    }

    private void run() throws IOException {
        phase("** Phase 0 - Check superblocks and the log");
        superblocks();
        logChecksums();
        phase("** Phase 1 - Check inodes and blocks");
        inodes();
        freeList();
        phase("** Phase 2 - Check directory structure");
        Map<Long, Integer> refs = directories();
        phase("** Phase 4 - Check reference counts");
        linkCounts(refs);
        phase("** Phase 5 - Check segment usage");
        segments();
    }

    // ---- superblocks and log -------------------------------------------------------------------

    private void superblocks() throws IOException {
        for (int i = 0; i < Superblock.MAXNUMSB; i++) {
            long a = sb.sboffs[i];
            if (i > 0 && a == 0) {
                break;
            }
            String where = "superblock copy " + i + " at fragment " + a;
            try {
                Superblock s = LfsFileSystem.readSuperblock(dev, sb.byteOffset(a));
                if (s == null) {
                    problem(where, "no LFS magic");
                } else if (!s.checksumOk()) {
                    problem(where, String.format("checksum 0x%x, computed 0x%x", s.cksum, s.computedCksum));
                }
            } catch (IOException e) {
                problem(where, e.getMessage());
            }
        }
    }

    private void logChecksums() throws IOException {
        LogWalker w = new LogWalker(fs);
        // The checkpoint's segment is dlfs_curseg: its offset lies at the start of the next
        // segment when its last partial segment filled the segment exactly.
        long current = sb.dtosn(sb.curseg);
        for (long sn = 0; sn < sb.nseg; sn++) {
            SegUse su = fs.segUse(sn);
            // A dirty segment without live bytes holds nothing this checkpoint uses, and the
            // writer takes it back once both superblock copies call it empty (lfs_auto_segclean):
            // while the older copy still calls it dirty, its log may already be a newer one's.
            if (!su.isDirty() || (su.nbytes() == 0 && sn != current)) {
                continue;
            }
            List<LogWalker.PartialSegment> segLog = w.walkSegment(sn);
            long next = segLog.isEmpty() ? -1 : segLog.get(segLog.size() - 1).end();
            for (LogWalker.PartialSegment ps : segLog) {
                // Past the checkpoint's offset the log may end in a partial segment a crash cut
                // short: roll-forward's business, not the checkpoint's.
                if (sn == current && ps.address() >= sb.offset) {
                    continue;
                }
                log.add(ps);
                if (!ps.datasumOk()) {
                    problem("partial segment at fragment " + ps.address() + " (segment " + sn + ")",
                            String.format("data checksum 0x%x, computed 0x%x", ps.summary().datasum, ps.computedDatasum()));
                }
            }
            // Where the walk stopped: a summary that has the magic and this file system's ident
            // but not a good checksum is a damaged summary, not the end of the log.
            long stop = next >= 0 ? next : firstSummaryAddress(sn);
            if (stop < 0 || (sn == current && stop >= sb.offset) || stop + sb.btofsb(sb.sumsize) > sb.sntod(sn) + sb.fsbpseg) {
                continue;
            }
            ByteBuffer raw = fs.disk.read(sb.byteOffset(stop), sb.sumsize, "segment summary at fragment " + stop);
            if (!SegmentSummary.hasMagic(raw)) {
                continue;
            }
            try {
                SegmentSummary ss = SegmentSummary.decode(sb.layout, raw, sb.sumsize, sb.inopb, stop);
                if (ss.ident == sb.ident && !ss.sumsumOk()) {
                    problem("partial segment at fragment " + stop + " (segment " + sn + ")",
                            String.format("summary checksum 0x%x, computed 0x%x; the rest of the segment cannot be read",
                                    ss.sumsum, ss.computedSumsum));
                }
            } catch (IOException e) {
                problem("partial segment at fragment " + stop + " (segment " + sn + ")", e.getMessage());
            }
        }
    }

    /** Where segment {@code sn}'s first summary lies, past the label and a superblock copy. */
    private long firstSummaryAddress(long sn) {
        long addr = sb.sntod(sn);
        if (sn == 0 && sb.byteOffset(addr) < Superblock.LABELPAD) {
            addr = sb.btofsb(Superblock.LABELPAD);
        }
        for (long a : sb.sboffs) {
            if (a != 0 && a == addr) {
                addr += sb.btofsb(Superblock.SBPAD);
            }
        }
        return addr;
    }

    // ---- inodes --------------------------------------------------------------------------------

    private void inodes() throws IOException {
        Set<Long> listed = new HashSet<>();
        for (LogWalker.PartialSegment ps : log) {
            for (long a : ps.summary().inodeBlocks) {
                listed.add(a);
            }
        }
        long allocated = 0;
        for (long ino = 1; ino < fs.maxInodes; ino++) {
            IfileEntry e = fs.ifileEntry(ino);
            boolean ifile = ino == LfsFileSystem.IFILE_INUM;
            // The IFILE's own entry stays unused: the superblock's idaddr says where its inode is.
            if (ifile && e.isAllocated()) {
                problem("inode 1 (the IFILE)", "its IFILE entry is in use (address " + e.daddr() + ")");
            }
            long daddr = ifile ? sb.idaddr : e.daddr();
            if (daddr == IfileEntry.UNUSED_DADDR) {
                continue;
            }
            String where = "inode " + ino + " at fragment " + daddr;
            if (!ifile) {
                allocated++;
            }
            if (!listed.contains(daddr)) {
                problem(where, "lies in no inode block a checked partial segment lists");
            }
            Dinode d;
            try {
                d = ifile ? fs.readDinode(ino, daddr) : fs.loadInode(ino).din;
            } catch (IOException ex) {
                problem(where, "cannot be read: " + ex.getMessage());
                continue;
            }
            inodeAt.put(ino, daddr);
            count(where, daddr, sb.layout.dinodeSize());
            long frags;
            try {
                frags = blocks(where, ino, d);
            } catch (IOException ex) {
                problem(where, ex.getMessage());
                continue;
            }
            if (frags != d.blocks) {
                problem(where, "holds " + frags + " fragments but di_blocks says " + d.blocks);
            }
            nlink.put(ino, d.nlink);
            types.put(ino, VType.ofMode(d.mode));
        }
        // newfs_lfs's starting count leaves one of the inodes it makes out of nfiles, and the
        // kernel keeps that difference (as in every NetBSD-made image).
        if (allocated - 1 != sb.nfiles) {
            problem("superblock", "nfiles is " + sb.nfiles + " but " + allocated + " inodes besides the IFILE are in use");
        }
    }

    private void count(String where, long daddr, long bytes) {
        long sn = sb.dtosn(daddr);
        if (daddr < sb.s0addr || sn >= sb.nseg) {
            problem(where, "address " + daddr + " lies outside every segment");
            return;
        }
        live[(int) sn] += bytes;
    }

    /** Counts a file's blocks into their segments; returns the fragments it holds. */
    private long blocks(String where, long ino, Dinode d) throws IOException {
        int type = d.mode & 0170000;
        boolean inline = type == 0120000 && (d.size < sb.maxsymlinklen || (sb.maxsymlinklen == 0 && d.blocks == 0));
        if (type == 0020000 || type == 0060000 || inline) {
            return 0;
        }
        long frags = 0;
        for (int i = 0; i < Dinode.NDADDR; i++) {
            if (d.db[i] > 0) {
                long bs = ino == LfsFileSystem.IFILE_INUM ? sb.bsize : fs.blockSize(d.size, i);
                if (bs <= 0) {
                    problem(where, "block " + i + " at " + d.db[i] + " lies past the end of file");
                    continue;
                }
                count(where, d.db[i], bs);
                frags += sb.btofsb(bs);
            }
        }
        for (int level = 0; level < Dinode.NIADDR; level++) {
            frags += indirect(where, ino, d.ib[level], level + 1);
        }
        return frags;
    }

    private long indirect(String where, long ino, long daddr, int level) throws IOException {
        if (daddr <= 0) {
            return 0;
        }
        count(where, daddr, sb.bsize);
        long frags = sb.frag;
        ByteBuffer b = fs.disk.read(sb.byteOffset(daddr), sb.bsize, "indirect block of inode " + ino);
        for (int i = 0; i < sb.nindir; i++) {
            long a = sb.layout.daddr(b, i * sb.layout.daddrSize());
            if (a <= 0) {
                continue;
            }
            if (level > 1) {
                frags += indirect(where, ino, a, level - 1);
            } else {
                count(where, a, sb.bsize);
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
                problem("inode free list", (ino >= fs.maxInodes ? "runs past the IFILE" : "loops") + " at inode " + ino);
                return;
            }
            IfileEntry e = fs.ifileEntry(ino);
            if (e.isAllocated()) {
                problem("inode free list", "inode " + ino + " is on it but allocated");
            }
            last = ino;
            ino = e.nextfree();
        }
        CleanerInfo ci = fs.cleanerInfo();
        if (ci.freeHead() != sb.freehd) {
            problem("cleaner info", "free list head " + ci.freeHead() + " differs from the superblock's " + sb.freehd);
        }
        if (last != 0 && ci.freeTail() != last) {
            problem("cleaner info", "free list tail " + ci.freeTail() + " but the list ends at " + last);
        }
    }

    // ---- directories ---------------------------------------------------------------------------

    /** Walks every directory; returns how many entries name each inode. */
    private Map<Long, Integer> directories() throws IOException {
        Map<Long, Integer> refs = new HashMap<>();
        Map<Long, Long> parentOf = new HashMap<>();
        Map<Long, Long> dotdot = new HashMap<>();
        for (Map.Entry<Long, VType> t : new TreeMap<>(types).entrySet()) {
            long dir = t.getKey();
            if (t.getValue() != VType.VDIR || dir == LfsFileSystem.IFILE_INUM) {
                continue;
            }
            LfsInode dp = fs.loadInode(dir);
            if (dp.size() % DirectoryBlock.DIRBLKSIZ != 0 || dp.size() > Integer.MAX_VALUE) {
                problem("directory " + dir, "size " + dp.size() + " is not a whole number of " + DirectoryBlock.DIRBLKSIZ
                        + "-byte chunks");
                continue;
            }
            ByteBuffer all = ByteBuffer.allocate((int) dp.size()).order(sb.layout.order());
            fs.read(dp, 0, all);
            int index = 0;
            for (int c = 0; c < dp.size(); c += DirectoryBlock.DIRBLKSIZ) {
                ByteBuffer chunk = all.duplicate().position(c).limit(c + DirectoryBlock.DIRBLKSIZ).slice()
                        .order(sb.layout.order());
                int pos = 0;
                while (pos < DirectoryBlock.DIRBLKSIZ) {
                    DirectoryBlock.Entry e;
                    try {
                        e = DirectoryBlock.decode(sb.layout, chunk, pos, c, dir);
                    } catch (IOException ex) {
                        problem("directory " + dir + " at offset " + (c + pos), ex.getMessage());
                        break;
                    }
                    pos = (int) (e.nextOffset() - c);
                    if (e.ino() == 0) {
                        continue;
                    }
                    String name = new String(e.name(), java.nio.charset.StandardCharsets.ISO_8859_1);
                    String where = "directory " + dir + " entry '" + name + "' at offset " + e.offset();
                    int i = index++;
                    if (i == 0 && !name.equals(".") || i == 1 && !name.equals("..")) {
                        problem(where, "expected '" + (i == 0 ? "." : "..") + "' here");
                    }
                    if (name.equals(".") && e.ino() != dir) {
                        problem(where, "names inode " + e.ino() + ", not the directory itself");
                    }
                    if (name.equals("..")) {
                        dotdot.put(dir, e.ino());
                    }
                    if (!nlink.containsKey(e.ino())) {
                        problem(where, "names inode " + e.ino() + ", which is not allocated");
                        continue;
                    }
                    refs.merge(e.ino(), 1, Integer::sum);
                    VType named = DirectoryBlock.vtype(e.type());
                    if (named != VType.VNON && named != types.get(e.ino())) {
                        problem(where, "entry type " + named + " but inode " + e.ino() + " is " + types.get(e.ino()));
                    }
                    if (!name.equals(".") && !name.equals("..") && types.get(e.ino()) == VType.VDIR) {
                        Long before = parentOf.putIfAbsent(e.ino(), dir);
                        if (before != null) {
                            problem(where, "directory " + e.ino() + " is also named in directory " + before);
                        }
                    }
                }
            }
            if (index < 2) {
                problem("directory " + dir, "has " + index + " entries; every directory holds at least '.' and '..'");
            }
        }
        for (Map.Entry<Long, Long> d : dotdot.entrySet()) {
            long dir = d.getKey();
            long parent = dir == LfsFileSystem.ROOT_INUM ? LfsFileSystem.ROOT_INUM : parentOf.getOrDefault(dir, -1L);
            if (parent >= 0 && d.getValue() != parent) {
                problem("directory " + dir + " entry '..'", "names inode " + d.getValue() + " but its parent is " + parent);
            }
        }
        return refs;
    }

    private void linkCounts(Map<Long, Integer> refs) throws IOException {
        for (Map.Entry<Long, Integer> n : new TreeMap<>(nlink).entrySet()) {
            long ino = n.getKey();
            if (ino == LfsFileSystem.IFILE_INUM) {
                continue;
            }
            int r = refs.getOrDefault(ino, 0);
            if (r == n.getValue()) {
                continue;
            }
            String where = "inode " + ino + " (" + types.get(ino) + ")";
            if (r == 0) {
                problem(where, "is allocated but no directory entry names it (link count " + n.getValue() + ")");
                continue;
            }
            if (repairs(where, "link count " + n.getValue() + ", but " + r + " entries name it", false)) {
                setLinkCount(ino, r);
            }
        }
    }

    private void setLinkCount(long ino, int count) throws IOException {
        long daddr = inodeAt.get(ino);
        byte[] blk = bytes(daddr, sb.ibsize);
        ByteBuffer b = ByteBuffer.wrap(blk).order(sb.layout.order());
        int size = sb.layout.dinodeSize();
        for (int i = 0; i < sb.ibsize / size; i++) {
            if (Dinode.inumberAt(sb.layout, b, i * size) == ino) {
                b.putShort(i * size + 2, (short) count);
                rewrite(daddr, blk, "inode block at fragment " + daddr);
                return;
            }
        }
        throw new IOException("inode " + ino + " vanished from its inode block at fragment " + daddr);
    }

    // ---- segment usage (pass 5) ----------------------------------------------------------------

    private void segments() throws IOException {
        SpaceTotals t = new SpaceTotals(sb);
        Map<Long, SegUse> fixed = new TreeMap<>();
        for (long sn = 0; sn < sb.nseg; sn++) {
            SegUse su = fs.segUse(sn);
            long l = live[(int) sn];
            String where = "segment " + sn + " (usage table)";
            if (!su.isDirty() && l > 0) {
                problem(where, l + " live bytes in a segment marked clean");
            }
            if (su.isDirty() && su.nbytes() != l) {
                usageExcess.put(sn, su.nbytes() - l);
                repairs(where, "claims " + su.nbytes() + " live bytes but holds " + l, false);
                su = new SegUse(l, su.olastmod(), su.nsums(), su.ninos(), su.flags(), su.lastmod());
                fixed.put(sn, su);
            }
            t.add(sn, su);
        }
        t.finish(sb.offset);
        long dmeta = t.dmeta;
        long nclean = t.nclean;
        long avail = t.avail;
        long bfreeMin = t.bfreeMin();
        long bfreeMax = t.bfreeMax();
        boolean sbWrong = false;
        if (dmeta != sb.dmeta) {
            repairs("superblock", "dmeta is " + sb.dmeta + ", should be " + dmeta, true);
            sbWrong = true;
        }
        if (avail != sb.avail) {
            repairs("superblock", "avail is " + sb.avail + ", should be " + avail, true);
            sbWrong = true;
        }
        if (nclean != sb.nclean) {
            repairs("superblock", "nclean is " + sb.nclean + ", should be " + nclean, true);
            sbWrong = true;
        }
        long bfree = sb.bfree;
        if (bfree > bfreeMax || bfree < bfreeMin) {
            repairs("superblock", "bfree is " + bfree + ", should be between " + bfreeMin + " and " + bfreeMax, true);
            bfree = bfreeMin + (bfreeMax - bfreeMin) / 2;
            sbWrong = true;
        }
        CleanerInfo ci = fs.cleanerInfo();
        boolean ciWrong = ci.clean() != nclean || ci.dirty() != sb.nseg - nclean;
        if (ciWrong) {
            repairs("cleaner info", "counts " + ci.clean() + " clean and " + ci.dirty() + " dirty segments, the table "
                    + nclean + " and " + (sb.nseg - nclean), true);
        }
        if (mode == Mode.CHECK_ONLY) {
            return;
        }
        // The IFILE blocks holding the usage entries and the cleaner info, rewritten in place.
        Map<Long, byte[]> blocks = new TreeMap<>();
        for (Map.Entry<Long, SegUse> f : fixed.entrySet()) {
            long lbn = sb.cleansz + f.getKey() / sb.sepb;
            byte[] blk = blocks.computeIfAbsent(lbn, this::ifileBlockCopy);
            f.getValue().encode(ByteBuffer.wrap(blk).order(sb.layout.order()), (int) (f.getKey() % sb.sepb) * sb.layout.segUseSize());
        }
        if (ciWrong || sbWrong) {
            byte[] blk = blocks.computeIfAbsent(0L, this::ifileBlockCopy);
            new CleanerInfo(nclean, sb.nseg - nclean, bfree, avail, ci.freeHead(), ci.freeTail(), ci.flags())
                    .encode(sb.layout, ByteBuffer.wrap(blk).order(sb.layout.order()), 0);
        }
        for (Map.Entry<Long, byte[]> e : blocks.entrySet()) {
            long lbn = e.getKey();
            long daddr = fs.address(fs.ifile, lbn);
            rewrite(daddr, e.getValue(), "IFILE block " + lbn + " at fragment " + daddr);
        }
        if (sbWrong) {
            for (int i = 0; i < Superblock.MAXNUMSB && (i == 0 || sb.sboffs[i] != 0); i++) {
                long at = sb.byteOffset(sb.sboffs[i]);
                Superblock s = LfsFileSystem.readSuperblock(dev, at);
                if (s == null || !s.checksumOk() || s.serial != sb.serial) {
                    continue;
                }
                ByteBuffer raw = sb.layout.view(LfsFileSystem.rawSuperblock(dev, at));
                new CheckpointFields(s.freehd, bfree, s.nfiles, avail, s.idaddr, s.lastseg, s.nextseg, s.curseg, s.offset,
                        s.lastpseg, nclean, dmeta, s.serial, s.tstamp, s.pflags).apply(sb.layout, raw);
                byte[] bytes = new byte[Superblock.DISK_SIZE];
                raw.duplicate().clear().get(bytes);
                fs.disk.write(at, bytes, "superblock copy " + i);
            }
        }
    }

    private byte[] ifileBlockCopy(long lbn) {
        try {
            return bytes(fs.address(fs.ifile, lbn), sb.bsize);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- writing in place ----------------------------------------------------------------------

    private byte[] bytes(long daddr, int len) throws IOException {
        ByteBuffer b = fs.disk.read(sb.byteOffset(daddr), len, "block at fragment " + daddr);
        byte[] out = new byte[len];
        b.duplicate().clear().get(out);
        return out;
    }

    /**
     * Writes {@code data} over the block at {@code daddr}. A partial segment's data checksum
     * covers the first word of each of its blocks: when that word changes, the checksum is
     * patched (it is an XOR of 16-bit words) and the summary re-checksummed.
     */
    private void rewrite(long daddr, byte[] data, String what) throws IOException {
        byte[] old = bytes(daddr, 4);
        fs.disk.write(sb.byteOffset(daddr), data, what);
        if (java.util.Arrays.equals(old, 0, 4, data, 0, 4)) {
            return;
        }
        for (LogWalker.PartialSegment ps : log) {
            if (daddr > ps.address() && daddr < ps.end()) {
                ByteBuffer o = ByteBuffer.wrap(old).order(sb.layout.order());
                ByteBuffer n = ByteBuffer.wrap(data).order(sb.layout.order());
                int delta = (o.getShort(0) ^ o.getShort(2) ^ n.getShort(0) ^ n.getShort(2)) & 0xffff;
                byte[] sum = bytes(ps.address(), sb.sumsize);
                ByteBuffer s = ByteBuffer.wrap(sum).order(sb.layout.order());
                s.putInt(4, s.getInt(4) ^ delta);
                s.putInt(0, LfsLayout.cksum(s, 4, sb.sumsize - 4));
                fs.disk.write(sb.byteOffset(ps.address()), sum, "summary at fragment " + ps.address());
                return;
            }
        }
    }
}
