package org.rumpmount.vfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Path-based calls on one mounted file system, made as one caller: the kernel's system-call
 * layer, in the spirit of NetBSD's libukfs. The CLI, the FUSE adapter and programs that embed
 * the kernel all come in here.
 *
 * <p>This layer does, once for every driver, what NetBSD's syscalls and namei do: resolves
 * paths ({@link PathLookup}), takes vnode locks in the documented order (see {@link Vnode}),
 * checks permissions and ownership ({@link Permissions}) and refuses changes to read-only
 * mounts with EROFS. Then it calls the driver's {@link VnodeOps}.
 *
 * <p>Paths are byte strings; a String path is encoded with this facade's charset (UTF-8 unless
 * {@link #withCharset} chose another; ISO-8859-1 maps each char 0-255 to one byte, which lets a
 * caller carry arbitrary bytes in a String). Relative paths are taken from the mount's root.
 * Instances are immutable and thread-safe.
 */
public final class PathFacade {
    /** utimens: set this time to now. */
    public static final Timespec UTIME_NOW = new Timespec(Long.MIN_VALUE, 999_999_998);
    /** utimens: leave this time alone. */
    public static final Timespec UTIME_OMIT = new Timespec(Long.MIN_VALUE, 999_999_999);

    /** The longest symbolic link target, in bytes (MAXPATHLEN - 1). */
    static final int MAX_SYMLINK_TARGET = PathLookup.MAXPATHLEN - 1;

    private final Mount mount;
    private final Credentials cred;
    private final Charset charset;
    private final PathLookup lookup;

    public PathFacade(Mount mount, Credentials cred) {
        this(mount, cred, StandardCharsets.UTF_8);
    }

    private PathFacade(Mount mount, Credentials cred, Charset charset) {
        this.mount = mount;
        this.cred = cred;
        this.charset = charset;
        this.lookup = new PathLookup(mount, cred);
    }

    /** The same mount, called as {@code other}. */
    public PathFacade as(Credentials other) {
        return new PathFacade(mount, other, charset);
    }

    /** The same mount and caller, with String paths encoded in {@code cs}. */
    public PathFacade withCharset(Charset cs) {
        return new PathFacade(mount, cred, cs);
    }

    public Mount mount() {
        return mount;
    }

    public Credentials credentials() {
        return cred;
    }

    public Charset charset() {
        return charset;
    }

    private byte[] bytes(String path) {
        return path.getBytes(charset);
    }

    // ---- lookup and attributes -------------------------------------------------------------

    /** The vnode {@code path} names, referenced; the caller closes it. */
    public Vnode lookup(String path, boolean followLast) throws IOException {
        return lookup.resolve(bytes(path), followLast);
    }

    /** Attributes of what {@code path} names, following a final symbolic link. */
    public Vattr stat(String path) throws IOException {
        try (Vnode vp = lookup(path, true)) {
            return getattr(vp);
        }
    }

    /** Attributes of what {@code path} names, not following a final symbolic link. */
    public Vattr lstat(String path) throws IOException {
        try (Vnode vp = lookup(path, false)) {
            return getattr(vp);
        }
    }

    static Vattr getattr(Vnode vp) throws IOException {
        try (Vnode.Locked l = vp.lock(Vnode.LockMode.SHARED)) {
            return vp.ops().getattr(vp);
        }
    }

    /**
     * access(2): checks {@link Access} bits for this caller ({@code 0} checks existence only).
     * EACCES when refused; EROFS for write access to a file on a read-only mount.
     */
    public void access(String path, int accmode) throws IOException {
        try (Vnode vp = lookup(path, true)) {
            try (Vnode.Locked l = vp.lock(Vnode.LockMode.SHARED)) {
                Vattr va = vp.ops().getattr(vp);
                if ((accmode & (Access.VWRITE | Access.VAPPEND)) != 0 && mount.isReadOnly()
                        && (va.type == VType.VREG || va.type == VType.VDIR || va.type == VType.VLNK)) {
                    throw new VfsException(Errno.EROFS, path + ": read-only file system");
                }
                if (accmode != 0) {
                    FileFlags.checkAccess(va, accmode, path);
                    Permissions.check(va, cred, accmode, path);
                    vp.ops().access(vp, accmode, cred);
                }
            }
        }
    }

    public StatVfs statvfs() throws IOException {
        return mount.vfsOps().statvfs();
    }

    // ---- files -----------------------------------------------------------------------------

    /**
     * open(2) with {@link OpenFlags}: O_CREAT (with {@code mode}), O_EXCL, O_TRUNC, O_APPEND,
     * O_DIRECTORY, O_NOFOLLOW. Returns an open handle; reads and writes through it are not
     * re-checked against the file's permissions, as with a file descriptor.
     */
    public FileHandle open(String path, int flags, int mode) throws IOException {
        byte[] p = bytes(path);
        boolean created = false;
        Vnode vp;
        if ((flags & OpenFlags.O_CREAT) != 0) {
            Created c = createOrFind(p, flags, mode);
            vp = c.vnode;
            created = c.created;
        } else {
            vp = lookup.resolve(p, (flags & OpenFlags.O_NOFOLLOW) == 0);
        }
        try {
            if (vp.type() == VType.VLNK) {
                throw new VfsException(Errno.ELOOP, path + ": is a symbolic link (O_NOFOLLOW)");
            }
            boolean wantWrite = OpenFlags.writable(flags) || (flags & OpenFlags.O_TRUNC) != 0;
            if ((flags & OpenFlags.O_DIRECTORY) != 0 && vp.type() != VType.VDIR) {
                throw new VfsException(Errno.ENOTDIR, path + ": not a directory");
            }
            if (vp.type() == VType.VDIR && wantWrite) {
                throw new VfsException(Errno.EISDIR, path + ": is a directory");
            }
            if (wantWrite && mount.isReadOnly()) {
                throw new VfsException(Errno.EROFS, path + ": read-only file system");
            }
            try (Vnode.Locked l = vp.lock(wantWrite ? Vnode.LockMode.EXCLUSIVE : Vnode.LockMode.SHARED)) {
                Vattr va = vp.ops().getattr(vp);
                if (!created) {
                    int acc = (OpenFlags.readable(flags) ? Access.VREAD : 0) | (wantWrite ? Access.VWRITE : 0);
                    FileFlags.checkAccess(va, acc, path);
                    Permissions.check(va, cred, acc, path);
                    vp.ops().access(vp, acc, cred);
                    FileFlags.checkOpen(va, flags, path);
                }
                if ((flags & OpenFlags.O_TRUNC) != 0 && vp.type() == VType.VREG && va.size != 0) {
                    Vattr t = Vattr.forSetattr();
                    t.size = 0;
                    vp.ops().setattr(vp, t, cred);
                }
                vp.ops().open(vp, flags, cred);
            }
            return new FileHandle(this, vp, flags);
        } catch (IOException | RuntimeException e) {
            vp.close();
            throw e;
        }
    }

    private record Created(Vnode vnode, boolean created) {
    }

    private Created createOrFind(byte[] p, int flags, int mode) throws IOException {
        return createOrFind(p, flags, mode, 0);
    }

    /**
     * As open(2) with O_CREAT: a final symbolic link is followed to where it points, and a
     * missing target is created there (POSIX; NetBSD and Linux alike), counting links toward
     * MAXSYMLINKS.
     */
    private Created createOrFind(byte[] p, int flags, int mode, int links) throws IOException {
        try (PathLookup.Parent parent = lookup.resolveParent(p)) {
            if (parent.namesExistingDirectory()) {
                if ((flags & OpenFlags.O_EXCL) != 0) {
                    throw new VfsException(Errno.EEXIST, PathLookup.display(p) + ": exists");
                }
                return new Created(lookup.resolve(p, true), false);
            }
            Vnode dvp = parent.dir();
            Vnode existing;
            try (Vnode.Locked l = dvp.lock(Vnode.LockMode.EXCLUSIVE)) {
                Vattr dva = dvp.ops().getattr(dvp);
                Permissions.check(dva, cred, Access.VEXEC, () -> PathLookup.display(p));
                existing = lookupOrNull(dvp, parent.last());
                if (existing == null) {
                    if (parent.trailingSlash()) {
                        throw new VfsException(Errno.EISDIR, PathLookup.display(p) + ": trailing slash on a file to create");
                    }
                    checkWritableDir(dva, p);
                    Vattr va = newAttr(VType.VREG, mode, dva);
                    return new Created(dvp.ops().create(dvp, parent.last(), va, cred), true);
                }
            }
            try {
                if ((flags & OpenFlags.O_EXCL) != 0) {
                    throw new VfsException(Errno.EEXIST, PathLookup.display(p) + ": exists");
                }
                if (existing.type() == VType.VLNK && (flags & OpenFlags.O_NOFOLLOW) == 0) {
                    byte[] target;
                    try (Vnode.Locked l = existing.lock(Vnode.LockMode.SHARED)) {
                        target = existing.ops().readlink(existing);
                    }
                    existing.close();
                    existing = null;
                    if (links >= PathLookup.MAXSYMLINKS) {
                        throw new VfsException(Errno.ELOOP, PathLookup.display(p) + ": more than "
                                + PathLookup.MAXSYMLINKS + " symbolic links");
                    }
                    if (target.length == 0) {
                        throw new VfsException(Errno.ENOENT, PathLookup.display(p) + ": empty symbolic link target");
                    }
                    return createOrFind(linkTargetPath(p, target), flags, mode, links + 1);
                }
                Vnode found = existing;
                existing = null;
                return new Created(found, false);
            } finally {
                if (existing != null) {
                    existing.close();
                }
            }
        }
    }

    /**
     * The path a symbolic link at {@code p} leads to: its target when absolute, else the target
     * taken from the directory holding the link (p without its last component).
     */
    private static byte[] linkTargetPath(byte[] p, byte[] target) {
        if (target[0] == '/') {
            return target;
        }
        int end = p.length;
        while (end > 0 && p[end - 1] == '/') {
            end--;
        }
        int slash = end - 1;
        while (slash >= 0 && p[slash] != '/') {
            slash--;
        }
        byte[] out = new byte[slash + 1 + target.length];
        System.arraycopy(p, 0, out, 0, slash + 1);
        System.arraycopy(target, 0, out, slash + 1, target.length);
        return out;
    }

    /** Reads a whole regular file. */
    public byte[] readAll(String path) throws IOException {
        try (FileHandle fh = open(path, OpenFlags.O_RDONLY, 0)) {
            long size = fh.getattr().size;
            if (size > Integer.MAX_VALUE - 8) {
                throw new VfsException(Errno.EFBIG, path + ": " + size + " bytes is too large to read into memory");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining()) {
                if (fh.read(buf.position(), buf) == 0) {
                    break;
                }
            }
            byte[] out = new byte[buf.position()];
            buf.flip().get(out);
            return out;
        }
    }

    /** Creates or truncates {@code path} (mode 0644 when created) and writes {@code data}. */
    public void writeAll(String path, byte[] data) throws IOException {
        try (FileHandle fh = open(path, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_TRUNC, 0644)) {
            fh.write(0, ByteBuffer.wrap(data));
        }
    }

    /** pread(2) on {@code path}. */
    public int read(String path, long offset, ByteBuffer dst) throws IOException {
        try (FileHandle fh = open(path, OpenFlags.O_RDONLY, 0)) {
            return fh.read(offset, dst);
        }
    }

    /** pwrite(2) on {@code path}. */
    public int write(String path, long offset, ByteBuffer src) throws IOException {
        try (FileHandle fh = open(path, OpenFlags.O_WRONLY, 0)) {
            return fh.write(offset, src);
        }
    }

    /** truncate(2): needs write permission; EISDIR on a directory, EINVAL for a negative size. */
    public void truncate(String path, long size) throws IOException {
        try (Vnode vp = lookup(path, true)) {
            try (Vnode.Locked l = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
                Vattr va = vp.ops().getattr(vp);
                if (va.type == VType.VDIR) {
                    throw new VfsException(Errno.EISDIR, path + ": is a directory");
                }
                if (size < 0) {
                    throw new VfsException(Errno.EINVAL, path + ": negative size " + size);
                }
                if (va.type != VType.VREG) {
                    throw new VfsException(Errno.EINVAL, path + ": not a regular file");
                }
                checkNotReadOnly(path);
                FileFlags.checkAccess(va, Access.VWRITE, path);
                Permissions.check(va, cred, Access.VWRITE, path);
                vp.ops().access(vp, Access.VWRITE, cred);
                FileFlags.checkAttributeChange(va, path);
                Vattr t = Vattr.forSetattr();
                t.size = size;
                vp.ops().setattr(vp, t, cred);
            }
        }
    }

    // ---- the name space --------------------------------------------------------------------

    /** mkdir(2). EEXIST when the name exists (a symbolic link included). */
    public void mkdir(String path, int mode) throws IOException {
        byte[] p = bytes(path);
        try (PathLookup.Parent parent = lookup.resolveParent(p)) {
            if (parent.namesExistingDirectory()) {
                throw new VfsException(Errno.EEXIST, path + ": exists");
            }
            Vnode dvp = parent.dir();
            try (Vnode.Locked l = dvp.lock(Vnode.LockMode.EXCLUSIVE)) {
                Vattr dva = prepareCreate(dvp, parent.last(), p);
                Vattr va = newAttr(VType.VDIR, mode, dva);
                dvp.ops().mkdir(dvp, parent.last(), va, cred).close();
            }
        }
    }

    /** mknod(2)/mkfifo(3): VFIFO and VSOCK for anyone, devices for root only (EPERM). */
    public void mknod(String path, VType type, int mode, long rdev) throws IOException {
        byte[] p = bytes(path);
        if (type != VType.VFIFO && type != VType.VCHR && type != VType.VBLK && type != VType.VSOCK && type != VType.VREG) {
            throw new VfsException(Errno.EINVAL, path + ": mknod of type " + type);
        }
        if ((type == VType.VCHR || type == VType.VBLK) && !cred.isRoot()) {
            throw new VfsException(Errno.EPERM, path + ": only root may create device nodes");
        }
        try (PathLookup.Parent parent = lookup.resolveParent(p)) {
            if (parent.namesExistingDirectory()) {
                throw new VfsException(Errno.EEXIST, path + ": exists");
            }
            if (parent.trailingSlash()) {
                throw new VfsException(Errno.ENOTDIR, path + ": trailing slash");
            }
            Vnode dvp = parent.dir();
            try (Vnode.Locked l = dvp.lock(Vnode.LockMode.EXCLUSIVE)) {
                Vattr dva = prepareCreate(dvp, parent.last(), p);
                Vattr va = newAttr(type, mode, dva);
                va.rdev = (type == VType.VCHR || type == VType.VBLK) ? rdev : 0;
                Vnode vp = type == VType.VREG
                        ? dvp.ops().create(dvp, parent.last(), va, cred)
                        : dvp.ops().mknod(dvp, parent.last(), va, cred);
                vp.close();
            }
        }
    }

    /** symlink(2): a link at {@code linkPath} holding {@code target}. */
    public void symlink(String target, String linkPath) throws IOException {
        byte[] t = bytes(target);
        byte[] p = bytes(linkPath);
        if (t.length == 0) {
            throw new VfsException(Errno.ENOENT, linkPath + ": empty symbolic link target");
        }
        if (t.length > MAX_SYMLINK_TARGET) {
            throw new VfsException(Errno.ENAMETOOLONG, linkPath + ": symbolic link target of " + t.length
                    + " bytes (limit " + MAX_SYMLINK_TARGET + ")");
        }
        try (PathLookup.Parent parent = lookup.resolveParent(p)) {
            if (parent.namesExistingDirectory()) {
                throw new VfsException(Errno.EEXIST, linkPath + ": exists");
            }
            Vnode dvp = parent.dir();
            try (Vnode.Locked l = dvp.lock(Vnode.LockMode.EXCLUSIVE)) {
                Vattr dva = prepareCreate(dvp, parent.last(), p);
                if (parent.trailingSlash()) {
                    throw new VfsException(Errno.ENOENT, linkPath + ": trailing slash on a new symbolic link");
                }
                Vattr va = newAttr(VType.VLNK, 0777, dva);
                dvp.ops().symlink(dvp, parent.last(), va, t, cred).close();
            }
        }
    }

    /** readlink(2): the target's bytes. EINVAL when not a symbolic link. */
    public byte[] readlink(String path) throws IOException {
        try (Vnode vp = lookup(path, false)) {
            if (vp.type() != VType.VLNK) {
                throw new VfsException(Errno.EINVAL, path + ": not a symbolic link");
            }
            try (Vnode.Locked l = vp.lock(Vnode.LockMode.SHARED)) {
                return vp.ops().readlink(vp);
            }
        }
    }

    /** unlink(2). EPERM for a directory, as NetBSD. */
    public void unlink(String path) throws IOException {
        byte[] p = bytes(path);
        try (PathLookup.Parent parent = lookup.resolveParent(p)) {
            if (parent.namesExistingDirectory()) {
                throw new VfsException(Errno.EPERM, path + ": is a directory");
            }
            Vnode dvp = parent.dir();
            try (Vnode.Locked l = dvp.lock(Vnode.LockMode.EXCLUSIVE)) {
                Vattr dva = dvp.ops().getattr(dvp);
                Permissions.check(dva, cred, Access.VEXEC, path);
                try (Vnode vp = dvp.ops().lookup(dvp, parent.last());
                     Vnode.Locked lv = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
                    if (vp.type() == VType.VDIR) {
                        throw new VfsException(Errno.EPERM, path + ": is a directory");
                    }
                    if (parent.trailingSlash()) {
                        throw new VfsException(Errno.ENOTDIR, path + ": not a directory");
                    }
                    checkNotReadOnly(path);
                    FileFlags.checkAccess(dva, Access.VWRITE, path);
                    Permissions.check(dva, cred, Access.VWRITE | Access.VEXEC, path);
                    Vattr va = vp.ops().getattr(vp);
                    FileFlags.checkRemove(dva, va, path);
                    Permissions.checkSticky(dva, va, cred, path);
                    dvp.ops().remove(dvp, vp, parent.last(), cred);
                }
            }
        }
    }

    /** rmdir(2). EINVAL for ".", ENOTEMPTY for "..", EBUSY for the root. */
    public void rmdir(String path) throws IOException {
        byte[] p = bytes(path);
        try (PathLookup.Parent parent = lookup.resolveParent(p)) {
            if (parent.isRoot()) {
                throw new VfsException(Errno.EBUSY, path + ": is the root of the file system");
            }
            if (parent.last().isDot()) {
                throw new VfsException(Errno.EINVAL, path + ": cannot remove '.'");
            }
            if (parent.last().isDotDot()) {
                throw new VfsException(Errno.ENOTEMPTY, path + ": cannot remove '..'");
            }
            Vnode dvp = parent.dir();
            try (Vnode.Locked l = dvp.lock(Vnode.LockMode.EXCLUSIVE)) {
                Vattr dva = dvp.ops().getattr(dvp);
                Permissions.check(dva, cred, Access.VEXEC, path);
                try (Vnode vp = dvp.ops().lookup(dvp, parent.last());
                     Vnode.Locked lv = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
                    if (vp.type() != VType.VDIR) {
                        throw new VfsException(Errno.ENOTDIR, path + ": not a directory");
                    }
                    checkNotReadOnly(path);
                    FileFlags.checkAccess(dva, Access.VWRITE, path);
                    Permissions.check(dva, cred, Access.VWRITE | Access.VEXEC, path);
                    Vattr va = vp.ops().getattr(vp);
                    FileFlags.checkRemove(dva, va, path);
                    Permissions.checkSticky(dva, va, cred, path);
                    dvp.ops().rmdir(dvp, vp, parent.last(), cred);
                }
            }
        }
    }

    /** link(2): a new name for a non-directory (not following a final symbolic link, as Linux). */
    public void link(String existing, String newPath) throws IOException {
        byte[] np = bytes(newPath);
        try (Vnode vp = lookup(existing, false)) {
            if (vp.type() == VType.VDIR) {
                throw new VfsException(Errno.EPERM, existing + ": hard links to directories are not allowed");
            }
            try (PathLookup.Parent parent = lookup.resolveParent(np)) {
                if (parent.namesExistingDirectory()) {
                    throw new VfsException(Errno.EEXIST, newPath + ": exists");
                }
                Vnode dvp = parent.dir();
                // Directory before the leaf it gains an entry for: the documented lock order.
                try (Vnode.Locked l = dvp.lock(Vnode.LockMode.EXCLUSIVE)) {
                    prepareCreate(dvp, parent.last(), np);
                    if (parent.trailingSlash()) {
                        throw new VfsException(Errno.ENOENT, newPath + ": trailing slash on a new link");
                    }
                    try (Vnode.Locked lv = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
                        FileFlags.checkLink(vp.ops().getattr(vp), existing);
                        dvp.ops().link(dvp, vp, parent.last(), cred);
                    }
                }
            }
        }
    }

    /**
     * rename(2), in every POSIX case. Holds the mount's rename lock throughout, so the shape of
     * the directory tree cannot change under the ancestry checks.
     */
    public void rename(String from, String to) throws IOException {
        new Rename(mount, cred, lookup, bytes(from), bytes(to)).run();
    }

    /** Every entry of a directory, "." and ".." included, in the driver's order. */
    public List<Dirent> readdir(String path) throws IOException {
        List<Dirent> out = new ArrayList<>();
        readdir(path, 0, e -> out.add(e));
        return out;
    }

    /** Lists a directory from {@code cookie} into {@code sink}. Needs read permission. */
    public void readdir(String path, long cookie, DirentSink sink) throws IOException {
        try (Vnode vp = lookup(path, true)) {
            readdir(vp, cookie, sink);
        }
    }

    void readdir(Vnode vp, long cookie, DirentSink sink) throws IOException {
        try (Vnode.Locked l = vp.lock(Vnode.LockMode.SHARED)) {
            Vattr va = vp.ops().getattr(vp);
            if (va.type != VType.VDIR) {
                throw new VfsException(Errno.ENOTDIR, "inode " + vp.fileid() + ": not a directory");
            }
            Permissions.check(va, cred, Access.VREAD, "directory inode " + vp.fileid());
            vp.ops().readdir(vp, cookie, sink);
        }
    }

    // ---- attribute changes -----------------------------------------------------------------

    /**
     * chmod(2): owner or root. A caller who is not root and not in the file's group cannot set
     * set-group-ID; the bit is silently dropped, as Linux does.
     */
    public void chmod(String path, int mode) throws IOException {
        try (Vnode vp = lookup(path, true)) {
            chmod(vp, mode, path);
        }
    }

    void chmod(Vnode vp, int mode, String what) throws IOException {
        try (Vnode.Locked l = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
            Vattr va = vp.ops().getattr(vp);
            checkNotReadOnly(what);
            FileFlags.checkAttributeChange(va, what);
            Permissions.checkOwner(va, cred, what);
            int m = mode & 07777;
            if (!cred.isRoot() && !cred.isMember(va.gid)) {
                m &= ~Permissions.S_ISGID;
            }
            Vattr t = Vattr.forSetattr();
            t.mode = m;
            vp.ops().setattr(vp, t, cred);
        }
    }

    /** chown(2), following a final symbolic link; {@link Vattr#VNOVAL} leaves an id alone. */
    public void chown(String path, long uid, long gid) throws IOException {
        try (Vnode vp = lookup(path, true)) {
            chown(vp, uid, gid, path);
        }
    }

    /** lchown(2): as chown, on a symbolic link itself. */
    public void lchown(String path, long uid, long gid) throws IOException {
        try (Vnode vp = lookup(path, false)) {
            chown(vp, uid, gid, path);
        }
    }

    void chown(Vnode vp, long uid, long gid, String what) throws IOException {
        try (Vnode.Locked l = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
            Vattr va = vp.ops().getattr(vp);
            checkNotReadOnly(what);
            checkId(uid, what);
            checkId(gid, what);
            FileFlags.checkAttributeChange(va, what);
            Permissions.checkChown(va, cred, uid, gid, what);
            Vattr t = Vattr.forSetattr();
            t.uid = uid;
            t.gid = gid;
            // A non-root chown clears set-user-ID and set-group-ID (NetBSD ufs_chown).
            if (!cred.isRoot() && (va.mode & (Permissions.S_ISUID | Permissions.S_ISGID)) != 0 && va.type != VType.VDIR) {
                t.mode = va.mode & ~(Permissions.S_ISUID | Permissions.S_ISGID);
            }
            vp.ops().setattr(vp, t, cred);
        }
    }

    private static void checkId(long id, String what) throws VfsException {
        if (id != Vattr.VNOVAL && (id < 0 || id > 0xffffffffL)) {
            throw new VfsException(Errno.EINVAL, what + ": id " + id + " out of range");
        }
    }

    /** chflags(2) bits only root may change: the system flags (SF_*), the high 16 bits. */
    public static final long SF_SETTABLE = FileFlags.SF_SETTABLE;

    /**
     * chflags(2), following a final symbolic link: sets the file flags to {@code flags} (UF_* and
     * SF_* bits, as NetBSD's sys/stat.h). The owner or root may; only root changes system flags
     * (EPERM); see {@link FileFlags} for the rules and for what the flags forbid.
     */
    public void chflags(String path, long flags) throws IOException {
        try (Vnode vp = lookup(path, true)) {
            chflags(vp, flags, path);
        }
    }

    /** lchflags(2): as {@link #chflags}, on a symbolic link itself. */
    public void lchflags(String path, long flags) throws IOException {
        try (Vnode vp = lookup(path, false)) {
            chflags(vp, flags, path);
        }
    }

    void chflags(Vnode vp, long flags, String what) throws IOException {
        if (flags < 0 || flags > 0xffffffffL) {
            throw new VfsException(Errno.EINVAL, what + ": flags 0x" + Long.toHexString(flags) + " beyond 32 bits");
        }
        try (Vnode.Locked l = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
            Vattr va = vp.ops().getattr(vp);
            checkNotReadOnly(what);
            FileFlags.checkChflags(va, flags, cred, what);
            Vattr t = Vattr.forSetattr();
            t.flags = flags;
            vp.ops().setattr(vp, t, cred);
        }
    }

    /**
     * utimensat(2): {@code null} or {@link #UTIME_OMIT} leaves a time alone, {@link #UTIME_NOW}
     * sets it to now. Setting both to now needs ownership or write permission; any explicit
     * time needs ownership (or root).
     */
    public void utimens(String path, Timespec atime, Timespec mtime) throws IOException {
        try (Vnode vp = lookup(path, true)) {
            utimens(vp, atime, mtime, path);
        }
    }

    /** utimensat(2) with AT_SYMLINK_NOFOLLOW: as {@link #utimens}, on a symbolic link itself. */
    public void lutimens(String path, Timespec atime, Timespec mtime) throws IOException {
        try (Vnode vp = lookup(path, false)) {
            utimens(vp, atime, mtime, path);
        }
    }

    void utimens(Vnode vp, Timespec atime, Timespec mtime, String what) throws IOException {
        boolean omitA = atime == null || UTIME_OMIT.equals(atime);
        boolean omitM = mtime == null || UTIME_OMIT.equals(mtime);
        if (omitA && omitM) {
            return;
        }
        try (Vnode.Locked l = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
            Vattr va = vp.ops().getattr(vp);
            checkNotReadOnly(what);
            FileFlags.checkAttributeChange(va, what);
            boolean onlyNow = (omitA || UTIME_NOW.equals(atime)) && (omitM || UTIME_NOW.equals(mtime));
            if (onlyNow) {
                if (!cred.isRoot() && !Permissions.isOwner(va, cred)) {
                    Permissions.check(va, cred, Access.VWRITE, what);
                }
            } else {
                Permissions.checkOwner(va, cred, what);
            }
            Timespec now = mount.host().now();
            Vattr t = Vattr.forSetattr();
            t.atime = omitA ? null : UTIME_NOW.equals(atime) ? now : atime;
            t.mtime = omitM ? null : UTIME_NOW.equals(mtime) ? now : mtime;
            if (onlyNow) {
                t.vaflags |= Vattr.VA_UTIMES_NULL;
            }
            vp.ops().setattr(vp, t, cred);
        }
    }

    // ---- durability ------------------------------------------------------------------------

    /** fsync(2) on {@code path}. */
    public void fsync(String path) throws IOException {
        try (Vnode vp = lookup(path, true)) {
            try (Vnode.Locked l = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
                vp.ops().fsync(vp, false);
            }
        }
    }

    /** sync(2) for this mount. */
    public void sync() throws IOException {
        if (!mount.isReadOnly()) {
            mount.vfsOps().sync(true);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** The checks before adding a name to locked directory {@code dvp}; returns its attributes. */
    private Vattr prepareCreate(Vnode dvp, Name name, byte[] path) throws IOException {
        Vattr dva = dvp.ops().getattr(dvp);
        Permissions.check(dva, cred, Access.VEXEC, () -> PathLookup.display(path));
        Vnode existing = lookupOrNull(dvp, name);
        if (existing != null) {
            existing.close();
            throw new VfsException(Errno.EEXIST, PathLookup.display(path) + ": exists");
        }
        checkWritableDir(dva, path);
        return dva;
    }

    private void checkWritableDir(Vattr dva, byte[] path) throws VfsException {
        if (dva.nlink == 0) {
            throw new VfsException(Errno.ENOENT, PathLookup.display(path) + ": directory has been removed");
        }
        if (mount.isReadOnly()) {
            checkNotReadOnly(PathLookup.display(path));
        }
        if (FileFlags.of(dva) != 0) {
            FileFlags.checkAccess(dva, Access.VWRITE, PathLookup.display(path));
        }
        Permissions.check(dva, cred, Access.VWRITE | Access.VEXEC, () -> PathLookup.display(path));
    }

    static Vnode lookupOrNull(Vnode dvp, Name name) throws IOException {
        try {
            return dvp.ops().lookup(dvp, name);
        } catch (VfsException e) {
            if (e.errno() == Errno.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Attributes of a new file: owner the caller, group the directory's (BSD semantics), mode
     * as given, without set-group-ID when the caller is not in that group.
     */
    private Vattr newAttr(VType type, int mode, Vattr dva) {
        Vattr va = new Vattr();
        va.type = type;
        va.mode = mode & 07777;
        va.uid = cred.uid();
        va.gid = dva.gid;
        if (!cred.isRoot() && !cred.isMember(va.gid)) {
            va.mode &= ~Permissions.S_ISGID;
        }
        return va;
    }

    void checkNotReadOnly(String what) throws VfsException {
        if (mount.isReadOnly()) {
            throw new VfsException(Errno.EROFS, what + ": read-only file system");
        }
    }
}
