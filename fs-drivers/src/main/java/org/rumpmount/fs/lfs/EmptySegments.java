package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.util.BitSet;

/**
 * Which dirty segments hold no live bytes in the checkpoint each superblock copy carries, and
 * the marking clean of those empty in both (NetBSD's lfs_suflags and lfs_auto_segclean, with
 * lfs_do_segclean's accounting).
 *
 * <p>A mount after a crash starts from the older of the two superblock copies and rolls the log
 * forward from there. A segment whose data died after that checkpoint may still be read by it,
 * so a segment is handed back to the writer only once the checkpoints in both copies call it
 * empty: never before the checkpoint that made its data dead is on disk in each copy. Until
 * both copies have been written on this mount nothing is known about them, so nothing is
 * marked clean.
 *
 * <p>The EMPTY flag of each usage entry follows su_nbytes wherever an entry is written
 * ({@link LfsFileSystem#setSegUse}) and is set right for every entry when a writable mount
 * starts ({@link #settleAtMount}).
 */
final class EmptySegments {
    private final LfsFileSystem fs;
    private final SegmentWriter writer;
    /** By superblock copy: the segments that copy's checkpoint calls dirty, inactive and empty. */
    private final BitSet[] empty = {new BitSet(), new BitSet()};
    private final boolean[] recorded = new boolean[2];
    /** Segments marked clean on this mount. */
    private long reclaimed;

    EmptySegments(LfsFileSystem fs, SegmentWriter writer) {
        this.fs = fs;
        this.writer = writer;
    }

    /**
     * As lfs_mountfs does before rolling forward on a writable mount: every usage entry's EMPTY
     * flag made to say whether it claims no bytes, and ACTIVE and INVAL cleared, since no
     * segment is being written yet. Only entries that change are rewritten.
     */
    void settleAtMount() throws IOException {
        for (long sn = 0; sn < fs.sb.nseg; sn++) {
            SegUse su = fs.segUse(sn);
            SegUse settled = new SegUse(su.nbytes(), su.olastmod(), su.nsums(), su.ninos(),
                    su.flags() & ~(SegUse.ACTIVE | SegUse.INVAL), su.lastmod()).withEmptyFlag();
            if (!settled.equals(su)) {
                fs.setSegUse(sn, settled);
            }
        }
    }

    /** As lfs_mountfs does last: the segment the log goes on in is dirty and active again. */
    void markCurrentActive() throws IOException {
        long sn = fs.sb.dtosn(writer.curseg);
        SegUse su = fs.segUse(sn);
        int flags = su.flags() | SegUse.DIRTY | SegUse.ACTIVE;
        if (flags != su.flags()) {
            fs.setSegUse(sn, new SegUse(su.nbytes(), su.olastmod(), su.nsums(), su.ninos(), flags, su.lastmod()));
        }
    }

    /** Notes what the checkpoint just written into superblock copy {@code copy} says. */
    void checkpointWritten(int copy) throws IOException {
        Superblock sb = fs.sb;
        BitSet s = empty[copy];
        s.clear();
        for (long sn = 0; sn < sb.nseg; sn++) {
            if (isEmpty(sn, fs.segUse(sn))) {
                s.set((int) sn);
            }
        }
        recorded[copy] = true;
    }

    private boolean isEmpty(long sn, SegUse su) {
        return su.isDirty() && (su.flags() & SegUse.ACTIVE) == 0 && su.nbytes() == 0
                && sn != fs.sb.dtosn(writer.curseg);
    }

    private BitSet known(int copy) {
        // A superblock copy the file system does not have is never mounted from: the other decides.
        return fs.sb.sboffs[copy] > 0 ? empty[copy] : empty[1 - copy];
    }

    /**
     * Marks clean the segments both checkpoints call empty and that still are; returns how many.
     * The caller writes the change at the next checkpoint.
     */
    int reclaim() throws IOException {
        boolean have0 = recorded[0] || fs.sb.sboffs[0] <= 0;
        boolean have1 = recorded[1] || fs.sb.sboffs[1] <= 0;
        if (!have0 || !have1) {
            return 0;
        }
        BitSet both = (BitSet) known(0).clone();
        both.and(known(1));
        int n = 0;
        for (int sn = both.nextSetBit(0); sn >= 0; sn = both.nextSetBit(sn + 1)) {
            SegUse su = fs.segUse(sn);
            if (isEmpty(sn, su)) {
                markClean(sn, su);
                n++;
            }
            empty[0].clear(sn);
            empty[1].clear(sn);
        }
        reclaimed += n;
        return n;
    }

    /** As lfs_do_segclean: the DIRTY flag goes (nothing else), and the segment counts free and available again. */
    private void markClean(long sn, SegUse su) throws IOException {
        Superblock sb = fs.sb;
        fs.setSegUse(sn, new SegUse(0, su.olastmod(), su.nsums(), su.ninos(),
                su.flags() & ~SegUse.DIRTY, su.lastmod()));
        long avail = sb.fsbpseg;
        if ((su.flags() & SegUse.SUPERBLOCK) != 0) {
            avail -= sb.btofsb(Superblock.SBPAD);
        }
        if (sn == 0 && sb.s0addr < sb.btofsb(Superblock.LABELPAD)) {
            avail -= sb.btofsb(Superblock.LABELPAD) - sb.s0addr;
        }
        long meta = sb.btofsb((long) su.nsums() * sb.sumsize) + sb.btofsb((long) su.ninos() * sb.ibsize);
        CleanerInfo ci = fs.cleanerInfo();
        fs.setCleanerInfo(new CleanerInfo(ci.clean() + 1, ci.dirty() - 1, ci.bfree() + meta, ci.avail() + avail,
                ci.freeHead(), ci.freeTail(), ci.flags()));
    }

    /** Segments marked clean on this mount so far. */
    long reclaimed() {
        return reclaimed;
    }
}
