package org.rumpmount.fs.tmpfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.function.Executable;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.StatVfs;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.Vnode;
import org.rumpmount.vfs.VnodeOps;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * A mounted tmpfs and the vnode calls on it, each made as the kernel makes it: vnodes locked
 * as {@link VnodeOps} says, references released. Closing it checks that no vnode leaked.
 */
final class TmpfsFixture implements AutoCloseable {
    static final Credentials ROOT = Credentials.ROOT;
    static final Credentials USER = new Credentials(1000, 1000);

    /** More entries than any test makes: a listing this long is a driver looping. */
    static final int RUNAWAY_LISTING = 100_000;

    final ManualHost host = new ManualHost();
    final Kernel kernel;
    final Mount mount;
    final VnodeOps ops;

    private TmpfsFixture(MountOptions options) throws IOException {
        kernel = new Kernel(host, DriverRegistry.load(), new BufferCache(1 << 20));
        mount = kernel.mount("tmpfs", null, options);
        ops = mount.vnodeOps();
    }

    /** Mounts read-write with options given as "key=value". */
    static TmpfsFixture mount(String... options) throws IOException {
        MountOptions.Builder b = MountOptions.builder();
        for (String o : options) {
            int eq = o.indexOf('=');
            b.option(eq < 0 ? o : o.substring(0, eq), eq < 0 ? "" : o.substring(eq + 1));
        }
        return new TmpfsFixture(b.build());
    }

    static Name name(String s) throws VfsException {
        return Name.of(s);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Errno errno(Executable call) {
        VfsException e = assertThrows(VfsException.class, call);
        return e.errno();
    }

    static void assertErrno(Errno expected, Executable call) {
        VfsException e = assertThrows(VfsException.class, call);
        assertEquals(expected, e.errno(), e.getMessage());
    }

    Vnode root() throws IOException {
        return mount.vfsOps().root();
    }

    StatVfs statvfs() throws IOException {
        return mount.vfsOps().statvfs();
    }

    static Vattr attrs(VType type, int mode) {
        Vattr va = new Vattr();
        va.type = type;
        va.mode = mode;
        va.uid = 1000;
        va.gid = 100;
        return va;
    }

    Vnode lookup(Vnode dvp, String n) throws IOException {
        try (Vnode.Locked l = dvp.lock(Vnode.LockMode.SHARED)) {
            return ops.lookup(dvp, name(n));
        }
    }

    /** Walks a slash-separated path from the root ("" is the root). */
    Vnode resolve(String path) throws IOException {
        Vnode vp = root();
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            try (Vnode dvp = vp) {
                vp = lookup(dvp, part);
            }
        }
        return vp;
    }

    Vnode create(Vnode dvp, String n) throws IOException {
        return create(dvp, n, attrs(VType.VREG, 0644));
    }

    Vnode create(Vnode dvp, String n, Vattr va) throws IOException {
        try (Vnode.Locked l = dvp.lock(Vnode.LockMode.EXCLUSIVE)) {
            return ops.create(dvp, name(n), va, ROOT);
        }
    }

    Vnode mknod(Vnode dvp, String n, Vattr va) throws IOException {
        try (Vnode.Locked l = dvp.lock(Vnode.LockMode.EXCLUSIVE)) {
            return ops.mknod(dvp, name(n), va, ROOT);
        }
    }

    Vnode mkdir(Vnode dvp, String n) throws IOException {
        try (Vnode.Locked l = dvp.lock(Vnode.LockMode.EXCLUSIVE)) {
            return ops.mkdir(dvp, name(n), attrs(VType.VDIR, 0755), ROOT);
        }
    }

    Vnode symlink(Vnode dvp, String n, String target) throws IOException {
        try (Vnode.Locked l = dvp.lock(Vnode.LockMode.EXCLUSIVE)) {
            return ops.symlink(dvp, name(n), attrs(VType.VLNK, 0777), bytes(target), ROOT);
        }
    }

    /** Creates (or fails) and drops the reference at once. */
    void touch(Vnode dvp, String n) throws IOException {
        create(dvp, n).close();
    }

    void mkdirOnly(Vnode dvp, String n) throws IOException {
        mkdir(dvp, n).close();
    }

    Vattr getattr(Vnode vp) throws IOException {
        try (Vnode.Locked l = vp.lock(Vnode.LockMode.SHARED)) {
            return ops.getattr(vp);
        }
    }

    void setattr(Vnode vp, Vattr va) throws IOException {
        setattr(vp, va, ROOT);
    }

    void setattr(Vnode vp, Vattr va, Credentials cred) throws IOException {
        try (Vnode.Locked l = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
            ops.setattr(vp, va, cred);
        }
    }

    void truncate(Vnode vp, long size) throws IOException {
        Vattr va = Vattr.forSetattr();
        va.size = size;
        setattr(vp, va);
    }

    int write(Vnode vp, long offset, byte[] data) throws IOException {
        return write(vp, offset, data, ROOT);
    }

    int write(Vnode vp, long offset, byte[] data, Credentials cred) throws IOException {
        try (Vnode.Locked l = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
            return ops.write(vp, offset, ByteBuffer.wrap(data), 0, cred);
        }
    }

    /** Reads up to {@code len} bytes; the array is as long as what was read. */
    byte[] read(Vnode vp, long offset, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        int n;
        try (Vnode.Locked l = vp.lock(Vnode.LockMode.SHARED)) {
            n = ops.read(vp, offset, buf, 0, ROOT);
        }
        assertEquals(n, buf.position(), "read's count and the buffer position agree");
        return Arrays.copyOf(buf.array(), n);
    }

    byte[] readlink(Vnode vp) throws IOException {
        try (Vnode.Locked l = vp.lock(Vnode.LockMode.SHARED)) {
            return ops.readlink(vp);
        }
    }

    void remove(Vnode dvp, String n) throws IOException {
        try (Vnode vp = lookup(dvp, n)) {
            remove(dvp, vp, n);
        }
    }

    void remove(Vnode dvp, Vnode vp, String n) throws IOException {
        try (Vnode.Locked d = dvp.lock(Vnode.LockMode.EXCLUSIVE); Vnode.Locked v = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
            ops.remove(dvp, vp, name(n), ROOT);
        }
    }

    void rmdir(Vnode dvp, String n) throws IOException {
        try (Vnode vp = lookup(dvp, n)) {
            rmdir(dvp, vp, n);
        }
    }

    void rmdir(Vnode dvp, Vnode vp, String n) throws IOException {
        try (Vnode.Locked d = dvp.lock(Vnode.LockMode.EXCLUSIVE); Vnode.Locked v = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
            ops.rmdir(dvp, vp, name(n), ROOT);
        }
    }

    void link(Vnode dvp, Vnode vp, String n) throws IOException {
        try (Vnode.Locked d = dvp.lock(Vnode.LockMode.EXCLUSIVE); Vnode.Locked v = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
            ops.link(dvp, vp, name(n), ROOT);
        }
    }

    /**
     * Renames as the kernel does: under the mount's rename lock, the source and target looked
     * up, the directories locked (lower file id first), then the files.
     */
    void rename(Vnode fdvp, String from, Vnode tdvp, String to) throws IOException {
        mount.renameLock().lock();
        try (Vnode fvp = lookup(fdvp, from); Vnode tvp = lookupOrNull(tdvp, to)) {
            List<Vnode> order = new ArrayList<>();
            if (fdvp == tdvp) {
                order.add(fdvp);
            } else if (fdvp.fileid() < tdvp.fileid()) {
                order.add(fdvp);
                order.add(tdvp);
            } else {
                order.add(tdvp);
                order.add(fdvp);
            }
            for (Vnode v : new Vnode[] {fvp, tvp}) {
                if (v != null && !order.contains(v)) {
                    order.add(v);
                }
            }
            List<Vnode.Locked> locks = new ArrayList<>();
            try {
                for (Vnode v : order) {
                    locks.add(v.lock(Vnode.LockMode.EXCLUSIVE));
                }
                ops.rename(fdvp, fvp, name(from), tdvp, tvp, name(to), ROOT);
            } finally {
                for (int i = locks.size() - 1; i >= 0; i--) {
                    locks.get(i).close();
                }
            }
        } finally {
            mount.renameLock().unlock();
        }
    }

    Vnode lookupOrNull(Vnode dvp, String n) throws IOException {
        try {
            return lookup(dvp, n);
        } catch (VfsException e) {
            if (e.errno() == Errno.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    boolean exists(Vnode dvp, String n) throws IOException {
        Vnode vp = lookupOrNull(dvp, n);
        if (vp == null) {
            return false;
        }
        vp.close();
        return true;
    }

    /** Lists in calls of at most {@code batch} entries, resuming at each last cookie. */
    List<Dirent> readdirInBatches(Vnode dvp, int batch) throws IOException {
        List<Dirent> all = new ArrayList<>();
        long cookie = 0;
        while (true) {
            List<Dirent> got = readdir(dvp, cookie, batch);
            if (got.isEmpty()) {
                return all;
            }
            all.addAll(got);
            if (all.size() >= RUNAWAY_LISTING) {
                throw new AssertionError("readdir of " + dvp + " does not end");
            }
            cookie = got.get(got.size() - 1).nextCookie();
        }
    }

    /** One readdir call from {@code cookie}, taking at most {@code max} entries. */
    List<Dirent> readdir(Vnode dvp, long cookie, int max) throws IOException {
        List<Dirent> out = new ArrayList<>();
        try (Vnode.Locked l = dvp.lock(Vnode.LockMode.SHARED)) {
            ops.readdir(dvp, cookie, e -> {
                if (out.size() >= max) {
                    return false;
                }
                if (out.size() >= RUNAWAY_LISTING) {
                    throw new AssertionError("readdir of " + dvp + " from cookie " + cookie + " does not end");
                }
                out.add(e);
                return true;
            });
        }
        return out;
    }

    List<Dirent> readdirAll(Vnode dvp) throws IOException {
        return readdir(dvp, 0, Integer.MAX_VALUE);
    }

    /** The names readdir lists, "." and ".." included, in listing order. */
    List<String> names(Vnode dvp) throws IOException {
        List<String> out = new ArrayList<>();
        for (Dirent d : readdirAll(dvp)) {
            out.add(d.name().toString(StandardCharsets.UTF_8));
        }
        return out;
    }

    long nlink(Vnode vp) throws IOException {
        return getattr(vp).nlink;
    }

    /** Unmounts, failing if any vnode is still referenced (a leak in the test or the driver). */
    @Override
    public void close() throws IOException {
        int referenced = mount.vnodes().referenced();
        kernel.unmount(mount, true);
        kernel.close();
        assertEquals(0, referenced, "vnodes still referenced at unmount");
    }
}
