package org.rumpmount.fs.ffs;

import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * Gives a logical block of a file its storage (NetBSD's ffs_balloc): direct blocks, with the
 * last one a run of fragments that grows in place or moves (ffs_realloccg), and single, double
 * and triple indirect blocks made as needed. Everything newly allocated reads as zeros, so a
 * partial write or a hole filled later never exposes old data. A failed request frees whatever
 * it had allocated before failing, so ENOSPC leaks nothing.
 */
final class BlockMapWriter {
    private final FfsIo io;
    private final Superblock sb;
    private final BlockAllocator blocks;

    BlockMapWriter(FfsIo io, Superblock sb, BlockAllocator blocks) {
        this.io = io;
        this.sb = sb;
        this.blocks = blocks;
    }

    private int width() {
        return sb.ufs2 ? 8 : 4;
    }

    /**
     * The fragment address of logical block {@code lbn}, allocating it (and any indirect block
     * on the way) if needed. For a direct block that is or becomes the last block of the file,
     * {@code nsize} is the fragment-rounded size it must have; otherwise it is fs_bsize. A
     * fragment tail before {@code lbn} is first promoted to a full block, as ffs_balloc does.
     */
    long balloc(FfsFileSystem fs, Inode ip, long lbn, int nsize, Credentials cred) throws VfsException {
        return balloc(fs, ip, lbn, nsize, cred, false);
    }

    /**
     * As {@link #balloc(FfsFileSystem, Inode, long, int, Credentials)}; with {@code overwrite} a
     * newly allocated whole data block is not zeroed first, because the caller writes every byte
     * of it next (and zeroes it itself if that write fails). Indirect blocks are zeroed always.
     */
    long balloc(FfsFileSystem fs, Inode ip, long lbn, int nsize, Credentials cred, boolean overwrite)
            throws VfsException {
        Dinode d = ip.din;
        long lastlbn = d.size >> sb.bshift;
        if (lastlbn < Dinode.NDADDR && lastlbn < lbn) {
            int osize = sb.blksize(d.size, lastlbn);
            if (osize > 0 && osize < sb.bsize && d.db[(int) lastlbn] != 0) {
                long na = realloc(ip, lastlbn, d.db[(int) lastlbn], osize, sb.bsize, cred);
                d.db[(int) lastlbn] = na;
                d.blocks += (sb.bsize - osize) / 512;
                d.size = (lastlbn + 1) << sb.bshift;
                fs.writeInode(ip, false);
                lastlbn = lastlbn + 1;
            }
        }
        if (lbn < Dinode.NDADDR) {
            int i = (int) lbn;
            long nb = d.db[i];
            if (nb != 0) {
                if (lbn < lastlbn) {
                    return nb;
                }
                int osize = (int) sb.fragroundup(d.size & (sb.bsize - 1));
                if (osize == 0) {
                    throw new VfsException(Errno.EIO, ip + ": direct block " + lbn + " at fragment " + nb
                            + " lies wholly past di_size " + d.size);
                }
                if (nsize <= osize) {
                    return nb;
                }
                long na = realloc(ip, lbn, nb, osize, nsize, cred);
                d.db[i] = na;
                d.blocks += (nsize - osize) / 512;
                fs.writeInode(ip, false);
                return na;
            }
            int size = lbn < lastlbn ? sb.bsize : nsize;
            long pref = blocks.blkpref(ip.number, i > 0 ? d.db[i - 1] : 0);
            long na = blocks.alloc(pref, size >> sb.fshift, cred, ip + " block " + lbn);
            if (size < sb.bsize && blocks.restOfBlockFree(na, size >> sb.fshift)) {
                io.zeroInFreeBlock(na, size, ip + " new block " + lbn);
            } else if (!overwrite || size != sb.bsize) {
                io.zero(na, 0, size, ip + " new block " + lbn);
            }
            d.db[i] = na;
            d.blocks += size / 512;
            fs.writeInode(ip, false);
            return na;
        }
        return ballocIndirect(fs, ip, lbn, cred, overwrite);
    }

    private long ballocIndirect(FfsFileSystem fs, Inode ip, long lbn, Credentials cred, boolean overwrite)
            throws VfsException {
        long rest = lbn - Dinode.NDADDR;
        long span = 1;
        int level = -1;
        for (int k = 0; k < Dinode.NIADDR; k++) {
            span *= sb.nindir;
            if (rest < span) {
                level = k;
                break;
            }
            rest -= span;
        }
        if (level < 0) {
            throw new VfsException(Errno.EFBIG, ip + ": logical block " + lbn + " is beyond the triple indirect block");
        }
        // slots[j] is the index used in chain[j]; chain[level + 1] is the data block.
        int[] slots = new int[level + 1];
        long per = span;
        for (int j = 0; j <= level; j++) {
            per /= sb.nindir;
            slots[j] = (int) ((rest / per) % sb.nindir);
        }
        long[] chain = new long[level + 2];
        chain[0] = ip.din.ib[level];
        int z = 0;
        while (z <= level + 1 && chain[z] != 0) {
            if (z == level + 1) {
                return chain[z];
            }
            chain[z + 1] = readPtr(ip, chain[z], slots[z], lbn);
            z++;
        }
        // Allocate every missing level first; only then link, so a failure leaves the map as it was.
        int made = 0;
        try {
            for (int j = z; j <= level + 1; j++) {
                long prev = j == 0 ? 0 : (slots[j - 1] > 0 && j - 1 < z ? readPtr(ip, chain[j - 1], slots[j - 1] - 1, lbn) : chain[j - 1]);
                chain[j] = blocks.alloc(blocks.blkpref(ip.number, prev), sb.frag, cred,
                        ip + (j == level + 1 ? " block " + lbn : " indirect block for block " + lbn));
                made++;
            }
        } catch (VfsException e) {
            for (int j = z; j < z + made; j++) {
                blocks.free(chain[j], sb.frag);
            }
            throw e;
        }
        // A new indirect block reaches the disk as zeros before anything points at it.
        for (int j = z; j <= level; j++) {
            io.writeFrags(chain[j], new byte[sb.bsize], 0, sb.bsize, true, ip + " new indirect block");
        }
        if (!overwrite) {
            io.zero(chain[level + 1], 0, sb.bsize, ip + " new block " + lbn);
        }
        for (int j = level + 1; j >= Math.max(z, 1); j--) {
            writePtr(ip, chain[j - 1], slots[j - 1], chain[j]);
        }
        if (z == 0) {
            ip.din.ib[level] = chain[0];
        }
        ip.din.blocks += (long) made * (sb.bsize / 512);
        fs.writeInode(ip, false);
        return chain[level + 1];
    }

    long readPtr(Inode ip, long indirect, int slot, long lbn) throws VfsException {
        int byteOff = slot * width();
        int frag = byteOff >> sb.fshift;
        java.nio.ByteBuffer b = io.readFrags(indirect + frag, sb.fsize, ip + " indirect block for block " + lbn);
        int at = byteOff - (frag << sb.fshift);
        long v = sb.ufs2 ? b.getLong(at) : b.getInt(at);
        if (v < 0 || v >= sb.totalFrags()) {
            throw new VfsException(Errno.EIO, ip + ": indirect block at fragment " + indirect + " slot " + slot
                    + " holds fragment " + v + ", outside the file system of " + sb.totalFrags() + " fragments");
        }
        return v;
    }

    void writePtr(Inode ip, long indirect, int slot, long value) throws VfsException {
        int byteOff = slot * width();
        int frag = byteOff >> sb.fshift;
        int at = byteOff - (frag << sb.fshift);
        io.modify(indirect + frag, at + width(), false, false, ip + " indirect block", (b, o) -> {
            if (sb.ufs2) {
                b.putLong(o + at, value);
            } else {
                b.putInt(o + at, (int) value);
            }
        });
    }

    /**
     * ffs_realloccg: grows the fragment run of {@code osize} bytes at {@code addr} to
     * {@code nsize}, in place if the following fragments are free, else by moving it to a new run
     * (the old one is freed after the copy). The new bytes read as zeros.
     */
    long realloc(Inode ip, long lbn, long addr, int osize, int nsize, Credentials cred) throws VfsException {
        if (blocks.extendInPlace(addr, osize >> sb.fshift, nsize >> sb.fshift, cred)) {
            io.zero(addr, osize, nsize - osize, ip + " extended block " + lbn);
            return addr;
        }
        long na = blocks.alloc(blocks.blkpref(ip.number, addr - sb.frag), nsize >> sb.fshift, cred,
                ip + " block " + lbn);
        byte[] data = new byte[nsize];
        io.readFrags(addr, osize, ip + " block " + lbn).get(0, data, 0, osize);
        io.writeFrags(na, data, 0, nsize, false, ip + " moved block " + lbn);
        blocks.free(addr, osize >> sb.fshift);
        return na;
    }
}
