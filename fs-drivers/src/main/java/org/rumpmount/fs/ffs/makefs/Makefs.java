package org.rumpmount.fs.ffs.makefs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.fs.ffs.FfsDriver;
import org.rumpmount.fs.ffs.newfs.Newfs;
import org.rumpmount.fs.ffs.newfs.NewfsLayout;
import org.rumpmount.fs.ffs.newfs.NewfsOptions;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.Vnode;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * makefs(8) for FFS: an image holding a copy of a host directory tree. The image is made by
 * {@link Newfs} at a size computed from the tree (or the size asked for, if the tree fits), then
 * filled through our own kernel and FFS driver as root, so every structure is written by the
 * tested write side. Modes, numeric owners, access and modification times (with nanoseconds),
 * symlinks, hard links, FIFOs and device nodes are kept; runs of zero blocks become holes.
 * Change times are the time of the copy (no interface sets them); sockets are skipped, as a
 * socket cannot outlive its process.
 */
public final class Makefs {
    private static final int COPY_CHUNK = 1 << 20;

    private final Path source;
    private final Path image;
    private final MakefsOptions o;

    private Makefs(Path source, Path image, MakefsOptions o) {
        this.source = source;
        this.image = image;
        this.o = o;
    }

    /** Builds {@code image} (replacing it) from the tree under {@code source}; returns its layout. */
    public static NewfsLayout build(Path source, Path image, MakefsOptions options) throws IOException {
        return new Makefs(source, image, options).run();
    }

    /** The size an image of the tree under {@code source} gets when none is fixed. */
    public static long computeSize(Path source, MakefsOptions options) throws IOException {
        return new Makefs(source, null, options).fit(SourceTree.scan(source)).size;
    }

    private record Fit(long size, NewfsOptions newfs, long dataBytes, long inodes) {
    }

    private NewfsOptions.Builder newfsBase() {
        return NewfsOptions.builder().version(o.version()).blockSize(o.blockSize()).fragmentSize(o.fragmentSize())
                .byteOrder(o.byteOrder()).minfree(o.minfree());
    }

    /**
     * The smallest size (in steps of a tenth) whose layout holds the tree's blocks and inodes with
     * a tenth to spare, as makefs's ffs_validate adds slack; inode density follows the tree.
     */
    private Fit fit(SourceTree t) throws VfsException {
        boolean ufs2 = o.version() == 2;
        long data = t.dataBytes(o.blockSize(), o.fragmentSize(), ufs2);
        long wantData = data + data / 10 + o.blockSize();
        long wantInodes = t.inodes + t.inodes / 10 + 3;
        long size = Math.max(wantData + wantInodes * (ufs2 ? 256 : 128), 1L << 20);
        for (int i = 0; i < 200; i++) {
            size = (size + o.blockSize() - 1) / o.blockSize() * o.blockSize();
            NewfsOptions n = newfsBase().bytesPerInode(density(size, wantInodes)).build();
            if (holds(n, size, wantData, wantInodes)) {
                return new Fit(size, n, data, t.inodes);
            }
            size += Math.max(size / 10, o.blockSize());
        }
        throw new VfsException(Errno.EFBIG, "makefs: no image size fits the tree under " + source + " ("
                + data + " bytes of blocks, " + t.inodes + " inodes)");
    }

    private int density(long size, long wantInodes) {
        long d = size / Math.max(1, wantInodes);
        return (int) Math.max(512, Math.min(d, 4L * o.fragmentSize()));
    }

    private static boolean holds(NewfsOptions n, long size, long wantData, long wantInodes) {
        try {
            NewfsLayout l = Newfs.plan(n, size);
            return l.dsize() * l.fsize() >= wantData && (long) l.ncg() * l.ipg() >= wantInodes;
        } catch (VfsException e) {
            return false;
        }
    }

    private NewfsLayout run() throws IOException {
        SourceTree t = SourceTree.scan(source);
        Fit fit = fit(t);
        NewfsOptions n = fit.newfs();
        long size = fit.size();
        if (o.sizeBytes() != 0) {
            long wantData = fit.dataBytes() + fit.dataBytes() / 10 + o.blockSize();
            long wantInodes = fit.inodes() + fit.inodes() / 10 + 3;
            n = newfsBase().bytesPerInode(density(o.sizeBytes(), wantInodes)).build();
            if (!holds(n, o.sizeBytes(), wantData, wantInodes)) {
                throw new VfsException(Errno.ENOSPC, "makefs: the fixed size of " + o.sizeBytes()
                        + " bytes cannot hold the tree under " + source + " (" + fit.dataBytes() + " bytes of blocks, "
                        + fit.inodes() + " inodes); it needs " + fit.size() + " bytes");
            }
            size = o.sizeBytes();
        }
        Files.deleteIfExists(image);
        NewfsLayout l;
        try (FileBlockDevice dev = FileBlockDevice.create(image, size)) {
            l = Newfs.format(dev, n);
            DriverRegistry registry = new DriverRegistry();
            registry.register(new FfsDriver());
            try (Kernel k = new Kernel(Host.system(), registry, new BufferCache(16L << 20))) {
                Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
                try {
                    copy(t, new PathFacade(mp, Credentials.ROOT), size);
                } finally {
                    k.unmount(mp, false);
                }
            }
        }
        return l;
    }

    private void copy(SourceTree t, PathFacade p, long size) throws IOException {
        long done = 0;
        long total = t.entries.size();
        try {
            for (SourceTree.Entry e : t.entries) {
                create(p, e);
                o.progress().copied(++done, total, e.imagePath());
            }
            // Attributes last and children first, so creating an entry does not move its parent's times.
            for (int i = t.entries.size() - 1; i >= 0; i--) {
                SourceTree.Entry e = t.entries.get(i);
                if (e.hardLinkOf() == null && e.kind() != SourceTree.Kind.SOCKET) {
                    attributes(p, e);
                }
            }
        } catch (VfsException ex) {
            if (ex.errno() == Errno.ENOSPC) {
                throw new VfsException(Errno.ENOSPC, "makefs: the image of " + size + " bytes filled up while copying "
                        + source + "; give a larger size: " + ex.getMessage(), ex);
            }
            throw ex;
        }
    }

    private void create(PathFacade p, SourceTree.Entry e) throws IOException {
        String path = e.imagePath();
        if (e.hardLinkOf() != null) {
            p.link(e.hardLinkOf(), path);
            return;
        }
        switch (e.kind()) {
            case DIR -> {
                if (!path.equals("/")) {
                    p.mkdir(path, 0700);
                }
            }
            case FILE -> copyFile(p, e);
            case SYMLINK -> p.symlink(e.symlinkTarget(), path);
            case FIFO -> p.mknod(path, VType.VFIFO, 0600, 0);
            case CHR -> p.mknod(path, VType.VCHR, 0600, e.rdev());
            case BLK -> p.mknod(path, VType.VBLK, 0600, e.rdev());
            case SOCKET -> {
                // Skipped: see the class comment.
            }
        }
    }

    /** Copies a file's bytes; whole blocks of zeros are left as holes. */
    private void copyFile(PathFacade p, SourceTree.Entry e) throws IOException {
        p.writeAll(e.imagePath(), new byte[0]);
        int bsize = o.blockSize();
        byte[] buf = new byte[COPY_CHUNK];
        long off = 0;
        try (InputStream in = Files.newInputStream(e.host())) {
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                for (int at = 0; at < n; at += bsize) {
                    int len = Math.min(bsize, n - at);
                    if (!allZero(buf, at, len)) {
                        p.write(e.imagePath(), off + at, ByteBuffer.wrap(buf, at, len));
                    }
                }
                off += n;
            }
        }
        if (p.stat(e.imagePath()).size != off) {
            p.truncate(e.imagePath(), off);
        }
    }

    private static boolean allZero(byte[] b, int from, int len) {
        for (int i = from; i < from + len; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private void attributes(PathFacade p, SourceTree.Entry e) throws IOException {
        String path = e.imagePath();
        p.lchown(path, e.uid(), e.gid());
        Timespec atime = timespec(e.atime());
        Timespec mtime = timespec(e.mtime());
        if (e.kind() == SourceTree.Kind.SYMLINK) {
            // utimens follows links; set the link's own times on its vnode.
            try (Vnode vp = p.lookup(path, false); Vnode.Locked l = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
                Vattr va = Vattr.forSetattr();
                va.atime = atime;
                va.mtime = mtime;
                vp.ops().setattr(vp, va, p.credentials());
            }
            return;
        }
        p.chmod(path, e.mode());
        p.utimens(path, atime, mtime);
    }

    private static Timespec timespec(FileTime t) {
        Instant i = t.toInstant();
        return new Timespec(i.getEpochSecond(), i.getNano());
    }
}
