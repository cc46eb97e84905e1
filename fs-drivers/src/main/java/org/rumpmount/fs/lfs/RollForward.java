package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Recovers what was written after the last checkpoint (lfs_rfw.c): from the checkpoint's
 * offset, the partial segments that follow in serial order, each whole (both checksums), across
 * segment ends by their ss_next. Only complete flushes are replayed: a run of partial segments
 * ends with one that lacks SS_CONT, and an unfinished run is dropped, so directory changes and
 * the inodes they name come back together or not at all. Replaying points the IFILE entries at
 * the newest copies of the inodes found, takes new inodes off the free list, and recounts the
 * segment usage table from the live blocks.
 */
final class RollForward {
    /** The most blocks one inode number in the replayed log may add to the IFILE. */
    private static final long MAX_GROWTH_BLOCKS = 64;
    /** Marks an inode whose newest copy in the replayed log has no links. */
    private static final long FREED = -1;

    private final LfsFileSystem fs;
    private final Superblock sb;
    private final SegmentWriter w;

    RollForward(LfsFileSystem fs, SegmentWriter w) {
        this.fs = fs;
        this.sb = fs.sb;
        this.w = w;
    }

    /** Replays what it finds; returns the number of partial segments replayed. */
    int run() throws IOException {
        LogWalker walker = new LogWalker(fs);
        List<LogWalker.PartialSegment> applied = new ArrayList<>();
        List<LogWalker.PartialSegment> pending = new ArrayList<>();
        long addr = w.offset;
        long expect = w.serial + 1;
        LogWalker.PartialSegment last = null;
        Set<Long> jumpedTo = new HashSet<>();
        while (true) {
            long sn = sb.dtosn(addr);
            LogWalker.PartialSegment ps = sn >= 0 && sn < sb.nseg ? walker.partialAt(sn, addr) : null;
            if (ps == null || ps.summary().serial != expect) {
                // The next one may start the segment the last one named as next, or, before
                // any was found, the segment the checkpoint names as next: the writer moves on
                // when too little of the checkpoint's segment is left for a partial segment.
                // A partial segment that ended flush with its segment's end leaves addr at the
                // next segment's first fragment, which may be a superblock copy's: the summary
                // follows it, where the segment's writing starts.
                long next = sb.dtosn(last == null ? w.nextseg : last.summary().next);
                if (next < 0 || next >= sb.nseg || segmentStart(next) == addr || !jumpedTo.add(next)) {
                    break;
                }
                addr = segmentStart(next);
                continue;
            }
            pending.add(ps);
            last = ps;
            expect++;
            addr = ps.end();
            if ((ps.summary().flags & SegmentSummary.SS_CONT) == 0) {
                applied.addAll(pending);
                pending.clear();
            }
        }
        if (applied.isEmpty()) {
            forgetTail(w.offset);
            return 0;
        }
        apply(applied);
        forgetTail(w.offset);
        return applied.size();
    }

    /**
     * Clears the summary of a partial segment left at {@code addr}, where writing resumes, by a
     * flush the crash cut short. The next partial segment is normally written over it; but when
     * too little of the segment is left for one, the writer moves on, and the remnant (a summary
     * whose own checksum holds, over blocks that never all arrived) would stay in a segment
     * every later walk of the log reads.
     */
    private void forgetTail(long addr) throws IOException {
        long sn = sb.dtosn(addr);
        if (sn < 0 || sn >= sb.nseg || addr + sb.btofsb(sb.sumsize) > sb.sntod(sn) + sb.fsbpseg) {
            return;
        }
        ByteBuffer raw = fs.disk.read(sb.byteOffset(addr), sb.sumsize, "segment summary at fragment " + addr);
        if (SegmentSummary.hasMagic(raw)) {
            fs.disk.write(sb.byteOffset(addr), new byte[sb.sumsize], "stale segment summary at fragment " + addr);
        }
    }

    private long segmentStart(long sn) throws IOException {
        long a = sb.sntod(sn);
        if ((fs.segUse(sn).flags() & SegUse.SUPERBLOCK) != 0) {
            a += sb.btofsb(Superblock.SBPAD);
        }
        if (sn == 0 && sb.s0addr < sb.btofsb(Superblock.LABELPAD)) {
            a += sb.btofsb(Superblock.LABELPAD) - sb.s0addr;
        }
        return a;
    }

    private void apply(List<LogWalker.PartialSegment> applied) throws IOException {
        // What the checkpoint itself says of each segment, before the replay changes it.
        long[] checkpointBytes = new long[(int) sb.nseg];
        for (long sn = 0; sn < sb.nseg; sn++) {
            checkpointBytes[(int) sn] = fs.segUse(sn).nbytes();
        }
        Set<Long> replayed = new HashSet<>();
        for (LogWalker.PartialSegment ps : applied) {
            replayed.add(ps.segment());
        }
        // Newest copy of each inode, and what each partial segment adds to its segment's counts.
        Map<Long, Long> latest = new TreeMap<>();
        for (LogWalker.PartialSegment ps : applied) {
            for (long iaddr : ps.summary().inodeBlocks) {
                ByteBuffer b = fs.disk.read(sb.byteOffset(iaddr), sb.ibsize, "inode block at fragment " + iaddr);
                for (int i = 0; i < sb.inopb; i++) {
                    long ino = Dinode.inumberAt(sb.layout, b, i * sb.layout.dinodeSize());
                    // An inode numbered past the checkpoint's IFILE was made after it, when the
                    // IFILE grew: it grows again here (as update_inoblk extends it), by at most
                    // a bounded number of blocks, so a wild inode number cannot make it huge.
                    while (ino >= fs.maxInodes && ino < fs.maxInodes + MAX_GROWTH_BLOCKS * sb.ifpb) {
                        InodeAllocator.extendIfile(fs);
                    }
                    // The IFILE's own inode belongs to a checkpoint that was never finished; the
                    // IFILE is rebuilt here instead.
                    if (ino > LfsFileSystem.IFILE_INUM && ino < fs.maxInodes) {
                        // A copy without links says the inode was freed.
                        Dinode d = Dinode.decode(sb.layout, b, i * sb.layout.dinodeSize());
                        latest.put(ino, d.nlink == 0 ? FREED : iaddr);
                    }
                }
            }
            long sn = ps.segment();
            SegUse su = fs.segUse(sn);
            fs.setSegUse(sn, new SegUse(su.nbytes(), su.olastmod(), su.nsums() + 1,
                    su.ninos() + ps.summary().inodeBlocks.length, su.flags() | SegUse.DIRTY, ps.summary().create));
        }
        Set<Long> newlyAllocated = new HashSet<>();
        List<Long> freed = new ArrayList<>();
        for (Map.Entry<Long, Long> e : latest.entrySet()) {
            IfileEntry old = fs.ifileEntry(e.getKey());
            if (e.getValue() == FREED) {
                if (old.isAllocated()) {
                    freed.add(e.getKey());
                }
                continue;
            }
            if (!old.isAllocated()) {
                newlyAllocated.add(e.getKey());
            }
            fs.setIfileEntry(e.getKey(), old.withDaddr(e.getValue()));
        }
        unlinkFromFreeList(newlyAllocated);
        fs.countInodes(newlyAllocated.size());
        for (long ino : freed) {
            IfileEntry old = fs.ifileEntry(ino);
            fs.setIfileEntry(ino, new IfileEntry(old.version() + 1, IfileEntry.UNUSED_DADDR, fs.freeHead(),
                    old.atimeSec(), old.atimeNsec()));
            fs.setFreeList(ino, fs.freeTail() == 0 ? ino : fs.freeTail());
            fs.countInodes(-1);
        }
        recountUsage();
        cleanForgottenSegments(checkpointBytes, replayed);
        // Carry on writing after the last partial segment replayed.
        LogWalker.PartialSegment end = applied.get(applied.size() - 1);
        long seg = sb.sntod(end.segment());
        if (seg != w.curseg) {
            long oldSn = sb.dtosn(w.curseg);
            SegUse o = fs.segUse(oldSn);
            fs.setSegUse(oldSn, new SegUse(o.nbytes(), o.olastmod(), o.nsums(), o.ninos(), o.flags() & ~SegUse.ACTIVE,
                    o.lastmod()));
            w.lastseg = w.curseg;
            w.curseg = seg;
        }
        SegUse cur = fs.segUse(end.segment());
        fs.setSegUse(end.segment(), new SegUse(cur.nbytes(), cur.olastmod(), cur.nsums(), cur.ninos(),
                cur.flags() | SegUse.ACTIVE | SegUse.DIRTY, cur.lastmod()));
        w.offset = end.end();
        w.lastpseg = end.address();
        w.serial = end.summary().serial;
        w.chooseNextSegment();
        fs.bmap.forgetAll();
    }

    private void unlinkFromFreeList(Set<Long> taken) throws IOException {
        if (taken.isEmpty()) {
            return;
        }
        long head = fs.freeHead();
        long prev = 0;
        long tail = 0;
        long ino = head;
        Set<Long> seen = new HashSet<>();
        while (ino != 0 && ino < fs.maxInodes && seen.add(ino)) {
            IfileEntry e = fs.ifileEntry(ino);
            long next = e.nextfree();
            if (taken.contains(ino)) {
                fs.setIfileEntry(ino, new IfileEntry(e.version(), e.daddr(), 0, e.atimeSec(), e.atimeNsec()));
                if (prev == 0) {
                    head = next;
                } else {
                    IfileEntry p = fs.ifileEntry(prev);
                    fs.setIfileEntry(prev, new IfileEntry(p.version(), p.daddr(), next, p.atimeSec(), p.atimeNsec()));
                }
            } else {
                prev = ino;
                tail = ino;
            }
            ino = next;
        }
        fs.setFreeList(head, head == 0 ? 0 : tail);
    }

    /**
     * Marks clean the segments nothing needs: dirty and empty both in the checkpoint and after
     * the replay, and holding none of the replayed partial segments. The writer took such
     * segments back in core after the checkpoint (both superblock copies called them empty);
     * left dirty, a nearly full file system could have no clean segment for the checkpoint that
     * ends the roll-forward. Neither superblock copy's checkpoint, nor a replay from either,
     * reads them: anything written to them after the older checkpoint is replayed.
     */
    private void cleanForgottenSegments(long[] checkpointBytes, Set<Long> replayed) throws IOException {
        long current = sb.dtosn(w.curseg);
        for (long sn = 0; sn < sb.nseg; sn++) {
            SegUse su = fs.segUse(sn);
            if (su.isDirty() && (su.flags() & SegUse.ACTIVE) == 0 && su.nbytes() == 0
                    && checkpointBytes[(int) sn] == 0 && !replayed.contains(sn) && sn != current) {
                fs.setSegUse(sn, new SegUse(0, su.olastmod(), su.nsums(), su.ninos(), su.flags() & ~SegUse.DIRTY,
                        su.lastmod()));
            }
        }
    }

    /** su_nbytes of every segment from the blocks and inodes that are live now. */
    private void recountUsage() throws IOException {
        long[] live = SegmentUsage.live(fs, w.idaddr);
        for (long sn = 0; sn < sb.nseg; sn++) {
            SegUse su = fs.segUse(sn);
            if (su.nbytes() != live[(int) sn]) {
                int flags = live[(int) sn] > 0 ? su.flags() | SegUse.DIRTY : su.flags();
                fs.setSegUse(sn, new SegUse(live[(int) sn], su.olastmod(), su.nsums(), su.ninos(), flags, su.lastmod()));
            }
        }
    }
}
