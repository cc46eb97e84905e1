package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * One file's block pointers while its blocks are being given new addresses: the direct pointers
 * in the dinode and the single indirect block, kept in core ({@link LfsInode#indirect}) from
 * the first change until the file is written. The indirect block is written at logical block
 * -{@link Dinode#NDADDR}, as ulfs_getlbns numbers it; blocks behind the double and triple
 * indirect blocks are not written by this driver yet (EFBIG).
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

    /** The first logical block past the single indirect block's reach. */
    static long writableLimit(Superblock sb) {
        return Dinode.NDADDR + sb.nindir;
    }

    /** EFBIG unless logical block {@code lbn} can be written by this driver. */
    static void checkWritable(Superblock sb, long ino, long lbn) throws VfsException {
        if (lbn >= writableLimit(sb)) {
            throw new VfsException(Errno.EFBIG, "inode " + ino + ": logical block " + lbn
                    + " lies behind a double indirect block, which this LFS driver does not write");
        }
    }

    /** The in-core single indirect block, read from the log on first use (zeros when there is none). */
    ByteBuffer indirect() throws IOException {
        if (ip.indirect == null) {
            byte[] b = new byte[sb.bsize];
            long a = ip.din.ib[0];
            if (a > 0) {
                fs.bmap.checkAddress(ip.ino, SINGLE_INDIRECT_LBN, a, sb.bsize, "indirect block");
                fs.disk.read(sb.byteOffset(a), sb.bsize, "inode " + ip.ino + ": indirect block at fragment " + a).get(b);
            }
            ip.indirect = b;
        }
        return ByteBuffer.wrap(ip.indirect).order(sb.layout.order());
    }

    long indirectAddress() {
        return ip.din.ib[0];
    }

    /** The current address of logical block {@code lbn} (data, or the single indirect block). */
    long pointer(long lbn) throws IOException {
        if (lbn == SINGLE_INDIRECT_LBN) {
            return ip.din.ib[0];
        }
        if (lbn < Dinode.NDADDR) {
            return ip.din.db[(int) lbn];
        }
        checkWritable(sb, ip.ino, lbn);
        return sb.layout.daddr(indirect(), (int) (lbn - Dinode.NDADDR) * sb.layout.daddrSize());
    }

    /** Points logical block {@code lbn} at {@code daddr} (0 for a hole). */
    void setPointer(long lbn, long daddr) throws IOException {
        DinodeImage d = ip.edit(sb.layout);
        if (lbn == SINGLE_INDIRECT_LBN) {
            d.setIb(0, daddr);
        } else if (lbn < Dinode.NDADDR) {
            d.setDb((int) lbn, daddr);
        } else {
            checkWritable(sb, ip.ino, lbn);
            ByteBuffer ind = indirect();
            int off = (int) (lbn - Dinode.NDADDR) * sb.layout.daddrSize();
            if (sb.layout.is64()) {
                ind.putLong(off, daddr);
            } else {
                ind.putInt(off, (int) daddr);
            }
            ip.indirectDirty = true;
        }
        ip.changed();
    }

    /** The size the block at logical block {@code lbn} had when the inode was last written. */
    long oldSize(long lbn) {
        if (lbn < 0 || ip.ino == LfsFileSystem.IFILE_INUM) {
            return sb.bsize;
        }
        return fs.blockSize(ip.diskSize, lbn);
    }

    /**
     * The blocks to write, in the order a FINFO lists them: data blocks by logical block number,
     * each cut to its size under the current file size, then the single indirect block if it
     * changed and still points at anything (its contents are the in-core copy itself, so the
     * addresses given to the data blocks before it are in it when it is encoded).
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
            if (lbn >= Dinode.NDADDR) {
                ip.indirectDirty = true;
            }
        }
        if (ip.indirectDirty) {
            indirect();
            if (out.keySet().stream().anyMatch(lbn -> lbn >= Dinode.NDADDR) || !allZero(ip.indirect)) {
                out.put(SINGLE_INDIRECT_LBN, ip.indirect);
            }
        }
        return out;
    }

    /**
     * After the blocks were placed: frees an indirect block that points at nothing any more,
     * counts the fragments held (di_blocks) and forgets the dirty blocks.
     */
    void finish(SegmentWriter w) throws IOException {
        if (ip.indirectDirty && allZero(ip.indirect) && ip.din.ib[0] > 0) {
            w.releaseBlock(ip.din.ib[0], sb.bsize, ip.ino, SINGLE_INDIRECT_LBN);
            setPointer(SINGLE_INDIRECT_LBN, 0);
        }
        ip.dirtyBlocks.clear();
        ip.indirectDirty = false;
        ip.edit(sb.layout).setBlocks(countFragments());
        ip.changed();
    }

    /**
     * di_blocks from the pointers and the dirty blocks: each block's fragments at the current
     * size, plus the single indirect block when anything lies behind it.
     */
    long countFragments() throws IOException {
        Dinode d = ip.din;
        boolean ifile = ip.ino == LfsFileSystem.IFILE_INUM;
        if (!hasBlocks(sb, ip)) {
            return 0;
        }
        if (d.ib[1] > 0 || d.ib[2] > 0) {
            // Blocks behind double indirect blocks are never written here, and the ones before
            // them are all whole blocks already, so the count read from the log stays right.
            return d.blocks;
        }
        long n = 0;
        for (int i = 0; i < Dinode.NDADDR; i++) {
            if (d.db[i] > 0 || ip.dirtyBlocks.containsKey((long) i)) {
                long bs = ifile ? sb.bsize : fs.blockSize(d.size, i);
                n += bs > 0 ? sb.btofsb(bs) : 0;
            }
        }
        boolean behind = !ip.dirtyBlocks.tailMap((long) Dinode.NDADDR, true).isEmpty();
        if (d.ib[0] > 0 || behind) {
            ByteBuffer ind = indirect();
            long held = 0;
            for (int i = 0; i < sb.nindir; i++) {
                if (sb.layout.daddr(ind, i * sb.layout.daddrSize()) > 0
                        || ip.dirtyBlocks.containsKey((long) Dinode.NDADDR + i)) {
                    held++;
                }
            }
            if (held > 0) {
                n += (held + 1) * sb.frag;
            }
        }
        return n;
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

    /** Frees the single indirect block at once when it points at nothing any more (truncation). */
    void dropEmptyIndirect(SegmentWriter w) throws IOException {
        if (ip.indirect != null && allZero(ip.indirect) && ip.din.ib[0] > 0) {
            w.releaseBlock(ip.din.ib[0], sb.bsize, ip.ino, SINGLE_INDIRECT_LBN);
            ip.edit(sb.layout).setIb(0, 0);
            ip.indirect = null;
            ip.indirectDirty = false;
            ip.changed();
        }
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
