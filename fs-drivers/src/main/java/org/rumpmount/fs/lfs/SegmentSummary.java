package org.rumpmount.fs.lfs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * A partial segment's summary block (SEGSUM32 / SEGSUM64 with its FINFO and IINFO lists): what
 * the blocks after it are. The header is followed by one FINFO per file, each with the logical
 * block numbers of that file's blocks in log order; the addresses of the inode blocks grow down
 * from the end of the summary. {@code ss_sumsum} covers the summary after itself;
 * {@code ss_datasum} covers the first word of every block of the partial segment.
 */
final class SegmentSummary {
    /** ss_magic (SS_MAGIC). */
    static final int SS_MAGIC = 0x061561;
    static final int SS_DIROP = 0x01;
    static final int SS_CONT = 0x02;
    static final int SS_CLEAN = 0x04;
    static final int SS_RFW = 0x08;
    static final int SS_RECLAIM = 0x10;

    /** One FINFO: a file and the logical blocks of it that follow, the last one {@code lastLength} bytes. */
    record FileInfo(long ino, long version, long lastLength, long[] blocks) {
    }

    final int sumsum;
    final int datasum;
    final int magic;
    final long next;
    final int ident;
    final int nfinfo;
    final int ninos;
    final int flags;
    final long reclino;
    final long serial;
    final long create;
    /** ss_sumsum recomputed over the summary block. */
    final int computedSumsum;
    final List<FileInfo> files;
    /** Inode block addresses in log order. */
    final long[] inodeBlocks;

    private SegmentSummary(LfsLayout l, ByteBuffer b, int sumsize, int inopb, long where) throws VfsException {
        sumsum = b.getInt(0);
        datasum = b.getInt(4);
        magic = b.getInt(8);
        if (l.is64()) {
            ident = b.getInt(12);
            next = b.getLong(16);
            nfinfo = b.getShort(24) & 0xffff;
            ninos = b.getShort(26) & 0xffff;
            flags = b.getShort(28) & 0xffff;
            reclino = b.getLong(32);
            serial = b.getLong(40);
            create = b.getLong(48);
        } else {
            next = b.getInt(12);
            ident = b.getInt(16);
            nfinfo = b.getShort(20) & 0xffff;
            ninos = b.getShort(22) & 0xffff;
            flags = b.getShort(24) & 0xffff;
            reclino = b.getInt(28) & 0xffffffffL;
            serial = b.getLong(32);
            create = b.getLong(40);
        }
        computedSumsum = LfsLayout.cksum(b, 4, sumsize - 4);
        int nInodeBlocks = (ninos + inopb - 1) / inopb;
        int iinfoStart = sumsize - nInodeBlocks * l.iinfoSize();
        if (iinfoStart < l.segSumSize()) {
            throw new VfsException(Errno.EIO, "segment summary at fragment " + where + ": " + ninos
                    + " inodes do not fit in a " + sumsize + "-byte summary");
        }
        inodeBlocks = new long[nInodeBlocks];
        for (int i = 0; i < nInodeBlocks; i++) {
            inodeBlocks[i] = l.daddr(b, sumsize - (i + 1) * l.iinfoSize());
        }
        List<FileInfo> fl = new ArrayList<>(Math.min(nfinfo, 1024));
        int pos = l.segSumSize();
        for (int i = 0; i < nfinfo; i++) {
            if (pos + l.finfoSize() > iinfoStart) {
                throw new VfsException(Errno.EIO, "segment summary at fragment " + where + ": FINFO " + i
                        + " runs past the summary");
            }
            long nblocks = b.getInt(pos) & 0xffffffffL;
            long version = b.getInt(pos + 4) & 0xffffffffL;
            long ino = l.is64() ? b.getLong(pos + 8) : b.getInt(pos + 8) & 0xffffffffL;
            long lastLength = b.getInt(pos + (l.is64() ? 16 : 12)) & 0xffffffffL;
            pos += l.finfoSize();
            if (nblocks > (iinfoStart - pos) / l.finfoBlockSize()) {
                throw new VfsException(Errno.EIO, "segment summary at fragment " + where + ": FINFO " + i
                        + " (inode " + ino + ") lists " + nblocks + " blocks, more than the summary holds");
            }
            long[] lbns = new long[(int) nblocks];
            for (int j = 0; j < nblocks; j++) {
                lbns[j] = l.is64() ? b.getLong(pos) : b.getInt(pos);
                pos += l.finfoBlockSize();
            }
            fl.add(new FileInfo(ino, version, lastLength, lbns));
        }
        files = List.copyOf(fl);
    }

    /**
     * Decodes the summary in the first {@code sumsize} bytes of {@code b} (in the file system's
     * byte order), read at fragment {@code where}. The magic and checksum are not judged here:
     * see {@link #magicOk()} and {@link #sumsumOk()}. EIO when the lists overflow the block.
     */
    static SegmentSummary decode(LfsLayout l, ByteBuffer b, int sumsize, int inopb, long where) throws VfsException {
        return new SegmentSummary(l, b, sumsize, inopb, where);
    }

    /** Just the magic, to tell a summary from data before decoding it. */
    static boolean hasMagic(ByteBuffer b) {
        return b.getInt(8) == SS_MAGIC;
    }

    boolean magicOk() {
        return magic == SS_MAGIC;
    }

    boolean sumsumOk() {
        return sumsum == computedSumsum;
    }

    /** The number of blocks the partial segment holds after its summary. */
    int blockCount() {
        int n = inodeBlocks.length;
        for (FileInfo f : files) {
            n += f.blocks().length;
        }
        return n;
    }

    /** The flags as dumplfs prints them: D(irop), C(ont), L (cleaner), R(oll-forward). */
    String flagString() {
        return ((flags & SS_DIROP) != 0 ? "D" : "-") + ((flags & SS_CONT) != 0 ? "C" : "-")
                + ((flags & SS_CLEAN) != 0 ? "L" : "-") + ((flags & SS_RFW) != 0 ? "R" : "-");
    }
}
