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
import org.rumpmount.vfs.FileHandle;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.OpenFlags;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.VfsException;
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

    private final byte[] buf = new byte[COPY_CHUNK];

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

    /**
     * The bytes per inode that give at least {@code wantInodes} at {@code size}. newfs counts
     * inodes from each group's data space, not from the whole size, so the first guess (size
     * over inodes) falls short; it is lowered in proportion until the layout has enough.
     */
    private int density(long size, long wantInodes) {
        long want = Math.max(1, wantInodes);
        long d = Math.max(512, Math.min(size / want, 4L * o.fragmentSize()));
        for (int i = 0; i < 16; i++) {
            long have;
            try {
                NewfsLayout l = Newfs.plan(newfsBase().bytesPerInode((int) d).build(), size);
                have = (long) l.ncg() * l.ipg();
            } catch (VfsException e) {
                break;
            }
            if (have >= want || d == 512) {
                break;
            }
            d = Math.max(512, Math.min(d - 1, d * have / want));
        }
        return (int) d;
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
                // Async, as nothing of a half-made image is worth keeping after a crash.
                Mount mp = k.mount("ffs", dev, MountOptions.builder().option("async", "").build());
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
            // A directory's attributes last, children first, so that entering a name in it does
            // not move its times; everything else got its own when it was made.
            for (int i = t.entries.size() - 1; i >= 0; i--) {
                SourceTree.Entry e = t.entries.get(i);
                if (e.kind() == SourceTree.Kind.DIR) {
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
            case SYMLINK -> {
                p.symlink(e.symlinkTarget(), path);
                attributes(p, e);
            }
            case FIFO -> {
                p.mknod(path, VType.VFIFO, 0600, 0);
                attributes(p, e);
            }
            case CHR -> {
                p.mknod(path, VType.VCHR, 0600, e.rdev());
                attributes(p, e);
            }
            case BLK -> {
                p.mknod(path, VType.VBLK, 0600, e.rdev());
                attributes(p, e);
            }
            case SOCKET -> {
                // Skipped: see the class comment.
            }
        }
    }

    /**
     * Copies a file's bytes and sets its attributes through one open handle, so the path is looked
     * up once; whole blocks of zeros are left as holes.
     */
    private void copyFile(PathFacade p, SourceTree.Entry e) throws IOException {
        int bsize = o.blockSize();
        long off = 0;
        try (FileHandle out = p.open(e.imagePath(), OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL, 0600);
             InputStream in = Files.newInputStream(e.host())) {
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                // Runs of blocks that hold data go down in one write each; zero blocks are skipped.
                int at = 0;
                while (at < n) {
                    int len = Math.min(bsize, n - at);
                    if (allZero(buf, at, len)) {
                        at += len;
                        continue;
                    }
                    int end = at + len;
                    while (end < n && !allZero(buf, end, Math.min(bsize, n - end))) {
                        end += Math.min(bsize, n - end);
                    }
                    writeFully(out, off + at, buf, at, end - at);
                    at = end;
                }
                off += n;
            }
            if (out.getattr().size != off) {
                out.truncate(off);
            }
            out.chown(e.uid(), e.gid());
            out.chmod(e.mode());
            out.utimens(timespec(e.atime()), timespec(e.mtime()));
        }
    }

    private static void writeFully(FileHandle h, long off, byte[] b, int from, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = h.write(off + done, ByteBuffer.wrap(b, from + done, len - done));
            if (n <= 0) {
                throw new VfsException(Errno.EIO, "makefs: write of " + (len - done) + " bytes at offset "
                        + (off + done) + " made no progress");
            }
            done += n;
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

    /** Owner, mode (not a symbolic link's) and times, on the entry itself. */
    private void attributes(PathFacade p, SourceTree.Entry e) throws IOException {
        String path = e.imagePath();
        p.lchown(path, e.uid(), e.gid());
        if (e.kind() != SourceTree.Kind.SYMLINK) {
            p.chmod(path, e.mode());
        }
        p.lutimens(path, timespec(e.atime()), timespec(e.mtime()));
    }

    private static Timespec timespec(FileTime t) {
        Instant i = t.toInstant();
        return new Timespec(i.getEpochSecond(), i.getNano());
    }
}
