package org.rumpmount.fs.ffs.makefs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.fs.ffs.FfsDriver;
import org.rumpmount.fs.ffs.FreshTreeWriter;
import org.rumpmount.fs.ffs.newfs.Newfs;
import org.rumpmount.fs.ffs.newfs.NewfsLayout;
import org.rumpmount.fs.ffs.newfs.NewfsOptions;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * makefs(8) for FFS: an image holding a copy of a host directory tree. The image is made by
 * {@link Newfs} at a size computed from the tree (or the size asked for, if the tree fits), then
 * mounted through our own kernel and FFS driver and filled by {@link FreshTreeWriter}, which
 * takes every inode and block from the driver's allocators and lays each file down at its final
 * place, as NetBSD's makefs does. Modes, numeric owners, access and modification times (with
 * nanoseconds), symlinks, hard links, FIFOs and device nodes are kept; whole blocks of zeros
 * become holes. Change times are the time of the copy; sockets are skipped, as a socket cannot
 * outlive its process. An image that could not be finished is removed; a finished one is left
 * to the host to write out, as any new file is ({@link UnflushedImage}).
 */
public final class Makefs {
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
        boolean made = false;
        try (FileBlockDevice file = FileBlockDevice.create(image, size)) {
            BlockDevice dev = new UnflushedImage(file);
            l = Newfs.format(dev, n);
            DriverRegistry registry = new DriverRegistry();
            registry.register(new FfsDriver());
            try (Kernel k = new Kernel(Host.system(), registry, new BufferCache(16L << 20))) {
                // Async, as nothing of a half-made image is worth keeping after a crash.
                Mount mp = k.mount("ffs", dev, MountOptions.builder().option("async", "").build());
                try {
                    copy(t, mp, size);
                } finally {
                    k.unmount(mp, false);
                }
            }
            made = true;
        } finally {
            if (!made) {
                Files.deleteIfExists(image);
            }
        }
        return l;
    }

    private void copy(SourceTree t, Mount mp, long size) throws IOException {
        try (FreshTreeWriter writer = FreshTreeWriter.open(mp)) {
            new TreeCopier(writer, o.progress()).copy(t);
        } catch (VfsException ex) {
            if (ex.errno() == Errno.ENOSPC) {
                throw new VfsException(Errno.ENOSPC, "makefs: the image of " + size + " bytes filled up while copying "
                        + source + "; give a larger size: " + ex.getMessage(), ex);
            }
            throw ex;
        }
    }
}
