package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.VfsException;

/**
 * Appends partial segments to the log (lfs_segment.c): each is a summary (SEGSUM with one FINFO
 * per file listing the logical blocks that follow, and the inode block addresses growing down
 * from its end), then the files' blocks in FINFO order, then the inode blocks. Blocks get their
 * addresses as they are placed; the block they replace stops counting in its old segment's
 * su_nbytes. A checkpoint ends with the IFILE itself (entries, cleaner info, segment usage) and
 * its inode, then a superblock.
 *
 * <p>Everything a partial segment's blocks say is decided before any of them is encoded: data
 * blocks first, then indirect blocks pointing at them, then inodes pointing at both, then the
 * IFILE describing all of it. So one pass of address assignment followed by one of encoding
 * writes a self-consistent partial segment, without NetBSD's "redo the IFILE" loop.
 */
final class SegmentWriter {
    private final LfsFileSystem fs;
    private final Superblock geo;
    private final LfsLayout l;
    private final Host host;

    long curseg;
    long offset;
    long nextseg;
    long lastseg;
    long lastpseg;
    long serial;
    long idaddr;
    /** The superblock copy the next single-copy checkpoint goes to. */
    private int nextCopy;
    /** The buffer partial segments are encoded in, kept from one to the next; null until the first. */
    private byte[] out;
    /**
     * Set when segments were marked clean after checkpoints the device was not asked to flush:
     * the next write flushes the device first, so that a power cut cannot leave the checkpoints
     * on the disk pointing into a segment already written over.
     */
    private boolean reclaimedUnflushed;
    /** Partial segments written since the last checkpoint. */
    int sinceCheckpoint;
    /** The segments the checkpoints call empty, marked clean once both superblock copies agree. */
    final EmptySegments emptySegments;

    SegmentWriter(LfsFileSystem fs, Host host) {
        this.fs = fs;
        this.geo = fs.sb;
        this.l = geo.layout;
        this.host = host;
        Superblock sb = fs.sb;
        curseg = sb.curseg;
        offset = sb.offset;
        nextseg = sb.nextseg;
        lastseg = sb.lastseg;
        lastpseg = sb.lastpseg;
        serial = sb.serial;
        idaddr = sb.idaddr;
        emptySegments = new EmptySegments(fs, this);
    }

    // ---- one partial segment -------------------------------------------------------------------

    /** A FINFO being filled: one file's blocks in this partial segment. */
    private static final class Finfo {
        final long ino;
        final long version;
        final List<Long> lbns = new ArrayList<>();
        long lastLength;

        Finfo(long ino, long version) {
            this.ino = ino;
            this.version = version;
        }
    }

    /** A partial segment being laid out. */
    private final class Partial {
        final long start;
        final long segEnd;
        final List<Finfo> finfos = new ArrayList<>();
        final List<byte[]> blocks = new ArrayList<>();
        final List<LfsInode> inodes = new ArrayList<>();
        long next;
        long fileBytes;
        int sumUsed;
        /** The last partial segment of a flush: the only one written without SS_CONT. */
        boolean endsFlush;

        Partial() throws IOException {
            if (!roomFor(geo.btofsb(geo.sumsize) + geo.frag + geo.btofsb(geo.ibsize))) {
                newSegment();
            }
            start = offset;
            segEnd = curseg + geo.fsbpseg;
            next = start + geo.btofsb(geo.sumsize);
            sumUsed = l.segSumSize();
        }

        private int inodeBlocks(int ninodes) {
            return (ninodes + geo.inopb - 1) / geo.inopb;
        }

        /** Whether one more block of {@code size} bytes (in a new FINFO or not) and the inodes so far fit. */
        boolean fitsBlock(long ino, int size) {
            boolean newFinfo = finfos.isEmpty() || finfos.get(finfos.size() - 1).ino != ino;
            int sum = sumUsed + (newFinfo ? l.finfoSize() : 0) + l.finfoBlockSize()
                    + inodeBlocks(inodes.size()) * l.iinfoSize();
            long frags = next + geo.btofsb(size) + (long) inodeBlocks(inodes.size()) * geo.btofsb(geo.ibsize);
            return sum <= geo.sumsize && frags <= segEnd;
        }

        boolean fitsInodes(int more) {
            int n = inodeBlocks(inodes.size() + more);
            return sumUsed + n * l.iinfoSize() <= geo.sumsize
                    && next + (long) n * geo.btofsb(geo.ibsize) <= segEnd;
        }

        boolean fits(int blocks, int finfos, int inodesMore) {
            int n = inodeBlocks(inodes.size() + inodesMore);
            int sum = sumUsed + finfos * l.finfoSize() + blocks * l.finfoBlockSize() + n * l.iinfoSize();
            long frags = next + (long) blocks * geo.frag + (long) n * geo.btofsb(geo.ibsize);
            return sum <= geo.sumsize && frags <= segEnd;
        }

        /** Places {@code data} as logical block {@code lbn} of {@code ino}; returns its fragment address. */
        long place(long ino, long version, long lbn, byte[] data) {
            Finfo f = finfos.isEmpty() ? null : finfos.get(finfos.size() - 1);
            if (f == null || f.ino != ino) {
                f = new Finfo(ino, version);
                finfos.add(f);
                sumUsed += l.finfoSize();
            }
            f.lbns.add(lbn);
            f.lastLength = data.length;
            sumUsed += l.finfoBlockSize();
            blocks.add(data);
            long a = next;
            next += geo.btofsb(data.length);
            fileBytes += data.length;
            return a;
        }

        boolean isEmpty() {
            return blocks.isEmpty() && inodes.isEmpty();
        }
    }

    private boolean roomFor(long frags) {
        return curseg + geo.fsbpseg - offset >= frags;
    }

    // ---- segments ------------------------------------------------------------------------------

    /** Moves to the next clean segment (lfs_newseg and the start of lfs_initseg). */
    private void newSegment() throws IOException {
        long old = geo.dtosn(curseg);
        SegUse su = fs.segUse(old);
        fs.setSegUse(old, new SegUse(su.nbytes(), su.olastmod(), su.nsums(), su.ninos(),
                su.flags() & ~SegUse.ACTIVE, su.lastmod()));
        long sn = geo.dtosn(nextseg);
        SegUse nu = fs.segUse(sn);
        fs.setSegUse(sn, new SegUse(0, nu.olastmod(), 0, 0, nu.flags() | SegUse.DIRTY | SegUse.ACTIVE, nu.lastmod()));
        CleanerInfo ci = fs.cleanerInfo();
        fs.setCleanerInfo(new CleanerInfo(ci.clean() - 1, ci.dirty() + 1, ci.bfree(), ci.avail(), ci.freeHead(),
                ci.freeTail(), ci.flags()));
        lastseg = curseg;
        curseg = nextseg;
        nextseg = geo.sntod(findClean(sn));
        offset = curseg;
        if ((fs.segUse(sn).flags() & SegUse.SUPERBLOCK) != 0) {
            offset += geo.btofsb(Superblock.SBPAD);
        }
        if (sn == 0 && geo.s0addr < geo.btofsb(Superblock.LABELPAD)) {
            offset += geo.btofsb(Superblock.LABELPAD) - geo.s0addr;
        }
    }

    /** Picks the segment to move to when this one fills: the first clean one after it. */
    void chooseNextSegment() throws IOException {
        long sn = geo.dtosn(nextseg);
        SegUse su = fs.segUse(sn);
        if (sn == geo.dtosn(curseg) || (su.flags() & (SegUse.DIRTY | SegUse.ACTIVE)) != 0) {
            nextseg = geo.sntod(findClean(geo.dtosn(curseg)));
        }
    }

    private long findClean(long after) throws IOException {
        for (long i = 1; i < geo.nseg; i++) {
            long sn = (after + i) % geo.nseg;
            SegUse su = fs.segUse(sn);
            if ((su.flags() & (SegUse.DIRTY | SegUse.ACTIVE)) == 0) {
                return sn;
            }
        }
        throw new VfsException(Errno.ENOSPC, "LFS on " + fs.disk.device().name()
                + ": no clean segment left to write to (" + geo.nseg + " segments)");
    }

    // ---- flushing ------------------------------------------------------------------------------

    /**
     * Writes the dirty blocks and inodes of {@code dirty} to the log, in as many partial segments
     * as they need. With {@code checkpoint}, then writes the IFILE and a superblock
     * (lfs_segwrite with SEGM_CKP); without, the IFILE stays in core and roll-forward is what
     * would find the inodes after a crash (NetBSD's fsync).
     */
    void flush(Collection<LfsInode> dirty, boolean checkpoint, boolean bothSuperblocks, int pflags) throws IOException {
        flush(dirty, checkpoint, bothSuperblocks, pflags, true);
    }

    /**
     * As {@link #flush(Collection, boolean, boolean, int)}; unless {@code durable}, the device is
     * not asked to flush at the end. For a checkpoint taken because too much waits in core,
     * which nobody waits to see on the disk: a device flush per checkpoint made a sequential
     * write wait for the disk several times a second. What the log's safety needs of the device
     * is kept: nothing is written into a segment marked clean until the checkpoints that call it
     * empty are on the disk ({@link #reclaimedUnflushed}).
     */
    void flush(Collection<LfsInode> dirty, boolean checkpoint, boolean bothSuperblocks, int pflags, boolean durable)
            throws IOException {
        Partial ps = new Partial();
        for (LfsInode ip : dirty) {
            if (ip.ino == LfsFileSystem.IFILE_INUM || !(ip.isDirty() || ip.tombstone)) {
                continue;
            }
            if (ip.tombstone) {
                if (!ps.fitsInodes(1)) {
                    ps = close(ps, false);
                }
                ps.inodes.add(ip);
                continue;
            }
            ps = writeFile(ps, ip);
        }
        if (checkpoint) {
            ps = writeIfile(ps);
            close(ps, true);
            // The superblock must not reach the medium before the partial segments it points
            // at, and a device may reorder the writes between two flushes (NetBSD waits for the
            // segment's I/O to finish before lfs_writesuper).
            fs.disk.flush();
            writeSuperblock(bothSuperblocks, pflags);
            sinceCheckpoint = 0;
        } else if (!ps.isEmpty()) {
            ps.endsFlush = true;
            close(ps, false);
        }
        fs.bmap.forgetAll();
        if (durable) {
            fs.disk.flush();
            reclaimedUnflushed = false;
        }
        if (checkpoint && emptySegments.reclaim() > 0 && !durable) {
            reclaimedUnflushed = true;
        }
    }

    private long version(long ino) throws IOException {
        return fs.ifileEntry(ino).version();
    }

    /** Places one file's dirty blocks, its indirect blocks and its inode, closing partial segments as they fill. */
    private Partial writeFile(Partial ps, LfsInode ip) throws IOException {
        FileBlocks fb = new FileBlocks(fs, ip);
        long version = version(ip.ino);
        for (Map.Entry<Long, byte[]> e : fb.blocks().entrySet()) {
            long lbn = e.getKey();
            if (lbn < 0 && fb.isEmptyIndirect(lbn)) {
                // Truncation left it pointing at nothing: it goes, and its parent forgets it.
                release(fb.pointer(lbn), geo.bsize, ip.ino, lbn);
                fb.setPointer(lbn, 0);
                continue;
            }
            byte[] data = e.getValue();
            if (!ps.fitsBlock(ip.ino, data.length)) {
                ps = close(ps, false);
            }
            long old = fb.pointer(lbn);
            release(old, fb.oldSize(lbn), ip.ino, lbn);
            fb.setPointer(lbn, ps.place(ip.ino, version, lbn, data));
        }
        fb.finish(this);
        if (!ps.fitsInodes(1)) {
            ps = close(ps, false);
        }
        ps.inodes.add(ip);
        return ps;
    }

    /** A block of {@code size} bytes at {@code daddr} no longer belongs to its segment. */
    private void release(long daddr, long size, long ino, long lbn) throws IOException {
        if (daddr <= 0) {
            return;
        }
        long sn = geo.dtosn(daddr);
        SegUse su = fs.segUse(sn);
        if (su.nbytes() < size) {
            throw new VfsException(Errno.EIO, "segment " + sn + " claims " + su.nbytes() + " bytes, fewer than the "
                    + size + " of inode " + ino + (lbn == Long.MIN_VALUE ? "" : " logical block " + lbn)
                    + " at fragment " + daddr + " it is losing");
        }
        fs.setSegUse(sn, new SegUse(su.nbytes() - size, su.olastmod(), su.nsums(), su.ninos(), su.flags(), su.lastmod()));
    }

    /** Releases the blocks of a file being truncated or freed, as lfs_truncate and lfs_vfree do. */
    void releaseBlock(long daddr, long size, long ino, long lbn) throws IOException {
        release(daddr, size, ino, lbn);
    }

    /**
     * Places the IFILE's dirty blocks and inode in the last partial segment. Which IFILE blocks
     * are dirty depends on what writing them changes (the usage entries of the segments their old
     * copies lie in, the current segment's, the entries of the inodes in this partial segment), so
     * the set is grown until writing it changes nothing outside it; if it does not fit, the
     * partial segment is closed and a fresh one started.
     */
    private Partial writeIfile(Partial ps) throws IOException {
        LfsInode ip = fs.ifile;
        boolean moved = false;
        while (true) {
            TreeSet<Long> set = closure(ps);
            int extra = new FileBlocks(fs, ip).indirectsAbove(set).size();
            if (ps.fits(set.size() + extra, 1, 1)) {
                break;
            }
            if (!ps.isEmpty()) {
                ps = close(ps, false);
            } else if (!moved) {
                // Not enough left of this segment for the IFILE: it goes at the start of the next.
                newSegment();
                ps = new Partial();
                moved = true;
            } else {
                throw new VfsException(Errno.ENOSPC, "the IFILE's " + set.size()
                        + " dirty blocks do not fit in one partial segment");
            }
        }
        TreeSet<Long> set = closure(ps);
        for (long lbn : set) {
            ip.dirtyBlocks.put(lbn, fs.ifileBlockBytes(lbn));
        }
        long version = version(ip.ino);
        FileBlocks fb = new FileBlocks(fs, ip);
        for (Map.Entry<Long, byte[]> e : fb.blocks().entrySet()) {
            long lbn = e.getKey();
            release(fb.pointer(lbn), geo.bsize, ip.ino, lbn);
            fb.setPointer(lbn, ps.place(ip.ino, version, lbn, e.getValue()));
        }
        fb.finish(this);
        ps.inodes.add(ip);
        return ps;
    }

    private TreeSet<Long> closure(Partial ps) throws IOException {
        TreeSet<Long> set = new TreeSet<>(fs.ifileDirty);
        set.add(0L);
        set.add(fs.segUseBlock(geo.dtosn(curseg)));
        set.add(fs.segUseBlock(geo.dtosn(idaddr)));
        for (LfsInode ip : ps.inodes) {
            if (ip.ino == LfsFileSystem.IFILE_INUM) {
                continue;
            }
            set.add(fs.ifileEntryBlock(ip.ino));
            long old = fs.ifileEntry(ip.ino).daddr();
            if (old > 0) {
                set.add(fs.segUseBlock(geo.dtosn(old)));
            }
        }
        FileBlocks probe = new FileBlocks(fs, fs.ifile);
        while (true) {
            TreeSet<Long> more = new TreeSet<>(set);
            for (long lbn : set) {
                long old = probe.pointer(lbn);
                if (old > 0) {
                    more.add(fs.segUseBlock(geo.dtosn(old)));
                }
            }
            for (long[] ind : probe.indirectsAbove(set)) {
                if (ind[2] > 0) {
                    more.add(fs.segUseBlock(geo.dtosn(ind[2])));
                }
            }
            if (more.equals(set)) {
                return set;
            }
            set = more;
        }
    }

    /**
     * Finishes a partial segment: gives the inode blocks their addresses after the file blocks,
     * points the IFILE entries at them, accounts the segment's usage, encodes and writes it all.
     * Returns a fresh partial segment to go on with.
     */
    private Partial close(Partial ps, boolean last) throws IOException {
        if (ps.isEmpty()) {
            return last ? null : new Partial();
        }
        int nib = (ps.inodes.size() + geo.inopb - 1) / geo.inopb;
        long[] iaddr = new long[nib];
        int dead = 0;
        for (int i = 0; i < nib; i++) {
            iaddr[i] = ps.next;
            ps.next += geo.btofsb(geo.ibsize);
        }
        for (int i = 0; i < ps.inodes.size(); i++) {
            LfsInode ip = ps.inodes.get(i);
            long a = iaddr[i / geo.inopb];
            if (ip.tombstone) {
                dead++;
                continue;
            }
            if (ip.ino == LfsFileSystem.IFILE_INUM) {
                // The IFILE's own entry stays unused; the superblock says where its inode is.
                release(idaddr, l.dinodeSize(), ip.ino, Long.MIN_VALUE);
                idaddr = a;
                continue;
            }
            IfileEntry e = fs.ifileEntry(ip.ino);
            if (e.daddr() > 0) {
                release(e.daddr(), l.dinodeSize(), ip.ino, Long.MIN_VALUE);
            }
            fs.setIfileEntry(ip.ino, e.withDaddr(a));
        }
        long sn = geo.dtosn(curseg);
        SegUse su = fs.segUse(sn);
        long now = host.now().sec();
        fs.setSegUse(sn, new SegUse(su.nbytes() + ps.fileBytes + (long) (ps.inodes.size() - dead) * l.dinodeSize(),
                su.olastmod(), su.nsums() + 1, su.ninos() + nib, su.flags() | SegUse.DIRTY | SegUse.ACTIVE, now));
        if (last) {
            updateCleanerInfo();
        }
        // Encode: summary, then the blocks as placed, then the inode blocks. Into one buffer kept
        // from the last partial segment: a new one each time (a segment's size, larger than the
        // collector's regions) cost more than all the copying into it. Every byte written is
        // set here, or zeroed where nothing is put.
        int fsize = geo.fsize;
        long frags = ps.next - ps.start;
        int length = Math.toIntExact(frags * fsize);
        if (out == null || out.length < length) {
            out = new byte[Math.toIntExact(Math.max(length, geo.fsbpseg * fsize))];
        }
        ByteBuffer ob = ByteBuffer.wrap(out).order(l.order());
        int pos = Math.toIntExact(geo.btofsb(geo.sumsize) * fsize);
        java.util.Arrays.fill(out, 0, pos, (byte) 0);
        ByteBuffer words = ByteBuffer.allocate(4 * (ps.blocks.size() + nib)).order(l.order());
        for (byte[] b : ps.blocks) {
            ob.put(pos, b);
            words.put(b, 0, 4);
            int room = Math.toIntExact(geo.btofsb(b.length) * fsize);
            java.util.Arrays.fill(out, pos + b.length, pos + room, (byte) 0);
            pos += room;
        }
        for (int i = 0; i < nib; i++) {
            int room = Math.toIntExact(geo.btofsb(geo.ibsize) * fsize);
            java.util.Arrays.fill(out, pos, pos + room, (byte) 0);
            for (int j = 0; j < geo.inopb && i * geo.inopb + j < ps.inodes.size(); j++) {
                LfsInode ip = ps.inodes.get(i * geo.inopb + j);
                ip.edit(l).encode(ob, pos + j * l.dinodeSize());
            }
            words.put(out, pos, 4);
            pos += room;
        }
        serial++;
        encodeSummary(ob, ps, iaddr, LfsLayout.cksum(words, 0, words.position()), now, last || ps.endsFlush);
        if (reclaimedUnflushed) {
            fs.disk.flush();
            reclaimedUnflushed = false;
        }
        // The blocks first, the summary last: the data checksum covers only the first word of
        // each block, so a summary written first would vouch for blocks a power cut left half
        // written; written last, a summary on the medium means all the blocks before it are.
        int sumBytes = geo.sumsize;
        fs.disk.write(geo.byteOffset(ps.start) + sumBytes, out, sumBytes, length - sumBytes,
                "partial segment at fragment " + ps.start);
        fs.disk.write(geo.byteOffset(ps.start), out, 0, sumBytes, "summary of the partial segment at fragment " + ps.start);
        lastpseg = ps.start;
        offset = ps.next;
        sinceCheckpoint++;
        for (LfsInode ip : ps.inodes) {
            synchronized (ip) {
                ip.inodeDirty = false;
                ip.diskSize = ip.din.size;
            }
        }
        if (last) {
            TreeSet<Long> placed = new TreeSet<>();
            for (Finfo f : ps.finfos) {
                if (f.ino == LfsFileSystem.IFILE_INUM) {
                    placed.addAll(f.lbns);
                }
            }
            fs.ifileDirty.removeAll(placed);
            if (!fs.ifileDirty.isEmpty()) {
                throw new IllegalStateException("IFILE blocks " + fs.ifileDirty + " changed after being placed");
            }
            return null;
        }
        return new Partial();
    }

    private void encodeSummary(ByteBuffer ob, Partial ps, long[] iaddr, int datasum, long now, boolean last) {
        ByteBuffer s = ob.duplicate().order(l.order());
        int flags = last ? 0 : SegmentSummary.SS_CONT;
        s.putInt(4, datasum).putInt(8, SegmentSummary.SS_MAGIC);
        if (l.is64()) {
            s.putInt(12, geo.ident).putLong(16, nextseg).putShort(24, (short) ps.finfos.size())
                    .putShort(26, (short) ps.inodes.size()).putShort(28, (short) flags).putLong(32, 0)
                    .putLong(40, serial).putLong(48, now);
        } else {
            s.putInt(12, (int) nextseg).putInt(16, geo.ident).putShort(20, (short) ps.finfos.size())
                    .putShort(22, (short) ps.inodes.size()).putShort(24, (short) flags).putInt(28, 0)
                    .putLong(32, serial).putLong(40, now);
        }
        int pos = l.segSumSize();
        for (Finfo f : ps.finfos) {
            s.putInt(pos, f.lbns.size()).putInt(pos + 4, (int) f.version);
            if (l.is64()) {
                s.putLong(pos + 8, f.ino).putInt(pos + 16, (int) f.lastLength);
            } else {
                s.putInt(pos + 8, (int) f.ino).putInt(pos + 12, (int) f.lastLength);
            }
            pos += l.finfoSize();
            for (long lbn : f.lbns) {
                if (l.is64()) {
                    s.putLong(pos, lbn);
                } else {
                    s.putInt(pos, (int) lbn);
                }
                pos += l.finfoBlockSize();
            }
        }
        for (int i = 0; i < iaddr.length; i++) {
            int at = geo.sumsize - (i + 1) * l.iinfoSize();
            if (l.is64()) {
                s.putLong(at, iaddr[i]);
            } else {
                s.putInt(at, (int) iaddr[i]);
            }
        }
        s.putInt(0, LfsLayout.cksum(s, 4, geo.sumsize - 4));
    }

    /** Clears the clean flag in both superblock copies, as a writable mount does first. */
    void markDirtyOnDisk() throws IOException {
        Superblock sb = fs.sb;
        for (int i = 0; i < 2; i++) {
            if (sb.sboffs[i] <= 0) {
                continue;
            }
            long at = geo.byteOffset(sb.sboffs[i]);
            ByteBuffer raw = l.view(LfsFileSystem.rawSuperblock(fs.disk.device(), at));
            raw.putShort(l.is64() ? 402 : 322, (short) (sb.pflags & ~Superblock.PF_CLEAN));
            raw.putInt(Superblock.CKSUM_OFFSET, LfsLayout.cksum(raw, 0, Superblock.CKSUM_OFFSET));
            byte[] bytes = new byte[Superblock.DISK_SIZE];
            raw.duplicate().position(0).get(bytes);
            fs.disk.write(at, bytes, "superblock copy " + i + " at byte " + at);
        }
        fs.disk.flush();
    }

    // ---- checkpoint ----------------------------------------------------------------------------

    /** Free space by fsck_lfs's rules (pass5), which a checkpoint must satisfy. */
    private record Space(long bfree, long avail, long dmeta, long nclean) {
    }

    private Space space() throws IOException {
        SpaceTotals t = new SpaceTotals(geo);
        for (long sn = 0; sn < geo.nseg; sn++) {
            t.add(sn, fs.segUse(sn));
        }
        t.finish(offset);
        // Inode blocks count as used, as fsck_lfs's lower bound has them, so that free space
        // never exceeds what lfs_statvfs calls the file system's data blocks.
        return new Space(t.bfreeMin(), t.avail, t.dmeta, t.nclean);
    }

    private void updateCleanerInfo() throws IOException {
        Space sp = space();
        CleanerInfo ci = fs.cleanerInfo();
        fs.setCleanerInfo(new CleanerInfo(sp.nclean(), geo.nseg - sp.nclean(), sp.bfree(), sp.avail(),
                fs.freeHead(), fs.freeTail(), ci.flags()));
    }

    /**
     * Writes the checkpoint into a superblock copy, dlfs_sboffs[0] and [1] in turn as NetBSD
     * alternates them (lfs_activesb), or into both (at unmount). Strictly in turn: picking by the
     * serial number's parity could write one copy again and again, leaving the other, the one a
     * mount after a crash starts from, ever further behind.
     */
    private void writeSuperblock(boolean both, int pflags) throws IOException {
        Space sp = space();
        Superblock sb = fs.sb;
        CheckpointFields cf = new CheckpointFields(fs.freeHead(), sp.bfree(), fs.allocatedInodes(), sp.avail(),
                idaddr, lastseg, nextseg, curseg, offset, lastpseg, sp.nclean(), sp.dmeta(), serial,
                host.now().sec(), pflags);
        ByteBuffer raw = LfsFileSystem.rawSuperblock(fs.disk.device(), sb.location);
        cf.apply(l, raw);
        byte[] bytes = new byte[Superblock.DISK_SIZE];
        raw.duplicate().position(0).get(bytes);
        int first = nextCopy;
        if (!both) {
            nextCopy = 1 - nextCopy;
        }
        for (int i = 0; i < 2; i++) {
            if (!both && i != first) {
                continue;
            }
            long at = geo.byteOffset(sb.sboffs[i]);
            if (sb.sboffs[i] <= 0) {
                continue;
            }
            fs.disk.write(at, bytes, "superblock copy " + i + " at byte " + at);
            emptySegments.checkpointWritten(i);
        }
        Superblock fresh = Superblock.decode(ByteBuffer.wrap(bytes).order(l.order()), sb.location);
        fs.sb = fresh.validate(fs.disk.size());
    }
}
