package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * One LFS as read from a device: the chosen checkpoint's superblock, the IFILE, and the reads
 * every vnode operation shares (inodes by number, file data by offset). Read-only.
 */
final class LfsFileSystem {
    /** The IFILE's inode number (LFS_IFILE_INUM). */
    static final long IFILE_INUM = 1;
    static final long ROOT_INUM = 2;
    /** Longest symbolic link target read (MAXPATHLEN). */
    static final int MAXPATHLEN = 1024;

    /** The checkpoint mounted, replaced by each one written. Geometry never changes. */
    volatile Superblock sb;
    final LfsDisk disk;
    final BlockMap bmap;
    volatile LfsInode ifile;
    /** Inode numbers the IFILE has entries for. */
    volatile long maxInodes;
    /**
     * On a writable mount, the whole IFILE in memory by logical block, and the blocks changed
     * since the last time it was written; null when read-only. The IFILE is small (entries of
     * 20 or 32 bytes) and is rewritten at every checkpoint, so keeping it in core is how NetBSD
     * treats it too (its buffers are never evicted while dirty).
     */
    private byte[][] ifileBlocks;
    final java.util.TreeSet<Long> ifileDirty = new java.util.TreeSet<>();

    private LfsFileSystem(Superblock sb, LfsDisk disk) throws IOException {
        this.sb = sb;
        this.disk = disk;
        this.bmap = new BlockMap(sb, disk);
        Dinode din = readDinode(IFILE_INUM, sb.idaddr);
        if (VType.ofMode(din.mode) != VType.VREG) {
            throw new VfsException(Errno.EFTYPE, "the IFILE (inode 1 at fragment " + sb.idaddr
                    + ") is not a regular file: mode 0" + Integer.toOctalString(din.mode));
        }
        long minSize = (long) (sb.cleansz + sb.segtabsz) * sb.bsize;
        if (din.size < minSize || din.size % sb.bsize != 0 || din.size > sb.size * sb.fsize) {
            throw new VfsException(Errno.EFTYPE, "the IFILE's size " + din.size + " is not whole blocks of "
                    + sb.bsize + " holding at least the cleaner info and segment table (" + minSize + " bytes)");
        }
        this.ifile = new LfsInode(IFILE_INUM, din, VType.VREG, Timespec.EPOCH);
        this.maxInodes = sb.ifileInodeCapacity(din.size);
    }

    /**
     * Reads and checks the superblocks of {@code dev} and picks the checkpoint to use, as
     * lfs_mountfs does: the primary at LFS_LABELPAD (or where its sboffs[0] says), the copy at
     * sboffs[1], and of the two the one with the lower serial number, the last checkpoint known to
     * be complete. A copy that fails its checks is passed over.
     */
    static LfsFileSystem open(BlockDevice dev) throws IOException {
        return open(dev, null);
    }

    /** As {@link #open(BlockDevice)}, reading through {@code cache} after the superblocks (when not null). */
    static LfsFileSystem open(BlockDevice dev, BufferCache cache) throws IOException {
        Superblock primary = readSuperblock(dev, Superblock.LABELPAD);
        if (primary == null) {
            throw new VfsException(Errno.EFTYPE, dev.name() + ": no LFS superblock at byte " + Superblock.LABELPAD);
        }
        primary.validate(dev.size());
        long real = primary.byteOffset(primary.sboffs[0]);
        if (real != Superblock.LABELPAD) {
            // With fragments larger than the label pad the primary sits at the first whole fragment.
            Superblock moved = real > 0 && real <= dev.size() - Superblock.DISK_SIZE ? readSuperblock(dev, real) : null;
            if (moved == null) {
                throw new VfsException(Errno.EFTYPE, dev.name() + ": superblock at byte " + Superblock.LABELPAD
                        + " says the primary is at byte " + real + ", where there is none");
            }
            primary = moved.validate(dev.size());
        }
        Superblock chosen = primary;
        Superblock alt = alternate(dev, primary);
        if (alt != null && alt.serial < primary.serial) {
            chosen = alt;
        }
        LfsDisk disk = new LfsDisk(dev, chosen.layout, cache, chosen.bsize);
        return new LfsFileSystem(chosen, disk);
    }

    private static Superblock alternate(BlockDevice dev, Superblock primary) throws IOException {
        long a = primary.sboffs[1];
        // As lfs_mountfs: the copy must lie beyond the label pad and the primary.
        if (a <= 0 || a - Superblock.LABELPAD / primary.fsize <= Superblock.SBPAD / primary.fsize) {
            return null;
        }
        long at = primary.byteOffset(a);
        if (at > dev.size() - Superblock.DISK_SIZE) {
            return null;
        }
        Superblock alt = readSuperblock(dev, at);
        if (alt == null || alt.layout != primary.layout) {
            return null;
        }
        try {
            return alt.validate(dev.size());
        } catch (VfsException e) {
            return null;
        }
    }

    /** The raw first {@link Superblock#DISK_SIZE} bytes at byte {@code at}. */
    static ByteBuffer rawSuperblock(BlockDevice dev, long at) throws IOException {
        return new LfsDisk(dev, null).read(at, Superblock.DISK_SIZE, "LFS superblock");
    }

    /** The superblock at byte {@code at}, or null when no LFS magic is there. */
    static Superblock readSuperblock(BlockDevice dev, long at) throws IOException {
        if (dev.size() < at + Superblock.DISK_SIZE) {
            return null;
        }
        ByteBuffer raw = new LfsDisk(dev, null).read(at, Superblock.DISK_SIZE, "LFS superblock");
        return Superblock.decode(raw, at);
    }

    // ---- the IFILE -----------------------------------------------------------------------------

    /** Inode {@code ino}'s IFILE entry. ENOENT when the IFILE has none. */
    IfileEntry ifileEntry(long ino) throws IOException {
        if (ino < 0 || ino >= maxInodes) {
            throw new VfsException(Errno.ENOENT, "inode " + ino + " is beyond the IFILE (" + maxInodes + " entries)");
        }
        long lbn = sb.cleansz + sb.segtabsz + ino / sb.ifpb;
        ByteBuffer b = ifileBlock(lbn, "entry of inode ", ino);
        return IfileEntry.decode(sb.layout, b, (int) (ino % sb.ifpb) * sb.layout.ifileEntrySize());
    }

    CleanerInfo cleanerInfo() throws IOException {
        return CleanerInfo.decode(sb.layout, ifileBlock(0, "cleaner info", -1), 0);
    }

    /** Segment {@code sn}'s usage entry. */
    SegUse segUse(long sn) throws IOException {
        if (sn < 0 || sn >= sb.nseg) {
            throw new VfsException(Errno.EINVAL, "segment " + sn + " of " + sb.nseg);
        }
        ByteBuffer b = ifileBlock(sb.cleansz + sn / sb.sepb, "usage of segment ", sn);
        return SegUse.decode(b, (int) (sn % sb.sepb) * sb.layout.segUseSize());
    }

    /** Reads the whole IFILE into memory, making the in-core copy the one all IFILE reads use. */
    void loadIfileForWriting() throws IOException {
        int n = (int) (ifile.din.size / sb.bsize);
        byte[][] blocks = new byte[n][];
        for (int i = 0; i < n; i++) {
            ByteBuffer b = ifileBlock(i, "loading the IFILE", -1);
            blocks[i] = new byte[sb.bsize];
            b.duplicate().position(0).get(blocks[i]);
        }
        ifileBlocks = blocks;
        CleanerInfo ci = cleanerInfo();
        freeHead = sb.freehd;
        freeTail = ci.freeTail();
        nfiles = sb.nfiles;
    }

    // ---- the inode free list and count, kept in core on a writable mount (lfs_valloc, lfs_vfree) ----

    private long freeHead;
    private long freeTail;
    private long nfiles;

    long freeHead() {
        return freeHead;
    }

    long freeTail() {
        return freeTail;
    }

    long allocatedInodes() {
        return nfiles;
    }

    void setFreeList(long head, long tail) {
        freeHead = head;
        freeTail = tail;
    }

    void countInodes(int delta) {
        nfiles += delta;
    }

    boolean isWritable() {
        return ifileBlocks != null;
    }

    /** The in-core IFILE block {@code lbn}, to change; marks it dirty. */
    ByteBuffer ifileBlockForUpdate(long lbn) {
        ifileDirty.add(lbn);
        return ByteBuffer.wrap(ifileBlocks[(int) lbn]).order(sb.layout.order());
    }

    /** The in-core IFILE block {@code lbn} as it is now, for writing it to the log. */
    byte[] ifileBlockBytes(long lbn) {
        return ifileBlocks[(int) lbn];
    }

    int ifileBlockCount() {
        return ifileBlocks.length;
    }

    /** Adds a zeroed block to the end of the in-core IFILE (it becomes dirty); returns its number. */
    long growIfile() {
        byte[][] more = java.util.Arrays.copyOf(ifileBlocks, ifileBlocks.length + 1);
        more[ifileBlocks.length] = new byte[sb.bsize];
        ifileBlocks = more;
        long lbn = ifileBlocks.length - 1;
        ifileDirty.add(lbn);
        return lbn;
    }

    /** The IFILE block holding inode {@code ino}'s entry, and the entry's offset in it. */
    long ifileEntryBlock(long ino) {
        return sb.cleansz + sb.segtabsz + ino / sb.ifpb;
    }

    void setIfileEntry(long ino, IfileEntry e) {
        ByteBuffer b = ifileBlockForUpdate(ifileEntryBlock(ino));
        e.encode(sb.layout, b, (int) (ino % sb.ifpb) * sb.layout.ifileEntrySize());
    }

    long segUseBlock(long sn) {
        return sb.cleansz + sn / sb.sepb;
    }

    /**
     * Writes segment {@code sn}'s usage entry as LFS_WRITESEGENTRY does: SEGUSE_EMPTY set when
     * the entry claims no bytes and cleared when it claims some, whatever the caller passed, so
     * that lfs_cleanerd (which leaves EMPTY segments to the kernel) and the kernel's automatic
     * marking clean of empty segments see what NetBSD's own writes leave.
     */
    void setSegUse(long sn, SegUse su) {
        ByteBuffer b = ifileBlockForUpdate(segUseBlock(sn));
        su.withEmptyFlag().encode(b, (int) (sn % sb.sepb) * sb.layout.segUseSize());
    }

    void setCleanerInfo(CleanerInfo ci) {
        ci.encode(sb.layout, ifileBlockForUpdate(0), 0);
    }

    /**
     * IFILE block {@code lbn}, for {@code what} followed by {@code n} when not negative ("usage of
     * segment " 7): the message is put together only on an error, since a checkpoint looks up
     * every segment's usage.
     */
    private ByteBuffer ifileBlock(long lbn, String what0, long n) throws IOException {
        byte[][] inCore = ifileBlocks;
        if (inCore != null && lbn >= 0 && lbn < inCore.length) {
            return ByteBuffer.wrap(inCore[(int) lbn]).order(sb.layout.order());
        }
        String what = n < 0 ? what0 : what0 + n;
        if (inCore != null) {
            throw new VfsException(Errno.EIO, "IFILE block " + lbn + " (" + what + ") is beyond its "
                    + inCore.length + " blocks");
        }
        long daddr = bmap.bmap(IFILE_INUM, ifile.din, lbn);
        if (daddr <= 0) {
            throw new VfsException(Errno.EIO, "IFILE block " + lbn + " (" + what + ") is a hole");
        }
        bmap.checkAddress(IFILE_INUM, lbn, daddr, sb.bsize, "block");
        return disk.read(sb.byteOffset(daddr), sb.bsize, "IFILE block " + lbn + " (" + what + ")");
    }

    // ---- inodes --------------------------------------------------------------------------------

    /** Loads inode {@code ino}: its IFILE entry, its dinode, its atime. ENOENT when free. */
    LfsInode loadInode(long ino) throws IOException {
        if (ino <= IFILE_INUM) {
            throw new VfsException(Errno.ENOENT, "inode " + ino + " is not a file of the name space");
        }
        IfileEntry e = ifileEntry(ino);
        if (!e.isAllocated()) {
            throw new VfsException(Errno.ENOENT, "inode " + ino + " is not allocated");
        }
        Dinode din = readDinode(ino, e.daddr());
        VType type = VType.ofMode(din.mode);
        if (type == VType.VBAD) {
            throw new VfsException(Errno.EIO, "inode " + ino + ": bad file type in mode 0" + Integer.toOctalString(din.mode));
        }
        if (din.size < 0 || (sb.maxfilesize > 0 && din.size > sb.maxfilesize)) {
            throw new VfsException(Errno.EIO, "inode " + ino + ": size " + din.size + " beyond the limit " + sb.maxfilesize);
        }
        if (din.nlink < 0) {
            throw new VfsException(Errno.EIO, "inode " + ino + ": negative link count " + din.nlink);
        }
        Dinode.time(din.mtimeSec, din.mtimeNsec, "mtime", ino);
        Dinode.time(din.ctimeSec, din.ctimeNsec, "ctime", ino);
        Dinode.time(din.birthSec, din.birthNsec, "birth time", ino);
        Timespec atime = Dinode.time(e.atimeSec(), e.atimeNsec(), "IFILE atime", ino);
        return new LfsInode(ino, din, type, atime);
    }

    /** Reads the inode block at fragment {@code daddr} and picks the dinode of {@code ino} (lfs_ifind). */
    Dinode readDinode(long ino, long daddr) throws IOException {
        bmap.checkAddress(ino, -1, daddr, sb.ibsize, "inode block");
        ByteBuffer b = disk.read(sb.byteOffset(daddr), sb.ibsize, "inode block of inode " + ino + " at fragment " + daddr);
        int size = sb.layout.dinodeSize();
        for (int i = 0; i < sb.inopb; i++) {
            if (Dinode.inumberAt(sb.layout, b, i * size) == ino) {
                return Dinode.decode(sb.layout, b, i * size);
            }
        }
        throw new VfsException(Errno.EIO, "inode " + ino + " is not in its inode block at fragment " + daddr);
    }

    // ---- file data -----------------------------------------------------------------------------

    /** The size of logical block {@code lbn} of a file of {@code size} bytes: a fragment run at the tail. */
    long blockSize(long size, long lbn) {
        if (lbn >= Dinode.NDADDR) {
            return sb.bsize;
        }
        long start = lbn << sb.bshift;
        if (size >= start + sb.bsize) {
            return sb.bsize;
        }
        long tail = size - start;
        return (tail + sb.fsize - 1) & ~((long) sb.fsize - 1);
    }

    /**
     * Reads file data of {@code ip} at {@code offset} into {@code dst} up to its end of file;
     * holes read as zeros. Returns the count read. Blocks that lie one after another in the log,
     * as a file written in one go does, are read in one transfer.
     */
    int read(LfsInode ip, long offset, ByteBuffer dst) throws IOException {
        long size = ip.size();
        if (offset < 0) {
            throw new VfsException(Errno.EINVAL, "inode " + ip.ino + ": negative offset " + offset);
        }
        int total = 0;
        while (dst.hasRemaining() && offset < size) {
            long lbn = offset >> sb.bshift;
            int boff = (int) (offset & (sb.bsize - 1));
            long bs = blockSize(size, lbn);
            int n = (int) Math.min(Math.min(bs - boff, dst.remaining()), size - offset);
            if (n <= 0) {
                throw new VfsException(Errno.EIO, "inode " + ip.ino + ": logical block " + lbn + " is empty");
            }
            byte[] dirty = dirtyBlock(ip, lbn);
            long daddr = dirty != null ? 0 : address(ip, lbn);
            if (dirty != null) {
                dst.put(dirty, boff, n);
            } else if (daddr <= 0) {
                for (int done = 0; done < n; done += Math.min(n - done, ZEROS.length)) {
                    dst.put(ZEROS, 0, Math.min(n - done, ZEROS.length));
                }
            } else {
                bmap.checkAddress(ip.ino, lbn, daddr, bs, "data block");
                // Extend the transfer over the following blocks while each lies right after the last.
                long next = daddr + sb.btofsb(bs);
                long nextLbn = lbn + 1;
                while (bs == sb.bsize && n < dst.remaining() && offset + n < size) {
                    long nbs = blockSize(size, nextLbn);
                    if (dirtyBlock(ip, nextLbn) != null || address(ip, nextLbn) != next) {
                        break;
                    }
                    bmap.checkAddress(ip.ino, nextLbn, next, nbs, "data block");
                    n += (int) Math.min(Math.min(nbs, dst.remaining() - n), size - offset - n);
                    next += sb.btofsb(nbs);
                    bs = nbs;
                    nextLbn++;
                }
                long first = lbn;
                disk.readData(sb.byteOffset(daddr) + boff, n, dst,
                        () -> "inode " + ip.ino + ": logical block " + first + " at fragment " + daddr);
            }
            offset += n;
            total += n;
        }
        return total;
    }

    /** A block of zeros, for holes. */
    private static final byte[] ZEROS = new byte[Superblock.MAXBSIZE];

    private static byte[] dirtyBlock(LfsInode ip, long lbn) {
        synchronized (ip) {
            return ip.dirtyBlocks.get(lbn);
        }
    }

    /** The address of logical block {@code lbn} of {@code ip}, through the in-core indirect blocks while it changes. */
    long address(LfsInode ip, long lbn) throws IOException {
        if (lbn >= Dinode.NDADDR && !ip.indirects.isEmpty() && lbn < FileBlocks.writableLimit(sb)) {
            return new FileBlocks(this, ip).dataAddress(lbn);
        }
        return bmap.bmap(ip.ino, ip.din, lbn);
    }

    /** The target of symbolic link {@code ip}: from the inode itself when short, else its data. */
    byte[] readlink(LfsInode ip) throws IOException {
        long size = ip.size();
        if (size < 0 || size >= MAXPATHLEN) {
            throw new VfsException(Errno.EIO, "symbolic link inode " + ip.ino + ": target length " + size + " out of range");
        }
        int len = (int) size;
        // As ulfs_readlink: short targets live in the block pointers (no blocks held).
        if (len < sb.maxsymlinklen || (sb.maxsymlinklen == 0 && ip.din.blocks == 0)) {
            if (len > ip.din.inlineArea.length) {
                throw new VfsException(Errno.EIO, "symbolic link inode " + ip.ino + ": inline target of " + len + " bytes");
            }
            byte[] t = new byte[len];
            System.arraycopy(ip.din.inlineArea, 0, t, 0, len);
            return t;
        }
        ByteBuffer b = ByteBuffer.allocate(len);
        int n = read(ip, 0, b);
        if (n != len) {
            throw new VfsException(Errno.EIO, "symbolic link inode " + ip.ino + ": read " + n + " of " + len + " bytes");
        }
        return b.array();
    }
}
