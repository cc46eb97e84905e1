package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.StatVfs;
import org.rumpmount.vfs.VfsOps;
import org.rumpmount.vfs.Vnode;
import org.rumpmount.vfs.VnodeOps;

/**
 * One mounted LFS: NetBSD's lfs_vfsops. A read-only mount writes nothing at all. A writable one
 * keeps changed inodes and their dirty blocks in core ({@link #dirty}) and writes them to the
 * log at fsync, sync, unmount, and whenever too much is pending.
 *
 * <p>All changes and all log writes hold {@link #segLock} exclusively (NetBSD's segment lock,
 * widened to cover the in-core changes too); reads hold it shared, so they never see a block
 * pointer whose block is not on the device yet.
 */
final class LfsMount implements VfsOps {
    /** Dirty bytes that make a write flush the log before returning (a segment's worth in NetBSD). */
    static final long DIRTY_LIMIT = 1 << 20;
    /** The most a large file system lets wait in core before a write flushes it. */
    static final long DIRTY_LIMIT_MAX = 8 << 20;

    private final Mount mp;
    private final LfsFileSystem fs;
    private final LfsVnodeOps ops;
    final ReentrantReadWriteLock segLock = new ReentrantReadWriteLock();
    /** Inodes with changes not yet in the log, by number; vget hands these out rather than re-reading the log. */
    final Map<Long, LfsInode> dirty = new LinkedHashMap<>();
    /** Freed inodes whose log copies still have links, to be written as such at the next flush. */
    final List<LfsInode> tombstones = new ArrayList<>();
    /** Null on a read-only mount. */
    final SegmentWriter writer;
    /** Null on a read-only mount. */
    final SegmentCleaner cleaner;
    /**
     * The in-core inodes vnodes hold, by number, from the moment vget reads one until its vnode
     * is reclaimed: the cleaner changes block pointers in these, never in a second copy.
     */
    private final Map<Long, LfsInode> inCore = new java.util.HashMap<>();
    long dirtyBytes;
    /** Set during a change that frees space (remove, rmdir): it may use half the cleaner's reserve. */
    boolean freeing;

    LfsMount(Mount mp, LfsFileSystem fs) {
        this(mp, fs, null);
    }

    LfsMount(Mount mp, LfsFileSystem fs, SegmentWriter writer) {
        this.mp = mp;
        this.fs = fs;
        this.writer = writer;
        this.ops = new LfsVnodeOps(this);
        this.cleaner = writer == null ? null : new SegmentCleaner(this);
    }

    /**
     * Dirty bytes past which a write checkpoints before returning: {@link #DIRTY_LIMIT}, or on a
     * large file system up to {@link #DIRTY_LIMIT_MAX} but never more than 1/256 of it. Each
     * such flush is a checkpoint (the IFILE, a superblock, a device flush), which at one per
     * MiB took more time than a sequential write's data; small file systems keep the small
     * limit, so what waits in core never weighs on their free space or the cleaner's budget.
     */
    long dirtyLimit() {
        Superblock sb = fs.sb;
        return Math.max(DIRTY_LIMIT, Math.min(DIRTY_LIMIT_MAX, sb.ssize * sb.nseg / 256));
    }

    LfsFileSystem fs() {
        return fs;
    }

    Mount mount() {
        return mp;
    }

    long fsid() {
        return fs.sb.ident & 0xffffffffL;
    }

    @Override
    public VnodeOps vnodeOps() {
        return ops;
    }

    @Override
    public Vnode root() throws IOException {
        return vget(LfsFileSystem.ROOT_INUM);
    }

    /**
     * The vnode of inode {@code fileid}. Between an inode being freed (at inactive, which hands
     * its number back) and its vnode being reclaimed, the cache may still hold that vnode while
     * the number already names a new file; such a vnode is let go, which reclaims it, and the
     * cache asked again, so the new file is never seen through its predecessor's in-core inode.
     */
    @Override
    public Vnode vget(long fileid) throws IOException {
        while (true) {
            Vnode vp = load(fileid);
            if (!vp.data(LfsInode.class).freed) {
                return vp;
            }
            vp.close();
            Thread.yield();
        }
    }

    private Vnode load(long fileid) throws IOException {
        return mp.vnodes().get(fileid, vp -> {
            LfsInode ip;
            segLock.readLock().lock();
            try {
                synchronized (dirty) {
                    ip = dirty.get(fileid);
                }
                if (ip == null) {
                    ip = fs.loadInode(fileid);
                }
                synchronized (inCore) {
                    inCore.put(fileid, ip);
                }
            } finally {
                segLock.readLock().unlock();
            }
            vp.setType(ip.type);
            vp.setData(ip);
        });
    }

    /**
     * Before a change of about {@code bytes} bytes, with segLock held exclusively and nothing of
     * the change made yet: the cleaner runs if clean segments are low.
     */
    void beforeChange(long bytes) throws IOException {
        if (cleaner != null) {
            cleaner.beforeChange(bytes);
        }
    }

    /** Forgets the in-core inode of a vnode being reclaimed. */
    void reclaimed(LfsInode ip) {
        synchronized (inCore) {
            inCore.remove(ip.ino, ip);
        }
    }

    /**
     * The one in-core inode for {@code ino}: the changed one, the one a vnode holds, or else a
     * fresh one read from the log. Caller holds segLock exclusively.
     */
    LfsInode inCore(long ino) throws IOException {
        LfsInode ip;
        synchronized (dirty) {
            ip = dirty.get(ino);
        }
        if (ip == null) {
            synchronized (inCore) {
                ip = inCore.get(ino);
            }
        }
        return ip != null ? ip : fs.loadInode(ino);
    }

    /** Notes that {@code ip} has changes to write; flushes when too much is pending. Caller holds segLock. */
    void markDirty(LfsInode ip) {
        synchronized (dirty) {
            dirty.put(ip.ino, ip);
        }
    }

    /** Writes the pending changes of {@code only} (or of every inode when null) to the log. */
    void flush(LfsInode only, boolean checkpoint, boolean bothSuperblocks, int pflags) throws IOException {
        flush(only, checkpoint, bothSuperblocks, pflags, true);
    }

    /** As {@link #flush(LfsInode, boolean, boolean, int)}; the device is flushed at the end only if {@code durable}. */
    void flush(LfsInode only, boolean checkpoint, boolean bothSuperblocks, int pflags, boolean durable)
            throws IOException {
        segLock.writeLock().lock();
        try {
            List<LfsInode> list = new ArrayList<>();
            synchronized (dirty) {
                if (only == null) {
                    list.addAll(dirty.values());
                } else if (dirty.get(only.ino) == only) {
                    list.add(only);
                }
                // Freed inodes first. A number freed and handed out again within one flush is
                // written once, as its new life: two copies of it in one inode block would leave
                // the reader (lfs_ifind) with the first, the copy without links.
                java.util.Set<Long> live = new java.util.HashSet<>();
                for (LfsInode ip : list) {
                    live.add(ip.ino);
                }
                List<LfsInode> dead = new ArrayList<>();
                for (LfsInode t : tombstones) {
                    if (!live.contains(t.ino)) {
                        dead.add(t);
                    }
                }
                tombstones.clear();
                list.addAll(0, dead);
            }
            writer.flush(list, checkpoint, bothSuperblocks, pflags, durable);
            synchronized (dirty) {
                for (LfsInode ip : list) {
                    // By identity: a tombstone's number may belong to a new inode already.
                    if (!ip.isDirty()) {
                        dirty.remove(ip.ino, ip);
                    }
                }
            }
            if (only == null) {
                dirtyBytes = 0;
            }
        } finally {
            segLock.writeLock().unlock();
        }
    }

    /**
     * As lfs_statvfs: sizes exclude the space the log's metadata takes or is expected to take,
     * and the file counts are estimated from the free space.
     */
    @Override
    public StatVfs statvfs() throws IOException {
        Superblock sb = fs.sb;
        long cmeta = sb.nseg == 0 ? 0 : sb.dmeta * sb.nclean / sb.nseg;
        long nonmeta = sb.dsize - sb.dmeta - cmeta;
        long blocks = nonmeta - fs.ifile.din.blocks;
        long bfree = sb.bfree > cmeta ? sb.bfree - cmeta : 0;
        long reserved = nonmeta * sb.minfree / 100;
        long bavail = bfree > reserved ? bfree - reserved : 0;
        long files = sb.bfree < 0 ? 0 : sb.bfree / sb.btofsb(sb.ibsize) * sb.inopb;
        long nfiles = writer == null ? sb.nfiles : fs.allocatedInodes();
        long ffree = Math.max(0, files - nfiles);
        return new StatVfs(sb.bsize, sb.fsize, blocks, bfree, bavail, files, ffree, ffree, fsid(),
                DirectoryBlock.MAXNAMLEN, writer == null);
    }

    /** A checkpoint (lfs_sync): everything pending, the IFILE, one superblock copy. */
    @Override
    public void sync(boolean wait) throws IOException {
        if (writer != null) {
            flush(null, true, false, fs.sb.pflags & ~Superblock.PF_CLEAN);
        }
    }

    /**
     * A read-only mount writes nothing, not even the superblocks NetBSD rewrites at unmount. A
     * writable one ends with a checkpoint in both superblock copies, marked clean.
     */
    @Override
    public void unmount(boolean force) throws IOException {
        if (writer != null) {
            flush(null, true, true, fs.sb.pflags | Superblock.PF_CLEAN);
        }
    }
}
