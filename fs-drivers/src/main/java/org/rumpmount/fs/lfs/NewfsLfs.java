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
            // The IFILE's direct blocks and those behind its single indirect block, all written
            // into segment 0 with the root directory and the two summaries.
            long pseg1 = 4 + (long) (ifileBlocks + (ifileBlocks > Dinode.NDADDR ? 1 : 0)) * (bsize / fsize);
            long pseg2 = 2 + 2L * (bsize / fsize);
            if (ifileBlocks > Dinode.NDADDR + bsize / l.daddrSize()
                    || labelFsb + sbFsb + pseg1 + pseg2 > fsbpseg) {
                throw inval(nseg + " segments need an IFILE of " + ifileBlocks + " blocks, more than segment 0 of "
                        + ssize + " bytes holds with it: use larger segments or blocks");
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

    /** Writes segment 0's two partial segments and every superblock copy. */
    private static void write(BlockDevice dev, LfsLayout l, Plan p, Options o) throws IOException {
        SuperblockImage.Geometry g = p.g;
        int bsize = g.bsize();
        int fsize = g.fsize();
        int frag = bsize / fsize;
        int dsz = l.dinodeSize();
        int ifileBlocks = g.cleansz() + g.segtabsz() + 1;
        int rootFrags = (DirectoryBlock.DIRBLKSIZ + fsize - 1) / fsize;
        long seg1 = g.s0addr() + g.fsbpseg();
        // ---- where everything goes ----
        long p1 = g.s0addr() + p.labelFsb + p.sbFsb;
        long rootBlk = p1 + 1;
        long ib1 = rootBlk + rootFrags;
        long ifile1 = ib1 + 1;
        int ind = ifileBlocks > Dinode.NDADDR ? 1 : 0;
        long indAddr = ind == 0 ? 0 : ifile1 + (long) ifileBlocks * frag;
        long p2 = ifile1 + (long) (ifileBlocks + ind) * frag;
        long ib2 = p2 + 1;
        long ci2 = ib2 + 1;
        long su2 = ci2 + frag;
        long end = su2 + frag;
        long[] ifileAddr = new long[ifileBlocks];
        for (int i = 0; i < ifileBlocks; i++) {
            ifileAddr[i] = ifile1 + (long) i * frag;
        }
        // ---- the free space, as make_lfs computes it after its first write ----
        long nbytes = (long) rootFrags * fsize + (long) (ifileBlocks + ind) * bsize + 2L * dsz;
        int nsums = 2;
        int ninos = 2;
        long bb = btofsb(nbytes + (long) nsums * g.sumsize(), fsize);
        long ubb = btofsb(nbytes + (long) nsums * g.sumsize() + (long) ninos * g.ibsize(), fsize);
        long dmeta = btofsb((long) g.sumsize() * nsums, fsize) + btofsb((long) g.ibsize() * ninos, fsize);
        long avail = 0;
        boolean[] hasSb = new boolean[(int) g.nseg()];
        for (int i = 0; i < Superblock.MAXNUMSB; i++) {
            if (i == 0 || g.sboffs()[i] != 0) {
                hasSb[(int) ((g.sboffs()[i] - g.s0addr()) / g.fsbpseg())] = true;
            }
        }
        for (int sn = 1; sn < g.nseg(); sn++) {
            avail += g.fsbpseg() - (hasSb[sn] ? btofsb(Superblock.SBPAD, fsize) : 0);
        }
        avail += seg1 - end;
        avail -= g.fsbpseg() * (g.minfreeseg() - g.minfreeseg() / 2);
        long labelskew = btofsb(Superblock.LABELPAD, fsize);
        long bfree = g.dsize() - labelskew - (ubb + bb) / 2;
        long nclean = g.nseg() - 1;
        // What the IFILE's cleaner info says as newfs_lfs leaves it: figured after the first
        // partial segment, before the second (the offset then at its start; the summaries not
        // yet counted into the used space).
        long bfree2 = g.dsize() - labelskew - (btofsb(nbytes, fsize) + btofsb(nbytes + g.ibsize(), fsize)) / 2;
        long avail2 = avail + (end - p2);
        // And in the first partial segment: the estimate made before anything was written, less
        // the superblocks, and the data fragments written taken from a starting zero.
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
        new CleanerInfo(nclean, 1, bfree2, avail2, FIRST_FREE_INUM, g.ifpb() - 1, 0)
                .encode(l, ByteBuffer.wrap(ifile[0]).order(l.order()), 0);
        for (int sn = 0; sn < g.nseg(); sn++) {
            // Clean segments are marked empty, as NetBSD's newfs_lfs leaves them.
            int flags = hasSb[sn] ? SegUse.SUPERBLOCK : 0;
            SegUse su = sn == 0
                    ? new SegUse(nbytes, 0, nsums, ninos, flags | SegUse.DIRTY | SegUse.ACTIVE, 0)
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
        // ---- partial segment 1: root block, inode block {2, 1}, the IFILE ----
        byte[] inodes1 = new byte[g.ibsize()];
        ByteBuffer ib1b = ByteBuffer.wrap(inodes1).order(l.order());
        rootIno.encode(ib1b, 0);
        ifileInode(l, g, ifileAddr, indAddr, o.tstamp()).encode(ib1b, dsz);
        List<byte[]> blocks1 = new ArrayList<>();
        blocks1.add(root);
        blocks1.add(inodes1);
        // The IFILE blocks as first written: the cleaner info and usage before the free space was known.
        byte[][] first = new byte[ifileBlocks][];
        for (int i = 0; i < ifileBlocks; i++) {
            first[i] = ifile[i].clone();
        }
        new CleanerInfo(nclean, 1, bfree1, avail1, FIRST_FREE_INUM, g.ifpb() - 1, 0)
                .encode(l, ByteBuffer.wrap(first[0]).order(l.order()), 0);
        new SegUse(nbytes, 0, 1, 1, (hasSb[0] ? SegUse.SUPERBLOCK : 0) | SegUse.DIRTY | SegUse.ACTIVE, 0)
                .encode(ByteBuffer.wrap(first[g.cleansz()]).order(l.order()), 0);
        for (byte[] b : first) {
            blocks1.add(b);
        }
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
        if (ind != 0) {
            blocks1.add(indirect);
        }
        long[] lbns1 = new long[ifileBlocks + ind];
        for (int i = 0; i < ifileBlocks; i++) {
            lbns1[i] = i;
        }
        if (ind != 0) {
            lbns1[ifileBlocks] = -Dinode.NDADDR;
        }
        byte[] sum1 = summary(l, g, 1, seg1, List.of(
                new SegmentSummary.FileInfo(LfsFileSystem.ROOT_INUM, 1, (long) rootFrags * fsize, new long[] {0}),
                new SegmentSummary.FileInfo(LfsFileSystem.IFILE_INUM, 1, bsize, lbns1)), 2, new long[] {ib1}, blocks1);
        // ---- partial segment 2: inode block {1}, IFILE blocks 0 and the first usage block ----
        long[] finalAddr = ifileAddr.clone();
        finalAddr[0] = ci2;
        finalAddr[g.cleansz()] = su2;
        byte[] inodes2 = new byte[g.ibsize()];
        ifileInode(l, g, finalAddr, indAddr, o.tstamp()).encode(ByteBuffer.wrap(inodes2).order(l.order()), 0);
        List<byte[]> blocks2 = List.of(inodes2, ifile[0], ifile[g.cleansz()]);
        byte[] sum2 = summary(l, g, 2, seg1, List.of(new SegmentSummary.FileInfo(LfsFileSystem.IFILE_INUM, 1, bsize,
                new long[] {0, g.cleansz()})), 1, new long[] {ib2}, blocks2);
        // ---- segment 0 as one buffer, from the first partial segment to the segment's end ----
        ByteBuffer seg = ByteBuffer.allocate((int) ((seg1 - p1) * fsize));
        put(seg, 0, sum1);
        put(seg, (rootBlk - p1) * fsize, root);
        put(seg, (ib1 - p1) * fsize, inodes1);
        for (int i = 0; i < ifileBlocks; i++) {
            put(seg, (ifileAddr[i] - p1) * fsize, first[i]);
        }
        if (ind != 0) {
            put(seg, (indAddr - p1) * fsize, indirect);
        }
        put(seg, (p2 - p1) * fsize, sum2);
        put(seg, (ib2 - p1) * fsize, inodes2);
        put(seg, (ci2 - p1) * fsize, ifile[0]);
        put(seg, (su2 - p1) * fsize, ifile[g.cleansz()]);
        dev.write(p1 * fsize, seg.clear());
        // ---- the superblock copies ----
        SuperblockImage si = new SuperblockImage(l);
        si.geometry(g);
        long serial = 2;
        for (int i = 0; i < Superblock.MAXNUMSB && g.sboffs()[i] != 0; i++) {
            // newfs_lfs leaves the time stamp on the first two copies only.
            long tstamp = i < 2 ? o.tstamp() : 0;
            byte[] sb = si.checkpoint(new CheckpointFields(FIRST_FREE_INUM, bfree, 0, avail, ib2,
                    g.s0addr() + (g.nseg() - 1) * g.fsbpseg(), seg1, g.s0addr(), end, p2, nclean, dmeta, serial,
                    tstamp, Superblock.PF_CLEAN));
            byte[] pad = new byte[Superblock.SBPAD];
            System.arraycopy(sb, 0, pad, 0, sb.length);
            dev.write(g.sboffs()[i] * fsize, ByteBuffer.wrap(pad));
        }
    }

    private static void put(ByteBuffer seg, long at, byte[] b) {
        seg.put((int) at, b);
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
            List<SegmentSummary.FileInfo> files, int ninos, long[] inodeBlocks, List<byte[]> blocks) {
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
                    .putShort(28, (short) SegmentSummary.SS_RFW).putLong(40, serial).putLong(48, 0);
        } else {
            s.putInt(12, (int) next).putInt(16, g.ident()).putShort(20, (short) files.size())
                    .putShort(22, (short) ninos).putShort(24, (short) SegmentSummary.SS_RFW).putLong(32, serial)
                    .putLong(40, 0);
        }
        s.putInt(0, LfsLayout.cksum(s, 4, g.sumsize() - 4));
        return s.array();
    }
}
