package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * Walks the log as dumplfs does: segment by segment, partial segment by partial segment, from
 * each segment's first summary (past the label pad and any superblock) along the chain of
 * summaries until one is missing, damaged or from an earlier file system on the same disk.
 * Each partial segment found has its data checksum recomputed from the blocks it describes.
 * The basis for roll-forward and fsck.
 */
final class LogWalker {

    /** One partial segment: where its summary is, what it says, how long it is, whether its data checksum holds. */
    record PartialSegment(long segment, long address, SegmentSummary summary, long fragments, int computedDatasum) {
        boolean datasumOk() {
            return summary.datasum == computedDatasum;
        }

        long end() {
            return address + fragments;
        }
    }

    private final LfsFileSystem fs;
    private final Superblock sb;

    LogWalker(LfsFileSystem fs) {
        this.fs = fs;
        this.sb = fs.sb;
    }

    /** Every partial segment of every segment the usage table calls dirty. */
    List<PartialSegment> walkDirtySegments() throws IOException {
        List<PartialSegment> all = new ArrayList<>();
        for (long sn = 0; sn < sb.nseg; sn++) {
            if (fs.segUse(sn).isDirty()) {
                all.addAll(walkSegment(sn));
            }
        }
        return all;
    }

    /** The partial segments of segment {@code sn}, in log order. */
    List<PartialSegment> walkSegment(long sn) throws IOException {
        List<PartialSegment> out = new ArrayList<>();
        long start = sb.sntod(sn);
        long end = start + sb.fsbpseg;
        long addr = start;
        if (sn == 0 && sb.byteOffset(addr) < Superblock.LABELPAD) {
            addr = sb.btofsb(Superblock.LABELPAD);
        }
        long sumFrags = sb.btofsb(sb.sumsize);
        // Each step moves forward by at least the summary, so the loop is bounded by the segment.
        while (addr + sumFrags <= end) {
            if (isSuperblockAddress(addr)) {
                addr += sb.btofsb(Superblock.SBPAD);
                continue;
            }
            ByteBuffer raw = fs.disk.read(sb.byteOffset(addr), sb.sumsize, "segment summary at fragment " + addr);
            if (!SegmentSummary.hasMagic(raw)) {
                break;
            }
            SegmentSummary ss;
            try {
                ss = SegmentSummary.decode(sb.layout, raw, sb.sumsize, sb.inopb, addr);
            } catch (VfsException e) {
                break;
            }
            if (!ss.sumsumOk() || ss.ident != sb.ident || (ss.nfinfo == 0 && ss.ninos == 0)) {
                break;
            }
            // One life of a segment is written in one go, serial after serial: a summary out of
            // that sequence is left from the segment's earlier life.
            if (!out.isEmpty() && ss.serial != out.get(out.size() - 1).summary().serial + 1) {
                break;
            }
            PartialSegment ps = measure(sn, addr, ss, end);
            if (ps == null) {
                break;
            }
            out.add(ps);
            addr = ps.end();
        }
        return out;
    }

    /**
     * The partial segment whose summary is at {@code addr} in segment {@code sn}, if one is
     * there whole: the right magic and ident, the summary's checksum, a layout that fits the
     * segment, the data checksum. Null otherwise.
     */
    PartialSegment partialAt(long sn, long addr) throws IOException {
        long end = sb.sntod(sn) + sb.fsbpseg;
        if (addr + sb.btofsb(sb.sumsize) > end) {
            return null;
        }
        ByteBuffer raw = fs.disk.read(sb.byteOffset(addr), sb.sumsize, "segment summary at fragment " + addr);
        if (!SegmentSummary.hasMagic(raw)) {
            return null;
        }
        SegmentSummary ss;
        try {
            ss = SegmentSummary.decode(sb.layout, raw, sb.sumsize, sb.inopb, addr);
        } catch (VfsException e) {
            return null;
        }
        if (!ss.sumsumOk() || ss.ident != sb.ident || (ss.nfinfo == 0 && ss.ninos == 0)) {
            return null;
        }
        PartialSegment ps = measure(sn, addr, ss, end);
        return ps == null || !ps.datasumOk() ? null : ps;
    }

    private boolean isSuperblockAddress(long addr) {
        for (long a : sb.sboffs) {
            if (a != 0 && a == addr) {
                return true;
            }
        }
        return false;
    }

    /**
     * Lays out the blocks the summary describes, as check_segsum does: file blocks in FINFO
     * order, an inode block wherever the next listed inode block address comes up, and collects
     * the first word of each for the data checksum. Null when the layout runs out of the segment
     * or the inode block addresses never come up.
     */
    private PartialSegment measure(long sn, long addr, SegmentSummary ss, long segEnd) throws IOException {
        int nblocks = ss.blockCount();
        ByteBuffer words = ByteBuffer.allocate(4 * nblocks).order(sb.layout.order());
        long off = addr + sb.btofsb(sb.sumsize);
        int nextInode = 0;
        int fileIndex = 0;
        while (fileIndex < ss.files.size() || nextInode < ss.inodeBlocks.length) {
            if (nextInode < ss.inodeBlocks.length && ss.inodeBlocks[nextInode] == off) {
                if (!checkword(words, off, sb.ibsize, segEnd)) {
                    return null;
                }
                off += sb.btofsb(sb.ibsize);
                nextInode++;
                continue;
            }
            if (fileIndex >= ss.files.size()) {
                return null;
            }
            SegmentSummary.FileInfo fi = ss.files.get(fileIndex++);
            long[] lbns = fi.blocks();
            for (int j = 0; j < lbns.length; j++) {
                long size = j == lbns.length - 1 ? fi.lastLength() : sb.bsize;
                if (size <= 0 || size > sb.bsize) {
                    return null;
                }
                if (!checkword(words, off, size, segEnd)) {
                    return null;
                }
                off += sb.btofsb(size);
            }
        }
        int computed = LfsLayout.cksum(words, 0, words.position());
        return new PartialSegment(sn, addr, ss, off - addr, computed);
    }

    private boolean checkword(ByteBuffer words, long off, long size, long segEnd) throws IOException {
        if (off + sb.btofsb(size) > segEnd) {
            return false;
        }
        if (!words.hasRemaining()) {
            throw new VfsException(Errno.EIO, "partial segment layout overran its block count at fragment " + off);
        }
        ByteBuffer w = fs.disk.read(sb.byteOffset(off), 4, "first word of the block at fragment " + off);
        words.put(w);
        return true;
    }
}
