package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * One mounted FFS volume as the driver sees it (NetBSD's struct ufsmount): the validated
 * superblock, the I/O path, and loading of inodes with the checks that make every later
 * computation on them safe.
 */
final class FfsFileSystem {
    static final long ROOTINO = 2;
    /** The longest symlink target a file system may hold (MAXPATHLEN). */
    static final int MAXPATHLEN = 1024;

    final Superblock sb;
    final FfsIo io;
    final long foundAt;
    final DirectoryReader dirs;
    /** The write side, present on a read-write mount only. */
    Host host;
    CylinderGroups cgs;
    BlockAllocator blocks;
    InodeAllocator inodes;
    BlockMapWriter bmap;
    Truncator truncator;
    DirectoryWriter dirWriter;

    /**
     * The cylinder group blocks the allocator keeps in memory come to at most the buffer cache's
     * size over this (and 4 groups at least), beside the cache that also holds them.
     */
    static final long CG_SHARE_OF_CACHE = 16;
    /** The directory indexes come to at most the buffer cache's size over this ({@link DirHashMemory#MIN_BYTES} at least). */
    static final long DIRHASH_SHARE_OF_CACHE = 4;
    private final long cacheBytes;

    FfsFileSystem(BlockDevice dev, BufferCache cache, Superblock sb, long foundAt) {
        this.sb = sb;
        this.io = new FfsIo(dev, sb, cache);
        this.cacheBytes = cache.capBytes();
        this.foundAt = foundAt;
        this.dirs = new DirectoryReader(io, sb,
                new DirHashMemory(Math.max(DirHashMemory.MIN_BYTES, cacheBytes / DIRHASH_SHARE_OF_CACHE)));
    }

    /** Sets up the allocation state for a read-write mount. */
    void enableWrites(Host host) throws VfsException {
        this.host = host;
        this.cgs = new CylinderGroups(io, sb, cacheBytes / CG_SHARE_OF_CACHE, () -> host.now().sec());
        this.blocks = new BlockAllocator(sb, cgs);
        this.inodes = new InodeAllocator(sb, cgs, io, host.random());
        this.bmap = new BlockMapWriter(io, sb, blocks);
        this.truncator = new Truncator(io, sb, blocks, bmap, this);
        this.dirWriter = new DirectoryWriter(this);
    }

    /**
     * Writes the cylinder groups and the summary area into the cache, then every delayed write
     * to the device (fsync and the first half of sync).
     */
    void flushMetadata() throws VfsException {
        cgs.lock.lock();
        try {
            cgs.writeBack(host.now().sec());
        } finally {
            cgs.unlock();
        }
        io.syncCache();
    }

    /**
     * Writes the primary superblock with the current totals, time and clean flag, straight to
     * the device, flushed. NetBSD's ffs_sbupdate writes only the primary; the alternates are
     * newfs's and fsck's business. A UFS1 superblock carries its totals in the old 32-bit fields
     * as well, as ffs_oldfscompat_write keeps them.
     */
    void writeSuperblock() throws VfsException {
        cgs.lock.lock();
        try {
            long now = host.now().sec();
            sb.time = now;
            sb.fmod = 0;
            if (!sb.ufs2) {
                sb.oldTime = (int) now;
                for (int i = 0; i < 4; i++) {
                    sb.oldCstotal[i] = (int) sb.cstotal[i];
                }
            }
            io.writeSuperblock(foundAt, sb.encode(sb.order));
        } finally {
            cgs.unlock();
        }
    }

    /** ffs_oldfscompat_read for a UFS1 superblock that predates the 64-bit fields: fill them in. */
    void upgradeOldFields() {
        if (sb.hasNewFields()) {
            return;
        }
        sb.size = sb.oldSize;
        sb.dsize = sb.oldDsize;
        sb.csaddr = sb.oldCsaddr;
        for (int i = 0; i < 4; i++) {
            sb.cstotal[i] = sb.oldCstotal[i];
        }
        sb.flags = sb.oldFlags & ~Superblock.FS_FLAGS_UPDATED;
        sb.sblockloc = foundAt;
        sb.oldFlags |= Superblock.FS_FLAGS_UPDATED;
    }

    boolean writable() {
        return cgs != null;
    }

    /**
     * Writes the in-core inode into its inode block: a delayed write, or with {@code sync} at once
     * (before a directory entry names it, and for fsync).
     */
    void writeInode(Inode ip, boolean sync) throws VfsException {
        long ino = ip.number;
        long frag = sb.inoToFsba(ino);
        int off = sb.inoToFsbo(ino);
        int fragInBlock = off >> sb.fshift;
        int inFrag = off - (fragInBlock << sb.fshift);
        io.modify(frag + fragInBlock, inFrag + sb.dinodeSize(), sync, false, () -> "inode " + ino,
                (b, o) -> ip.din.encode(b, o + inFrag));
    }

    /** Reads the on-disk inode {@code ino} without judging it. */
    Dinode readDinode(long ino) throws VfsException {
        if (ino < 1 || ino >= sb.inodeCount()) {
            throw new VfsException(Errno.ENOENT, "inode " + ino + " is outside 1.." + (sb.inodeCount() - 1));
        }
        long frag = sb.inoToFsba(ino);
        int off = sb.inoToFsbo(ino);
        // Copy out just the inode's fragment; the cache holds the whole inode block.
        int fragInBlock = off >> sb.fshift;
        ByteBuffer b = io.readFrags(frag + fragInBlock, sb.fsize, "inode " + ino);
        return Dinode.decode(b, off - (fragInBlock << sb.fshift), sb.ufs2);
    }

    /** Loads inode {@code ino} for a vnode: ENOENT when free, EIO when it cannot be trusted. */
    Inode loadInode(long ino) throws VfsException {
        Dinode d = readDinode(ino);
        if (d.mode == 0) {
            throw new VfsException(Errno.ENOENT, "inode " + ino + " is not allocated (di_mode 0)");
        }
        VType type = VType.ofMode(d.mode);
        if (type == VType.VBAD) {
            throw new VfsException(Errno.EIO, "inode " + ino + " has an unknown file type in di_mode 0"
                    + Integer.toOctalString(d.mode));
        }
        if (sb.oldFormat()) {
            d.uid = d.ouid;
            d.gid = d.ogid;
        }
        if (d.size < 0 || d.size > sb.addressableBytes()) {
            throw new VfsException(Errno.EIO, "inode " + ino + " has di_size " + Long.toUnsignedString(d.size)
                    + ", beyond the " + sb.addressableBytes() + " bytes its block map can address");
        }
        long deviceSectors = sb.totalFrags() * (sb.fsize / 512);
        if (d.blocks < 0 || d.blocks > deviceSectors) {
            throw new VfsException(Errno.EIO, "inode " + ino + " has di_blocks " + Long.toUnsignedString(d.blocks)
                    + ", more than the file system's " + deviceSectors + " sectors");
        }
        if (type == VType.VDIR) {
            if (d.size % DirectoryBlock.DIRBLKSIZ != 0 || d.size == 0) {
                throw new VfsException(Errno.EIO, "directory inode " + ino + " has di_size " + d.size
                        + ", not a positive multiple of " + DirectoryBlock.DIRBLKSIZ);
            }
            if (d.size > d.blocks * 512) {
                throw new VfsException(Errno.EIO, "directory inode " + ino + " has di_size " + d.size
                        + " but holds only " + d.blocks * 512 + " bytes of storage (di_blocks " + d.blocks + ")");
            }
        }
        if (type == VType.VLNK && d.size >= MAXPATHLEN) {
            throw new VfsException(Errno.EIO, "symlink inode " + ino + " has di_size " + d.size + ", at least MAXPATHLEN "
                    + MAXPATHLEN);
        }
        return new Inode(ino, d, type);
    }

    /**
     * A symlink's target. Short targets live in the inode's block address area: NetBSD keeps a
     * target there when it is shorter than fs_maxsymlinklen (60 bytes for UFS1, 120 for UFS2), or
     * on a file system without a limit when the link owns no blocks.
     */
    byte[] readlink(Inode ip) throws VfsException {
        int len = (int) ip.size();
        if (isFastSymlink(ip)) {
            byte[] area = ip.din.addressArea();
            if (len > area.length) {
                throw new VfsException(Errno.EIO, "symlink inode " + ip.number + " claims " + len
                        + " bytes inside the inode, which holds " + area.length);
            }
            return java.util.Arrays.copyOf(area, len);
        }
        ByteBuffer dst = ByteBuffer.allocate(len);
        int n = FileReader.read(io, sb, ip, 0, dst, !writable());
        if (n != len) {
            throw new VfsException(Errno.EIO, "symlink inode " + ip.number + ": read " + n + " of " + len + " bytes");
        }
        return dst.array();
    }

    boolean isFastSymlink(Inode ip) {
        return ip.size() < sb.maxsymlinklen || (sb.maxsymlinklen <= 0 && ip.din.blocks == 0);
    }

    /** A file system id from the superblock's fs_id. */
    long fsid() {
        return ((sb.id0 & 0xffffffffL) << 32) | (sb.id1 & 0xffffffffL);
    }
}
