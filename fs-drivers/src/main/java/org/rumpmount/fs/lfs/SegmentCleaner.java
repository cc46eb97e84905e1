package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The segment cleaner, run inside the driver: NetBSD's lfs_cleanerd choosing segments, with
 * what the kernel's lfs_bmapv and lfs_markv do for it. A pass picks dirty segments by
 * lfs_cleanerd's cost-benefit rule, reads every partial segment summary in them, keeps the
 * blocks and inodes that are still live, and makes them dirty again in core so that the
 * ordinary {@link SegmentWriter} copies them forward, accounting them as any write. Checkpoints
 * follow until the segments left empty are marked clean by {@link EmptySegments}, which waits
 * until both superblock copies hold a checkpoint in which they are empty.
 *
 * <p>A block is live when its file's IFILE entry is allocated with the version the FINFO names
 * and the file's block map (the in-core one: pointers changed but not yet written count) still
 * points at this address; a block with a newer copy waiting in core is not, since the next
 * flush replaces it anyway. An inode is live when its IFILE entry points at this inode block.
 * The IFILE's own blocks are live when its block map points at them, and its inode is written
 * at every checkpoint anyway.
 *
 * <p>Every kind of block moves: data, the single, double and triple indirect blocks and those
 * below them (a live one is made dirty in core, which makes the blocks above it dirty too, as
 * lfs_markv's rewrite of an indirect block does), inode blocks and IFILE blocks. Only a data
 * block a 32-bit FINFO cannot name (past logical block 2^31) cannot be moved; a segment holding
 * a live one is left alone for the rest of the mount, as is one whose usage entry still claims
 * bytes after its live blocks were moved (an entry that overstates, which NetBSD's lfs_segclean
 * refuses in the same way).
 *
 * <p>Every method runs with the mount's segment lock held exclusively, at the start of a change
 * before anything of it is made, or on demand.
 */
final class SegmentCleaner {
    private static final Logger LOG = Logger.getLogger(SegmentCleaner.class.getName());
    /** Segments copied from in one pass at most (lfs_cleanerd cleans a few at a time). */
    static final int SEGMENTS_PER_PASS = 16;
    /** Passes one change may wait for before it goes on with whatever space there is. */
    private static final int PASSES_PER_CHANGE = 8;

    private final LfsMount m;
    private final LfsFileSystem fs;
    /** Segments found unfit to clean on this mount (live blocks that cannot be moved, usage that overstates). */
    private final BitSet stuck = new BitSet();
    private boolean running;
    /** The clean segments there were when a pass last freed nothing; -1 after one that did. */
    private long fruitlessAt = -1;
    private long segmentsCopied;
    private long bytesMoved;
    private long passes;

    /**
     * What cleaning did: segments marked clean, those of them copied from, live bytes rewritten,
     * passes, and the segments given up on (left alone for the rest of the mount).
     */
    record Totals(long segmentsCleaned, long segmentsCopied, long bytesMoved, long passes, long segmentsSkipped) {
    }

    SegmentCleaner(LfsMount m) {
        this.m = m;
        this.fs = m.fs();
    }

    /** The counts since the mount. */
    Totals totals() {
        return new Totals(m.writer.emptySegments.reclaimed(), segmentsCopied, bytesMoved, passes, stuck.cardinality());
    }

    /**
     * Below this many clean segments a change waits for the cleaner first: lfs_minfreeseg, the
     * point at which lfs_cleanerd's needs_cleaning says the cleaner must run.
     */
    long threshold() {
        return Math.max(fs.sb.minfreeseg, 4);
    }

    /** The clean segments to reach once cleaning has started, so that it does not run for every change. */
    private long target() {
        return threshold() + Math.max(2, threshold() / 4);
    }

    /**
     * Before a change of about {@code bytes} bytes: cleans while clean segments are below the
     * threshold or the change would not fit, as long as cleaning makes progress.
     */
    void beforeChange(long change) throws IOException {
        if (running) {
            return;
        }
        long bytes = change + FileWrites.WRITE_SLACK_BLOCKS * fs.sb.bsize;
        FileWrites files = new FileWrites(m);
        long clean = fs.cleanerInfo().clean();
        // After a pass that freed nothing, low space alone waits until more is used up; a change
        // that would not fit always tries again.
        boolean low = clean < threshold() && (fruitlessAt < 0 || clean < fruitlessAt);
        if (!low && files.hasRoomFor(bytes)) {
            return;
        }
        running = true;
        try {
            for (int i = 0; i < PASSES_PER_CHANGE; i++) {
                if (fs.cleanerInfo().clean() >= target() && files.hasRoomFor(bytes)) {
                    return;
                }
                if (pass(SEGMENTS_PER_PASS) == 0) {
                    fruitlessAt = fs.cleanerInfo().clean();
                    return;
                }
                fruitlessAt = -1;
            }
        } finally {
            running = false;
        }
    }

    /**
     * Cleans on demand until {@code segments} segments have been marked clean or nothing more
     * can be (lfs_cleanerd run by hand). Returns the totals of this run.
     */
    Totals clean(long segments) throws IOException {
        Totals before = totals();
        running = true;
        try {
            while (totals().segmentsCleaned() - before.segmentsCleaned() < segments) {
                long left = segments - (totals().segmentsCleaned() - before.segmentsCleaned());
                if (pass((int) Math.min(left, SEGMENTS_PER_PASS)) == 0) {
                    break;
                }
            }
        } finally {
            running = false;
        }
        Totals after = totals();
        return new Totals(after.segmentsCleaned() - before.segmentsCleaned(),
                after.segmentsCopied() - before.segmentsCopied(), after.bytesMoved() - before.bytesMoved(),
                after.passes() - before.passes(), after.segmentsSkipped() - before.segmentsSkipped());
    }

    /** One pass over at most {@code max} segments; returns the segments marked clean by it. */
    private int pass(int max) throws IOException {
        long reclaimedBefore = m.writer.emptySegments.reclaimed();
        List<Long> victims = choose(max);
        long moved = 0;
        for (long sn : victims) {
            long n = markLive(sn);
            if (n < 0) {
                stuck.set((int) sn);
                LOG.fine(() -> "segment " + sn + " holds a live block no FINFO of this width can name; not cleaned");
            } else {
                moved += n;
            }
        }
        passes++;
        bytesMoved += moved;
        // The copies go to the log with a checkpoint; then checkpoints until both superblock
        // copies call the segments empty (two, unless the serial number's parity repeats).
        int pflags = fs.sb.pflags & ~Superblock.PF_CLEAN;
        for (int i = 0; i < 3; i++) {
            m.flush(null, true, false, pflags);
            if (i > 0 && victims.stream().allMatch(this::isClean)) {
                break;
            }
        }
        for (long sn : victims) {
            SegUse su = fs.segUse(sn);
            if (su.isDirty()) {
                if (su.nbytes() != 0 && !stuck.get((int) sn)) {
                    stuck.set((int) sn);
                    LOG.log(Level.FINE, "segment {0} still claims {1} bytes after its live blocks were copied; not cleaned",
                            new Object[] {sn, su.nbytes()});
                }
            } else {
                segmentsCopied++;
            }
        }
        return (int) (m.writer.emptySegments.reclaimed() - reclaimedBefore);
    }

    private boolean isClean(long sn) {
        try {
            return !fs.segUse(sn).isDirty();
        } catch (IOException e) {
            return false;
        }
    }

    // ---- choosing ------------------------------------------------------------------------------

    private record Candidate(long sn, long nbytes, double priority) {
    }

    /**
     * The segments to clean, best first, by lfs_cleanerd's calc_cb: the benefit (the segment
     * less its live bytes, a summary per partial segment and half a block of fragmentation)
     * times its age, over the cost (reading it and writing its live bytes). The age counts from
     * one second, so that segments written within the same second still rank by benefit over
     * cost. Taken while their live bytes fit in the clean segments with room to spare, and only
     * if together they free at least a segment more than they take.
     */
    private List<Long> choose(int max) throws IOException {
        Superblock sb = fs.sb;
        long now = m.mount().host().now().sec();
        long cur = sb.dtosn(m.writer.curseg);
        long next = sb.dtosn(m.writer.nextseg);
        List<Candidate> all = new ArrayList<>();
        for (long sn = 0; sn < sb.nseg; sn++) {
            SegUse su = fs.segUse(sn);
            if (sn == cur || sn == next || stuck.get((int) sn) || !su.isDirty() || (su.flags() & SegUse.ACTIVE) != 0
                    || su.nbytes() == 0 || su.nbytes() > sb.ssize) {
                continue;
            }
            long benefit = sb.ssize - su.nbytes() - (su.nsums() + 1L) * sb.fsize;
            if (sb.bsize > sb.fsize) {
                benefit -= sb.bsize / 2;
            }
            if (benefit <= 0) {
                continue;
            }
            long age = Math.max(0, now - su.lastmod()) + 1;
            all.add(new Candidate(sn, su.nbytes(), (double) benefit * age / (sb.ssize + su.nbytes())));
        }
        all.sort(Comparator.comparingDouble(Candidate::priority).reversed());
        // What the copies may take: the clean segments but two, less the pending changes and
        // three rewrites of the IFILE, with a quarter kept for summaries, inodes and segment ends.
        long clean = fs.cleanerInfo().clean();
        long budget = (clean - 2) * sb.ssize * 3 / 4 - 3L * fs.ifileBlockCount() * sb.bsize - m.dirtyBytes * 5 / 4;
        List<Long> out = new ArrayList<>();
        long live = 0;
        long freed = 0;
        for (Candidate c : all) {
            if (out.size() >= max || live + c.nbytes() > budget) {
                break;
            }
            out.add(c.sn());
            live += c.nbytes();
            freed += sb.ssize - c.nbytes();
        }
        if (freed < sb.ssize + (long) fs.ifileBlockCount() * sb.bsize) {
            return List.of();
        }
        return out;
    }

    // ---- what is live (lfs_bmapv), made dirty (lfs_markv) ---------------------------------------

    /**
     * Walks segment {@code sn}'s partial segments and makes every live block and inode in it
     * dirty in core. Returns the bytes made dirty, or -1 when a live block cannot be moved.
     */
    private long markLive(long sn) throws IOException {
        Superblock sb = fs.sb;
        long moved = 0;
        boolean immovable = false;
        for (LogWalker.PartialSegment ps : new LogWalker(fs).walkSegment(sn)) {
            SegmentSummary ss = ps.summary();
            long off = ps.address() + sb.btofsb(sb.sumsize);
            int nextInode = 0;
            int fileIndex = 0;
            // The layout check_segsum and the log walker use: inode blocks where the summary
            // says they are, file blocks in FINFO order around them.
            while (fileIndex < ss.files.size() || nextInode < ss.inodeBlocks.length) {
                if (nextInode < ss.inodeBlocks.length && ss.inodeBlocks[nextInode] == off) {
                    moved += markInodes(off);
                    off += sb.btofsb(sb.ibsize);
                    nextInode++;
                    continue;
                }
                if (fileIndex >= ss.files.size()) {
                    break;
                }
                SegmentSummary.FileInfo fi = ss.files.get(fileIndex++);
                long[] lbns = fi.blocks();
                for (int j = 0; j < lbns.length; j++) {
                    int size = (int) (j == lbns.length - 1 ? fi.lastLength() : sb.bsize);
                    long n = markBlock(fi.ino(), fi.version(), lbns[j], off, size);
                    if (n < 0) {
                        immovable = true;
                    } else {
                        moved += n;
                    }
                    off += sb.btofsb(size);
                }
            }
        }
        return immovable ? -1 : moved;
    }

    /** Makes the live inodes in the inode block at {@code iaddr} dirty; returns their bytes. */
    private long markInodes(long iaddr) throws IOException {
        Superblock sb = fs.sb;
        LfsLayout l = sb.layout;
        ByteBuffer b = fs.disk.read(sb.byteOffset(iaddr), sb.ibsize, "inode block at fragment " + iaddr);
        long moved = 0;
        for (int i = 0; i < sb.inopb; i++) {
            long ino = Dinode.inumberAt(l, b, i * l.dinodeSize());
            // The IFILE's inode is written at every checkpoint, wherever it is now.
            if (ino <= LfsFileSystem.IFILE_INUM || ino >= fs.maxInodes) {
                continue;
            }
            IfileEntry e = fs.ifileEntry(ino);
            if (!e.isAllocated() || e.daddr() != iaddr) {
                continue;
            }
            LfsInode ip = m.inCore(ino);
            ip.inodeDirty = true;
            m.markDirty(ip);
            moved += l.dinodeSize();
        }
        return moved;
    }

    /**
     * Makes logical block {@code lbn} of inode {@code ino} dirty when the block of {@code size}
     * bytes at {@code daddr} is its live copy; returns the bytes, 0 when dead, -1 when live but
     * out of this writer's reach.
     */
    private long markBlock(long ino, long version, long lbn, long daddr, int size) throws IOException {
        Superblock sb = fs.sb;
        if (ino == LfsFileSystem.IFILE_INUM) {
            return markIfileBlock(lbn, daddr, size);
        }
        if (ino <= LfsFileSystem.IFILE_INUM || ino >= fs.maxInodes) {
            return 0;
        }
        IfileEntry e = fs.ifileEntry(ino);
        if (!e.isAllocated() || e.version() != version) {
            return 0;
        }
        LfsInode ip = m.inCore(ino);
        if (ip.freed || ip.tombstone || !FileBlocks.hasBlocks(sb, ip)) {
            return 0;
        }
        if (lbn < 0) {
            long n = markIndirect(ip, lbn, daddr, size);
            if (n > 0) {
                m.markDirty(ip);
            }
            return n;
        }
        if (lbn >= FileBlocks.writableLimit(sb)) {
            return fs.bmap.bmap(ino, ip.din, lbn) == daddr ? -1 : 0;
        }
        synchronized (ip) {
            if (ip.dirtyBlocks.containsKey(lbn)) {
                return 0;
            }
        }
        if (fs.address(ip, lbn) != daddr) {
            return 0;
        }
        byte[] data = new byte[sb.bsize];
        fs.disk.read(sb.byteOffset(daddr), size, "inode " + ino + ": logical block " + lbn + " at fragment " + daddr)
                .get(data, 0, size);
        synchronized (ip) {
            ip.dirtyBlocks.put(lbn, data);
        }
        m.dirtyBytes += sb.bsize;
        m.markDirty(ip);
        return size;
    }

    /**
     * Makes the in-core copy of indirect block {@code lbn} (single, double or triple, or one
     * below them) of {@code ip} dirty when the block of {@code size} bytes at {@code daddr} is
     * its live copy, so the next flush rewrites it and those above it; returns its bytes, or 0
     * when dead.
     */
    private long markIndirect(LfsInode ip, long lbn, long daddr, int size) throws IOException {
        FileBlocks fb = new FileBlocks(fs, ip);
        if (!fb.isLiveIndirect(lbn, daddr)) {
            return 0;
        }
        fb.rewriteIndirect(lbn);
        m.dirtyBytes += size;
        return size;
    }

    private long markIfileBlock(long lbn, long daddr, int size) throws IOException {
        LfsInode ifile = fs.ifile;
        if (lbn < 0) {
            long[] at = FileBlocks.indirectOf(fs.sb, lbn);
            if (at == null || at[1] >= fs.ifileBlockCount() || !new FileBlocks(fs, ifile).isLiveIndirect(lbn, daddr)) {
                return 0;
            }
            // The first block behind it made dirty rewrites it and every indirect block above
            // it with the IFILE at the checkpoint, and the IFILE's room estimate counts them.
            fs.ifileDirty.add(at[1]);
            return size;
        }
        if (lbn >= fs.ifileBlockCount() || fs.address(ifile, lbn) != daddr) {
            return 0;
        }
        fs.ifileDirty.add(lbn);
        return size;
    }
}
