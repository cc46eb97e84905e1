package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * Changes a file's length (NetBSD's ffs_truncate and ffs_indirtrunc). Shrinking frees every
 * block past the new end, whole indirect trees and the tails of partly kept ones, shrinks a
 * direct last block to the fragments it still needs, and zeroes the kept bytes past the new end
 * so a later extension reads zeros. The inode with its cleared pointers is written before the
 * blocks return to the free maps, so a crash between the two leaks blocks (which fsck reclaims)
 * but never leaves a block both free and in use. Growing leaves a hole, except that a fragment
 * tail is grown or promoted, since only the last block may be a fragment run.
 */
final class Truncator {
    private final FfsIo io;
    private final Superblock sb;
    private final BlockAllocator blocks;
    private final BlockMapWriter bmap;
    private final FfsFileSystem fs;

    Truncator(FfsIo io, Superblock sb, BlockAllocator blocks, BlockMapWriter bmap, FfsFileSystem fs) {
        this.io = io;
        this.sb = sb;
        this.blocks = blocks;
        this.bmap = bmap;
        this.fs = fs;
    }

    private record Free(long addr, int frags) {
    }

    void truncate(Inode ip, long length, Credentials cred) throws VfsException {
        Dinode d = ip.din;
        if (length < 0) {
            throw new VfsException(Errno.EINVAL, ip + ": negative length " + length);
        }
        if (length > sb.maxfilesize && sb.maxfilesize > 0 || length > sb.addressableBytes()) {
            throw new VfsException(Errno.EFBIG, ip + ": length " + length + " exceeds the file system's limit of "
                    + Math.min(sb.maxfilesize > 0 ? sb.maxfilesize : Long.MAX_VALUE, sb.addressableBytes()) + " bytes");
        }
        if (length == d.size) {
            return;
        }
        if (length > d.size) {
            grow(ip, length, cred);
            return;
        }
        shrink(ip, length);
    }

    private void grow(Inode ip, long length, Credentials cred) throws VfsException {
        Dinode d = ip.din;
        long oldLast = d.size == 0 ? -1 : (d.size - 1) >> sb.bshift;
        long newLast = (length - 1) >> sb.bshift;
        if (oldLast >= 0 && oldLast < Dinode.NDADDR && d.db[(int) oldLast] != 0) {
            int osize = sb.blksize(d.size, oldLast);
            int nsize = newLast > oldLast ? sb.bsize : (int) sb.fragroundup(length - (oldLast << sb.bshift));
            if (nsize > osize) {
                long na = bmap.realloc(ip, oldLast, d.db[(int) oldLast], osize, nsize, cred);
                d.db[(int) oldLast] = na;
                d.blocks += (nsize - osize) / 512;
            }
        }
        d.size = length;
        fs.writeInode(ip, false);
    }

    private void shrink(Inode ip, long length) throws VfsException {
        Dinode d = ip.din;
        long oldSize = d.size;
        long lastKeep = length == 0 ? -1 : (length - 1) >> sb.bshift;
        List<Free> frees = new ArrayList<>();
        // Direct blocks past the end.
        for (int i = 0; i < Dinode.NDADDR; i++) {
            if (i > lastKeep && d.db[i] != 0) {
                frees.add(new Free(d.db[i], sb.blksize(oldSize, i) >> sb.fshift));
                d.db[i] = 0;
            }
        }
        // Indirect trees.
        long first = Dinode.NDADDR;
        long span = 1;
        for (int level = 0; level < Dinode.NIADDR; level++) {
            span *= sb.nindir;
            long addr = d.ib[level];
            if (addr != 0) {
                if (lastKeep < first) {
                    freeTree(ip, addr, level, frees);
                    d.ib[level] = 0;
                } else if (lastKeep < first + span - 1) {
                    trimTree(ip, addr, level, first, lastKeep, frees);
                }
            }
            first += span;
        }
        // The new last block: a direct one shrinks to the fragments it needs; its tail is zeroed.
        if (lastKeep >= 0 && (length & (sb.bsize - 1)) != 0) {
            int keep = (int) (length & (sb.bsize - 1));
            long addr;
            int allocated;
            if (lastKeep < Dinode.NDADDR) {
                addr = d.db[(int) lastKeep];
                allocated = sb.blksize(oldSize, lastKeep);
                int nsize = (int) sb.fragroundup(keep);
                if (addr != 0 && nsize < allocated) {
                    frees.add(new Free(addr + (nsize >> sb.fshift), (allocated - nsize) >> sb.fshift));
                    allocated = nsize;
                }
            } else {
                addr = new BlockMap(io, sb, ip).fragAddr(lastKeep);
                allocated = sb.bsize;
            }
            if (addr != 0) {
                io.zero(addr, keep, allocated - keep, ip + " tail of block " + lastKeep);
            }
        }
        long freed = 0;
        for (Free f : frees) {
            freed += (long) f.frags() << sb.fshift;
        }
        d.blocks -= freed / 512;
        if (d.blocks < 0) {
            throw new VfsException(Errno.EIO, ip + ": di_blocks would become " + d.blocks + " after truncation to "
                    + length);
        }
        d.size = length;
        fs.writeInode(ip, true);
        for (Free f : frees) {
            blocks.free(f.addr(), f.frags());
        }
    }

    private ByteBuffer readIndirect(Inode ip, long addr) throws VfsException {
        return io.readFrags(addr, sb.bsize, ip + " indirect block at fragment " + addr);
    }

    private long ptr(Inode ip, ByteBuffer b, int slot, long addr) throws VfsException {
        long v = sb.ufs2 ? b.getLong(slot * 8) : b.getInt(slot * 4);
        if (v < 0 || v >= sb.totalFrags()) {
            throw new VfsException(Errno.EIO, ip + ": indirect block at fragment " + addr + " slot " + slot
                    + " holds fragment " + v + ", outside the file system");
        }
        return v;
    }

    /** Collects every block under indirect block {@code addr} of {@code level} (0: points at data), and itself. */
    private void freeTree(Inode ip, long addr, int level, List<Free> frees) throws VfsException {
        ByteBuffer b = readIndirect(ip, addr);
        for (int s = 0; s < sb.nindir; s++) {
            long p = ptr(ip, b, s, addr);
            if (p == 0) {
                continue;
            }
            if (level == 0) {
                frees.add(new Free(p, sb.frag));
            } else {
                freeTree(ip, p, level - 1, frees);
            }
        }
        frees.add(new Free(addr, sb.frag));
    }

    /** Frees what lies past {@code lastKeep} under the indirect block at {@code addr} covering from {@code first}. */
    private void trimTree(Inode ip, long addr, int level, long first, long lastKeep, List<Free> frees)
            throws VfsException {
        ByteBuffer b = readIndirect(ip, addr);
        long per = 1;
        for (int i = 0; i < level; i++) {
            per *= sb.nindir;
        }
        byte[] out = b.array().clone();
        ByteBuffer w = ByteBuffer.wrap(out).order(sb.order);
        boolean changed = false;
        for (int s = 0; s < sb.nindir; s++) {
            long childFirst = first + s * per;
            long p = ptr(ip, b, s, addr);
            if (p == 0) {
                continue;
            }
            if (childFirst > lastKeep) {
                if (level == 0) {
                    frees.add(new Free(p, sb.frag));
                } else {
                    freeTree(ip, p, level - 1, frees);
                }
                if (sb.ufs2) {
                    w.putLong(s * 8, 0);
                } else {
                    w.putInt(s * 4, 0);
                }
                changed = true;
            } else if (level > 0 && childFirst + per - 1 > lastKeep) {
                trimTree(ip, p, level - 1, childFirst, lastKeep, frees);
            }
        }
        if (changed) {
            // Cleared pointers reach the disk before the blocks they named are reused.
            io.writeFrags(addr, out, 0, sb.bsize, true, ip + " indirect block at fragment " + addr);
        }
    }
}
