package org.rumpmount.vfs;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The kernel's handle on one file of one mount: NetBSD's struct vnode.
 *
 * <p>A vnode is found or created through its mount's {@link VnodeCache}, keyed by file id (the
 * inode number), so there is at most one vnode per file. Each holder has a reference; {@link
 * #close()} drops it (vrele). The driver keeps its in-core inode in {@link #data()}.
 *
 * <p><b>Lock order.</b> Each vnode has a read-write lock. Threads take vnode locks in this order
 * and no other, which rules out deadlock:
 * <ol>
 *   <li>the mount's rename lock ({@link Mount#renameLock()}), only for rename;</li>
 *   <li>directories before the entries in them (parent before child);</li>
 *   <li>for two unrelated directories (rename), the lower file id first;</li>
 *   <li>the driver's own internal locks (allocation maps, superblock), last.</li>
 * </ol>
 * Path lookup holds at most one vnode lock at a time (it drops a directory's lock before
 * taking the next one's), so walking ".." never inverts the order.
 */
public final class Vnode implements AutoCloseable {

    /** How a vnode is locked. */
    public enum LockMode { SHARED, EXCLUSIVE }

    /** Lifecycle states kept by the cache. */
    enum State { LOADING, ACTIVE, RECLAIMING, RECLAIMED }

    private final Mount mount;
    private final long fileid;
    private final VnodeCache cache;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile VType type = VType.VNON;
    private volatile Object data;

    // Guarded by the cache's monitor.
    int usecount;
    State state = State.LOADING;

    Vnode(Mount mount, long fileid, VnodeCache cache) {
        this.mount = mount;
        this.fileid = fileid;
        this.cache = cache;
    }

    public Mount mount() {
        return mount;
    }

    /** The file id (inode number) this vnode stands for. */
    public long fileid() {
        return fileid;
    }

    public VType type() {
        return type;
    }

    /** Set by the driver when it loads or creates the file. */
    public void setType(VType type) {
        this.type = type;
    }

    /** The driver's in-core inode. */
    public Object data() {
        return data;
    }

    public <T> T data(Class<T> cls) {
        return cls.cast(data);
    }

    public void setData(Object data) {
        this.data = data;
    }

    /** The operations of this vnode's file system. */
    public VnodeOps ops() {
        return mount.vnodeOps();
    }

    /** Adds a reference (vref); the caller must already hold one. Returns this vnode. */
    public Vnode ref() {
        cache.vref(this);
        return this;
    }

    /** Drops this reference (vrele). On the last one the driver's inactive runs. */
    @Override
    public void close() {
        cache.vrele(this);
    }

    /** Locks this vnode; the returned handle unlocks it. */
    public Locked lock(LockMode mode) {
        if (mode == LockMode.SHARED) {
            lock.readLock().lock();
            return () -> lock.readLock().unlock();
        }
        lock.writeLock().lock();
        return () -> lock.writeLock().unlock();
    }

    public boolean isLockedExclusive() {
        return lock.isWriteLockedByCurrentThread();
    }

    /** An acquired vnode lock; closing it unlocks. */
    @FunctionalInterface
    public interface Locked extends AutoCloseable {
        @Override
        void close();
    }

    @Override
    public String toString() {
        return "vnode(" + mount.id() + ":" + fileid + " " + type + ")";
    }
}
