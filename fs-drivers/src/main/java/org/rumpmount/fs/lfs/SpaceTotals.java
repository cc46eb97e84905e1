package org.rumpmount.fs.lfs;

/**
 * The free-space figures fsck_lfs's pass 5 derives from the segment usage table, which a
 * checkpoint must therefore hold: the superblock's dmeta, nclean and avail exactly, and bfree
 * between {@link #bfreeMin} and {@link #bfreeMax} (inode blocks are counted as used for the
 * lower bound only, since the usage table does not say which of them are still live). The
 * segment writer, fsck and the tests' checker all sum them here.
 */
final class SpaceTotals {
    private final Superblock sb;
    /** Fragments of live data and summaries in dirty segments. */
    private long used;
    /** The same with the segments' inode blocks as well. */
    private long usedWithInodes;
    long dmeta;
    long nclean;
    long avail;

    SpaceTotals(Superblock sb) {
        this.sb = sb;
    }

    /** Counts segment {@code sn}, described by {@code su}. */
    void add(long sn, SegUse su) {
        if (su.isDirty()) {
            used += sb.btofsb(su.nbytes() + (long) su.nsums() * sb.sumsize);
            usedWithInodes += sb.btofsb(su.nbytes() + (long) su.nsums() * sb.sumsize + (long) su.ninos() * sb.ibsize);
            dmeta += sb.btofsb((long) sb.sumsize * su.nsums()) + sb.btofsb((long) sb.ibsize * su.ninos());
        } else {
            nclean++;
            avail += sb.fsbpseg;
            if ((su.flags() & SegUse.SUPERBLOCK) != 0) {
                avail -= sb.btofsb(Superblock.SBPAD);
            }
            if (sn == 0 && sb.s0addr < sb.btofsb(Superblock.LABELPAD)) {
                avail -= sb.btofsb(Superblock.LABELPAD) - sb.s0addr;
            }
        }
    }

    /**
     * Closes avail once every segment is counted: the rest of the segment the log is writing at
     * {@code offset} is available, the reserve the cleaner keeps is not.
     */
    SpaceTotals finish(long offset) {
        avail += sb.sntod(sb.dtosn(offset) + 1) - offset;
        avail -= sb.fsbpseg * (sb.minfreeseg - sb.minfreeseg / 2);
        return this;
    }

    /** The least bfree can be: every inode block in a dirty segment counted as used. */
    long bfreeMin() {
        return sb.dsize - usedWithInodes - labelSkew();
    }

    /** The most bfree can be: no inode block counted. */
    long bfreeMax() {
        return sb.dsize - used - labelSkew();
    }

    private long labelSkew() {
        return sb.s0addr < sb.btofsb(Superblock.LABELPAD) ? sb.btofsb(Superblock.LABELPAD) : 0;
    }
}
