package org.rumpmount.fs.lfs;

import java.io.IOException;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.VfsException;

/**
 * Inode numbers from the IFILE's free list (lfs_valloc, lfs_vfree, lfs_extend_ifile). A new
 * inode has no address until it is first written; a freed one goes back to the head of the list
 * with its version raised, so blocks of its earlier life in the log are told apart from its next
 * one's. Callers hold the segment lock.
 */
final class InodeAllocator {
    private final LfsMount m;
    private final LfsFileSystem fs;

    InodeAllocator(LfsMount m) {
        this.m = m;
        this.fs = m.fs();
    }

    /** A fresh in-core inode of {@code type} with {@code mode} (permission bits), owned by {@code uid}/{@code gid}. */
    LfsInode allocate(VType type, int mode, long uid, long gid) throws IOException {
        new FileWrites(m).reserve(fs.sb.ibsize);
        if (fs.freeHead() == 0) {
            extendIfile(fs);
        }
        long ino = fs.freeHead();
        IfileEntry e = fs.ifileEntry(ino);
        if (e.isAllocated() || ino <= LfsFileSystem.ROOT_INUM) {
            throw new VfsException(Errno.EIO, "the IFILE's free list names inode " + ino + ", which is in use");
        }
        long next = e.nextfree();
        fs.setFreeList(next, next == 0 ? 0 : fs.freeTail());
        Timespec now = m.mount().host().now();
        fs.setIfileEntry(ino, new IfileEntry(e.version(), IfileEntry.UNUSED_DADDR, 0, now.sec(), now.nsec()));
        fs.countInodes(1);
        LfsLayout l = fs.sb.layout;
        DinodeImage d = DinodeImage.fresh(l, ino);
        d.setMode(type.ifmt() | (mode & 07777));
        d.setUid(uid);
        d.setGid(gid);
        d.setGen(m.mount().host().random().nextInt() & 0x7fffffff);
        d.setAtime(now.sec(), now.nsec());
        d.setMtime(now.sec(), now.nsec());
        d.setCtime(now.sec(), now.nsec());
        d.setBirthtime(now.sec(), now.nsec());
        LfsInode ip = new LfsInode(ino, d.decode(), type, now);
        ip.image = d;
        ip.changed();
        m.markDirty(ip);
        return ip;
    }

    /** Adds a block of free entries to the IFILE of {@code fs} and to the end of its free list (lfs_extend_ifile). */
    static void extendIfile(LfsFileSystem fs) throws IOException {
        Superblock sb = fs.sb;
        long lbn = fs.growIfile();
        FileBlocks.checkWritable(sb, LfsFileSystem.IFILE_INUM, lbn);
        LfsInode ifile = fs.ifile;
        ifile.edit(sb.layout).setSize((lbn + 1) * sb.bsize);
        ifile.changed();
        fs.maxInodes = sb.ifileInodeCapacity(ifile.din.size);
        long first = (lbn - sb.cleansz - sb.segtabsz) * sb.ifpb;
        long last = first + sb.ifpb - 1;
        for (long ino = first; ino <= last; ino++) {
            fs.setIfileEntry(ino, new IfileEntry(1, IfileEntry.UNUSED_DADDR, ino == last ? 0 : ino + 1, 0, 0));
        }
        long tail = fs.freeTail();
        if (fs.freeHead() != 0 && tail != 0) {
            IfileEntry t = fs.ifileEntry(tail);
            fs.setIfileEntry(tail, new IfileEntry(t.version(), t.daddr(), first, t.atimeSec(), t.atimeNsec()));
            fs.setFreeList(fs.freeHead(), last);
        } else {
            fs.setFreeList(first, last);
        }
    }

    /** Whether {@code ip} keeps data in blocks (not a device, FIFO, socket or short symlink). */
    boolean hasBlocks(LfsInode ip) {
        return FileBlocks.hasBlocks(fs.sb, ip);
    }

    /** Frees inode {@code ip}, which has no links and no references: its blocks, its log copy, its number. */
    void free(LfsInode ip, FileWrites files) throws IOException {
        if (hasBlocks(ip)) {
            files.truncate(ip, 0);
        }
        IfileEntry e = fs.ifileEntry(ip.ino);
        if (e.daddr() > 0) {
            m.writer.releaseBlock(e.daddr(), fs.sb.layout.dinodeSize(), ip.ino, Long.MIN_VALUE);
            // The log holds a copy with links; roll-forward must learn that it is gone.
            DinodeImage d = new DinodeImage(fs.sb.layout, java.nio.ByteBuffer.wrap(ip.din.raw).order(fs.sb.layout.order()), 0);
            d.setNlink(0);
            d.setSize(0);
            d.setBlocks(0);
            d.setInlineArea(new byte[0]);
            for (int i = 0; i < Dinode.NIADDR; i++) {
                d.setIb(i, 0);
            }
            LfsInode t = new LfsInode(ip.ino, d.decode(), ip.type, ip.atime);
            t.image = d;
            t.tombstone = true;
            synchronized (m.dirty) {
                m.tombstones.add(t);
            }
        }
        fs.setIfileEntry(ip.ino, new IfileEntry(e.version() + 1, IfileEntry.UNUSED_DADDR, fs.freeHead(),
                e.atimeSec(), e.atimeNsec()));
        fs.setFreeList(ip.ino, fs.freeTail() == 0 ? ip.ino : fs.freeTail());
        fs.countInodes(-1);
        synchronized (ip) {
            ip.dirtyBlocks.clear();
            ip.inodeDirty = false;
            ip.dirtyIndirects.clear();
            ip.indirects.clear();
        }
        synchronized (m.dirty) {
            m.dirty.remove(ip.ino);
        }
    }
}
