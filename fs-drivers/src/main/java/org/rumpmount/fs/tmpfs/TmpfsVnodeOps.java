package org.rumpmount.fs.tmpfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.DirentSink;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.Vnode;
import org.rumpmount.vfs.VnodeOps;

/**
 * tmpfs's vnode operations (NetBSD's tmpfs_vnops.c). The kernel has checked permissions, names
 * and read-only mounts and holds the vnode locks as {@link VnodeOps} documents; this class does
 * the mechanics on the in-memory nodes.
 */
final class TmpfsVnodeOps implements VnodeOps {
    private static final int S_ISUID = 04000;
    private static final int S_ISGID = 02000;

    private final TmpfsMount tm;

    TmpfsVnodeOps(TmpfsMount tm) {
        this.tm = tm;
    }

    static TmpfsNode node(Vnode vp) {
        return vp.data(TmpfsNode.class);
    }

    static TmpfsNode dirNode(Vnode dvp, String op) throws VfsException {
        TmpfsNode dn = node(dvp);
        if (!dn.isDir()) {
            throw new VfsException(Errno.ENOTDIR, "tmpfs: " + op + ": file " + dn.fileid + " is not a directory");
        }
        return dn;
    }

    @Override
    public Vnode lookup(Vnode dvp, Name name) throws IOException {
        TmpfsNode dn = dirNode(dvp, "lookup");
        if (name.isDot()) {
            return dvp.ref();
        }
        if (name.isDotDot()) {
            if (dn.isRemovedDir()) {
                throw new VfsException(Errno.ENOENT, "tmpfs: directory " + dn.fileid + " has been removed");
            }
            TmpfsNode parent = dn.dir.parent();
            return parent == dn ? dvp.ref() : tm.vnodeOf(parent);
        }
        TmpfsDirent de = dn.dir.lookup(name);
        if (de == null) {
            throw new VfsException(Errno.ENOENT, "tmpfs: no entry '" + name + "' in directory " + dn.fileid);
        }
        return tm.vnodeOf(de.node());
    }

    @Override
    public Vnode create(Vnode dvp, Name name, Vattr va, Credentials cred) throws IOException {
        if (va.type != VType.VREG && va.type != VType.VSOCK) {
            throw new VfsException(Errno.EINVAL, "tmpfs: create makes regular files and sockets, not " + va.type);
        }
        return allocFile(dvp, name, va, cred, null);
    }

    @Override
    public Vnode mknod(Vnode dvp, Name name, Vattr va, Credentials cred) throws IOException {
        if (va.type != VType.VFIFO && va.type != VType.VCHR && va.type != VType.VBLK && va.type != VType.VSOCK) {
            throw new VfsException(Errno.EINVAL, "tmpfs: mknod makes fifos, devices and sockets, not " + va.type);
        }
        return allocFile(dvp, name, va, cred, null);
    }

    @Override
    public Vnode mkdir(Vnode dvp, Name name, Vattr va, Credentials cred) throws IOException {
        Vattr v = va.copy();
        v.type = VType.VDIR;
        return allocFile(dvp, name, v, cred, null);
    }

    @Override
    public Vnode symlink(Vnode dvp, Name name, Vattr va, byte[] target, Credentials cred) throws IOException {
        if (target == null || target.length == 0) {
            throw new VfsException(Errno.ENOENT, "tmpfs: empty symbolic link target for '" + name + "'");
        }
        Vattr v = va.copy();
        v.type = VType.VLNK;
        return allocFile(dvp, name, v, cred, target.clone());
    }

    /** Makes a node of {@code va.type} and enters it as {@code name} in dvp (NetBSD's tmpfs_alloc_file). */
    private Vnode allocFile(Vnode dvp, Name name, Vattr va, Credentials cred, byte[] target) throws IOException {
        TmpfsNode dn = dirNode(dvp, "create '" + name + "'");
        if (dn.isRemovedDir()) {
            throw new VfsException(Errno.ENOENT, "tmpfs: cannot create '" + name + "' in removed directory " + dn.fileid);
        }
        if (name.isDot() || name.isDotDot() || dn.dir.lookup(name) != null) {
            throw new VfsException(Errno.EEXIST, "tmpfs: '" + name + "' already exists in directory " + dn.fileid);
        }
        boolean isDir = va.type == VType.VDIR;
        if (isDir && dn.nlink >= TmpfsNode.LINK_MAX) {
            throw new VfsException(Errno.EMLINK, "tmpfs: directory " + dn.fileid + " has " + dn.nlink
                    + " links, the most allowed");
        }
        int mode = va.mode == (int) Vattr.VNOVAL ? 0 : va.mode;
        long uid = va.uid == Vattr.VNOVAL ? cred.uid() : va.uid;
        long gid = va.gid == Vattr.VNOVAL ? dn.gid : va.gid;
        boolean device = va.type == VType.VCHR || va.type == VType.VBLK;
        long rdev = device && va.rdev != Vattr.VNOVAL ? va.rdev : 0;
        TmpfsNode n = tm.allocNode(va.type, mode, uid, gid, rdev, isDir ? dn : null, target);
        Timespec now = n.ctime;
        dn.dir.add(name, n);
        if (isDir) {
            n.nlink = 2;
            dn.nlink++;
        } else {
            n.nlink = 1;
        }
        dn.touchModified(now);
        return tm.vnodeOf(n);
    }

    @Override
    public void open(Vnode vp, int flags, Credentials cred) throws IOException {
        TmpfsNode n = node(vp);
        switch (n.type) {
            case VREG, VDIR, VLNK -> {
            }
            default -> throw new VfsException(Errno.EOPNOTSUPP, "tmpfs: file " + n.fileid + " is a " + n.type
                    + ", which this file system stores but cannot open");
        }
    }

    @Override
    public Vattr getattr(Vnode vp) {
        return node(vp).attributes(tm.mount().id());
    }

    @Override
    public void setattr(Vnode vp, Vattr va, Credentials cred) throws IOException {
        new TmpfsSetattr(tm, node(vp), va).apply();
    }

    @Override
    public int read(Vnode vp, long offset, ByteBuffer dst, int ioflags, Credentials cred) throws IOException {
        TmpfsNode n = node(vp);
        if (n.type == VType.VDIR) {
            throw new VfsException(Errno.EISDIR, "tmpfs: read of directory " + n.fileid);
        }
        if (n.type != VType.VREG) {
            throw new VfsException(Errno.EINVAL, "tmpfs: read of file " + n.fileid + ", a " + n.type);
        }
        if (offset < 0) {
            throw new VfsException(Errno.EINVAL, "tmpfs: read of file " + n.fileid + " at negative offset " + offset);
        }
        if (!dst.hasRemaining()) {
            return 0; // POSIX: a read of nothing changes no time
        }
        int got = n.data.read(offset, dst);
        n.atime = tm.now();
        return got;
    }

    @Override
    public int write(Vnode vp, long offset, ByteBuffer src, int ioflags, Credentials cred) throws IOException {
        TmpfsNode n = node(vp);
        if (n.type == VType.VDIR) {
            throw new VfsException(Errno.EISDIR, "tmpfs: write to directory " + n.fileid);
        }
        if (n.type != VType.VREG) {
            throw new VfsException(Errno.EINVAL, "tmpfs: write to file " + n.fileid + ", a " + n.type);
        }
        if (offset < 0) {
            throw new VfsException(Errno.EINVAL, "tmpfs: write to file " + n.fileid + " at negative offset " + offset);
        }
        if (!src.hasRemaining()) {
            return 0;
        }
        int done = n.data.write(offset, src, n.fileid);
        n.touchModified(tm.now());
        if (!cred.isRoot()) {
            // A file changed by someone other than the superuser loses its set-id bits, so it
            // cannot become a privileged program with foreign contents.
            n.mode &= ~(S_ISUID | S_ISGID);
        }
        return done;
    }

    /** The data is in memory, where it already is as durable as this file system gets. */
    @Override
    public void fsync(Vnode vp, boolean dataOnly) {
    }

    @Override
    public void remove(Vnode dvp, Vnode vp, Name name, Credentials cred) throws IOException {
        TmpfsNode dn = dirNode(dvp, "remove '" + name + "'");
        TmpfsNode n = node(vp);
        if (n.isDir()) {
            throw new VfsException(Errno.EPERM, "tmpfs: remove of '" + name + "': file " + n.fileid
                    + " is a directory (use rmdir)");
        }
        TmpfsDirent de = entryFor(dn, name, n);
        dn.dir.remove(de);
        Timespec now = tm.now();
        n.nlink--;
        n.touchChanged(now);
        dn.touchModified(now);
    }

    @Override
    public void link(Vnode dvp, Vnode vp, Name name, Credentials cred) throws IOException {
        TmpfsNode dn = dirNode(dvp, "link '" + name + "'");
        TmpfsNode n = node(vp);
        if (vp.mount() != dvp.mount()) {
            throw new VfsException(Errno.EXDEV, "tmpfs: link of '" + name + "' across mounts");
        }
        if (n.isDir()) {
            throw new VfsException(Errno.EPERM, "tmpfs: hard link to directory " + n.fileid);
        }
        if (dn.isRemovedDir()) {
            throw new VfsException(Errno.ENOENT, "tmpfs: cannot link '" + name + "' in removed directory " + dn.fileid);
        }
        if (n.nlink == 0) {
            throw new VfsException(Errno.ENOENT, "tmpfs: file " + n.fileid + " has been removed");
        }
        if (name.isDot() || name.isDotDot() || dn.dir.lookup(name) != null) {
            throw new VfsException(Errno.EEXIST, "tmpfs: '" + name + "' already exists in directory " + dn.fileid);
        }
        if (n.nlink >= TmpfsNode.LINK_MAX) {
            throw new VfsException(Errno.EMLINK, "tmpfs: file " + n.fileid + " has " + n.nlink + " links, the most allowed");
        }
        dn.dir.add(name, n);
        Timespec now = tm.now();
        n.nlink++;
        n.touchChanged(now);
        dn.touchModified(now);
    }

    @Override
    public void rename(Vnode fdvp, Vnode fvp, Name fname, Vnode tdvp, Vnode tvp, Name tname, Credentials cred)
            throws IOException {
        new TmpfsRename(tm, fdvp, fvp, fname, tdvp, tvp, tname).run();
    }

    @Override
    public void rmdir(Vnode dvp, Vnode vp, Name name, Credentials cred) throws IOException {
        TmpfsNode dn = dirNode(dvp, "rmdir '" + name + "'");
        TmpfsNode n = node(vp);
        if (!n.isDir()) {
            throw new VfsException(Errno.ENOTDIR, "tmpfs: rmdir of '" + name + "': file " + n.fileid
                    + " is not a directory");
        }
        if (n == dn) {
            throw new VfsException(Errno.EINVAL, "tmpfs: rmdir of '" + name + "': a directory cannot remove itself");
        }
        TmpfsDirent de = entryFor(dn, name, n);
        if (!n.dir.isEmpty()) {
            throw new VfsException(Errno.ENOTEMPTY, "tmpfs: directory '" + name + "' (file " + n.fileid
                    + ") holds " + n.dir.count() + " entries");
        }
        dn.dir.remove(de);
        Timespec now = tm.now();
        n.nlink = 0;
        n.touchChanged(now);
        dn.nlink--;
        dn.touchModified(now);
    }

    /** The entry {@code name} of {@code dn}, which must refer to {@code n}; ENOENT otherwise. */
    static TmpfsDirent entryFor(TmpfsNode dn, Name name, TmpfsNode n) throws VfsException {
        TmpfsDirent de = dn.dir.lookup(name);
        if (de == null || de.node() != n) {
            throw new VfsException(Errno.ENOENT, "tmpfs: '" + name + "' in directory " + dn.fileid
                    + (de == null ? " does not exist" : " no longer refers to file " + n.fileid));
        }
        return de;
    }

    @Override
    public void readdir(Vnode vp, long cookie, DirentSink sink) throws IOException {
        TmpfsNode dn = dirNode(vp, "readdir");
        if (cookie < 0) {
            throw new VfsException(Errno.EINVAL, "tmpfs: readdir of directory " + dn.fileid + " at bad cookie " + cookie);
        }
        dn.atime = tm.now();
        if (dn.isRemovedDir()) {
            return; // POSIX: a removed directory lists nothing, not even "." and ".."
        }
        if (cookie == TmpfsDirectory.COOKIE_DOT) {
            if (!sink.accept(new Dirent(Name.DOT, dn.fileid, VType.VDIR, TmpfsDirectory.COOKIE_DOTDOT))) {
                return;
            }
            cookie = TmpfsDirectory.COOKIE_DOTDOT;
        }
        if (cookie == TmpfsDirectory.COOKIE_DOTDOT) {
            if (!sink.accept(new Dirent(Name.DOTDOT, dn.dir.parent().fileid, VType.VDIR, TmpfsDirectory.FIRST_SEQ))) {
                return;
            }
        }
        for (TmpfsDirent de : dn.dir.from(cookie)) {
            if (!sink.accept(new Dirent(de.name(), de.node().fileid, de.node().type, de.seq() + 1))) {
                return;
            }
        }
    }

    @Override
    public byte[] readlink(Vnode vp) throws IOException {
        TmpfsNode n = node(vp);
        if (n.type != VType.VLNK) {
            throw new VfsException(Errno.EINVAL, "tmpfs: readlink of file " + n.fileid + ", a " + n.type);
        }
        n.atime = tm.now();
        return n.target.clone();
    }

    /** A file with no links left gives back its storage now and asks to be reclaimed. */
    @Override
    public boolean inactive(Vnode vp) {
        TmpfsNode n = node(vp);
        if (n.nlink > 0) {
            return false;
        }
        if (n.data != null && !n.freed) {
            n.data.free();
        }
        return true;
    }

    @Override
    public void reclaim(Vnode vp) {
        TmpfsNode n = node(vp);
        if (n.nlink == 0) {
            tm.freeNode(n);
        }
    }
}
