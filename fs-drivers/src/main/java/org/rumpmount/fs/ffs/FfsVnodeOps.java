package org.rumpmount.fs.ffs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DeviceNumbers;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.DirentSink;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.IoFlags;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.Vnode;
import org.rumpmount.vfs.VnodeOps;

/**
 * FFS vnode operations (NetBSD's ffs_vnops and the shared ufs_vnops, ufs_lookup, ufs_rename).
 * The read side works on every mount; the write side, on a read-write mount, does the
 * mechanics the kernel leaves to drivers. Metadata is ordered as NetBSD orders it without soft
 * dependencies: a new inode reaches the disk before the entry naming it, an entry goes before the
 * link count that counted it drops, so a crash leaves damage fsck repairs (a leaked inode or
 * block, a link count too high) and never a name for a free inode.
 */
final class FfsVnodeOps implements VnodeOps {
    /** The most links an inode may have (NetBSD's LINK_MAX for FFS). */
    static final int LINK_MAX = 32767;
    private static final int ISUID = 04000;
    private static final int ISGID = 02000;

    private final FfsFileSystem fs;
    private final Mount mount;

    FfsVnodeOps(FfsFileSystem fs, Mount mount) {
        this.fs = fs;
        this.mount = mount;
    }

    /** The referenced vnode of inode {@code ino}, loaded through the mount's vnode cache. */
    Vnode vget(Mount mount, long ino) throws IOException {
        return mount.vnodes().get(ino, vp -> {
            Inode ip = fs.loadInode(vp.fileid());
            vp.setType(ip.type);
            vp.setData(ip);
        });
    }

    private static Inode inode(Vnode vp) {
        return vp.data(Inode.class);
    }

    @Override
    public Vnode lookup(Vnode dvp, Name name) throws IOException {
        Inode dir = inode(dvp);
        if (dir.type != VType.VDIR) {
            throw new VfsException(Errno.ENOTDIR, "lookup of " + name + " in inode " + dir.number
                    + ", which is not a directory");
        }
        if (name.isDot()) {
            return dvp.ref();
        }
        long ino = fs.dirs.lookup(dir, name);
        if (ino < 0) {
            throw new NameNotFound(name, dir.number);
        }
        if (ino == dir.number) {
            return dvp.ref();
        }
        try {
            return vget(dvp.mount(), ino);
        } catch (VfsException e) {
            if (e.errno() == Errno.ENOENT) {
                throw new VfsException(Errno.EIO, "directory inode " + dir.number + " names " + name
                        + " as inode " + ino + ", which is not allocated", e);
            }
            throw e;
        }
    }

    @Override
    public Vattr getattr(Vnode vp) {
        Inode ip = inode(vp);
        Dinode d = ip.din;
        Vattr va = new Vattr();
        va.type = ip.type;
        va.mode = d.mode & 07777;
        va.nlink = d.nlink;
        va.uid = d.uid;
        va.gid = d.gid;
        va.fsid = fs.fsid();
        va.fileid = ip.number;
        va.size = d.size;
        va.blocksize = fs.sb.bsize;
        va.atime = time(d.atime, d.atimensec);
        va.mtime = time(d.mtime, d.mtimensec);
        va.ctime = time(d.ctime, d.ctimensec);
        va.birthtime = d.ufs2 ? time(d.birthtime, d.birthnsec) : Timespec.EPOCH;
        va.gen = d.gen & 0xffffffffL;
        va.flags = d.flags & 0xffffffffL;
        if (ip.type == VType.VCHR || ip.type == VType.VBLK) {
            long raw = d.rawRdev() & 0xffffffffL;
            va.rdev = DeviceNumbers.linux(DeviceNumbers.netbsdMajor(raw), DeviceNumbers.netbsdMinor(raw));
        } else {
            va.rdev = 0;
        }
        va.bytes = d.blocks * 512;
        return va;
    }

    /** A time from disk; nanoseconds outside 0..999999999 (a corrupt inode) read as 0. */
    private static Timespec time(long sec, int nsec) {
        return new Timespec(sec, nsec >= 0 && nsec <= 999_999_999 ? nsec : 0);
    }

    @Override
    public int read(Vnode vp, long offset, ByteBuffer dst, int ioflags, Credentials cred) throws IOException {
        Inode ip = inode(vp);
        if (ip.type == VType.VDIR) {
            throw new VfsException(Errno.EISDIR, "read of directory inode " + ip.number);
        }
        if (ip.type != VType.VREG) {
            throw new VfsException(Errno.EOPNOTSUPP, "read of inode " + ip.number + ", a " + ip.type
                    + ", is not supported");
        }
        if (offset < 0) {
            throw new VfsException(Errno.EINVAL, "read of inode " + ip.number + " at negative offset " + offset);
        }
        return FileReader.read(fs.io, fs.sb, ip, offset, dst, !fs.writable());
    }

    @Override
    public void readdir(Vnode vp, long cookie, DirentSink sink) throws IOException {
        Inode dir = inode(vp);
        if (dir.type != VType.VDIR) {
            throw new VfsException(Errno.ENOTDIR, "readdir of inode " + dir.number + ", which is not a directory");
        }
        if (cookie < 0) {
            throw new VfsException(Errno.EINVAL, "readdir of directory inode " + dir.number + " at cookie " + cookie);
        }
        IOException[] failure = {null};
        fs.dirs.list(dir, cookie, (e, next) -> {
            try {
                Dirent d = new Dirent(Name.ofTrusted(e.name()), e.ino(), typeOf(e), next);
                return sink.accept(d);
            } catch (VfsException x) {
                throw x;
            } catch (IOException x) {
                failure[0] = x;
                return false;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /** The entry's d_type, or for the old format (and DT_UNKNOWN) the type in its inode. */
    private VType typeOf(DirectoryBlock.Entry e) throws VfsException {
        switch (e.type()) {
            case DirectoryBlock.DT_FIFO:
                return VType.VFIFO;
            case DirectoryBlock.DT_CHR:
                return VType.VCHR;
            case DirectoryBlock.DT_DIR:
                return VType.VDIR;
            case DirectoryBlock.DT_BLK:
                return VType.VBLK;
            case DirectoryBlock.DT_REG:
                return VType.VREG;
            case DirectoryBlock.DT_LNK:
                return VType.VLNK;
            case DirectoryBlock.DT_SOCK:
                return VType.VSOCK;
            default:
                VType t = VType.ofMode(fs.readDinode(e.ino()).mode);
                return t == VType.VBAD ? VType.VNON : t;
        }
    }

    @Override
    public byte[] readlink(Vnode vp) throws IOException {
        Inode ip = inode(vp);
        if (ip.type != VType.VLNK) {
            throw new VfsException(Errno.EINVAL, "readlink of inode " + ip.number + ", a " + ip.type
                    + ", not a symbolic link");
        }
        return fs.readlink(ip);
    }

    // ---- write side ---------------------------------------------------------------------------

    private void requireWritable() throws VfsException {
        if (!fs.writable()) {
            throw new VfsException(Errno.EROFS, "FFS volume is mounted read-only");
        }
    }

    private Timespec now() {
        return mount.host().now();
    }

    private static void setMtimeCtime(Dinode d, Timespec t) {
        d.mtime = t.sec();
        d.mtimensec = t.nsec();
        d.ctime = t.sec();
        d.ctimensec = t.nsec();
    }

    private static void setCtime(Dinode d, Timespec t) {
        d.ctime = t.sec();
        d.ctimensec = t.nsec();
    }

    private static int dtype(VType t) {
        return switch (t) {
            case VFIFO -> DirectoryBlock.DT_FIFO;
            case VCHR -> DirectoryBlock.DT_CHR;
            case VDIR -> DirectoryBlock.DT_DIR;
            case VBLK -> DirectoryBlock.DT_BLK;
            case VREG -> DirectoryBlock.DT_REG;
            case VLNK -> DirectoryBlock.DT_LNK;
            case VSOCK -> DirectoryBlock.DT_SOCK;
            default -> DirectoryBlock.DT_UNKNOWN;
        };
    }

    private Inode directory(Vnode dvp, Supplier<String> op) throws VfsException {
        Inode dir = inode(dvp);
        if (dir.type != VType.VDIR) {
            throw new VfsException(Errno.ENOTDIR, op.get() + " in inode " + dir.number + ", which is not a directory");
        }
        if (dir.din.nlink == 0) {
            throw new VfsException(Errno.ENOENT, op.get() + " in directory inode " + dir.number + ", which has been removed");
        }
        return dir;
    }

    /** What a new inode gets before its entry is made: "." and "..", a link target, a device number. */
    @FunctionalInterface
    private interface Filler {
        void fill(Inode ip) throws VfsException;
    }

    /** ufs_makeinode: allocates, fills and writes an inode, then enters it in dvp; undoes all on failure. */
    private Vnode makeInode(Vnode dvp, Name name, Vattr va, VType type, Credentials cred, Filler filler)
            throws IOException {
        requireWritable();
        Inode dir = directory(dvp, () -> "create of " + name);
        if (fs.dirs.lookup(dir, name) >= 0) {
            throw new VfsException(Errno.EEXIST, name + " exists in directory inode " + dir.number);
        }
        boolean isDir = type == VType.VDIR;
        if (isDir && dir.din.nlink >= LINK_MAX) {
            throw new VfsException(Errno.EMLINK, "directory inode " + dir.number + " has " + dir.din.nlink
                    + " links, the most allowed");
        }
        long ino = fs.inodes.alloc(dir.number, isDir);
        Inode ip = null;
        try {
            Dinode old = fs.readDinode(ino);
            if (old.mode != 0) {
                throw new VfsException(Errno.EIO, "inode " + ino + " is free in its cylinder group map but has di_mode 0"
                        + Integer.toOctalString(old.mode));
            }
            Dinode d = new Dinode();
            d.ufs2 = fs.sb.ufs2;
            d.order = fs.sb.order;
            d.gen = old.gen == 0 || old.gen + 1 == 0 ? fs.inodes.newGeneration() : old.gen + 1;
            d.mode = type.ifmt() | (va.mode & 07777);
            d.nlink = isDir ? 2 : 1;
            d.uid = va.uid;
            d.gid = va.gid;
            Timespec t = now();
            d.atime = d.mtime = d.ctime = d.birthtime = t.sec();
            d.atimensec = d.mtimensec = d.ctimensec = d.birthnsec = t.nsec();
            if (!d.ufs2) {
                d.birthtime = 0;
                d.birthnsec = 0;
            }
            ip = new Inode(ino, d, type);
            filler.fill(ip);
            fs.writeInode(ip, true);
            if (isDir) {
                dir.din.nlink++;
                fs.writeInode(dir, true);
            }
            try {
                fs.dirWriter.enter(dir, name, ino, dtype(type), cred);
            } catch (VfsException e) {
                if (isDir) {
                    dir.din.nlink--;
                    fs.writeInode(dir, false);
                }
                throw e;
            }
            setMtimeCtime(dir.din, t);
            fs.writeInode(dir, false);
        } catch (VfsException | RuntimeException e) {
            try {
                if (ip != null) {
                    fs.truncator.truncate(ip, 0, null);
                    ip.din.mode = 0;
                    ip.din.nlink = 0;
                    fs.writeInode(ip, false);
                }
                fs.inodes.free(ino, isDir);
            } catch (VfsException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
        Inode made = ip;
        return dvp.mount().vnodes().get(ino, vp -> {
            vp.setType(made.type);
            vp.setData(made);
        });
    }

    @Override
    public Vnode create(Vnode dvp, Name name, Vattr va, Credentials cred) throws IOException {
        VType t = va.type == null ? VType.VREG : va.type;
        if (t != VType.VREG && t != VType.VSOCK) {
            throw new VfsException(Errno.EINVAL, "create of " + name + " as a " + t + "; use mknod");
        }
        return makeInode(dvp, name, va, t, cred, ip -> { });
    }

    @Override
    public Vnode mknod(Vnode dvp, Name name, Vattr va, Credentials cred) throws IOException {
        VType t = va.type;
        if (t != VType.VFIFO && t != VType.VCHR && t != VType.VBLK && t != VType.VSOCK) {
            throw new VfsException(Errno.EINVAL, "mknod of " + name + " as a " + t);
        }
        return makeInode(dvp, name, va, t, cred, ip -> {
            if (t == VType.VCHR || t == VType.VBLK) {
                long rdev = va.rdev == Vattr.VNOVAL ? 0 : va.rdev;
                long major = DeviceNumbers.linuxMajor(rdev);
                long minor = DeviceNumbers.linuxMinor(rdev);
                if (major > 0xfff || minor > 0xfffff) {
                    throw new VfsException(Errno.EINVAL, "device " + major + "," + minor
                            + " does not fit NetBSD's 32-bit dev_t (major up to 4095, minor up to 1048575)");
                }
                ip.din.db[0] = DeviceNumbers.netbsd(major, minor);
                if (!fs.sb.ufs2) {
                    ip.din.db[0] = (int) ip.din.db[0];
                }
            }
        });
    }

    @Override
    public Vnode mkdir(Vnode dvp, Name name, Vattr va, Credentials cred) throws IOException {
        long parent = dvp.fileid();
        return makeInode(dvp, name, va, VType.VDIR, cred, ip -> fs.dirWriter.initDirectory(ip, parent, cred));
    }

    @Override
    public Vnode symlink(Vnode dvp, Name name, Vattr va, byte[] target, Credentials cred) throws IOException {
        if (target.length == 0 || target.length >= FfsFileSystem.MAXPATHLEN) {
            throw new VfsException(Errno.ENAMETOOLONG, "symlink target of " + target.length + " bytes");
        }
        return makeInode(dvp, name, va, VType.VLNK, cred, ip -> {
            if (target.length < fs.sb.maxsymlinklen) {
                ip.din.setAddressArea(target);
                ip.din.size = target.length;
            } else {
                FileWriter.write(fs, ip, 0, ByteBuffer.wrap(target), cred);
                if (ip.din.size != target.length) {
                    throw new VfsException(Errno.ENOSPC, "no space for the " + target.length + "-byte symlink target");
                }
            }
        });
    }

    @Override
    public void setattr(Vnode vp, Vattr va, Credentials cred) throws IOException {
        requireWritable();
        Inode ip = inode(vp);
        Dinode d = ip.din;
        Timespec t = now();
        if (va.size != Vattr.VNOVAL) {
            if (ip.type == VType.VDIR) {
                throw new VfsException(Errno.EISDIR, "setting the size of directory inode " + ip.number);
            }
            if (ip.type != VType.VREG) {
                throw new VfsException(Errno.EINVAL, "setting the size of inode " + ip.number + ", a " + ip.type);
            }
            if (va.size != d.size) {
                fs.truncator.truncate(ip, va.size, cred);
            }
            d.mtime = t.sec();
            d.mtimensec = t.nsec();
        }
        if (va.flags != Vattr.VNOVAL) {
            d.flags = (int) va.flags;
        }
        if (va.mode != (int) Vattr.VNOVAL) {
            d.mode = (d.mode & Dinode.IFMT) | (va.mode & 07777);
        }
        if (va.uid != Vattr.VNOVAL) {
            d.uid = va.uid;
        }
        if (va.gid != Vattr.VNOVAL) {
            d.gid = va.gid;
        }
        if (va.atime != null) {
            d.atime = va.atime.sec();
            d.atimensec = va.atime.nsec();
        }
        if (va.mtime != null) {
            d.mtime = va.mtime.sec();
            d.mtimensec = va.mtime.nsec();
        }
        if (va.birthtime != null && d.ufs2) {
            d.birthtime = va.birthtime.sec();
            d.birthnsec = va.birthtime.nsec();
        }
        setCtime(d, t);
        fs.writeInode(ip, false);
    }

    @Override
    public int write(Vnode vp, long offset, ByteBuffer src, int ioflags, Credentials cred) throws IOException {
        requireWritable();
        Inode ip = inode(vp);
        if (ip.type == VType.VDIR) {
            throw new VfsException(Errno.EISDIR, "write to directory inode " + ip.number);
        }
        if (ip.type != VType.VREG) {
            throw new VfsException(Errno.EOPNOTSUPP, "write to inode " + ip.number + ", a " + ip.type);
        }
        int n = FileWriter.write(fs, ip, offset, src, cred);
        if (n > 0) {
            Dinode d = ip.din;
            setMtimeCtime(d, now());
            if (cred != null && !cred.isRoot()) {
                d.mode &= ~(ISUID | ISGID);
            }
            fs.writeInode(ip, false);
        }
        if ((ioflags & (IoFlags.IO_SYNC | IoFlags.IO_DSYNC)) != 0) {
            fsync(vp, false);
        }
        return n;
    }

    @Override
    public void fsync(Vnode vp, boolean dataOnly) throws IOException {
        if (!fs.writable()) {
            return;
        }
        fs.flushMetadata();
    }

    @Override
    public void remove(Vnode dvp, Vnode vp, Name name, Credentials cred) throws IOException {
        requireWritable();
        Inode dir = directory(dvp, () -> "remove of " + name);
        Inode ip = inode(vp);
        if (ip.type == VType.VDIR) {
            throw new VfsException(Errno.EPERM, "remove of directory inode " + ip.number + "; use rmdir");
        }
        long ino = fs.dirWriter.remove(dir, name);
        if (ino != ip.number) {
            throw new VfsException(Errno.EIO, "directory inode " + dir.number + " named " + name + " as inode " + ino
                    + ", not the expected " + ip.number);
        }
        Timespec t = now();
        ip.din.nlink--;
        setCtime(ip.din, t);
        fs.writeInode(ip, false);
        setMtimeCtime(dir.din, t);
        fs.writeInode(dir, false);
    }

    @Override
    public void link(Vnode dvp, Vnode vp, Name name, Credentials cred) throws IOException {
        requireWritable();
        Inode dir = directory(dvp, () -> "link of " + name);
        Inode ip = inode(vp);
        if (ip.type == VType.VDIR) {
            throw new VfsException(Errno.EPERM, "hard link to directory inode " + ip.number);
        }
        if (ip.din.nlink >= LINK_MAX) {
            throw new VfsException(Errno.EMLINK, "inode " + ip.number + " has " + ip.din.nlink + " links, the most allowed");
        }
        if (ip.din.nlink == 0) {
            throw new VfsException(Errno.ENOENT, "link to inode " + ip.number + ", which has been removed");
        }
        if (fs.dirs.lookup(dir, name) >= 0) {
            throw new VfsException(Errno.EEXIST, name + " exists in directory inode " + dir.number);
        }
        Timespec t = now();
        ip.din.nlink++;
        setCtime(ip.din, t);
        fs.writeInode(ip, true);
        try {
            fs.dirWriter.enter(dir, name, ip.number, dtype(ip.type), cred);
        } catch (VfsException e) {
            ip.din.nlink--;
            fs.writeInode(ip, false);
            throw e;
        }
        setMtimeCtime(dir.din, t);
        fs.writeInode(dir, false);
    }

    @Override
    public void rmdir(Vnode dvp, Vnode vp, Name name, Credentials cred) throws IOException {
        requireWritable();
        Inode dir = directory(dvp, () -> "rmdir of " + name);
        Inode ip = inode(vp);
        if (ip.type != VType.VDIR) {
            throw new VfsException(Errno.ENOTDIR, "rmdir of inode " + ip.number + ", which is not a directory");
        }
        if (ip.number == dir.number || ip.number == FfsFileSystem.ROOTINO) {
            throw new VfsException(Errno.EINVAL, "rmdir of directory inode " + ip.number + " from itself or the root");
        }
        if (!fs.dirWriter.isEmpty(ip)) {
            throw new VfsException(Errno.ENOTEMPTY, "directory inode " + ip.number + " is not empty");
        }
        fs.dirWriter.remove(dir, name);
        Timespec t = now();
        dir.din.nlink--;
        setMtimeCtime(dir.din, t);
        fs.writeInode(dir, false);
        ip.din.nlink = 0;
        setCtime(ip.din, t);
        fs.writeInode(ip, false);
    }

    @Override
    public void rename(Vnode fdvp, Vnode fvp, Name fname, Vnode tdvp, Vnode tvp, Name tname, Credentials cred)
            throws IOException {
        requireWritable();
        Inode fdir = directory(fdvp, () -> "rename of " + fname);
        Inode tdir = directory(tdvp, () -> "rename to " + tname);
        Inode fip = inode(fvp);
        Inode tip = tvp == null ? null : inode(tvp);
        boolean isDir = fip.type == VType.VDIR;
        boolean moving = fdir.number != tdir.number;
        if (tip != null && tip.number == fip.number) {
            return;
        }
        if (fs.dirs.lookup(fdir, fname) != fip.number) {
            throw new VfsException(Errno.ENOENT, fname + " no longer names inode " + fip.number + " in directory inode "
                    + fdir.number);
        }
        if (tip != null && tip.type == VType.VDIR && !fs.dirWriter.isEmpty(tip)) {
            throw new VfsException(Errno.ENOTEMPTY, "rename onto directory inode " + tip.number + ", which is not empty");
        }
        if (isDir && moving && tip == null && tdir.din.nlink >= LINK_MAX) {
            throw new VfsException(Errno.EMLINK, "directory inode " + tdir.number + " has too many links");
        }
        Timespec t = now();
        // While both names exist the file has one link more; a crash in between leaves a count fsck lowers.
        fip.din.nlink++;
        setCtime(fip.din, t);
        fs.writeInode(fip, true);
        try {
            if (tip == null) {
                if (isDir && moving) {
                    tdir.din.nlink++;
                    fs.writeInode(tdir, true);
                }
                try {
                    fs.dirWriter.enter(tdir, tname, fip.number, dtype(fip.type), cred);
                } catch (VfsException e) {
                    if (isDir && moving) {
                        tdir.din.nlink--;
                        fs.writeInode(tdir, false);
                    }
                    throw e;
                }
            } else {
                fs.dirWriter.rewrite(tdir, tname, fip.number, dtype(fip.type));
                if (tip.type == VType.VDIR) {
                    // The replaced directory's ".." no longer counts toward tdir, and it loses both of its links.
                    if (!(isDir && moving)) {
                        tdir.din.nlink--;
                    }
                    tip.din.nlink = 0;
                } else {
                    tip.din.nlink--;
                    if (isDir && moving) {
                        tdir.din.nlink++;
                    }
                }
                setCtime(tip.din, t);
                fs.writeInode(tip, false);
            }
        } catch (VfsException e) {
            fip.din.nlink--;
            fs.writeInode(fip, false);
            throw e;
        }
        setMtimeCtime(tdir.din, t);
        fs.writeInode(tdir, false);
        fs.dirWriter.remove(fdir, fname);
        fip.din.nlink--;
        if (isDir && moving) {
            fs.dirWriter.rewrite(fip, Name.DOTDOT, tdir.number, DirectoryBlock.DT_DIR);
            fdir.din.nlink--;
        }
        fs.writeInode(fip, false);
        setMtimeCtime(fdir.din, t);
        fs.writeInode(fdir, false);
    }

    @Override
    public boolean inactive(Vnode vp) throws IOException {
        Inode ip = inode(vp);
        if (ip == null || !fs.writable() || ip.din.mode == 0) {
            return ip != null && ip.din.mode == 0;
        }
        if (ip.din.nlink > 0) {
            return false;
        }
        boolean isDir = ip.type == VType.VDIR;
        if (ip.type == VType.VLNK && fs.isFastSymlink(ip)) {
            java.util.Arrays.fill(ip.din.db, 0);
            java.util.Arrays.fill(ip.din.ib, 0);
            ip.din.size = 0;
        } else if (ip.type == VType.VCHR || ip.type == VType.VBLK) {
            ip.din.db[0] = 0;
        } else {
            fs.truncator.truncate(ip, 0, null);
        }
        ip.din.mode = 0;
        ip.din.flags = 0;
        setCtime(ip.din, now());
        fs.writeInode(ip, true);
        fs.inodes.free(ip.number, isDir);
        return true;
    }

    @Override
    public void reclaim(Vnode vp) {
        if (vp.data() instanceof Inode ip) {
            fs.dirs.hashMemory.forget(ip);
        }
        vp.setData(null);
    }
}
