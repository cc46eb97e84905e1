package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * One file's block pointers while its blocks are being given new addresses: the direct pointers
 * in the dinode and the single, double and triple indirect trees, whose changed blocks are kept
 * in core ({@link LfsInode#indirects}) from the first change until the file is written.
 *
 * <p>An indirect block is logged like data, under a negative logical block number, as
 * ulfs_getlbns numbers it: a block {@code level} levels above the data (1 points at data blocks)
 * whose first data block is {@code first} is block {@code -first - (level - 1)}. So the single
 * indirect block is -12, the double -(12 + n) - 1, the triple -(12 + n + n²) - 2, and the
 * single indirect blocks under the double one are -(12 + n + k·n).
 */
final class FileBlocks {
    /** The logical block number of the single indirect block. */
    static final long SINGLE_INDIRECT_LBN = -Dinode.NDADDR;

    private final LfsFileSystem fs;
    private final Superblock sb;
    private final LfsInode ip;

    FileBlocks(LfsFileSystem fs, LfsInode ip) {
        this.fs = fs;
        this.sb = fs.sb;
        this.ip = ip;
    }

    // ---- geometry ------------------------------------------------------------------------------

    /** Data blocks one indirect block of {@code level} maps (n to the level). */
    static long span(Superblock sb, int level) {
        long s = 1;
        for (int i = 0; i < level; i++) {
            s *= sb.nindir;
        }
        return s;
    }

    /** The first data block behind top-level indirect pointer {@code k} (1 single, 2 double, 3 triple). */
    static long base(Superblock sb, int k) {
        long b = Dinode.NDADDR;
        for (int j = 1; j < k; j++) {
            b += span(sb, j);
        }
        return b;
    }

    /** The logical block number an indirect block of {@code level} covering data from {@code first} is logged under. */
    static long metaLbn(int level, long first) {
        return -first - (level - 1);
    }

    /**
     * The {@code (level, first)} of the indirect block logged under negative logical block
     * {@code lbn}, ulfs_getlbns's numbering read backwards; null when no indirect block of a
     * file is numbered so.
     */
    static long[] indirectOf(Superblock sb, long lbn) {
        if (lbn >= 0) {
            return null;
        }
        for (int level = 1; level <= Dinode.NIADDR; level++) {
            long first = -lbn - (level - 1);
            for (int k = level; k <= Dinode.NIADDR; k++) {
                long base = base(sb, k);
                if (first < base || first >= base + span(sb, k)) {
                    continue;
                }
                // The top block of its tree starts the tree; one below starts its parent's slot.
                long off = first - base;
                if (level == k ? off == 0 : off % span(sb, level) == 0) {
                    return new long[] {level, first};
                }
            }
        }
        return null;
    }

    /** The first logical block past the triple indirect block's reach. */
    static long writableLimit(Superblock sb) {
        long limit = base(sb, Dinode.NIADDR) + span(sb, Dinode.NIADDR);
        // A 32-bit FINFO holds 32-bit block numbers.
        return sb.layout.is64() ? limit : Math.min(limit, Integer.MAX_VALUE);
    }

    /** EFBIG unless logical block {@code lbn} can be written. */
    static void checkWritable(Superblock sb, long ino, long lbn) throws VfsException {
        if (lbn >= writableLimit(sb)) {
            throw new VfsException(Errno.EFBIG, "inode " + ino + ": logical block " + lbn
                    + " lies beyond the triple indirect block (" + writableLimit(sb) + " blocks)");
        }
    }

    /** Which top-level pointer (1..3) maps data block {@code lbn}, which must be past the direct blocks. */
    private int topFor(long lbn) throws VfsException {
        for (int k = 1; k <= Dinode.NIADDR; k++) {
            if (lbn < base(sb, k) + span(sb, k)) {
                return k;
            }
        }
        throw new VfsException(Errno.EFBIG, "inode " + ip.ino + ": logical block " + lbn + " is beyond the block map");
    }

    // ---- in-core indirect blocks ---------------------------------------------------------------

    /** An indirect block of one file, in core. */
    static final class Indirect {
        final int level;
        final long first;
        final byte[] data;

        Indirect(int level, long first, byte[] data) {
            this.level = level;
            this.first = first;
            this.data = data;
        }

        long lbn() {
            return metaLbn(level, first);
        }
    }

    private ByteBuffer view(byte[] b) {
        return ByteBuffer.wrap(b).order(sb.layout.order());
    }

    private long slotValue(byte[] b, int slot) {
        return sb.layout.daddr(view(b), slot * sb.layout.daddrSize());
    }

    private void setSlot(byte[] b, int slot, long daddr) {
        int off = slot * sb.layout.daddrSize();
        if (sb.layout.is64()) {
            view(b).putLong(off, daddr);
        } else {
            view(b).putInt(off, (int) daddr);
        }
    }

    private byte[] readIndirect(long daddr, long lbn) throws IOException {
        fs.bmap.checkAddress(ip.ino, -1, daddr, sb.bsize, "indirect block " + lbn);
        ByteBuffer r = fs.disk.read(sb.byteOffset(daddr), sb.bsize,
                "inode " + ip.ino + ": indirect block " + lbn + " at fragment " + daddr);
        if (r.hasArray() && r.arrayOffset() == 0 && r.position() == 0 && r.array().length == sb.bsize) {
            return r.array(); // already a copy of the caller's own
        }
        byte[] b = new byte[sb.bsize];
        r.get(b);
        return b;
    }

    /** The contents of the indirect block of {@code level} from {@code first}: in core, else read at {@code daddr}; null if neither. */
    private byte[] contents(int level, long first, long daddr) throws IOException {
        Indirect in = ip.indirects.get(metaLbn(level, first));
        if (in != null) {
            return in.data;
        }
        return daddr > 0 ? readIndirect(daddr, metaLbn(level, first)) : null;
    }

    /**
     * The address of the block {@code level} levels above the data (0: the data block itself)
     * whose first data block is {@code first}, through the in-core indirect blocks where they
     * exist; 0 when it is a hole.
     */
    private long addressAt(int level, long first) throws IOException {
        if (level == 0 && first < Dinode.NDADDR) {
            return ip.din.db[(int) first];
        }
        int k = topFor(first);
        long ptr = ip.din.ib[k - 1];
        long nodeFirst = base(sb, k);
        for (int nodeLevel = k; nodeLevel > level; nodeLevel--) {
            byte[] b = contents(nodeLevel, nodeFirst, ptr);
            if (b == null) {
                return 0;
            }
            long child = span(sb, nodeLevel - 1);
            int slot = (int) ((first - nodeFirst) / child);
            ptr = slotValue(b, slot);
            nodeFirst += slot * child;
        }
        return ptr;
    }

    /** The in-core indirect block of {@code level} from {@code first}, read from the log or made of zeros. */
    private Indirect load(int level, long first) throws IOException {
        long lbn = metaLbn(level, first);
        Indirect in = ip.indirects.get(lbn);
        if (in == null) {
            long a = addressAt(level, first);
            in = new Indirect(level, first, a > 0 ? readIndirect(a, lbn) : new byte[sb.bsize]);
            ip.indirects.put(lbn, in);
        }
        return in;
    }

    /** Points the block {@code level} above the data from {@code first} at {@code daddr}, in its parent. */
    private void setAddressAt(int level, long first, long daddr) throws IOException {
        if (level == 0 && first < Dinode.NDADDR) {
            ip.edit(sb.layout).setDb((int) first, daddr);
            ip.changed();
            return;
        }
        int k = topFor(first);
        if (level == k) {
            ip.edit(sb.layout).setIb(k - 1, daddr);
            ip.changed();
            return;
        }
        long b = base(sb, k);
        long parentSpan = span(sb, level + 1);
        Indirect parent = load(level + 1, b + (first - b) / parentSpan * parentSpan);
        setSlot(parent.data, (int) ((first - parent.first) / span(sb, level)), daddr);
        ip.dirtyIndirects.add(parent.lbn());
    }

    private Indirect indirectAt(long lbn) throws VfsException {
        Indirect in = ip.indirects.get(lbn);
        if (in == null) {
            throw new VfsException(Errno.EIO, "inode " + ip.ino + ": indirect block " + lbn + " is not in core");
        }
        return in;
    }

    // ---- what the segment writer uses -----------------------------------------------------------

    /** The current address of logical block {@code lbn}: data, or an indirect block held in core. */
    long pointer(long lbn) throws IOException {
        if (lbn >= 0) {
            checkWritable(sb, ip.ino, lbn);
            return addressAt(0, lbn);
        }
        Indirect in = indirectAt(lbn);
        return addressAt(in.level, in.first);
    }

    /** Points logical block {@code lbn} (data, or an indirect block held in core) at {@code daddr} (0 for a hole). */
    void setPointer(long lbn, long daddr) throws IOException {
        if (lbn >= 0) {
            checkWritable(sb, ip.ino, lbn);
            setAddressAt(0, lbn, daddr);
        } else {
            Indirect in = indirectAt(lbn);
            setAddressAt(in.level, in.first, daddr);
        }
    }

    /**
     * Whether the indirect block at {@code daddr} logged under {@code lbn} is this file's live
     * copy of it: the block map, the in-core indirect blocks included, points there and no newer
     * copy waits in core (lfs_bmapv's question for a block of negative number).
     */
    boolean isLiveIndirect(long lbn, long daddr) throws IOException {
        long[] at = indirectOf(sb, lbn);
        if (at == null || daddr <= 0 || ip.dirtyIndirects.contains(lbn)) {
            return false;
        }
        return addressAt((int) at[0], at[1]) == daddr;
    }

    /**
     * Makes indirect block {@code lbn} dirty in core, read from the log, so that the next flush
     * writes it anew with those above it (lfs_markv for an indirect block). The caller has found
     * it live.
     */
    void rewriteIndirect(long lbn) throws IOException {
        long[] at = indirectOf(sb, lbn);
        if (at == null) {
            throw new VfsException(Errno.EINVAL, "inode " + ip.ino + ": " + lbn + " names no indirect block");
        }
        ip.dirtyIndirects.add(load((int) at[0], at[1]).lbn());
    }

    /** Whether indirect block {@code lbn}, held in core, points at nothing any more. */
    boolean isEmptyIndirect(long lbn) throws VfsException {
        return allZero(indirectAt(lbn).data);
    }

    /** The size the block at logical block {@code lbn} had when the inode was last written. */
    long oldSize(long lbn) {
        if (lbn < 0 || ip.ino == LfsFileSystem.IFILE_INUM) {
            return sb.bsize;
        }
        return fs.blockSize(ip.diskSize, lbn);
    }

    /** The indirect blocks (level, first) above data block {@code lbn}, from the top down. */
    private List<long[]> chain(long lbn) throws VfsException {
        List<long[]> out = new ArrayList<>();
        if (lbn < Dinode.NDADDR) {
            return out;
        }
        int k = topFor(lbn);
        long first = base(sb, k);
        for (int level = k; level >= 1; level--) {
            out.add(new long[] {level, first});
            long child = span(sb, level - 1);
            first += (lbn - first) / child * child;
        }
        return out;
    }

    /**
     * The indirect blocks whose addresses writing data blocks {@code lbns} changes, as
     * {@code (level, first)} pairs, with each one's current address (0 when it is new).
     */
    List<long[]> indirectsAbove(Iterable<Long> lbns) throws IOException {
        Map<Long, long[]> found = new LinkedHashMap<>();
        for (long lbn : lbns) {
            for (long[] c : chain(lbn)) {
                found.computeIfAbsent(metaLbn((int) c[0], c[1]), x -> c);
            }
        }
        List<long[]> out = new ArrayList<>();
        for (long[] c : found.values()) {
            out.add(new long[] {c[0], c[1], addressAt((int) c[0], c[1])});
        }
        return out;
    }

    /**
     * The blocks to write, in the order a FINFO lists them: data blocks by logical block number,
     * each cut to its size under the current file size, then the indirect blocks above them and
     * above any indirect block changed by truncation, the lowest level first. Each indirect
     * block's contents are the in-core copy itself, so the addresses given to the blocks below
     * it before it is placed are in it when it is encoded.
     */
    Map<Long, byte[]> blocks() throws IOException {
        Map<Long, byte[]> out = new LinkedHashMap<>();
        long size = ip.din.size;
        for (Map.Entry<Long, byte[]> e : ip.dirtyBlocks.entrySet()) {
            long lbn = e.getKey();
            long bs = ip.ino == LfsFileSystem.IFILE_INUM ? sb.bsize : fs.blockSize(size, lbn);
            if (bs <= 0) {
                continue;
            }
            byte[] data = e.getValue();
            out.put(lbn, data.length == bs ? data : java.util.Arrays.copyOf(data, (int) bs));
            for (long[] c : chain(lbn)) {
                ip.dirtyIndirects.add(load((int) c[0], c[1]).lbn());
            }
        }
        // Everything above a changed indirect block changes too (its address does).
        for (Long lbn : new ArrayList<>(ip.dirtyIndirects)) {
            Indirect in = indirectAt(lbn);
            for (long[] c : chain(in.first)) {
                if (c[0] > in.level) {
                    ip.dirtyIndirects.add(load((int) c[0], c[1]).lbn());
                }
            }
        }
        List<Indirect> ind = new ArrayList<>();
        for (long lbn : ip.dirtyIndirects) {
            ind.add(indirectAt(lbn));
        }
        ind.sort(Comparator.<Indirect>comparingInt(i -> i.level).thenComparingLong(i -> i.first));
        for (Indirect i : ind) {
            out.put(i.lbn(), i.data);
        }
        return out;
    }

    /**
     * After the blocks were placed (or, for empty indirect blocks, dropped): counts the fragments
     * held (di_blocks) and forgets the dirty blocks and the in-core indirect blocks, which now
     * match the log.
     */
    void finish(SegmentWriter w) throws IOException {
        // Counted while the changed ranges still look dirty, so no remembered count of theirs is used.
        long frags = countFragments();
        ip.dirtyBlocks.clear();
        ip.dirtyIndirects.clear();
        ip.indirects.clear();
        ip.edit(sb.layout).setBlocks(frags);
        ip.changed();
    }

    // ---- truncation ----------------------------------------------------------------------------

    /**
     * Frees every block past logical block {@code keep} (-1: all of them), as lfs_truncate does:
     * whole indirect trees beyond it at once, and the pointers past it in the ones it cuts, which
     * become dirty (written, or freed when left empty, at the next flush).
     */
    void truncate(long keep, SegmentWriter w) throws IOException {
        for (long lbn = Math.max(0, keep + 1); lbn < Dinode.NDADDR; lbn++) {
            long a = ip.din.db[(int) lbn];
            if (a > 0) {
                w.releaseBlock(a, oldSize(lbn), ip.ino, lbn);
                setAddressAt(0, lbn, 0);
            }
        }
        for (int k = 1; k <= Dinode.NIADDR; k++) {
            long first = base(sb, k);
            if (first + span(sb, k) - 1 <= keep) {
                continue;
            }
            long a = ip.din.ib[k - 1];
            if (first > keep) {
                if (a > 0 || ip.indirects.containsKey(metaLbn(k, first))) {
                    freeTree(k, first, a, w);
                    setAddressAt(k, first, 0);
                }
            } else if (a > 0 || ip.indirects.containsKey(metaLbn(k, first))) {
                cut(load(k, first), keep, w);
            }
        }
        ip.heldCache.clear();
    }

    private void cut(Indirect in, long keep, SegmentWriter w) throws IOException {
        long child = span(sb, in.level - 1);
        int from = (int) Math.max(0, (keep + 1 - in.first + child - 1) / child);
        boolean changed = false;
        // The child holding keep itself, cut in turn (it keeps a part).
        int partial = (int) ((keep - in.first) / child);
        if (in.level > 1 && partial < from) {
            long cf = in.first + partial * child;
            long a = slotValue(in.data, partial);
            if (a > 0 || ip.indirects.containsKey(metaLbn(in.level - 1, cf))) {
                cut(load(in.level - 1, cf), keep, w);
            }
        }
        for (int slot = from; slot < sb.nindir; slot++) {
            long a = slotValue(in.data, slot);
            long cf = in.first + slot * child;
            if (in.level == 1) {
                if (a > 0) {
                    w.releaseBlock(a, sb.bsize, ip.ino, cf);
                    setSlot(in.data, slot, 0);
                    changed = true;
                }
            } else if (a > 0 || ip.indirects.containsKey(metaLbn(in.level - 1, cf))) {
                freeTree(in.level - 1, cf, a, w);
                setSlot(in.data, slot, 0);
                changed = true;
            }
        }
        if (changed) {
            ip.dirtyIndirects.add(in.lbn());
        }
    }

    /** Releases the indirect block of {@code level} from {@code first} at {@code daddr}, all it points at, and its in-core copies. */
    private void freeTree(int level, long first, long daddr, SegmentWriter w) throws IOException {
        byte[] b = contents(level, first, daddr);
        if (b != null) {
            long child = span(sb, level - 1);
            for (int slot = 0; slot < sb.nindir; slot++) {
                long a = slotValue(b, slot);
                long cf = first + slot * child;
                if (level == 1) {
                    if (a > 0) {
                        w.releaseBlock(a, sb.bsize, ip.ino, cf);
                    }
                } else if (a > 0 || ip.indirects.containsKey(metaLbn(level - 1, cf))) {
                    freeTree(level - 1, cf, a, w);
                }
            }
        }
        if (daddr > 0) {
            w.releaseBlock(daddr, sb.bsize, ip.ino, metaLbn(level, first));
        }
        ip.indirects.remove(metaLbn(level, first));
        ip.dirtyIndirects.remove(metaLbn(level, first));
    }

    // ---- di_blocks -----------------------------------------------------------------------------

    /**
     * di_blocks from the pointers and the dirty blocks: each direct block's fragments at the
     * current size, each block behind an indirect block whole, and each indirect block that will
     * still point at something. Indirect trees with nothing dirty under them are counted once
     * and remembered ({@link LfsInode#heldCache}), so a write into a large file walks only the
     * branch it changes.
     */
    long countFragments() throws IOException {
        Dinode d = ip.din;
        boolean ifile = ip.ino == LfsFileSystem.IFILE_INUM;
        if (!hasBlocks(sb, ip)) {
            return 0;
        }
        long n = 0;
        for (int i = 0; i < Dinode.NDADDR; i++) {
            if (d.db[i] > 0 || ip.dirtyBlocks.containsKey((long) i)) {
                long bs = ifile ? sb.bsize : fs.blockSize(d.size, i);
                n += bs > 0 ? sb.btofsb(bs) : 0;
            }
        }
        long blocks = 0;
        for (int k = 1; k <= Dinode.NIADDR; k++) {
            blocks += held(k, base(sb, k), d.ib[k - 1]);
        }
        return n + blocks * sb.frag;
    }

    private boolean rangeDirty(int level, long first) {
        long end = first + span(sb, level);
        if (!ip.dirtyBlocks.subMap(first, end).isEmpty()) {
            return true;
        }
        for (long lbn : ip.dirtyIndirects) {
            Indirect in = ip.indirects.get(lbn);
            if (in != null && in.level <= level && in.first >= first && in.first < end) {
                return true;
            }
        }
        return false;
    }

    /**
     * Blocks the tree of {@code level} from {@code first}, at {@code daddr}, holds, itself
     * included. Only the children that can hold something are visited: those with an address,
     * and those with dirty data or in-core indirect blocks beneath them, found from the dirty
     * maps rather than by probing every slot (a write into a large file recounts on every call).
     */
    private long held(int level, long first, long daddr) throws IOException {
        long lbn = metaLbn(level, first);
        boolean dirty = rangeDirty(level, first);
        if (!dirty) {
            if (daddr <= 0 && !ip.indirects.containsKey(lbn)) {
                return 0;
            }
            Long cached = ip.heldCache.get(lbn);
            if (cached != null) {
                return cached;
            }
        } else {
            ip.heldCache.remove(lbn);
        }
        byte[] b = contents(level, first, daddr);
        ByteBuffer v = b == null ? null : view(b);
        int step = sb.layout.daddrSize();
        long child = span(sb, level - 1);
        long end = first + span(sb, level);
        long count = 0;
        if (level == 1) {
            for (int slot = 0; v != null && slot < sb.nindir; slot++) {
                if (sb.layout.daddr(v, slot * step) > 0) {
                    count++;
                }
            }
            for (long cf : ip.dirtyBlocks.subMap(first, end).keySet()) {
                if (v == null || sb.layout.daddr(v, (int) (cf - first) * step) <= 0) {
                    count++;
                }
            }
        } else {
            java.util.BitSet visit = new java.util.BitSet(sb.nindir);
            for (int slot = 0; v != null && slot < sb.nindir; slot++) {
                if (sb.layout.daddr(v, slot * step) > 0) {
                    visit.set(slot);
                }
            }
            // One look-up per child with dirty blocks, not one per dirty block.
            for (Long cf = ip.dirtyBlocks.ceilingKey(first); cf != null && cf < end; ) {
                int slot = (int) ((cf - first) / child);
                visit.set(slot);
                cf = ip.dirtyBlocks.ceilingKey(first + (slot + 1) * child);
            }
            for (Indirect in : ip.indirects.values()) {
                if (in.level < level && in.first >= first && in.first < end) {
                    visit.set((int) ((in.first - first) / child));
                }
            }
            for (int slot = visit.nextSetBit(0); slot >= 0; slot = visit.nextSetBit(slot + 1)) {
                long a = v == null ? 0 : sb.layout.daddr(v, slot * step);
                count += held(level - 1, first + slot * child, a);
            }
        }
        long total = count > 0 ? count + 1 : 0;
        if (!dirty) {
            ip.heldCache.put(lbn, total);
        }
        return total;
    }

    /**
     * Whether {@code ip}'s block pointers are pointers: not for device nodes, FIFOs and sockets
     * (the first holds a device number) nor for symbolic links short enough to live there.
     */
    static boolean hasBlocks(Superblock sb, LfsInode ip) {
        return switch (ip.type) {
            case VREG, VDIR -> true;
            case VLNK -> !(ip.din.size < sb.maxsymlinklen || (sb.maxsymlinklen == 0 && ip.din.blocks == 0));
            default -> false;
        };
    }

    /** The address of data block {@code lbn} as the in-core indirect blocks have it (reads use this while a file is changing). */
    long dataAddress(long lbn) throws IOException {
        return addressAt(0, lbn);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
