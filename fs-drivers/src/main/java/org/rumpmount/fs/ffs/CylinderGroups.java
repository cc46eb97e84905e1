package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * The allocation state of a mounted read-write volume: the per-group summaries (fs_cs, kept at
 * fs_csaddr) and the totals (fs_cstotal) in memory for the mount's life, and the header and maps
 * of the cylinder groups in use.
 *
 * <p>A group's header block is read on first use and kept while it is among the
 * {@link #maxHeld} most recently used; beyond that the least recently used are dropped, a changed
 * one first written into the buffer cache as a delayed write (NetBSD keeps no cylinder group in
 * memory at all: ffs_alloccg breads the block each time and bdwrites it back). So the memory held
 * for groups is bounded whatever the number of groups (about 5,900 for 1 TiB at newfs's
 * defaults), and a group dropped and used again is read back from the cache, or the device. A
 * group is dropped only when {@link #unlock} releases the outermost hold of {@link #lock}, so
 * that no caller ever holds a {@link Group} that is no longer the one the next caller gets.
 *
 * <p>Every change of a fragment's state goes through {@link #setFrags}, which takes the block's
 * contribution out of the counts, flips the bits, and puts its contribution back: a block whose
 * fragments are all free counts as one free block (cs_nbfree, one bit in the cluster map); any
 * other block counts its free fragments (cs_nffree) and its runs of free fragments (cg_frsum).
 * Doing it that way keeps the counts exactly what a recount from the bitmaps gives, which is what
 * fsck checks. Guarded by {@link #lock}, the last lock in the driver's order.
 */
final class CylinderGroups {
    static final int NDIR = 0;
    static final int NBFREE = 1;
    static final int NIFREE = 2;
    static final int NFFREE = 3;

    /** One group's header block as in memory. */
    static final class Group {
        final int cgx;
        final byte[] raw;
        final ByteBuffer buf;
        final CylinderGroup hdr;
        boolean dirty;

        Group(int cgx, byte[] raw, ByteBuffer buf, CylinderGroup hdr) {
            this.cgx = cgx;
            this.raw = raw;
            this.buf = buf;
            this.hdr = hdr;
        }
    }

    /** The fewest groups kept, whatever the budget: an allocation looks at one at a time. */
    static final int MIN_HELD = 4;

    final ReentrantLock lock = new ReentrantLock();
    private final FfsIo io;
    private final Superblock sb;
    /** The groups in memory, least recently used first. */
    private final LinkedHashMap<Integer, Group> groups = new LinkedHashMap<>(16, 0.75f, true);
    private final int maxHeld;
    /** The time in seconds, stamped into a group written when it is dropped. */
    private final LongSupplier clock;
    /** fs_cs: per group ndir, nbfree, nifree, nffree. */
    private final int[][] csum;
    private boolean csumDirty;
    private boolean totalsDirty;

    /** Keeps at most {@code budgetBytes} of group header blocks in memory (and {@link #MIN_HELD} at least). */
    CylinderGroups(FfsIo io, Superblock sb, long budgetBytes, LongSupplier clock) throws VfsException {
        this.io = io;
        this.sb = sb;
        this.clock = clock;
        this.maxHeld = (int) Math.max(MIN_HELD, Math.min(sb.ncg, budgetBytes / sb.cgsize));
        this.csum = new int[sb.ncg][4];
        ByteBuffer b = io.readFrags(sb.csAddr(), sb.cssize, "cylinder group summary area");
        for (int cg = 0; cg < sb.ncg; cg++) {
            for (int i = 0; i < 4; i++) {
                csum[cg][i] = b.getInt(cg * 16 + 4 * i);
            }
        }
    }

    /**
     * Group {@code cg}, read and checked on first use. Call with {@link #lock} held, and let go of
     * the group before releasing it through {@link #unlock}.
     */
    Group group(int cg) throws VfsException {
        Group g = groups.get(cg);
        if (g == null) {
            ByteBuffer b = io.readFrags(sb.cgtod(cg), sb.cgsize, "cylinder group " + cg + " header");
            CylinderGroup h = CylinderGroup.decode(b);
            h.check(sb, cg);
            if (sb.contigsumsize > 0) {
                long mapBytes = (h.nclusterblks + 7) / 8;
                if (h.clusteroff + mapBytes > sb.cgsize || h.clustersumoff + 4L * (sb.contigsumsize + 1) > sb.cgsize) {
                    throw new VfsException(Errno.EIO, "cylinder group " + cg + ": cluster maps at cg_clusteroff "
                            + h.clusteroff + " / cg_clustersumoff " + h.clustersumoff + " overrun fs_cgsize "
                            + sb.cgsize);
                }
            }
            g = new Group(cg, b.array(), b, h);
            groups.put(cg, g);
        }
        return g;
    }

    /**
     * Releases {@link #lock}; the outermost release first drops the least recently used groups
     * beyond {@link #maxHeld}, writing a changed one into the cache first. A group whose write
     * fails stays (changed) in memory, and the next {@link #writeBack} reports the error.
     */
    void unlock() {
        try {
            if (lock.getHoldCount() == 1 && groups.size() > maxHeld) {
                long now = clock.getAsLong();
                Iterator<Group> it = groups.values().iterator();
                while (groups.size() > maxHeld && it.hasNext()) {
                    Group g = it.next();
                    if (g.dirty) {
                        try {
                            write(g, now);
                        } catch (VfsException e) {
                            break;
                        }
                    }
                    it.remove();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many group header blocks are in memory now, and the most there may be between calls. */
    int groupsHeld() {
        return groups.size();
    }

    int maxHeld() {
        return maxHeld;
    }

    int[] csum(int cg) {
        return csum[cg];
    }

    /** Frags of group {@code cg} that exist (the last group may be short). */
    long groupFrags(Group g) {
        return g.hdr.ndblk;
    }

    // ---- bitmaps ----------------------------------------------------------------------------

    boolean isFragFree(Group g, long frag) {
        int at = (int) (g.hdr.freeoff + (frag >> 3));
        return (g.raw[at] & (1 << (frag & 7))) != 0;
    }

    private void putFragBit(Group g, long frag, boolean free) {
        int at = (int) (g.hdr.freeoff + (frag >> 3));
        if (free) {
            g.raw[at] |= (byte) (1 << (frag & 7));
        } else {
            g.raw[at] &= (byte) ~(1 << (frag & 7));
        }
    }

    boolean isInodeUsed(Group g, long i) {
        int at = (int) (g.hdr.iusedoff + (i >> 3));
        return (g.raw[at] & (1 << (i & 7))) != 0;
    }

    void putInodeBit(Group g, long i, boolean used) {
        int at = (int) (g.hdr.iusedoff + (i >> 3));
        if (used) {
            g.raw[at] |= (byte) (1 << (i & 7));
        } else {
            g.raw[at] &= (byte) ~(1 << (i & 7));
        }
        g.dirty = true;
    }

    /** Whether the block at group-relative fragment {@code base} has all its fragments inside the group. */
    boolean isWholeBlock(Group g, long base) {
        return base + sb.frag <= g.hdr.ndblk;
    }

    boolean isBlockFree(Group g, long base) {
        if (!isWholeBlock(g, base)) {
            return false;
        }
        for (int i = 0; i < sb.frag; i++) {
            if (!isFragFree(g, base + i)) {
                return false;
            }
        }
        return true;
    }

    // ---- accounting -------------------------------------------------------------------------

    /** Adds {@code delta} to summary field {@code field} of group g, fs_cs and fs_cstotal. */
    void count(Group g, int field, int delta) {
        g.hdr.cs[field] += delta;
        csum[g.cgx][field] += delta;
        sb.cstotal[field] += delta;
        g.dirty = true;
        csumDirty = true;
        totalsDirty = true;
    }

    /**
     * Sets {@code n} fragments from group-relative {@code start} (inside one block) free or in use,
     * keeping every count exact. EIO when a fragment is already in the wanted state: the maps
     * disagree with the inodes, and going on would hand one fragment to two files.
     */
    void setFrags(Group g, long start, int n, boolean free) throws VfsException {
        long base = start - (start % sb.frag);
        if (start + n > base + sb.frag || start + n > g.hdr.ndblk || n <= 0) {
            throw new IllegalArgumentException("fragments " + start + "+" + n + " of cylinder group " + g.cgx
                    + " are not inside one block");
        }
        for (long f = start; f < start + n; f++) {
            if (isFragFree(g, f) == free) {
                throw new VfsException(Errno.EIO, "cylinder group " + g.cgx + ": fragment " + (sb.cgbase(g.cgx) + f)
                        + " is already " + (free ? "free" : "in use") + " (" + (free ? "freeing" : "allocating") + " "
                        + n + " from " + (sb.cgbase(g.cgx) + start) + ")");
            }
        }
        account(g, base, -1);
        for (long f = start; f < start + n; f++) {
            putFragBit(g, f, free);
        }
        account(g, base, +1);
        g.dirty = true;
    }

    /** Adds ({@code sign} 1) or removes (-1) the block at {@code base}'s part of the counts. */
    private void account(Group g, long base, int sign) {
        if (isBlockFree(g, base)) {
            count(g, NBFREE, sign);
            clusterAccount(g, base / sb.frag, sign);
            return;
        }
        long end = Math.min(base + sb.frag, g.hdr.ndblk);
        int run = 0;
        int free = 0;
        for (long f = base; f <= end; f++) {
            if (f < end && isFragFree(g, f)) {
                run++;
                free++;
            } else if (run > 0) {
                g.hdr.frsum[run] += sign;
                run = 0;
            }
        }
        if (free > 0) {
            count(g, NFFREE, sign * free);
        }
    }

    /**
     * NetBSD's ffs_clusteracct: sets or clears block {@code blkno}'s bit in the cluster map and
     * moves the cluster summary from the runs on either side to the joined (or split) run, run
     * lengths capped at fs_contigsumsize.
     */
    private void clusterAccount(Group g, long blkno, int cnt) {
        int cs = sb.contigsumsize;
        if (cs <= 0 || blkno >= g.hdr.nclusterblks) {
            return;
        }
        int at = (int) (g.hdr.clusteroff + (blkno >> 3));
        if (cnt > 0) {
            g.raw[at] |= (byte) (1 << (blkno & 7));
        } else {
            g.raw[at] &= (byte) ~(1 << (blkno & 7));
        }
        long end = Math.min(blkno + 1 + cs, g.hdr.nclusterblks);
        long i = blkno + 1;
        while (i < end && clusterBit(g, i)) {
            i++;
        }
        int forw = (int) (i - (blkno + 1));
        long stop = Math.max(blkno - 1 - cs, -1);
        i = blkno - 1;
        while (i > stop && clusterBit(g, i)) {
            i--;
        }
        int back = (int) (blkno - 1 - i);
        int len = Math.min(back + forw + 1, cs);
        addClusterSum(g, len, cnt);
        if (back > 0) {
            addClusterSum(g, back, -cnt);
        }
        if (forw > 0) {
            addClusterSum(g, forw, -cnt);
        }
    }

    boolean clusterBit(Group g, long blkno) {
        int at = (int) (g.hdr.clusteroff + (blkno >> 3));
        return (g.raw[at] & (1 << (blkno & 7))) != 0;
    }

    int clusterSum(Group g, int len) {
        return g.buf.getInt((int) g.hdr.clustersumoff + 4 * len);
    }

    private void addClusterSum(Group g, int len, int delta) {
        int at = (int) g.hdr.clustersumoff + 4 * len;
        g.buf.putInt(at, g.buf.getInt(at) + delta);
    }

    // ---- write-back -------------------------------------------------------------------------

    /** Writes group {@code g}'s header block into the cache (a delayed write), stamped {@code now}. */
    private void write(Group g, long now) throws VfsException {
        // ffs_alloc stamps cg_old_time always and cg_time on UFS2 only (UFS1 has spare bytes there).
        g.hdr.oldTime = (int) now;
        if (sb.ufs2) {
            g.hdr.time = now;
        }
        g.hdr.encode(g.buf);
        io.writeFrags(sb.cgtod(g.cgx), g.raw, 0, sb.cgsize, false, "cylinder group " + g.cgx + " header");
        g.dirty = false;
    }

    /**
     * Writes every changed group header and the summary area through the buffer cache
     * (ffs_cgupdate's part before the superblock). Returns whether the totals changed since the
     * last call, so the caller knows the superblock needs writing.
     */
    boolean writeBack(long now) throws VfsException {
        for (Group g : groups.values()) {
            if (g.dirty) {
                write(g, now);
            }
        }
        if (csumDirty) {
            ByteBuffer b = ByteBuffer.allocate(sb.cssize).order(sb.order);
            byte[] old = io.readFrags(sb.csAddr(), sb.cssize, "cylinder group summary area").array();
            b.put(0, old);
            for (int cg = 0; cg < sb.ncg; cg++) {
                for (int i = 0; i < 4; i++) {
                    b.putInt(cg * 16 + 4 * i, csum[cg][i]);
                }
            }
            io.writeFrags(sb.csAddr(), b.array(), 0, sb.cssize, false, "cylinder group summary area");
            csumDirty = false;
        }
        boolean t = totalsDirty;
        totalsDirty = false;
        return t;
    }
}
