package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VfsException;

/**
 * Changing a file's contents in core (lfs_balloc, lfs_truncate): blocks become dirty copies
 * that the next flush gives addresses to. Allocation is nothing more than that, as in LFS,
 * where a block has no address until it is written. Callers hold the mount's segment lock.
 */
final class FileWrites {
    /** Blocks a write can make dirty beyond its length: a partial block at each end and the old tail. */
    static final long WRITE_SLACK_BLOCKS = 3;

    private final LfsMount m;
    private final LfsFileSystem fs;

    FileWrites(LfsMount m) {
        this.m = m;
        this.fs = m.fs();
    }

    /** Logical block {@code lbn} of {@code ip} as a dirty, full-block copy (zeros past end of file). */
    byte[] blockForUpdate(LfsInode ip, long lbn) throws IOException {
        byte[] b;
        synchronized (ip) {
            b = ip.dirtyBlocks.get(lbn);
        }
        if (b != null) {
            return b;
        }
        Superblock sb = fs.sb;
        FileBlocks.checkWritable(sb, ip.ino, lbn);
        reserve(sb.bsize);
        b = new byte[sb.bsize];
        long start = lbn << sb.bshift;
        long size = ip.din.size;
        if (start < size) {
            int n = (int) Math.min(sb.bsize, size - start);
            fs.read(ip, start, ByteBuffer.wrap(b, 0, n));
        }
        synchronized (ip) {
            ip.dirtyBlocks.put(lbn, b);
        }
        m.dirtyBytes += sb.bsize;
        m.markDirty(ip);
        return b;
    }

    /**
     * When a file ending in a fragment run grows past that block, the run must become a whole
     * block (or, extended within the block, be rewritten with zeros after the old end), so the
     * old tail becomes dirty at its new size.
     */
    private void expandTail(LfsInode ip, long newSize) throws IOException {
        long old = ip.din.size;
        if (old > 0 && newSize > old && (old & (fs.sb.bsize - 1)) != 0) {
            blockForUpdate(ip, (old - 1) >> fs.sb.bshift);
        }
    }

    int write(LfsInode ip, long offset, ByteBuffer src) throws IOException {
        Superblock sb = fs.sb;
        int len = src.remaining();
        if (offset < 0) {
            throw new VfsException(Errno.EINVAL, "inode " + ip.ino + ": negative offset " + offset);
        }
        if (len == 0) {
            return 0;
        }
        long end = offset + len;
        if (end < 0 || (sb.maxfilesize > 0 && end > sb.maxfilesize)) {
            throw new VfsException(Errno.EFBIG, "inode " + ip.ino + ": writing " + len + " bytes at " + offset
                    + " passes the file size limit " + sb.maxfilesize);
        }
        FileBlocks.checkWritable(sb, ip.ino, (end - 1) >> sb.bshift);
        // Room for every block this write can make dirty, before any is: a write refused halfway
        // would leave blocks past the end of file that no size covers.
        reserve(len + WRITE_SLACK_BLOCKS * sb.bsize);
        expandTail(ip, end);
        long pos = offset;
        while (src.hasRemaining()) {
            long lbn = pos >> sb.bshift;
            int boff = (int) (pos & (sb.bsize - 1));
            int n = Math.min(sb.bsize - boff, src.remaining());
            byte[] b = blockForUpdate(ip, lbn);
            src.get(b, boff, n);
            pos += n;
        }
        DinodeImage d = ip.edit(sb.layout);
        if (end > ip.din.size) {
            d.setSize(end);
        }
        Timespec now = m.mount().host().now();
        d.setMtime(now.sec(), now.nsec());
        d.setCtime(now.sec(), now.nsec());
        ip.changed();
        recount(ip);
        m.markDirty(ip);
        return len;
    }

    /** Sets the size of {@code ip}, freeing blocks past the new end or leaving a hole before it (lfs_truncate). */
    void truncate(LfsInode ip, long newSize) throws IOException {
        Superblock sb = fs.sb;
        long old = ip.din.size;
        if (newSize < 0 || (sb.maxfilesize > 0 && newSize > sb.maxfilesize)) {
            throw new VfsException(Errno.EFBIG, "inode " + ip.ino + ": size " + newSize + " is beyond the limit "
                    + sb.maxfilesize);
        }
        if (newSize > 0) {
            FileBlocks.checkWritable(sb, ip.ino, (newSize - 1) >> sb.bshift);
        }
        DinodeImage d = ip.edit(sb.layout);
        if (newSize >= old) {
            expandTail(ip, newSize);
            d.setSize(newSize);
            ip.changed();
            recount(ip);
            m.markDirty(ip);
            return;
        }
        if (ip.din.ib[1] > 0 || ip.din.ib[2] > 0) {
            if (newSize > FileBlocks.writableLimit(sb) * sb.bsize) {
                throw new VfsException(Errno.EFBIG, "inode " + ip.ino + ": shrinking a file to " + newSize
                        + " bytes, inside its double indirect blocks, is not supported by this LFS driver");
            }
            // Everything behind the double and triple indirect blocks goes.
            for (int level = 1; level < Dinode.NIADDR; level++) {
                if (ip.din.ib[level] > 0) {
                    releaseTree(ip, ip.din.ib[level], level + 1);
                    d.setIb(level, 0);
                    ip.changed();
                }
            }
        }
        long keep = newSize == 0 ? -1 : (newSize - 1) >> sb.bshift;
        if (keep >= 0 && (newSize & (sb.bsize - 1)) != 0) {
            // The new last block shrinks: rewrite it with zeros after the new end.
            byte[] b = blockForUpdate(ip, keep);
            java.util.Arrays.fill(b, (int) (newSize & (sb.bsize - 1)), b.length, (byte) 0);
        }
        synchronized (ip) {
            ip.dirtyBlocks.tailMap(keep, false).clear();
        }
        FileBlocks fb = new FileBlocks(fs, ip);
        long last = Math.min(FileBlocks.writableLimit(sb), (old + sb.bsize - 1) >> sb.bshift);
        for (long lbn = keep + 1; lbn < last; lbn++) {
            if (lbn >= Dinode.NDADDR && ip.din.ib[0] <= 0 && ip.indirect == null) {
                break;
            }
            long a = fb.pointer(lbn);
            if (a > 0) {
                m.writer.releaseBlock(a, fb.oldSize(lbn), ip.ino, lbn);
                fb.setPointer(lbn, 0);
            }
        }
        fb.dropEmptyIndirect(m.writer);
        d.setSize(newSize);
        ip.changed();
        recount(ip);
        m.markDirty(ip);
    }

    /** Releases indirect block {@code daddr}, {@code levels} levels above the data, and all it points at. */
    private void releaseTree(LfsInode ip, long daddr, int levels) throws IOException {
        Superblock sb = fs.sb;
        fs.bmap.checkAddress(ip.ino, -1, daddr, sb.bsize, "indirect block");
        ByteBuffer b = fs.disk.read(sb.byteOffset(daddr), sb.bsize, "inode " + ip.ino + ": indirect block at fragment " + daddr);
        for (int i = 0; i < sb.nindir; i++) {
            long a = sb.layout.daddr(b, i * sb.layout.daddrSize());
            if (a <= 0) {
                continue;
            }
            if (levels > 1) {
                releaseTree(ip, a, levels - 1);
            } else {
                m.writer.releaseBlock(a, sb.bsize, ip.ino, -1);
            }
        }
        m.writer.releaseBlock(daddr, sb.bsize, ip.ino, -1);
    }

    /**
     * ENOSPC unless the clean segments can take what is pending plus {@code more} bytes, with
     * room for summaries, inode blocks, the whole IFILE and a segment's worth of waste at
     * segment ends. A flush that ran out of segments halfway would leave the log with nowhere to
     * go, so the change is refused up front and every flush stays whole. The cleaner runs before
     * each change when space is short ({@link SegmentCleaner#beforeChange}); this is what is left
     * when live data really does not fit.
     */
    void reserve(long more) throws IOException {
        if (!hasRoomFor(more)) {
            throw new VfsException(Errno.ENOSPC, "LFS on " + fs.disk.device().name() + ": "
                    + fs.cleanerInfo().clean() + " clean segments left, not room for " + (m.dirtyBytes + more)
                    + " more bytes of data and the checkpoint after it, and cleaning frees no more");
        }
    }

    /** Whether {@link #reserve} would accept {@code more} bytes now. */
    boolean hasRoomFor(long more) throws IOException {
        Superblock sb = fs.sb;
        long clean = fs.cleanerInfo().clean();
        long reserved = sb.minfreeseg - sb.minfreeseg / 2;
        if (m.freeing) {
            reserved /= 2;
        }
        long room = (clean - reserved) * sb.ssize
                + (m.writer.curseg + sb.fsbpseg - m.writer.offset) * sb.fsize;
        long ifile = (long) fs.ifileBlockCount() * sb.bsize;
        long need = (m.dirtyBytes + more) * 5 / 4 + ifile + 2 * sb.ssize;
        return need <= room;
    }

    /** Keeps di_blocks current in core, so stat and the directory size check see the blocks a flush will write. */
    void recount(LfsInode ip) throws IOException {
        ip.edit(fs.sb.layout).setBlocks(new FileBlocks(fs, ip).countFragments());
        ip.changed();
    }
}
