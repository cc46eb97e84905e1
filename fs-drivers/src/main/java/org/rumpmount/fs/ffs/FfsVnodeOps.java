package org.rumpmount.fs.ffs;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.rumpmount.vfs.Access;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DeviceNumbers;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.DirentSink;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.Vnode;
import org.rumpmount.vfs.VnodeOps;

/**
 * FFS vnode operations, read side: lookup, getattr, read, readdir, readlink. The write
 * operations keep VnodeOps' defaults (EOPNOTSUPP) until the write side exists; the kernel
 * refuses them earlier with EROFS anyway, since only read-only mounts are allowed.
 */
final class FfsVnodeOps implements VnodeOps {
    /** File flags that forbid writing (UF_IMMUTABLE, UF_APPEND, SF_IMMUTABLE, SF_APPEND). */
    private static final int IMMUTABLE_OR_APPEND = 0x02 | 0x04 | 0x20000 | 0x40000;

    private final FfsFileSystem fs;

    FfsVnodeOps(FfsFileSystem fs) {
        this.fs = fs;
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
            throw new VfsException(Errno.ENOENT, name + " not found in directory inode " + dir.number);
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
    public void access(Vnode vp, int accmode, Credentials cred) throws IOException {
        if ((accmode & Access.VWRITE) != 0 && (inode(vp).din.flags & IMMUTABLE_OR_APPEND) != 0) {
            throw new VfsException(Errno.EPERM, "inode " + vp.fileid() + " is immutable or append-only");
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
        return FileReader.read(fs.io, fs.sb, ip, offset, dst);
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
        fs.dirs.scan(dir, cookie, e -> {
            try {
                Dirent d = new Dirent(Name.ofTrusted(e.name()), e.ino(), typeOf(e), e.offset() + e.reclen());
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
}
