package org.rumpmount.fs.ffs;

import java.io.IOException;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.StatVfs;
import org.rumpmount.vfs.Vnode;
import org.rumpmount.vfs.VfsOps;
import org.rumpmount.vfs.VnodeOps;

/** The per-mount operations of an FFS volume (NetBSD's ffs_vfsops). */
final class FfsVfsOps implements VfsOps {
    private final Mount mount;
    private final FfsFileSystem fs;
    private final FfsVnodeOps vnodeOps;

    FfsVfsOps(Mount mount, FfsFileSystem fs) {
        this.mount = mount;
        this.fs = fs;
        this.vnodeOps = new FfsVnodeOps(fs, mount);
    }

    FfsFileSystem fileSystem() {
        return fs;
    }

    @Override
    public VnodeOps vnodeOps() {
        return vnodeOps;
    }

    @Override
    public Vnode root() throws IOException {
        return vget(FfsFileSystem.ROOTINO);
    }

    @Override
    public Vnode vget(long fileid) throws IOException {
        return vnodeOps.vget(mount, fileid);
    }

    /** Counts as ffs_statvfs does: blocks are fs_dsize fragments; the minfree reserve is not available. */
    @Override
    public StatVfs statvfs() {
        Superblock sb = fs.sb;
        long[] sum = sb.summary();
        long dsize = sb.dataFrags();
        long free = (sum[1] << sb.fragshift) + sum[3];
        long reserved = dsize * sb.minfree / 100;
        long avail = Math.max(0, free - reserved);
        long files = sb.inodeCount() - FfsFileSystem.ROOTINO;
        return new StatVfs(sb.bsize, sb.fsize, dsize, free, avail, files, sum[2], sum[2], fs.fsid(),
                DirectoryBlock.MAXNAMLEN, mount.isReadOnly());
    }

    /**
     * ffs_sync: cylinder groups, summary area and every delayed buffer, then the superblock (still
     * marked dirty). A read-only mount has nothing to write.
     */
    @Override
    public void sync(boolean wait) throws IOException {
        if (!fs.writable()) {
            return;
        }
        fs.flushMetadata();
        fs.writeSuperblock();
    }

    /**
     * A read-write mount syncs and then, with everything on the device, marks the file system
     * clean. A read-only mount writes nothing.
     */
    @Override
    public void unmount(boolean force) throws IOException {
        if (!fs.writable()) {
            return;
        }
        fs.flushMetadata();
        fs.sb.clean = Superblock.FS_ISCLEAN;
        fs.writeSuperblock();
    }
}
