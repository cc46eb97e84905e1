package org.rumpmount.vfs;

import java.io.IOException;

/**
 * One mounted file system, as its driver sees it: NetBSD's struct vfsops (the per-mount half;
 * the driver-wide half, probe and mount, is {@link FileSystemDriver}).
 */
public interface VfsOps {

    /** The vnode operations of this file system. */
    VnodeOps vnodeOps();

    /** The root directory, referenced. */
    Vnode root() throws IOException;

    /**
     * The vnode of file id {@code fileid}, referenced, loaded through the mount's
     * {@link VnodeCache}. ENOENT (or ESTALE) when no such file is allocated.
     */
    Vnode vget(long fileid) throws IOException;

    /** File system statistics. */
    StatVfs statvfs() throws IOException;

    /**
     * Writes every delayed change (in-core inodes, buffers, summaries) to the device; with
     * {@code wait}, returns after the device has made them durable.
     */
    void sync(boolean wait) throws IOException;

    /**
     * Ends the mount. The kernel has already reclaimed every vnode (or, forcing, gives up on the
     * busy ones). A read-write mount syncs and marks the file system clean; a read-only mount
     * writes nothing. The device is closed by the kernel afterwards.
     */
    void unmount(boolean force) throws IOException;
}
