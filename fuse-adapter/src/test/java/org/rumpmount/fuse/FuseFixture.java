package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.UnaryOperator;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.fs.ffs.fsck.FfsFsck;
import org.rumpmount.fs.ffs.fsck.FsckOptions;
import org.rumpmount.fs.ffs.fsck.FsckReport;
import org.rumpmount.fs.ffs.newfs.Newfs;
import org.rumpmount.fs.ffs.newfs.NewfsOptions;
import org.rumpmount.fs.lfs.LfsFsck;
import org.rumpmount.fs.lfs.NewfsLfs;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.tukaani.xz.XZInputStream;

/**
 * A file system mounted through FUSE for real on a fresh temporary directory: a tmpfs, a
 * read-write FFS (UFS2, or UFS1 big-endian) or LFS on a new image file, or a read-write copy of
 * a reference FFS image. Closing unmounts and removes the directory, whatever state
 * the test left; an FFS image must then pass fsck. Dead mounts of earlier crashed runs are
 * cleared before the first mount.
 */
final class FuseFixture implements AutoCloseable {
    /** fsname of every test mount, so that leftovers of crashed runs can be recognised. */
    static final String FSNAME = "rumpmount-it";

    /** What is behind the mount. */
    enum Backing {
        TMPFS,
        /** UFS2, 16 KiB blocks, 64 MiB, made by our newfs on an image file in target/. */
        FFS,
        /** A copy of the reference image ufs2-le (made by Debian's makefs, 5,000 paths), read-write. */
        FFS_REFERENCE_COPY,
        /** UFS1, big-endian, 4 KiB blocks (deep indirect trees early), 64 MiB, made by our newfs. */
        FFS_UFS1_BE,
        /** A 32-bit, little-endian LFS of {@link #LFS_BYTES}, made by our newfs -t lfs and mounted as type lfs. */
        LFS
    }

    /** The reference image copied for {@link Backing#FFS_REFERENCE_COPY}. */
    static final String REFERENCE_IMAGE = "ufs2-le";

    /** Size of the FFS image: room for the largest file the tests write, small enough to make quickly. */
    static final long FFS_BYTES = 64L << 20;

    /** Size of the LFS image: room for what a whole test class writes, before the cleaner has to keep up. */
    static final long LFS_BYTES = 128L << 20;

    final Backing backing;
    final Kernel kernel;
    final Mount mounted;
    /** The file system as root, outside FUSE. */
    final PathFacade facade;
    final Path dir;
    FuseMount fuse;
    private final Path image;
    private final FileBlockDevice device;

    /** What a file system holds before it is mounted again read-only. */
    interface Populator {
        void populate(PathFacade root) throws IOException;
    }

    private FuseFixture(Backing backing, UnaryOperator<FuseOptions.Builder> options) throws IOException {
        this(backing, options, null);
    }

    /**
     * With {@code readOnlyAfter}, the file system is first filled by it, then unmounted and
     * mounted again read-only inside the rump kernel (a tmpfs, which keeps nothing, comes back
     * empty), so that the driver, not the host, refuses changes.
     */
    private FuseFixture(Backing backing, UnaryOperator<FuseOptions.Builder> options, Populator readOnlyAfter) throws IOException {
        this.backing = backing;
        kernel = Kernel.create();
        Mount rw;
        if (backing == Backing.FFS || backing == Backing.FFS_UFS1_BE) {
            Path images = Files.createDirectories(Path.of("target", "it-images").toAbsolutePath());
            image = Files.createTempFile(images, "ffs-", ".img");
            device = FileBlockDevice.create(image, FFS_BYTES);
            Newfs.format(device, backing == Backing.FFS
                    ? NewfsOptions.builder().version(2).blockSize(16384).fragmentSize(2048).build()
                    : NewfsOptions.builder().version(1).blockSize(4096).fragmentSize(512).byteOrder(ByteOrder.BIG_ENDIAN).build());
            rw = kernel.mount("ffs", device, MountOptions.readWrite());
        } else if (backing == Backing.LFS) {
            Path images = Files.createDirectories(Path.of("target", "it-images").toAbsolutePath());
            image = Files.createTempFile(images, "lfs-", ".img");
            device = FileBlockDevice.create(image, LFS_BYTES);
            NewfsLfs.format(device, NewfsLfs.Options.defaults(LFS_BYTES));
            rw = kernel.mount("lfs", device, MountOptions.readWrite());
        } else if (backing == Backing.FFS_REFERENCE_COPY) {
            Path images = Files.createDirectories(Path.of("target", "it-images").toAbsolutePath());
            image = Files.createTempFile(images, REFERENCE_IMAGE + "-", ".img");
            Path xz = sharedDir().resolve("images").resolve(REFERENCE_IMAGE + ".img.xz");
            try (InputStream in = new XZInputStream(Files.newInputStream(xz))) {
                Files.copy(in, image, StandardCopyOption.REPLACE_EXISTING);
            }
            device = FileBlockDevice.open(image, false);
            rw = kernel.mount("ffs", device, MountOptions.readWrite());
        } else {
            image = null;
            device = null;
            rw = kernel.mount("tmpfs", null, MountOptions.readWrite());
        }
        if (readOnlyAfter != null) {
            readOnlyAfter.populate(new PathFacade(rw, Credentials.ROOT));
            kernel.unmount(rw, false);
            rw = kernel.mount(rw.type(), device, MountOptions.readOnly());
        }
        mounted = rw;
        facade = new PathFacade(mounted, Credentials.ROOT);
        dir = Files.createTempDirectory("rumpmount-fuse-");
        try {
            fuse = FuseMount.mount(facade, dir, options.apply(FuseOptions.builder().fsName(FSNAME)).build());
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The shared folder: -Drumpmount.shared, else "shared" beside the repository root. */
    static Path sharedDir() throws IOException {
        String prop = System.getProperty("rumpmount.shared");
        if (prop != null) {
            return Path.of(prop);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path pom = d.resolve("pom.xml");
            if (Files.isRegularFile(pom)) {
                String text = Files.readString(pom);
                if (text.contains("<artifactId>rumpmount-parent</artifactId>") && !text.contains("<parent>")) {
                    return d.resolve("../shared").normalize();
                }
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }

    /** Skips the calling test class when this machine has no FUSE device. */
    static void requireFuse() throws IOException {
        assumeTrue(FuseMount.deviceAvailable(),
                "/dev/fuse is absent: FUSE integration tests need it (modprobe fuse, or --device /dev/fuse)");
        clearDeadTestMounts();
    }

    static FuseFixture mount() throws IOException {
        return new FuseFixture(Backing.TMPFS, b -> b);
    }

    static FuseFixture mount(UnaryOperator<FuseOptions.Builder> options) throws IOException {
        return new FuseFixture(Backing.TMPFS, options);
    }

    static FuseFixture mount(Backing backing) throws IOException {
        return new FuseFixture(backing, b -> b);
    }

    static FuseFixture mount(Backing backing, UnaryOperator<FuseOptions.Builder> options) throws IOException {
        return new FuseFixture(backing, options);
    }

    /** A file system filled by {@code populate}, then mounted read-only in the rump kernel; FUSE mounts it read-write. */
    static FuseFixture mountReadOnlyAfter(Backing backing, Populator populate) throws IOException {
        return new FuseFixture(backing, b -> b, populate);
    }

    /** Unmounts and mounts the same file system again: the Linux page cache of the old mount is gone. */
    void remount() throws IOException {
        FuseOptions o = fuse.options();
        fuse.close();
        fuse = FuseMount.mount(facade, dir, o);
    }

    Path path(String name) {
        return dir.resolve(name);
    }

    /** Clears test mounts whose server died (a killed test JVM leaves them behind). */
    static void clearDeadTestMounts() throws IOException {
        for (MountInfo.Entry e : MountInfo.read()) {
            if (FSNAME.equals(e.source()) && e.fsType().startsWith("fuse")) {
                FuseMount.clearStale(Path.of(e.mountPoint()));
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (fuse != null) {
                fuse.close();
            }
        } finally {
            try {
                kernel.close();
            } finally {
                Files.deleteIfExists(dir);
                if (device != null) {
                    device.close();
                    checkImage();
                }
            }
        }
    }

    /** The unmounted image must be clean and consistent in fsck's eyes (fsck_ffs's or fsck_lfs's). */
    private void checkImage() throws IOException {
        try (FileBlockDevice ro = FileBlockDevice.open(image, true)) {
            if (backing == Backing.LFS) {
                StringBuilder out = new StringBuilder();
                LfsFsck.Report r = LfsFsck.check(ro, false, line -> out.append(line).append('\n'));
                assertEquals(LfsFsck.EXIT_CLEAN, r.exitCode(), "fsck_lfs of the image after unmount:\n" + out);
            } else {
                FsckReport r = FfsFsck.check(ro, FsckOptions.checkOnly(true));
                assertEquals(FsckReport.EXIT_CLEAN, r.exitCode(), "fsck of the image after unmount:\n" + r);
            }
        } finally {
            Files.deleteIfExists(image);
        }
    }
}
