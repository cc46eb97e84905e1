package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import java.util.List;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.VfsException;

/**
 * Walks a directory's records in order, one block at a time, validating each chunk. A
 * directory has no holes in FFS, so a hole is reported as corruption rather than read as
 * zeros (which would also let a corrupt size drive a scan over nothing).
 */
final class DirectoryReader {
    /** Receives the records in use (d_ino != 0); returns false to stop. */
    @FunctionalInterface
    interface Visitor {
        boolean visit(DirectoryBlock.Entry e) throws VfsException;
    }

    private final FfsIo io;
    private final Superblock sb;
    final DirHashMemory hashMemory;

    DirectoryReader(FfsIo io, Superblock sb, DirHashMemory hashMemory) {
        this.io = io;
        this.sb = sb;
        this.hashMemory = hashMemory;
    }

    /**
     * Visits the records in use from the chunk holding byte {@code from} onwards, skipping records
     * that start before {@code from}.
     */
    void scan(Inode dir, long from, Visitor v) throws VfsException {
        long size = dir.size();
        BlockMap map = new BlockMap(io, sb, dir);
        long pos = from & ~(long) (DirectoryBlock.DIRBLKSIZ - 1);
        while (pos < size) {
            long lbn = pos >> sb.bshift;
            int blk = sb.blksize(size, lbn);
            long addr = map.fragAddr(lbn);
            if (addr == 0) {
                throw new VfsException(Errno.EIO, "directory inode " + dir.number + " has a hole at logical block "
                        + lbn + " (offset " + (lbn << sb.bshift) + ")");
            }
            ByteBuffer b = io.readFrags(addr, blk, "directory inode " + dir.number + " logical block " + lbn);
            long blockStart = lbn << sb.bshift;
            int blockEnd = (int) Math.min(blk, size - blockStart);
            for (int off = (int) (pos - blockStart); off + DirectoryBlock.DIRBLKSIZ <= blockEnd;
                    off += DirectoryBlock.DIRBLKSIZ) {
                for (DirectoryBlock.Entry e : DirectoryBlock.decode(b, off, sb.oldFormat(), dir.number,
                        blockStart + off, sb.inodeCount())) {
                    if (e.ino() != 0 && e.offset() >= from && !v.visit(e)) {
                        return;
                    }
                }
            }
            pos = blockStart + blk;
        }
    }

    /** The index of {@code dir}: every name with its chunk, and every chunk's free space. */
    private DirHash build(Inode dir) throws VfsException {
        DirHash h = new DirHash();
        long size = dir.size();
        BlockMap map = new BlockMap(io, sb, dir);
        for (long blockStart = 0; blockStart < size; blockStart += sb.bsize) {
            long lbn = blockStart >> sb.bshift;
            int blk = sb.blksize(size, lbn);
            long addr = map.fragAddr(lbn);
            if (addr == 0) {
                throw new VfsException(Errno.EIO, "directory inode " + dir.number + " has a hole at logical block "
                        + lbn + " (offset " + blockStart + ")");
            }
            ByteBuffer b = io.readFrags(addr, blk, "directory inode " + dir.number + " logical block " + lbn);
            int blockEnd = (int) Math.min(blk, size - blockStart);
            for (int off = 0; off + DirectoryBlock.DIRBLKSIZ <= blockEnd; off += DirectoryBlock.DIRBLKSIZ) {
                int chunk = (int) ((blockStart + off) / DirectoryBlock.DIRBLKSIZ);
                List<DirectoryBlock.Entry> es = DirectoryBlock.decode(b, off, sb.oldFormat(), dir.number,
                        blockStart + off, sb.inodeCount());
                for (DirectoryBlock.Entry e : es) {
                    if (e.ino() != 0) {
                        h.put(Name.ofTrusted(e.name()), e.ino(), chunk);
                    }
                }
                h.chunkChanged(chunk, es);
            }
        }
        return h;
    }

    /** The inode number of {@code name} in {@code dir}, or -1; uses and builds the dirhash. */
    long lookup(Inode dir, Name name) throws VfsException {
        DirHash h = dir.dirhash();
        if (h == null && dir.size() >= DirHash.MIN_DIR_SIZE && hashMemory.fits(dir.size())) {
            h = build(dir);
            dir.setDirhash(h);
        }
        if (h != null) {
            hashMemory.used(dir);
            return h.lookup(name);
        }
        long[] found = {-1};
        byte[] want = name.bytes();
        scan(dir, 0, e -> {
            if (java.util.Arrays.equals(e.name(), want)) {
                found[0] = e.ino();
                return false;
            }
            return true;
        });
        return found[0];
    }
}
