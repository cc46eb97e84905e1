package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;

/**
 * A tmpfs mounted through FUSE for real on a fresh temporary directory. Closing unmounts and
 * removes the directory, whatever state the test left. Dead mounts of earlier crashed runs are
 * cleared before the first mount.
 */
final class FuseFixture implements AutoCloseable {
    /** fsname of every test mount, so that leftovers of crashed runs can be recognised. */
    static final String FSNAME = "rumpmount-it";

    final Kernel kernel;
    final Mount tmpfs;
    /** The file system as root, outside FUSE. */
    final PathFacade facade;
    final Path dir;
    FuseMount fuse;

    private FuseFixture(UnaryOperator<FuseOptions.Builder> options) throws IOException {
        kernel = Kernel.create();
        tmpfs = kernel.mount("tmpfs", null, MountOptions.readWrite());
        facade = new PathFacade(tmpfs, Credentials.ROOT);
        dir = Files.createTempDirectory("rumpmount-fuse-");
        try {
            fuse = FuseMount.mount(facade, dir, options.apply(FuseOptions.builder().fsName(FSNAME)).build());
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Skips the calling test class when this machine has no FUSE device. */
    static void requireFuse() throws IOException {
        assumeTrue(FuseMount.deviceAvailable(),
                "/dev/fuse is absent: FUSE integration tests need it (modprobe fuse, or --device /dev/fuse)");
        clearDeadTestMounts();
    }

    static FuseFixture mount() throws IOException {
        return new FuseFixture(b -> b);
    }

    static FuseFixture mount(UnaryOperator<FuseOptions.Builder> options) throws IOException {
        return new FuseFixture(options);
    }

    /** Unmounts and mounts the same tmpfs again: the Linux page cache of the old mount is gone. */
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
            }
        }
    }
}
