package org.rumpmount.fuse;

import com.kenai.jffi.MemoryIO;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.function.Supplier;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import org.rumpmount.vfs.Access;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.FileHandle;
import org.rumpmount.vfs.OpenFlags;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseContext;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.FuseOperations;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * FUSE requests onto the kernel's path calls: one thin method per operation, each in the same
 * order (credentials of the caller, the call on {@link PathFacade} or an open
 * {@link FileHandle}, the reply), each wrapped in a {@link CallGuard} so that no exception
 * reaches native code.
 *
 * <p>Paths arrive as Strings in the JVM's default charset; see {@link FuseNames}.
 *
 * <p>Not served, on purpose: fallocate (EOPNOTSUPP: the kernel has no preallocation call),
 * extended attributes (the kernel has none; left unregistered, so libfuse answers ENOSYS, which
 * the Linux kernel remembers and turns into EOPNOTSUPP for every later call itself: answering
 * ENOTSUP here instead cost a GETXATTR round trip before every write, when the kernel asks for
 * security.capability), POSIX and BSD locks (left unregistered, so the Linux kernel handles
 * them locally), flush (left unregistered: handles buffer nothing, so a FLUSH at every close(2)
 * had nothing to write and nothing to report; libfuse answers the first one ENOSYS, and the Linux
 * kernel then stops sending it for the whole mount, still writing back its own dirty pages of a
 * shared mapping and reporting their errors at close(2) itself), ioctl, poll and bmap. rename(2) flags
 * (RENAME_NOREPLACE, RENAME_EXCHANGE) never reach this class: libfuse 2 does not implement
 * FUSE_RENAME2, so the Linux kernel answers renameat2 with flags with EINVAL itself.
 */
public final class RumpFuseFs extends FuseStubFS {
    private static final Logger LOG = System.getLogger(RumpFuseFs.class.getName());

    /** Open flags passed on to the kernel; FUSE adds others (O_LARGEFILE) that mean nothing here. */
    private static final int OPEN_FLAGS = OpenFlags.O_ACCMODE | OpenFlags.O_TRUNC | OpenFlags.O_APPEND
            | OpenFlags.O_SYNC | OpenFlags.O_DSYNC;

    private final PathFacade facade;
    private final Supplier<Credentials> caller;
    private final ReportedAttributes reported;
    private final HandleTable handles = new HandleTable();
    private final CallGuard guard;
    private final LongAccumulator largestRead = new LongAccumulator(Math::max, 0);
    private final LongAccumulator largestWrite = new LongAccumulator(Math::max, 0);

    /**
     * Serves {@code facade} (whose mount and credentials are kept; the charset becomes the one
     * FUSE paths arrive in), with each request run as the FUSE caller.
     */
    public RumpFuseFs(PathFacade facade) {
        this(facade, null);
    }

    /**
     * As {@link #RumpFuseFs(PathFacade)}, but with requests run as whoever {@code caller}
     * names; null means the FUSE caller of each request.
     */
    RumpFuseFs(PathFacade facade, Supplier<Credentials> caller) {
        this(facade, caller, ReportedAttributes.NONE);
    }

    /**
     * As {@link #RumpFuseFs(PathFacade, Supplier)}, reporting owners and modes as {@code reported}
     * says. When it overrides them, requests run with full privileges (the Linux kernel has
     * checked them against the reported attributes) and new files are stored as the caller's.
     */
    RumpFuseFs(PathFacade facade, Supplier<Credentials> caller, ReportedAttributes reported) {
        this.reported = Objects.requireNonNull(reported, "reported");
        this.facade = Objects.requireNonNull(facade, "facade").withCharset(FuseNames.pathCharset());
        CallerCredentials creds = new CallerCredentials();
        // libfuse keeps each thread's request context at one address for the thread's life (a
        // thread-specific allocation): one view of it per thread, not one per request.
        ThreadLocal<FuseContext> contexts = ThreadLocal.withInitial(this::getContext);
        this.caller = caller != null ? caller : () -> {
            FuseContext c = contexts.get();
            return creds.of(c.uid.get(), c.gid.get(), c.pid.get());
        };
        this.guard = new CallGuard(LOG, FuseNames.pathCharset());
        // Else libfuse drops a change of one time alone (touch -m, tar x): see UtimeOmitFlag.
        UtimeOmitFlag.set(fuseOperations);
        ReusedStructs.install(this, fuseOperations);
    }

    /** Whether libfuse will pass UTIME_OMIT through to {@link #utimens} (it must). */
    boolean utimeOmitOk() {
        return UtimeOmitFlag.isSet(fuseOperations);
    }

    /** The facade as the caller of the current request (as root when attributes are overridden). */
    private PathFacade fs() {
        return reported.overrides() ? facade.as(Credentials.ROOT) : facade.as(caller.get());
    }

    /**
     * After a create that ran with full privileges (attributes overridden): the new file is
     * stored as owned by the caller, as it would have been without the override. Its group
     * stays the directory's (the BSD rule the kernel applied).
     */
    private void storeAsCallers(String path) throws IOException {
        if (reported.overrides()) {
            Credentials c = caller.get();
            if (!c.isRoot()) {
                facade.as(Credentials.ROOT).lchown(path, c.uid(), Vattr.VNOVAL);
            }
        }
    }

    /** The stat of {@code va} as the host is shown it. */
    private void fillStat(Vattr va, FileStat stat) {
        AttrMapper.fill(va, stat);
        reported.apply(stat);
    }

    /** Handles open now (files opened and not yet released). */
    int openHandles() {
        return handles.size();
    }

    /** The largest read request seen, in bytes: shows what the kernel negotiated. */
    long largestRead() {
        return largestRead.get();
    }

    /** The largest write request seen, in bytes (128 KiB with big_writes, else 4 KiB). */
    long largestWrite() {
        return largestWrite.get();
    }

    /** The operations table libfuse calls, for a {@link FuseSession} (which mounts without jnr-fuse's mount()). */
    FuseOperations operations() {
        return fuseOperations;
    }

    /**
     * Records the mount as jnr-fuse's mount() does when {@link FuseSession} makes it instead: so
     * that jnr-fuse's exit hook (a lazy unmount of {@code mp}, added here as mount() adds it)
     * does not leave a dead mount behind a JVM that exits without unmounting.
     */
    void adoptMount(Path mp) {
        if (!mounted.compareAndSet(false, true)) {
            throw new IllegalStateException("already mounted on " + mountPoint);
        }
        mountPoint = mp;
        java.lang.Runtime.getRuntime().addShutdownHook(new Thread(this::umount, "unmount " + mp + " on exit"));
    }

    /** From now on, tells {@code o} when each callback starts and ends (see {@link CallGuard.Occupancy}). */
    void watchCalls(CallGuard.Occupancy o) {
        guard.watch(o);
    }

    /** Tells jnr-fuse the mount is gone, so its exit hook does not unmount the directory again. */
    void markUnmounted() {
        mounted.set(false);
    }

    /** Closes handles FUSE never released (the mount went away under open files). */
    void closeAllHandles() throws IOException {
        handles.closeAll();
    }

    // ---- attributes -------------------------------------------------------------------------

    @Override
    public int getattr(String path, FileStat stat) {
        return guard.call("getattr", path, () -> {
            fillStat(fs().lstat(path), stat);
            return 0;
        });
    }

    @Override
    public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
        return guard.call("fgetattr", path, () -> {
            long fh = fi.fh.get();
            Vattr va = fh == 0 ? fs().lstat(path) : handles.get(fh).getattr();
            fillStat(va, stat);
            return 0;
        });
    }

    @Override
    public int chmod(String path, long mode) {
        return guard.call("chmod", path, () -> {
            if (reported.overrides()) {
                fs().chmod(path, (int) (mode & 07777));
            } else {
                SetIdClearing.chmod(facade, caller.get(), path, (int) (mode & 07777));
            }
            return 0;
        });
    }

    @Override
    public int chown(String path, long uid, long gid) {
        // FUSE asks about the inode a path names; for a symbolic link that is the link itself.
        return guard.call("chown", path, () -> {
            fs().lchown(path, unchangedId(uid), unchangedId(gid));
            return 0;
        });
    }

    /** (uid_t) -1 means "leave alone" in chown(2), which is VNOVAL in the kernel. */
    private static long unchangedId(long id) {
        return (id == -1 || id == 0xffff_ffffL) ? Vattr.VNOVAL : id;
    }

    @Override
    public int utimens(String path, Timespec[] timespec) {
        return guard.call("utimens", path, () -> {
            // FUSE asks about the inode the path names, a symbolic link itself included: the
            // host kernel has already followed links where the caller wanted them followed.
            fs().lutimens(path, Utimes.toKernel(timespec[0]), Utimes.toKernel(timespec[1]));
            return 0;
        });
    }

    @Override
    public int truncate(String path, long size) {
        return guard.call("truncate", path, () -> {
            fs().truncate(path, size);
            return 0;
        });
    }

    @Override
    public int ftruncate(String path, long size, FuseFileInfo fi) {
        return guard.call("ftruncate", path, () -> {
            long fh = fi.fh.get();
            FileHandle h = fh == 0 ? null : handles.get(fh);
            if (h != null && OpenFlags.writable(h.flags())) {
                h.truncate(size);
            } else {
                // open(O_RDONLY | O_TRUNC) truncates through a read-only handle: check by path.
                fs().truncate(path, size);
            }
            return 0;
        });
    }

    @Override
    public int access(String path, int mask) {
        return guard.call("access", path, () -> {
            // R_OK, W_OK, X_OK (4, 2, 1) named as the kernel's access bits; F_OK is 0.
            int acc = ((mask & 4) != 0 ? Access.VREAD : 0) | ((mask & 2) != 0 ? Access.VWRITE : 0)
                    | ((mask & 1) != 0 ? Access.VEXEC : 0);
            fs().access(path, acc);
            return 0;
        });
    }

    @Override
    public int statfs(String path, Statvfs stbuf) {
        return guard.call("statfs", path, () -> {
            StatfsMapper.fill(fs().statvfs(), stbuf);
            return 0;
        });
    }

    // ---- names --------------------------------------------------------------------------------

    @Override
    public int mknod(String path, long mode, long rdev) {
        return guard.call("mknod", path, () -> {
            VType type = VType.ofMode((int) mode);
            int perm = (int) (mode & 07777);
            if (type == VType.VREG) {
                // Reached only for mknod(2) of a regular file; create serves open(O_CREAT).
                fs().open(path, OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_RDONLY, perm).close();
            } else if (type == VType.VFIFO || type == VType.VCHR || type == VType.VBLK || type == VType.VSOCK) {
                fs().mknod(path, type, perm, rdev);
            } else {
                throw new VfsException(Errno.EINVAL, "mknod: file type 0" + Long.toOctalString(mode & VType.S_IFMT)
                        + " cannot be made with mknod");
            }
            storeAsCallers(path);
            return 0;
        });
    }

    @Override
    public int mkdir(String path, long mode) {
        return guard.call("mkdir", path, () -> {
            fs().mkdir(path, (int) (mode & 07777));
            storeAsCallers(path);
            return 0;
        });
    }

    @Override
    public int unlink(String path) {
        return guard.call("unlink", path, () -> {
            fs().unlink(path);
            return 0;
        });
    }

    @Override
    public int rmdir(String path) {
        return guard.call("rmdir", path, () -> {
            fs().rmdir(path);
            return 0;
        });
    }

    @Override
    public int symlink(String target, String linkPath) {
        return guard.call("symlink", linkPath, () -> {
            fs().symlink(target, linkPath);
            storeAsCallers(linkPath);
            return 0;
        });
    }

    @Override
    public int readlink(String path, Pointer buf, long size) {
        return guard.call("readlink", path, () -> {
            byte[] target = fs().readlink(path);
            if (size <= 0) {
                throw new VfsException(Errno.EINVAL, "readlink: buffer of " + size + " bytes");
            }
            // libfuse wants a C string; a target longer than the buffer is cut, as readlink(2) does.
            int n = (int) Math.min(target.length, size - 1);
            buf.put(0, target, 0, n);
            buf.putByte(n, (byte) 0);
            return 0;
        });
    }

    @Override
    public int rename(String oldpath, String newpath) {
        return guard.call("rename", oldpath, () -> {
            fs().rename(oldpath, newpath);
            return 0;
        });
    }

    @Override
    public int link(String oldpath, String newpath) {
        return guard.call("link", newpath, () -> {
            fs().link(oldpath, newpath);
            return 0;
        });
    }

    // ---- directories --------------------------------------------------------------------------

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filter, long offset, FuseFileInfo fi) {
        return guard.call("readdir", path, () -> {
            // FUSE's offset is the cookie the previous call handed out with the last entry it took;
            // each entry goes out with the cookie of the entry after it, so listings resume exactly.
            Runtime rt = Runtime.getSystemRuntime();
            Pointer statMem = rt.getMemoryManager().allocateDirect(Struct.size(new FileStat(rt)), true);
            FileStat st = FileStat.of(statMem);
            fs().readdir(path, offset, d -> {
                if (d.nextCookie() == 0) {
                    throw new VfsException(Errno.EIO, "readdir " + path + ": entry " + d.name()
                            + " carries cookie 0, which FUSE reads as the start of the directory");
                }
                st.st_ino.set(d.fileid());
                st.st_mode.set(d.type() == null ? 0 : d.type().ifmt());
                return filter.apply(buf, FuseNames.cString(d.name()), statMem, d.nextCookie()) == 0;
            });
            return 0;
        });
    }

    @Override
    public int fsyncdir(String path, FuseFileInfo fi) {
        return guard.call("fsyncdir", path, () -> {
            fs().fsync(path);
            return 0;
        });
    }

    // ---- open files ---------------------------------------------------------------------------

    @Override
    public int open(String path, FuseFileInfo fi) {
        return guard.call("open", path, () -> {
            FileHandle h = fs().open(path, fi.flags.get() & OPEN_FLAGS, 0);
            fi.fh.set(handles.add(h));
            return 0;
        });
    }

    @Override
    public int create(String path, long mode, FuseFileInfo fi) {
        return guard.call("create", path, () -> {
            int flags = (fi.flags.get() & (OPEN_FLAGS | OpenFlags.O_EXCL)) | OpenFlags.O_CREAT;
            int perm = (int) (mode & 07777);
            FileHandle h;
            if (reported.overrides()) {
                // Only a file this request makes becomes the caller's, so learn whether it does.
                try {
                    h = fs().open(path, flags | OpenFlags.O_EXCL, perm);
                } catch (VfsException e) {
                    if (e.errno() != Errno.EEXIST || (flags & OpenFlags.O_EXCL) != 0) {
                        throw e;
                    }
                    h = fs().open(path, flags & ~OpenFlags.O_CREAT, perm);
                    fi.fh.set(handles.add(h));
                    return 0;
                }
                try {
                    storeAsCallers(path);
                } catch (IOException | RuntimeException e) {
                    h.close();
                    throw e;
                }
            } else {
                h = fs().open(path, flags, perm);
            }
            fi.fh.set(handles.add(h));
            return 0;
        });
    }

    @Override
    public int read(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        return guard.call("read", path, () -> {
            largestRead.accumulate(size);
            FileHandle h = handles.get(fi.fh.get());
            ByteBuffer dst = nativeBuffer(buf, size);
            // FUSE takes a short read as end of file, so fill the buffer unless the file ends.
            while (dst.hasRemaining()) {
                int n = h.read(offset + dst.position(), dst);
                if (n <= 0) {
                    break;
                }
            }
            return dst.position();
        });
    }

    @Override
    public int write(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        return guard.call("write", path, () -> {
            largestWrite.accumulate(size);
            FileHandle h = handles.get(fi.fh.get());
            return h.write(offset, nativeBuffer(buf, size));
        });
    }

    /** A ByteBuffer over the request's own memory: no copy, valid only during the call. */
    private static ByteBuffer nativeBuffer(Pointer buf, long size) throws VfsException {
        if (size < 0 || size > Integer.MAX_VALUE) {
            throw new VfsException(Errno.EINVAL, "request of " + size + " bytes");
        }
        return MemoryIO.getInstance().newDirectByteBuffer(buf.address(), (int) size);
    }

    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        return guard.call("fsync", path, () -> {
            long fh = fi.fh.get();
            if (fh == 0) {
                fs().fsync(path);
            } else {
                handles.get(fh).fsync(isdatasync != 0);
            }
            return 0;
        });
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        return guard.call("release", path, () -> {
            handles.remove(fi.fh.get()).close();
            return 0;
        });
    }

    @Override
    public int fallocate(String path, int mode, long off, long length, FuseFileInfo fi) {
        return guard.call("fallocate", path, () -> {
            throw new VfsException(Errno.EOPNOTSUPP, "fallocate is not supported");
        });
    }

    @Override
    public void destroy(Pointer initResult) {
        guard.call("destroy", "/", () -> {
            handles.closeAll();
            return 0;
        });
    }
}
