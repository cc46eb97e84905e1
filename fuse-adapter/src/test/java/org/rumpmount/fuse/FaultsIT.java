package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.FileSystemDriver;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.ProbeResult;
import org.rumpmount.vfs.VfsOps;
import org.rumpmount.vfs.Vnode;
import org.rumpmount.vfs.VnodeOps;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * A driver that fails in ways no driver should (runtime exceptions, Errors) under a real mount:
 * the caller sees EIO, and the mount goes on working.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FaultsIT {
    @BeforeAll
    static void fuse() throws IOException {
        FuseFixture.requireFuse();
    }

    /** tmpfs, except that looking up "boom-rt" throws a RuntimeException and "boom-error" an Error. */
    private static final class FaultyDriver implements FileSystemDriver {
        private final FileSystemDriver tmpfs;

        FaultyDriver(FileSystemDriver tmpfs) {
            this.tmpfs = tmpfs;
        }

        @Override
        public String name() {
            return "faulty";
        }

        @Override
        public boolean needsDevice() {
            return false;
        }

        @Override
        public Optional<ProbeResult> probe(BlockDevice dev) {
            return Optional.empty();
        }

        @Override
        public VfsOps mount(Mount mp, BlockDevice dev) throws IOException {
            VfsOps real = tmpfs.mount(mp, dev);
            VnodeOps ops = (VnodeOps) Proxy.newProxyInstance(VnodeOps.class.getClassLoader(),
                    new Class<?>[] {VnodeOps.class}, (proxy, method, args) -> {
                        if (method.getName().equals("lookup") && args[1] instanceof Name n) {
                            if (n.toString().equals("boom-rt")) {
                                throw new IllegalStateException("driver bug on lookup of " + n);
                            }
                            if (n.toString().equals("boom-error")) {
                                throw new StackOverflowError("driver recursion on lookup of " + n);
                            }
                        }
                        try {
                            return method.invoke(real.vnodeOps(), args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            return new VfsOps() {
                @Override
                public VnodeOps vnodeOps() {
                    return ops;
                }

                @Override
                public Vnode root() throws IOException {
                    return real.root();
                }

                @Override
                public Vnode vget(long fileid) throws IOException {
                    return real.vget(fileid);
                }

                @Override
                public org.rumpmount.vfs.StatVfs statvfs() throws IOException {
                    return real.statvfs();
                }

                @Override
                public void sync(boolean wait) throws IOException {
                    real.sync(wait);
                }

                @Override
                public void unmount(boolean force) throws IOException {
                    real.unmount(force);
                }
            };
        }
    }

    @Test
    void exceptionsFromTheDriverBecomeEioAndTheMountStaysUsable() throws IOException {
        DriverRegistry drivers = DriverRegistry.load();
        drivers.register(new FaultyDriver(drivers.get("tmpfs").orElseThrow()));
        try (Kernel k = new Kernel(Host.system(), drivers, new BufferCache(Kernel.DEFAULT_CACHE_BYTES))) {
            PathFacade fs = new PathFacade(k.mount("faulty", null, MountOptions.readWrite()), Credentials.ROOT);
            Path dir = Files.createTempDirectory("rumpmount-faulty-");
            try (FuseMount m = FuseMount.mount(fs, dir, FuseOptions.builder().fsName(FuseFixture.FSNAME).build())) {
                Sh.run(dir, "stat", "boom-rt").fails("Input/output error");
                Sh.run(dir, "touch", "boom-error").fails("Input/output error");
                Sh.run(dir, "stat", "boom-rt").fails("Input/output error");
                // Everything else still works, read-write.
                Files.writeString(dir.resolve("fine"), "still serving");
                Sh.assertOk(Sh.run(dir, "cat", "fine"), "still serving");
                assertTrue(MountInfo.find(m.mountPoint()).orElseThrow().options().startsWith("rw"));
                assertEquals(0, Sh.run(dir, "ls").ok().exit());
            } finally {
                Files.delete(dir);
            }
        }
    }
}
