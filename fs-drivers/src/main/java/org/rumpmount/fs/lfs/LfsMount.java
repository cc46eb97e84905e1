package org.rumpmount.fs.lfs;

import java.io.IOException;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.StatVfs;
import org.rumpmount.vfs.VfsOps;
import org.rumpmount.vfs.Vnode;
import org.rumpmount.vfs.VnodeOps;

/** One mounted LFS, read-only: NetBSD's lfs_vfsops for the read side. */
final class LfsMount implements VfsOps {
    private final Mount mp;
    private final LfsFileSystem fs;
    private final LfsVnodeOps ops;

    LfsMount(Mount mp, LfsFileSystem fs) {
        this.mp = mp;
        this.fs = fs;
        this.ops = new LfsVnodeOps(this);
    }

    LfsFileSystem fs() {
        return fs;
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

    @Override
    public Vnode vget(long fileid) throws IOException {
        return mp.vnodes().get(fileid, vp -> {
            LfsInode ip = fs.loadInode(fileid);
            vp.setType(ip.type);
            vp.setData(ip);
        });
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
        long ffree = Math.max(0, files - sb.nfiles);
        return new StatVfs(sb.bsize, sb.fsize, blocks, bfree, bavail, files, ffree, ffree, fsid(),
                DirectoryBlock.MAXNAMLEN, true);
    }

    @Override
    public void sync(boolean wait) {
        // Read-only: nothing is ever dirty.
    }

    /** A read-only mount writes nothing, not even the superblocks NetBSD rewrites at unmount. */
    @Override
    public void unmount(boolean force) {
    }
}
