package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DeviceNumbers;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.DirentSink;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.IoFlags;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.Vnode;
import org.rumpmount.vfs.VnodeOps;
import org.rumpmount.vfs.VType;

/**
 * The vnode operations of a read-only LFS: lookup, getattr, read, readdir, readlink. Everything
 * that would write is left to the EOPNOTSUPP defaults (and the kernel refuses it with EROFS on a
 * read-only mount before it gets here).
 */
final class LfsVnodeOps implements VnodeOps {
    /** Most links an inode may have (LINK_MAX for ULFS, a signed 16-bit count). */
    static final int LINK_MAX = 32767;

    private final LfsMount mount;

    LfsVnodeOps(LfsMount mount) {
        this.mount = mount;
    }

    private static LfsInode ip(Vnode vp) {
        return vp.data(LfsInode.class);
    }

    @Override
    public Vnode lookup(Vnode dvp, Name name) throws IOException {
        LfsInode dp = ip(dvp);
        requireDir(dp);
        byte[] want = name.bytes();
        long[] found = {-1};
        mount.segLock.readLock().lock();
        try {
            scan(dp, 0, e -> {
                if (e.ino() != 0 && Arrays.equals(e.name(), want)) {
                    found[0] = e.ino();
                    return false;
                }
                return true;
            });
        } finally {
            mount.segLock.readLock().unlock();
        }
        if (found[0] < 0) {
            throw new VfsException(Errno.ENOENT, "directory inode " + dp.ino + " has no entry " + name);
        }
        try {
            return mount.vget(found[0]);
        } catch (VfsException e) {
            if (e.errno() == Errno.ENOENT) {
                throw new VfsException(Errno.EIO, "directory inode " + dp.ino + ": entry " + name
                        + " names inode " + found[0] + ", which is not in use", e);
            }
            throw e;
        }
    }

    @Override
    public Vattr getattr(Vnode vp) throws IOException {
        LfsInode ip = ip(vp);
        Dinode d = ip.din;
        LfsFileSystem fs = mount.fs();
        Vattr va = new Vattr();
        va.type = ip.type;
        va.mode = d.mode & 07777;
        va.nlink = d.nlink;
        va.uid = d.uid;
        va.gid = d.gid;
        va.fsid = mount.fsid();
        va.fileid = ip.ino;
        va.size = d.size;
        va.blocksize = fs.sb.bsize;
        va.atime = ip.atime;
        va.mtime = Dinode.time(d.mtimeSec, d.mtimeNsec, "mtime", ip.ino);
        va.ctime = Dinode.time(d.ctimeSec, d.ctimeNsec, "ctime", ip.ino);
        va.birthtime = Dinode.time(d.birthSec, d.birthNsec, "birth time", ip.ino);
        va.gen = d.gen;
        va.flags = d.flags;
        va.rdev = ip.type == VType.VCHR || ip.type == VType.VBLK
                ? DeviceNumbers.linux(DeviceNumbers.netbsdMajor(d.rawRdev), DeviceNumbers.netbsdMinor(d.rawRdev))
                : 0;
        // LFS counts di_blocks in fragments (lfs_getattr: lfs_fsbtob(fs, effnblks)).
        va.bytes = d.blocks * fs.sb.fsize;
        return va;
    }

    /** Data is read and written in regular files only: EISDIR for a directory, EOPNOTSUPP for the rest. */
    private static void requireRegular(LfsInode ip, String doing) throws VfsException {
        if (ip.type == VType.VDIR) {
            throw new VfsException(Errno.EISDIR, "inode " + ip.ino + " is a directory");
        }
        if (ip.type != VType.VREG) {
            throw new VfsException(Errno.EOPNOTSUPP, "inode " + ip.ino + ": " + doing + " a " + ip.type + " is not supported");
        }
    }

    @Override
    public int read(Vnode vp, long offset, ByteBuffer dst, int ioflags, Credentials cred) throws IOException {
        LfsInode ip = ip(vp);
        requireRegular(ip, "reading");
        mount.segLock.readLock().lock();
        try {
            return mount.fs().read(ip, offset, dst);
        } finally {
            mount.segLock.readLock().unlock();
        }
    }

    @Override
    public int write(Vnode vp, long offset, ByteBuffer src, int ioflags, Credentials cred) throws IOException {
        LfsInode ip = ip(vp);
        requireRegular(ip, "writing");
        int n;
        mount.segLock.writeLock().lock();
        try {
            mount.beforeChange(src.remaining());
            n = files().write(ip, offset, src);
        } finally {
            mount.segLock.writeLock().unlock();
        }
        if ((ioflags & (IoFlags.IO_SYNC | IoFlags.IO_DSYNC)) != 0) {
            fsync(vp, false);
        } else {
            flushIfMuchPending();
        }
        return n;
    }

    /**
     * As NetBSD's lfs_fsync: blocks and inodes go into the log as partial segments, without a
     * checkpoint; roll-forward at the next mount is what finds them after a crash.
     */
    @Override
    public void fsync(Vnode vp, boolean dataOnly) throws IOException {
        if (mount.writer == null) {
            return;
        }
        // Every pending change goes, not just this file's: a new file's directory entry, and
        // the directories above it, must reach the log with it for roll-forward to find it.
        mount.flush(null, false, false, 0);
    }

    @Override
    public void setattr(Vnode vp, Vattr va, Credentials cred) throws IOException {
        LfsInode ip = ip(vp);
        writable();
        mount.segLock.writeLock().lock();
        try {
            mount.beforeChange(2L * mount.fs().sb.bsize);
            LfsFileSystem fs = mount.fs();
            if (va.size != Vattr.VNOVAL) {
                if (ip.type == VType.VDIR) {
                    throw new VfsException(Errno.EISDIR, "inode " + ip.ino + " is a directory");
                }
                if (ip.type != VType.VREG) {
                    throw new VfsException(Errno.EINVAL, "inode " + ip.ino + ": cannot set the size of a " + ip.type);
                }
                files().truncate(ip, va.size);
                Timespec now = mount.mount().host().now();
                ip.edit(fs.sb.layout).setMtime(now.sec(), now.nsec());
            }
            DinodeImage d = ip.edit(fs.sb.layout);
            if (va.mode != (int) Vattr.VNOVAL) {
                d.setMode((ip.din.mode & ~07777) | (va.mode & 07777));
            }
            if (va.uid != Vattr.VNOVAL) {
                d.setUid(va.uid);
            }
            if (va.gid != Vattr.VNOVAL) {
                d.setGid(va.gid);
            }
            if (va.flags != Vattr.VNOVAL) {
                d.setFlags(va.flags);
            }
            if (va.mtime != null) {
                d.setMtime(va.mtime.sec(), va.mtime.nsec());
            }
            if (va.birthtime != null) {
                d.setBirthtime(va.birthtime.sec(), va.birthtime.nsec());
            }
            if (va.atime != null) {
                // Version 2 keeps the reported atime in the IFILE entry; the dinode gets it too.
                d.setAtime(va.atime.sec(), va.atime.nsec());
                IfileEntry e = fs.ifileEntry(ip.ino);
                fs.setIfileEntry(ip.ino, new IfileEntry(e.version(), e.daddr(), e.nextfree(), va.atime.sec(),
                        va.atime.nsec()));
                ip.atime = va.atime;
            }
            Timespec now = mount.mount().host().now();
            d.setCtime(now.sec(), now.nsec());
            ip.changed();
            mount.markDirty(ip);
        } finally {
            mount.segLock.writeLock().unlock();
        }
        flushIfMuchPending();
    }

    private FileWrites files() {
        return new FileWrites(mount);
    }

    private void writable() throws VfsException {
        if (mount.writer == null) {
            throw new VfsException(Errno.EROFS, "the LFS is mounted read-only");
        }
    }

    @Override
    public void readdir(Vnode vp, long cookie, DirentSink sink) throws IOException {
        LfsInode dp = ip(vp);
        requireDir(dp);
        if (cookie < 0) {
            throw new VfsException(Errno.EINVAL, "directory inode " + dp.ino + ": bad cookie " + cookie);
        }
        mount.segLock.readLock().lock();
        try {
            scan(dp, cookie, e -> {
                if (e.ino() == 0 || e.type() == DirectoryBlock.DT_WHT) {
                    return true;
                }
                return sink.accept(new Dirent(Name.ofTrusted(e.name()), e.ino(), DirectoryBlock.vtype(e.type()),
                        e.nextOffset()));
            });
        } finally {
            mount.segLock.readLock().unlock();
        }
    }

    @Override
    public byte[] readlink(Vnode vp) throws IOException {
        LfsInode ip = ip(vp);
        if (ip.type != VType.VLNK) {
            throw new VfsException(Errno.EINVAL, "inode " + ip.ino + " is not a symbolic link");
        }
        mount.segLock.readLock().lock();
        try {
            return mount.fs().readlink(ip);
        } finally {
            mount.segLock.readLock().unlock();
        }
    }

    // ---- name space changes (ulfs_vnops.c) ------------------------------------------------------

    /** Runs {@code body} holding the segment lock exclusively, on a writable mount. */
    private <T> T changing(Change<T> body) throws IOException {
        return changing(false, body);
    }

    /**
     * As {@link #changing(Change)}; a change that {@code frees} space may take part of the
     * cleaner's reserve, so that a full file system can still be emptied.
     */
    private <T> T changing(boolean frees, Change<T> body) throws IOException {
        writable();
        T result;
        mount.segLock.writeLock().lock();
        try {
            mount.beforeChange(2L * mount.fs().sb.bsize);
            mount.freeing = frees;
            result = body.run(files(), new DirectoryWrites(mount, files()), new InodeAllocator(mount));
        } finally {
            mount.freeing = false;
            mount.segLock.writeLock().unlock();
        }
        flushIfMuchPending();
        return result;
    }

    /**
     * Bounds what waits in core: past the limit, a checkpoint (NetBSD writes when its buffers
     * fill), which nobody waits to see on the disk, so the device is not asked to flush.
     */
    private void flushIfMuchPending() throws IOException {
        if (mount.dirtyBytes > mount.dirtyLimit()) {
            mount.flush(null, true, false, mount.fs().sb.pflags & ~Superblock.PF_CLEAN, false);
        }
    }

    @FunctionalInterface
    private interface Change<T> {
        T run(FileWrites files, DirectoryWrites dirs, InodeAllocator alloc) throws IOException;
    }

    /** Makes a new inode and its entry in {@code dvp} (ulfs_makeinode); returns its vnode. */
    private Vnode makeInode(Vnode dvp, Name name, Vattr va, VType type, Initializer init) throws IOException {
        LfsInode dp = ip(dvp);
        requireDir(dp);
        long ino = changing((files, dirs, alloc) -> {
            if (dirs.contains(dp, name)) {
                throw new VfsException(Errno.EEXIST, "directory inode " + dp.ino + " already has an entry " + name);
            }
            if (dp.din.nlink <= 0) {
                throw new VfsException(Errno.ENOENT, "directory inode " + dp.ino + " has been removed");
            }
            LfsInode ip = alloc.allocate(type, va.mode, va.uid == Vattr.VNOVAL ? 0 : va.uid,
                    va.gid == Vattr.VNOVAL ? dp.din.gid : va.gid);
            DinodeImage d = ip.edit(mount.fs().sb.layout);
            d.setNlink(1);
            ip.changed();
            init.init(ip, files, dirs);
            dirs.enter(dp, name, ip.ino, type);
            return ip.ino;
        });
        return mount.vget(ino);
    }

    @FunctionalInterface
    private interface Initializer {
        void init(LfsInode ip, FileWrites files, DirectoryWrites dirs) throws IOException;
    }

    @Override
    public Vnode create(Vnode dvp, Name name, Vattr va, Credentials cred) throws IOException {
        VType type = va.type == null ? VType.VREG : va.type;
        return makeInode(dvp, name, va, type, (ip, f, d) -> { });
    }

    @Override
    public Vnode mknod(Vnode dvp, Name name, Vattr va, Credentials cred) throws IOException {
        VType type = va.type;
        if (type != VType.VCHR && type != VType.VBLK && type != VType.VFIFO && type != VType.VSOCK) {
            throw new VfsException(Errno.EINVAL, "mknod of a " + type);
        }
        return makeInode(dvp, name, va, type, (ip, f, d) -> {
            if ((type == VType.VCHR || type == VType.VBLK) && va.rdev != Vattr.VNOVAL) {
                long dev = DeviceNumbers.netbsd(DeviceNumbers.linuxMajor(va.rdev), DeviceNumbers.linuxMinor(va.rdev));
                ip.edit(mount.fs().sb.layout).setDb(0, dev & 0xffffffffL);
                ip.changed();
            }
        });
    }

    @Override
    public Vnode mkdir(Vnode dvp, Name name, Vattr va, Credentials cred) throws IOException {
        LfsInode dp = ip(dvp);
        if (dp.din.nlink >= LINK_MAX) {
            throw new VfsException(Errno.EMLINK, "directory inode " + dp.ino + " has " + dp.din.nlink + " links");
        }
        return makeInode(dvp, name, va, VType.VDIR, (ip, files, dirs) -> {
            files.write(ip, 0, ByteBuffer.wrap(dirs.firstChunk(ip.ino, dp.ino)));
            LfsLayout l = mount.fs().sb.layout;
            ip.edit(l).setNlink(2);
            ip.changed();
            dp.edit(l).setNlink(dp.din.nlink + 1);
            dp.changed();
        });
    }

    @Override
    public Vnode symlink(Vnode dvp, Name name, Vattr va, byte[] target, Credentials cred) throws IOException {
        return makeInode(dvp, name, va, VType.VLNK, (ip, files, dirs) -> {
            Superblock sb = mount.fs().sb;
            if (target.length < sb.maxsymlinklen) {
                // Short targets live in the block pointers (ulfs_symlink).
                DinodeImage d = ip.edit(sb.layout);
                d.setInlineArea(target);
                d.setSize(target.length);
                ip.changed();
            } else {
                files.write(ip, 0, ByteBuffer.wrap(target));
            }
        });
    }

    @Override
    public void remove(Vnode dvp, Vnode vp, Name name, Credentials cred) throws IOException {
        LfsInode dp = ip(dvp);
        LfsInode ip = ip(vp);
        if (ip.type == VType.VDIR) {
            throw new VfsException(Errno.EPERM, "inode " + ip.ino + " is a directory");
        }
        changing(true, (files, dirs, alloc) -> {
            dirs.remove(dp, name);
            dropLink(ip);
            return null;
        });
    }

    private void dropLink(LfsInode ip) {
        DinodeImage d = ip.edit(mount.fs().sb.layout);
        d.setNlink(Math.max(0, ip.din.nlink - 1));
        Timespec now = mount.mount().host().now();
        d.setCtime(now.sec(), now.nsec());
        ip.changed();
        mount.markDirty(ip);
    }

    @Override
    public void link(Vnode dvp, Vnode vp, Name name, Credentials cred) throws IOException {
        LfsInode dp = ip(dvp);
        LfsInode ip = ip(vp);
        requireDir(dp);
        changing((files, dirs, alloc) -> {
            if (ip.din.nlink >= LINK_MAX) {
                throw new VfsException(Errno.EMLINK, "inode " + ip.ino + " has " + ip.din.nlink + " links");
            }
            if (dirs.contains(dp, name)) {
                throw new VfsException(Errno.EEXIST, "directory inode " + dp.ino + " already has an entry " + name);
            }
            dirs.enter(dp, name, ip.ino, ip.type);
            DinodeImage d = ip.edit(mount.fs().sb.layout);
            d.setNlink(ip.din.nlink + 1);
            Timespec now = mount.mount().host().now();
            d.setCtime(now.sec(), now.nsec());
            ip.changed();
            mount.markDirty(ip);
            return null;
        });
    }

    @Override
    public void rmdir(Vnode dvp, Vnode vp, Name name, Credentials cred) throws IOException {
        LfsInode dp = ip(dvp);
        LfsInode ip = ip(vp);
        requireDir(ip);
        changing(true, (files, dirs, alloc) -> {
            if (!dirs.isEmpty(ip)) {
                throw new VfsException(Errno.ENOTEMPTY, "directory inode " + ip.ino + " is not empty");
            }
            dirs.remove(dp, name);
            LfsLayout l = mount.fs().sb.layout;
            dp.edit(l).setNlink(dp.din.nlink - 1);
            dp.changed();
            // "." and ".." go with it: no links are left (ulfs_rmdir).
            ip.edit(l).setNlink(0);
            Timespec now = mount.mount().host().now();
            ip.edit(l).setCtime(now.sec(), now.nsec());
            ip.changed();
            mount.markDirty(ip);
            mount.markDirty(dp);
            return null;
        });
    }

    @Override
    public void rename(Vnode fdvp, Vnode fvp, Name fname, Vnode tdvp, Vnode tvp, Name tname, Credentials cred)
            throws IOException {
        LfsInode fdp = ip(fdvp);
        LfsInode fip = ip(fvp);
        LfsInode tdp = ip(tdvp);
        LfsInode tip = tvp == null ? null : ip(tvp);
        requireDir(fdp);
        requireDir(tdp);
        changing((files, dirs, alloc) -> {
            LfsLayout l = mount.fs().sb.layout;
            boolean isDir = fip.type == VType.VDIR;
            boolean moved = fdp.ino != tdp.ino;
            if (tip != null && tip.type == VType.VDIR && !dirs.isEmpty(tip)) {
                throw new VfsException(Errno.ENOTEMPTY, "directory inode " + tip.ino + " is not empty");
            }
            if (isDir && moved && tip == null && tdp.din.nlink >= LINK_MAX) {
                throw new VfsException(Errno.EMLINK, "directory inode " + tdp.ino + " has " + tdp.din.nlink + " links");
            }
            if (tip != null) {
                dirs.rewrite(tdp, tname, fip.ino, fip.type);
                if (tip.type == VType.VDIR) {
                    tip.edit(l).setNlink(0);
                    tip.changed();
                    mount.markDirty(tip);
                    // The replaced directory's ".." no longer counts in tdp; fip's (if moved) will.
                    tdp.edit(l).setNlink(tdp.din.nlink - 1);
                    tdp.changed();
                } else {
                    dropLink(tip);
                }
            } else {
                dirs.enter(tdp, tname, fip.ino, fip.type);
            }
            dirs.remove(fdp, fname);
            if (isDir && moved) {
                dirs.rewrite(fip, Name.DOTDOT, tdp.ino, VType.VDIR);
                fdp.edit(l).setNlink(fdp.din.nlink - 1);
                fdp.changed();
                tdp.edit(l).setNlink(tdp.din.nlink + 1);
                tdp.changed();
                mount.markDirty(fdp);
                mount.markDirty(tdp);
            }
            Timespec now = mount.mount().host().now();
            fip.edit(l).setCtime(now.sec(), now.nsec());
            fip.changed();
            mount.markDirty(fip);
            return null;
        });
    }

    /** Frees the inode once its last link and reference are gone (lfs_inactive, lfs_vfree). */
    @Override
    public boolean inactive(Vnode vp) throws IOException {
        LfsInode ip = ip(vp);
        if (mount.writer == null || ip.din.nlink > 0) {
            return false;
        }
        changing((files, dirs, alloc) -> {
            // Once only for this in-core inode: by a second call the number may belong to a new file.
            if (!ip.freed) {
                ip.freed = true;
                alloc.free(ip, files);
            }
            return null;
        });
        return true;
    }

    @Override
    public void reclaim(Vnode vp) {
        // The in-core inode's unwritten changes stay in the mount's dirty set, where vget finds them.
        mount.reclaimed(ip(vp));
    }

    private static void requireDir(LfsInode dp) throws VfsException {
        if (dp.type != VType.VDIR) {
            throw new VfsException(Errno.ENOTDIR, "inode " + dp.ino + " is not a directory");
        }
    }

    @FunctionalInterface
    private interface EntryVisitor {
        boolean visit(DirectoryBlock.Entry e) throws IOException;
    }

    /**
     * Visits the entries of directory {@code dp} from byte offset {@code from} (entries starting
     * before it are skipped) until the visitor returns false or the directory ends.
     */
    private void scan(LfsInode dp, long from, EntryVisitor v) throws IOException {
        LfsFileSystem fs = mount.fs();
        long size = dp.size();
        if (size % DirectoryBlock.DIRBLKSIZ != 0) {
            throw new VfsException(Errno.EIO, "directory inode " + dp.ino + ": size " + size
                    + " is not a multiple of " + DirectoryBlock.DIRBLKSIZ);
        }
        // Directories have no holes, so their size is bounded by the fragments they hold; this
        // also bounds the work a damaged size can cause.
        if (size > dp.din.blocks * fs.sb.fsize || size > fs.sb.size * fs.sb.fsize) {
            throw new VfsException(Errno.EIO, "directory inode " + dp.ino + ": size " + size + " exceeds the "
                    + dp.din.blocks + " fragments it holds");
        }
        // Read a file system block at a time and decode it chunk by chunk.
        int step = fs.sb.bsize;
        ByteBuffer block = ByteBuffer.allocate(step).order(fs.sb.layout.order());
        long first = from - from % DirectoryBlock.DIRBLKSIZ;
        for (long base = first; base < size; base += block.limit()) {
            block.clear();
            block.limit((int) Math.min(step - (base & (step - 1)), size - base));
            int n = fs.read(dp, base, block);
            if (n != block.limit()) {
                throw new VfsException(Errno.EIO, "directory inode " + dp.ino + ": short read at " + base);
            }
            for (int c = 0; c < n; c += DirectoryBlock.DIRBLKSIZ) {
                ByteBuffer chunk = block.duplicate().position(c).limit(c + DirectoryBlock.DIRBLKSIZ).slice()
                        .order(fs.sb.layout.order());
                long off = base + c;
                int pos = 0;
                while (pos < DirectoryBlock.DIRBLKSIZ) {
                    DirectoryBlock.Entry e = DirectoryBlock.decode(fs.sb.layout, chunk, pos, off, dp.ino);
                    pos = (int) (e.nextOffset() - off);
                    if (e.offset() >= from && !v.visit(e)) {
                        return;
                    }
                }
            }
        }
    }
}
