package org.rumpmount.vfs;

import java.util.concurrent.locks.ReentrantLock;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * One mounted file system: NetBSD's struct mount. Made by {@link Kernel#mount}; holds the
 * driver's {@link VfsOps}, the vnode cache, the options and what the driver may use of the host.
 */
public final class Mount {
    /** Unreferenced vnodes kept cached per mount before the oldest is reclaimed. */
    static final int DEFAULT_MAX_UNUSED_VNODES = 4096;

    private final long id;
    private final String type;
    private final BlockDevice device;
    private final MountOptions options;
    private final Host host;
    private final BufferCache bufferCache;
    private final VnodeCache vnodes;
    private final ReentrantLock renameLock = new ReentrantLock();
    private volatile VfsOps vfsOps;
    private volatile boolean unmounted;

    Mount(long id, String type, BlockDevice device, MountOptions options, Host host, BufferCache bufferCache) {
        this.id = id;
        this.type = type;
        this.device = device;
        this.options = options;
        this.host = host;
        this.bufferCache = bufferCache;
        this.vnodes = new VnodeCache(this, DEFAULT_MAX_UNUSED_VNODES);
    }

    public long id() {
        return id;
    }

    /** The driver's type name. */
    public String type() {
        return type;
    }

    /** The device mounted, or null for a file system without one. */
    public BlockDevice device() {
        return device;
    }

    public MountOptions options() {
        return options;
    }

    /** Read-only because asked to be or because the device is. */
    public boolean isReadOnly() {
        return options.isReadOnly() || (device != null && device.isReadOnly());
    }

    public Host host() {
        return host;
    }

    public BufferCache bufferCache() {
        return bufferCache;
    }

    public VnodeCache vnodes() {
        return vnodes;
    }

    /** Serialises renames on this mount (NetBSD's VFS_RENAMELOCK); first in the lock order. */
    public ReentrantLock renameLock() {
        return renameLock;
    }

    public VfsOps vfsOps() {
        return vfsOps;
    }

    public VnodeOps vnodeOps() {
        return vfsOps.vnodeOps();
    }

    void attach(VfsOps ops) {
        this.vfsOps = ops;
    }

    boolean isUnmounted() {
        return unmounted;
    }

    void markUnmounted() {
        unmounted = true;
    }

    @Override
    public String toString() {
        return "mount#" + id + "(" + type + (device == null ? "" : " on " + device.name()) + ", " + options + ")";
    }
}
