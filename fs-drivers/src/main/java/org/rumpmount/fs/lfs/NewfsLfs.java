package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * Makes a new, empty LFS (format version 2) the way NetBSD's newfs_lfs (make_lfs.c) lays it out:
 * the same geometry from the same defaults and rules (segments halved until there are enough,
 * minfreeseg and resvseg floors, superblock copies every nseg/10 segments), the primary superblock
 * after the 8 KiB label area, and segment 0 holding two partial segments as newfs_lfs leaves them:
 * the first with the root directory, its inode and the whole IFILE, the second with the IFILE's
 * inode and the two IFILE blocks (cleaner info, segment 0's usage) rewritten once the free space
 * was known. Both superblock copies then carry a checkpoint of serial 2, marked clean.
 *
 * <p>NetBSD's own newfs_lfs of the time wrote only the 32-bit little-endian form; the 64-bit
 * (lfs64) and big-endian forms here follow the same layout with the wider structures.
 */
public final class NewfsLfs {
    static final int SECTOR = 512;
    static final int DFL_BSIZE = 8192;
    static final int DFL_FSIZE = 1024;
    static final int DFL_SSIZE = 1 << 20;
    static final int MINFREE = 10;
    static final int DFL_MIN_FREE_SEGS = 10;
    static final int MIN_FREE_SEGS = 20;
    static final int MIN_RESV_SEGS = 15;
    static final int MIN_SBINTERVAL = 5;
    static final int SF_IMMUTABLE = 0x00020000;
    static final int DT_DIR = 4;
    /** The first inode newfs leaves free: the IFILE is 1, the root 2. */
    static final int FIRST_FREE_INUM = 3;

    /**
     * What to make. Zero for bsize, fsize, ssize, minfreeseg or resvseg asks for newfs_lfs's
     * default; {@code ident} is the roll-forward identifier (0: a random one), {@code tstamp} the
     * creation time in seconds.
     */
    public record Options(long sizeBytes, int bsize, int fsize, int ssize, boolean is64, ByteOrder order,
            int minfree, int minfreeseg, int resvseg, int ident, long tstamp) {
        public static Options defaults(long sizeBytes) {
            return new Options(sizeBytes, 0, 0, 0, false, ByteOrder.LITTLE_ENDIAN, MINFREE, 0, 0, 0,
                    System.currentTimeMillis() / 1000);
        }
    }

    /** What was made, for the command to print as newfs_lfs does. */
    public record Result(long nseg, long ssize, int bsize, int fsize, long dsize, int ident, List<Long> superblockSectors) {
    }

    private NewfsLfs() {
    }

    /** Formats {@code dev} (its first {@code o.sizeBytes()} bytes). EINVAL for a geometry that cannot work. */
    public static Result format(BlockDevice dev, Options o) throws IOException {
        if (o.sizeBytes() > dev.size()) {
            throw new VfsException(Errno.EINVAL, "newfs_lfs: " + o.sizeBytes() + " bytes asked for, but the device holds "
                    + dev.size());
        }
        LfsLayout l = layout(o.is64(), o.order());
        Plan p = plan(l, o);
        write(dev, l, p, o);
        dev.flush();
        List<Long> sectors = new ArrayList<>();
        for (long a : p.g.sboffs()) {
            if (a != 0) {
                sectors.add(a << p.g.fsbtodb());
            }
        }
        return new Result(p.g.nseg(), p.g.ssize(), p.g.bsize(), p.g.fsize(), p.g.dsize(), p.g.ident(), List.copyOf(sectors));
    }

    private static LfsLayout layout(boolean is64, ByteOrder order) {
        boolean le = order == ByteOrder.LITTLE_ENDIAN;
        return is64 ? (le ? LfsLayout.LE64 : LfsLayout.BE64) : (le ? LfsLayout.LE32 : LfsLayout.BE32);
    }

    private record Plan(SuperblockImage.Geometry g, int sbInterval, int labelFsb, int sbFsb) {
    }

    private static VfsException inval(String what) {
        return new VfsException(Errno.EINVAL, "newfs_lfs: " + what);
    }

    private static int log2(long v) {
        return 63 - Long.numberOfLeadingZeros(v);
    }

    private static boolean pow2(long v) {
        return v > 0 && (v & (v - 1)) == 0;
    }

    /** The geometry, by make_lfs's rules. */
    private static Plan plan(LfsLayout l, Options o) throws VfsException {
        int bsize = o.bsize() == 0 ? DFL_BSIZE : o.bsize();
        int fsize = o.fsize() == 0 ? Math.min(DFL_FSIZE, bsize) : o.fsize();
        int ssize = o.ssize() == 0 ? DFL_SSIZE : o.ssize();
        if (!pow2(bsize) || bsize < 4096 || bsize > Superblock.MAXBSIZE) {
            throw inval("block size " + bsize + " must be a power of 2 from 4096 to " + Superblock.MAXBSIZE);
        }
        if (!pow2(fsize) || fsize < SECTOR || fsize > bsize || bsize / fsize > 8) {
            throw inval("fragment size " + fsize + " must be a power of 2 from " + Math.max(SECTOR, bsize / 8)
                    + " to the block size " + bsize);
        }
        if (o.minfree() < 0 || o.minfree() > 99) {
            throw inval("minfree " + o.minfree() + "% is out of range 0-99");
        }
        if (ssize <= bsize || ssize % bsize != 0) {
            throw inval("segment size " + ssize + " must be a multiple of the block size " + bsize + " and larger");
        }
        long sectors = o.sizeBytes() / SECTOR;
        while (true) {
            int fsbtodb = log2(fsize / SECTOR);
            int labelFsb = (int) ((Superblock.LABELPAD + fsize - 1) / fsize);
            int sbFsb = (int) ((Superblock.SBPAD + fsize - 1) / fsize);
            long fsbpseg = ssize / fsize;
            long size = sectors >> fsbtodb;
            long nseg = (size - labelFsb) / fsbpseg;
            long minfreeseg = o.minfreeseg() == 0 ? nseg / DFL_MIN_FREE_SEGS : o.minfreeseg();
            minfreeseg = Math.max(minfreeseg, MIN_FREE_SEGS);
            int resvseg = (int) Math.max(o.resvseg() == 0 ? minfreeseg / 2 + 1 : o.resvseg(), MIN_RESV_SEGS);
            if (nseg < 4 * minfreeseg || nseg < MIN_SBINTERVAL + 1) {
                if (o.ssize() == 0 && ssize > 2 * bsize) {
                    ssize >>= 1;
                    continue;
                }
                throw inval("only " + Math.max(nseg, 0) + " segments of " + ssize + " bytes fit in " + o.sizeBytes()
                        + " bytes; at least " + Math.max(4 * minfreeseg, MIN_SBINTERVAL + 1)
                        + " are needed: use smaller segments or a larger image");
            }
            int sepb = bsize / l.segUseSize();
            int segtabsz = (int) ((nseg + sepb - 1) / sepb);
            int cleansz = (l.cleanerInfoSize() + bsize - 1) / bsize;
            int ifileBlocks = cleansz + segtabsz + 1;
            // The IFILE's direct blocks and those behind its single indirect block: newfs writes
            // no double indirect block. (They run over as many segments as they need.)
            if (ifileBlocks > Dinode.NDADDR + bsize / l.daddrSize()) {
                throw inval(nseg + " segments need an IFILE of " + ifileBlocks + " blocks, more than its direct and "
                        + "single indirect blocks map: use larger segments or blocks");
            }
            long dsize = (nseg - minfreeseg) * fsbpseg;
            int sbInterval = (int) Math.max(nseg / Superblock.MAXNUMSB, MIN_SBINTERVAL);
            long[] sboffs = new long[Superblock.MAXNUMSB];
            sboffs[0] = labelFsb;
            dsize -= sbFsb;
            for (int i = 1; i < Superblock.MAXNUMSB; i++) {
                // Segment 0 starts at address 0 and so holds the label: every later copy sits
                // at the very start of its segment.
                long at = (long) i * sbInterval * fsbpseg;
                // make_lfs compares against the end in bytes of struct dlfs added to fragments.
                if (at + Superblock.DISK_SIZE >= size) {
                    break;
                }
                sboffs[i] = at;
                dsize -= sbFsb;
            }
            if (sboffs[1] == 0) {
                throw inval("no room for a second superblock copy: use smaller segments");
            }
            int ptr = l.daddrSize();
            long nptr = bsize / ptr;
            long maxfilesize = (Dinode.NDADDR + nptr + nptr * nptr + nptr * nptr * nptr) << log2(bsize);
            int ident = o.ident() != 0 ? o.ident() : new java.security.SecureRandom().nextInt() | 1;
            SuperblockImage.Geometry g = new SuperblockImage.Geometry(size, dsize, ssize, bsize, fsize, o.minfree(),
                    maxfilesize, fsbpseg, fsize / l.dinodeSize(), bsize / l.ifileEntrySize(), sepb, (int) nptr, nseg,
                    cleansz, segtabsz, log2(bsize), log2(fsize), log2(bsize / fsize), log2(bsize / SECTOR), fsbtodb,
                    l.inlineSymlinkCapacity(), sboffs, minfreeseg, fsize, fsize, 0, SECTOR / l.dinodeSize(), 0, ident,
                    resvseg);
            return new Plan(g, sbInterval, labelFsb, sbFsb);
        }
    }

    /** A partial segment of newfs's log: where it starts and what it holds. */
    private static final class Pseg {
        final long start;
        final int segment;
        final List<SegmentSummary.FileInfo> files = new ArrayList<>();
        final List<Long> ifileLbns = new ArrayList<>();
        final List<long[]> placed = new ArrayList<>();
        long next;
        int sumUsed;

        Pseg(long start, int segment, int sumFrags, LfsLayout l) {
            this.start = start;
            this.segment = segment;
            this.next = start + sumFrags;
            this.sumUsed = l.segSumSize();
        }
    }

    /** The first fragment a new partial segment may use in segment {@code sn}: past its superblock copy, if any. */
    private static long segmentStart(SuperblockImage.Geometry g, Plan p, boolean[] hasSb, int sn) {
        return g.s0addr() + (long) sn * g.fsbpseg() + (sn > 0 && hasSb[sn] ? p.sbFsb : 0);
    }

    /** Fragments of segment {@code sn} a clean one offers the writer (fsck_lfs pass 5's avail). */
    private static long segmentAvail(SuperblockImage.Geometry g, Plan p, boolean[] hasSb, int sn) {
        long a = g.fsbpseg() - (hasSb[sn] ? p.sbFsb : 0);
        if (sn == 0 && g.s0addr() < p.labelFsb) {
            a -= p.labelFsb - g.s0addr();
        }
        return a;
    }

    /**
     * Writes newfs_lfs's two writes and every superblock copy. The first write is the root
     * directory, its inode block {2, 1} and the whole IFILE (with its indirect block when it has
     * more than the direct blocks hold); the second the IFILE's inode and its two blocks
     * rewritten once the free space was known (cleaner info, the first usage block). As
     * lfs_segwrite does, a write goes on in a further partial segment when the summary is full
     * and in the next segment when this one is: a large file system's IFILE spans several
     * segments. A small one's takes two partial segments of segment 0, byte for byte as
     * NetBSD's newfs_lfs writes them.
     */
    private static void write(BlockDevice dev, LfsLayout l, Plan p, Options o) throws IOException {
        SuperblockImage.Geometry g = p.g;
        int bsize = g.bsize();
        int fsize = g.fsize();
        int frag = bsize / fsize;
        int dsz = l.dinodeSize();
        int ifileBlocks = g.cleansz() + g.segtabsz() + 1;
        int rootFrags = (DirectoryBlock.DIRBLKSIZ + fsize - 1) / fsize;
        int sumFrags = (int) btofsb(g.sumsize(), fsize);
        int ibFrags = (int) btofsb(g.ibsize(), fsize);
        int ind = ifileBlocks > Dinode.NDADDR ? 1 : 0;
        boolean[] hasSb = new boolean[(int) g.nseg()];
        for (int i = 0; i < Superblock.MAXNUMSB; i++) {
            if (i == 0 || g.sboffs()[i] != 0) {
                hasSb[(int) ((g.sboffs()[i] - g.s0addr()) / g.fsbpseg())] = true;
            }
        }
        // ---- where everything goes: the first write ----
        List<Pseg> first = new ArrayList<>();
        Pseg ps = new Pseg(g.s0addr() + p.labelFsb + p.sbFsb, 0, sumFrags, l);
        first.add(ps);
        long rootBlk = ps.next;
        long ib1 = rootBlk + rootFrags;
        ps.next = ib1 + ibFrags;
        ps.sumUsed += l.finfoSize() + l.finfoBlockSize() + l.iinfoSize();
        long[] ifileAddr = new long[ifileBlocks];
        long indAddr = 0;
        for (int i = 0; i < ifileBlocks + ind; i++) {
            long lbn = i < ifileBlocks ? i : -Dinode.NDADDR;
            int more = (ps.ifileLbns.isEmpty() ? l.finfoSize() : 0) + l.finfoBlockSize();
            long segEnd = g.s0addr() + (ps.segment + 1L) * g.fsbpseg();
            if (ps.sumUsed + more > g.sumsize() || ps.next + frag > segEnd) {
                boolean full = ps.next + sumFrags + frag > segEnd;
                int sn = full ? ps.segment + 1 : ps.segment;
                if (sn >= g.nseg()) {
                    throw inval("the IFILE of " + ifileBlocks + " blocks does not fit in " + g.nseg() + " segments");
                }
                ps = new Pseg(full ? segmentStart(g, p, hasSb, sn) : ps.next, sn, sumFrags, l);
                first.add(ps);
                more = l.finfoSize() + l.finfoBlockSize();
            }
            ps.sumUsed += more;
            ps.ifileLbns.add(lbn);
            ps.placed.add(new long[] {lbn, ps.next});
            if (lbn >= 0) {
                ifileAddr[i] = ps.next;
            } else {
                indAddr = ps.next;
            }
            ps.next += frag;
        }
        Pseg last1 = ps;
        // ---- the second write: inode block {1}, IFILE blocks 0 and the first usage block ----
        long segEnd1 = g.s0addr() + (last1.segment + 1L) * g.fsbpseg();
        int sn2 = last1.next + sumFrags + ibFrags + 2L * frag <= segEnd1 ? last1.segment : last1.segment + 1;
        Pseg second = new Pseg(sn2 == last1.segment ? last1.next : segmentStart(g, p, hasSb, sn2), sn2, sumFrags, l);
        long p2 = second.start;
        long ib2 = p2 + sumFrags;
        long ci2 = ib2 + ibFrags;
        long su2 = ci2 + frag;
        long end = su2 + frag;
        int lastSeg = sn2;
        if (lastSeg + 1 >= g.nseg() || lastSeg >= g.sepb()) {
            throw inval("newfs's log of " + (lastSeg + 1) + " segments leaves no clean segment to go on in");
        }
        long[] finalAddr = ifileAddr.clone();
        finalAddr[0] = ci2;
        finalAddr[g.cleansz()] = su2;
        // ---- the segments' usage, as the checkpoint has it and as the first write left it ----
        int used = lastSeg + 1;
        long[] nbytes = new long[used];
        int[] nsums = new int[used];
        int[] ninos = new int[used];
        long[] nbytes1 = new long[used];
        int[] ninos1 = new int[used];
        nbytes[0] += (long) rootFrags * fsize + dsz;
        nbytes1[0] += (long) rootFrags * fsize + 2L * dsz;
        ninos[0]++;
        ninos1[0]++;
        for (Pseg q : first) {
            nsums[q.segment]++;
            nbytes1[q.segment] += (long) q.placed.size() * bsize;
        }
        for (int i = 0; i < ifileBlocks; i++) {
            nbytes[(int) ((finalAddr[i] - g.s0addr()) / g.fsbpseg())] += bsize;
        }
        if (ind != 0) {
            nbytes[(int) ((indAddr - g.s0addr()) / g.fsbpseg())] += bsize;
        }
        nbytes[sn2] += dsz;
        nsums[sn2]++;
        ninos[sn2]++;
        // ---- the free space, as make_lfs computes it after each write ----
        long bb = 0;
        long ubb = 0;
        long dmeta = 0;
        for (int sn = 0; sn < used; sn++) {
            bb += btofsb(nbytes[sn] + (long) nsums[sn] * g.sumsize(), fsize);
            ubb += btofsb(nbytes[sn] + (long) nsums[sn] * g.sumsize() + (long) ninos[sn] * g.ibsize(), fsize);
            dmeta += btofsb((long) g.sumsize() * nsums[sn], fsize) + btofsb((long) g.ibsize() * ninos[sn], fsize);
        }
        long minfreeFrags = g.fsbpseg() * (g.minfreeseg() - g.minfreeseg() / 2);
        long avail = -minfreeFrags;
        long avail2 = -minfreeFrags;
        for (int sn = 0; sn < g.nseg(); sn++) {
            avail += sn > lastSeg ? segmentAvail(g, p, hasSb, sn) : 0;
            avail2 += sn > last1.segment ? segmentAvail(g, p, hasSb, sn) : 0;
        }
        avail += segEndOf(g, lastSeg) - end;
        avail2 += segEnd1 - last1.next;
        long labelskew = btofsb(Superblock.LABELPAD, fsize);
        long bfree = g.dsize() - labelskew - (ubb + bb) / 2;
        long nclean = g.nseg() - used;
        // What the IFILE's cleaner info says as newfs_lfs leaves it: figured after the first
        // write, before the second (the offset then at the first write's end; the summaries not
        // yet counted into the used space).
        long bb2 = 0;
        long ubb2 = 0;
        for (int sn = 0; sn <= last1.segment; sn++) {
            bb2 += btofsb(nbytes1[sn], fsize);
            ubb2 += btofsb(nbytes1[sn] + (long) ninos1[sn] * g.ibsize(), fsize);
        }
        long bfree2 = g.dsize() - labelskew - (bb2 + ubb2) / 2;
        // And in the first write: the estimate made before anything was written, less the
        // superblocks, and the data fragments written taken from a starting zero.
        long bfree1 = (g.nseg() - g.minfreeseg()) * g.fsbpseg() - (g.nseg() / 2) * frag;
        for (boolean b : hasSb) {
            bfree1 -= b ? p.sbFsb : 0;
        }
        long avail1 = -(rootFrags + (long) (ifileBlocks + ind) * frag);
        // ---- IFILE contents ----
        byte[][] ifile = new byte[ifileBlocks][];
        for (int i = 0; i < ifileBlocks; i++) {
            ifile[i] = new byte[bsize];
        }
        new CleanerInfo(nclean, used, bfree2, avail2, FIRST_FREE_INUM, g.ifpb() - 1, 0)
                .encode(l, ByteBuffer.wrap(ifile[0]).order(l.order()), 0);
        for (int sn = 0; sn < g.nseg(); sn++) {
            // Clean segments are marked empty, as NetBSD's newfs_lfs leaves them; the log goes on
            // in the last one written.
            int flags = hasSb[sn] ? SegUse.SUPERBLOCK : 0;
            SegUse su = sn < used
                    ? new SegUse(nbytes[sn], 0, nsums[sn], ninos[sn],
                            flags | SegUse.DIRTY | (sn == lastSeg ? SegUse.ACTIVE : 0), 0)
                    : new SegUse(0, 0, 0, 0, flags | SegUse.EMPTY, 0);
            su.encode(ByteBuffer.wrap(ifile[g.cleansz() + sn / g.sepb()]).order(l.order()), (sn % g.sepb()) * l.segUseSize());
        }
        ByteBuffer entries = ByteBuffer.wrap(ifile[ifileBlocks - 1]).order(l.order());
        for (int ino = 1; ino < g.ifpb(); ino++) {
            long daddr = ino == LfsFileSystem.ROOT_INUM ? ib1 : 0;
            long next = ino >= FIRST_FREE_INUM && ino + 1 < g.ifpb() ? ino + 1 : 0;
            new IfileEntry(1, daddr, next, 0, 0).encode(l, entries, ino * l.ifileEntrySize());
        }
        // ---- the root directory ----
        byte[] root = new byte[rootFrags * fsize];
        ByteBuffer rb = ByteBuffer.wrap(root).order(l.order());
        int dot = DirectoryBlock.entrySize(l, 1);
        dirent(l, rb, 0, LfsFileSystem.ROOT_INUM, dot, ".");
        dirent(l, rb, dot, LfsFileSystem.ROOT_INUM, DirectoryBlock.DIRBLKSIZ - dot, "..");
        DinodeImage rootIno = DinodeImage.fresh(l, LfsFileSystem.ROOT_INUM);
        rootIno.setMode(0040755);
        rootIno.setNlink(2);
        rootIno.setSize(DirectoryBlock.DIRBLKSIZ);
        rootIno.setBlocks(rootFrags);
        times(rootIno, o.tstamp());
        rootIno.setGen(1);
        rootIno.setDb(0, rootBlk);
        byte[] inodes1 = new byte[g.ibsize()];
        ByteBuffer ib1b = ByteBuffer.wrap(inodes1).order(l.order());
        rootIno.encode(ib1b, 0);
        ifileInode(l, g, ifileAddr, indAddr, o.tstamp()).encode(ib1b, dsz);
        // The IFILE blocks as first written: the cleaner info and usage before the free space was known.
        byte[][] firstCopy = new byte[ifileBlocks][];
        for (int i = 0; i < ifileBlocks; i++) {
            firstCopy[i] = ifile[i].clone();
        }
        new CleanerInfo(nclean, 1, bfree1, avail1, FIRST_FREE_INUM, g.ifpb() - 1, 0)
                .encode(l, ByteBuffer.wrap(firstCopy[0]).order(l.order()), 0);
        new SegUse(nbytes1[0], 0, 1, 1, (hasSb[0] ? SegUse.SUPERBLOCK : 0) | SegUse.DIRTY | SegUse.ACTIVE, 0)
                .encode(ByteBuffer.wrap(firstCopy[g.cleansz()]).order(l.order()), 0);
        // The indirect block follows the data blocks, listed by its negative logical number.
        byte[] indirect = new byte[bsize];
        ByteBuffer ibuf = ByteBuffer.wrap(indirect).order(l.order());
        for (int i = Dinode.NDADDR; i < ifileBlocks; i++) {
            if (l.is64()) {
                ibuf.putLong((i - Dinode.NDADDR) * 8, ifileAddr[i]);
            } else {
                ibuf.putInt((i - Dinode.NDADDR) * 4, (int) ifileAddr[i]);
            }
        }
        // ---- each used segment as one buffer, from its first partial segment to its end ----
        ByteBuffer[] segs = new ByteBuffer[used];
        long[] segFrom = new long[used];
        for (int sn = 0; sn < used; sn++) {
            segFrom[sn] = sn == 0 ? first.get(0).start : segmentStart(g, p, hasSb, sn);
            segs[sn] = ByteBuffer.allocate((int) ((segEndOf(g, sn) - segFrom[sn]) * fsize));
        }
        long serial = 0;
        for (int k = 0; k < first.size(); k++) {
            Pseg q = first.get(k);
            List<byte[]> blocks = new ArrayList<>();
            List<SegmentSummary.FileInfo> files = new ArrayList<>();
            long[] inodeBlocks = {};
            if (k == 0) {
                blocks.add(root);
                blocks.add(inodes1);
                put(segs, segFrom, g, rootBlk, root, fsize);
                put(segs, segFrom, g, ib1, inodes1, fsize);
                files.add(new SegmentSummary.FileInfo(LfsFileSystem.ROOT_INUM, 1, (long) rootFrags * fsize, new long[] {0}));
                inodeBlocks = new long[] {ib1};
            }
            long[] lbns = new long[q.placed.size()];
            for (int j = 0; j < lbns.length; j++) {
                long lbn = q.placed.get(j)[0];
                byte[] data = lbn >= 0 ? firstCopy[(int) lbn] : indirect;
                lbns[j] = lbn;
                blocks.add(data);
                put(segs, segFrom, g, q.placed.get(j)[1], data, fsize);
            }
            if (lbns.length > 0) {
                files.add(new SegmentSummary.FileInfo(LfsFileSystem.IFILE_INUM, 1, bsize, lbns));
            }
            int flags = SegmentSummary.SS_RFW | (k < first.size() - 1 ? SegmentSummary.SS_CONT : 0);
            long next = g.s0addr() + (q.segment + 1L) * g.fsbpseg();
            put(segs, segFrom, g, q.start, summary(l, g, ++serial, next, files, k == 0 ? 2 : 0, inodeBlocks, blocks, flags),
                    fsize);
        }
        byte[] inodes2 = new byte[g.ibsize()];
        ifileInode(l, g, finalAddr, indAddr, o.tstamp()).encode(ByteBuffer.wrap(inodes2).order(l.order()), 0);
        List<byte[]> blocks2 = List.of(inodes2, ifile[0], ifile[g.cleansz()]);
        put(segs, segFrom, g, ib2, inodes2, fsize);
        put(segs, segFrom, g, ci2, ifile[0], fsize);
        put(segs, segFrom, g, su2, ifile[g.cleansz()], fsize);
        long nextSeg = g.s0addr() + (lastSeg + 1L) * g.fsbpseg();
        put(segs, segFrom, g, p2, summary(l, g, ++serial, nextSeg, List.of(new SegmentSummary.FileInfo(
                LfsFileSystem.IFILE_INUM, 1, bsize, new long[] {0, g.cleansz()})), 1, new long[] {ib2}, blocks2,
                SegmentSummary.SS_RFW), fsize);
        for (int sn = 0; sn < used; sn++) {
            dev.write(segFrom[sn] * fsize, segs[sn].clear());
        }
        // ---- the superblock copies ----
        SuperblockImage si = new SuperblockImage(l);
        si.geometry(g);
        long prevSeg = lastSeg == 0 ? g.nseg() - 1 : lastSeg - 1;
        for (int i = 0; i < Superblock.MAXNUMSB && g.sboffs()[i] != 0; i++) {
            // newfs_lfs leaves the time stamp on the first two copies only.
            long tstamp = i < 2 ? o.tstamp() : 0;
            byte[] sb = si.checkpoint(new CheckpointFields(FIRST_FREE_INUM, bfree, 0, avail, ib2,
                    g.s0addr() + prevSeg * g.fsbpseg(), nextSeg, g.s0addr() + lastSeg * g.fsbpseg(), end, p2, nclean,
                    dmeta, serial, tstamp, Superblock.PF_CLEAN));
            byte[] pad = new byte[Superblock.SBPAD];
            System.arraycopy(sb, 0, pad, 0, sb.length);
            dev.write(g.sboffs()[i] * fsize, ByteBuffer.wrap(pad));
        }
    }

    private static long segEndOf(SuperblockImage.Geometry g, int sn) {
        return g.s0addr() + (sn + 1L) * g.fsbpseg();
    }

    /** Puts {@code b} at fragment {@code daddr}, into the buffer of the segment holding it. */
    private static void put(ByteBuffer[] segs, long[] segFrom, SuperblockImage.Geometry g, long daddr, byte[] b, int fsize) {
        int sn = (int) ((daddr - g.s0addr()) / g.fsbpseg());
        segs[sn].put((int) ((daddr - segFrom[sn]) * fsize), b);
    }

    private static long btofsb(long bytes, int fsize) {
        return (bytes + fsize - 1) / fsize;
    }

    private static void times(DinodeImage d, long t) {
        d.setAtime(t, 0);
        d.setMtime(t, 0);
        d.setCtime(t, 0);
    }

    private static DinodeImage ifileInode(LfsLayout l, SuperblockImage.Geometry g, long[] addr, long indAddr, long tstamp) {
        DinodeImage d = DinodeImage.fresh(l, LfsFileSystem.IFILE_INUM);
        d.setMode(0100600);
        d.setFlags(SF_IMMUTABLE);
        d.setNlink(1);
        d.setSize((long) addr.length * g.bsize());
        d.setBlocks((long) (addr.length + (indAddr != 0 ? 1 : 0)) * (g.bsize() / g.fsize()));
        times(d, tstamp);
        d.setGen(1);
        for (int i = 0; i < Math.min(addr.length, Dinode.NDADDR); i++) {
            d.setDb(i, addr[i]);
        }
        if (indAddr != 0) {
            d.setIb(0, indAddr);
        }
        return d;
    }

    private static void dirent(LfsLayout l, ByteBuffer b, int pos, long ino, int reclen, String name) {
        int h = l.dirHeaderSize();
        if (l.is64()) {
            b.putLong(pos, ino);
        } else {
            b.putInt(pos, (int) ino);
        }
        b.putShort(pos + h - 4, (short) reclen);
        b.put(pos + h - 2, (byte) DT_DIR);
        b.put(pos + h - 1, (byte) name.length());
        for (int i = 0; i < name.length(); i++) {
            b.put(pos + h + i, (byte) name.charAt(i));
        }
    }

    /**
     * A summary block: header, FINFOs, inode block addresses from the end, the data checksum over
     * the first word of each block that follows (in disk order) and the summary's own checksum.
     */
    private static byte[] summary(LfsLayout l, SuperblockImage.Geometry g, long serial, long next,
            List<SegmentSummary.FileInfo> files, int ninos, long[] inodeBlocks, List<byte[]> blocks, int flags) {
        ByteBuffer s = ByteBuffer.allocate(g.sumsize()).order(l.order());
        int pos = l.segSumSize();
        for (SegmentSummary.FileInfo f : files) {
            s.putInt(pos, f.blocks().length).putInt(pos + 4, (int) f.version());
            if (l.is64()) {
                s.putLong(pos + 8, f.ino()).putInt(pos + 16, (int) f.lastLength());
            } else {
                s.putInt(pos + 8, (int) f.ino()).putInt(pos + 12, (int) f.lastLength());
            }
            pos += l.finfoSize();
            for (long lbn : f.blocks()) {
                if (l.is64()) {
                    s.putLong(pos, lbn);
                } else {
                    s.putInt(pos, (int) lbn);
                }
                pos += l.finfoBlockSize();
            }
        }
        for (int i = 0; i < inodeBlocks.length; i++) {
            int at = g.sumsize() - (i + 1) * l.iinfoSize();
            if (l.is64()) {
                s.putLong(at, inodeBlocks[i]);
            } else {
                s.putInt(at, (int) inodeBlocks[i]);
            }
        }
        ByteBuffer words = ByteBuffer.allocate(4 * blocks.size()).order(l.order());
        for (byte[] b : blocks) {
            words.put(b, 0, 4);
        }
        s.putInt(4, LfsLayout.cksum(words, 0, words.capacity()));
        s.putInt(8, SegmentSummary.SS_MAGIC);
        if (l.is64()) {
            s.putInt(12, g.ident()).putLong(16, next).putShort(24, (short) files.size()).putShort(26, (short) ninos)
                    .putShort(28, (short) flags).putLong(40, serial).putLong(48, 0);
        } else {
            s.putInt(12, (int) next).putInt(16, g.ident()).putShort(20, (short) files.size())
                    .putShort(22, (short) ninos).putShort(24, (short) flags).putLong(32, serial)
                    .putLong(40, 0);
        }
        s.putInt(0, LfsLayout.cksum(s, 4, g.sumsize() - 4));
        return s.array();
    }
}
