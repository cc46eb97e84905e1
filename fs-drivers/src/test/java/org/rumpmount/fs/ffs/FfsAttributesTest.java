package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.Vnode;
import org.rumpmount.vfs.buf.BufferCache;

/** Attributes and times, fsync'ed data surviving a crash, a large directory, and concurrent writers. */
class FfsAttributesTest {
    static List<FreshImages.Config> configs() {
        return List.of(FreshImages.UFS1_LE_8K, FreshImages.UFS2_BE_16K);
    }

    /** A host whose clock the test sets. */
    static final class ClockHost implements Host {
        volatile Timespec now = new Timespec(1_700_000_000L, 123_456_789);

        @Override
        public Timespec now() {
            return now;
        }

        @Override
        public RandomGenerator random() {
            return new java.util.Random(3);
        }
    }

    static Kernel kernel(Host host) {
        DriverRegistry r = new DriverRegistry();
        r.register(new FfsDriver());
        return new Kernel(host, r, new BufferCache(4L << 20));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void timesModesOwnersAndFlagsAsPosixSays(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        ClockHost host = new ClockHost();
        Timespec t0 = host.now;
        try (Kernel k = kernel(host)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.mkdir("/d", 0750);
            p.writeAll("/d/f", new byte[10]);
            Vattr a = p.stat("/d/f");
            assertEquals(t0, a.mtime);
            assertEquals(t0, a.ctime);
            assertEquals(t0, a.atime);
            assertEquals(c.version() == 2 ? t0 : Timespec.EPOCH, a.birthtime);
            assertEquals(t0, p.stat("/d").mtime, "creating an entry changes the directory's mtime");
            Timespec t1 = new Timespec(1_700_000_100L, 5);
            host.now = t1;
            p.chmod("/d/f", 04711);
            p.chown("/d/f", 4294967294L, 77);
            Vattr b = p.stat("/d/f");
            assertEquals(04711, b.mode);
            assertEquals(4294967294L, b.uid);
            assertEquals(77, b.gid);
            assertEquals(t1, b.ctime, "a change of attributes changes ctime");
            assertEquals(t0, b.mtime, "but not mtime");
            Timespec old = new Timespec(-1_000_000L, 999_999_999);
            p.utimens("/d/f", old, new Timespec(2_000_000_000L, 1));
            Vattr u = p.stat("/d/f");
            assertEquals(old, u.atime);
            assertEquals(new Timespec(2_000_000_000L, 1), u.mtime);
            try (Vnode vp = p.lookup("/d/f", true); Vnode.Locked l = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
                Vattr va = Vattr.forSetattr();
                va.flags = 0x1; // UF_NODUMP
                va.birthtime = new Timespec(1_000L, 7);
                vp.ops().setattr(vp, va, Credentials.ROOT);
            }
            Timespec t2 = new Timespec(1_700_000_200L, 0);
            host.now = t2;
            p.write("/d/f", 3, ByteBuffer.wrap(new byte[] {1}));
            Vattr w = p.stat("/d/f");
            assertEquals(t2, w.mtime);
            assertEquals(t2, w.ctime);
            p.truncate("/d/f", 4);
            assertEquals(4, p.stat("/d/f").size);
            k.unmount(mp, false);
        }
        try (Kernel k = kernel(host)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            Vattr v = p.stat("/d/f");
            assertEquals(0x1, v.flags);
            assertEquals(c.version() == 2 ? new Timespec(1_000L, 7) : Timespec.EPOCH, v.birthtime);
            assertEquals(new Timespec(-1_000_000L, 999_999_999), v.atime);
            assertEquals(04711, v.mode);
            assertArrayEquals(new byte[] {0, 0, 0, 1}, p.readAll("/d/f"));
            k.unmount(mp, false);
        }
        assertTrue(FfsChecker.check(dev.snapshot()).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void fsyncedDataSurvivesACrash(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        byte[] data = FfsWriteTest.pattern(3 * c.bsize() + 100, 5);
        byte[] crashed;
        try (Kernel k = kernel(new ClockHost())) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.mkdir("/d", 0755);
            p.writeAll("/d/kept", data);
            p.fsync("/d/kept");
            crashed = dev.snapshot();
        }
        MemoryBlockDevice after = MemoryBlockDevice.of(crashed, 512, false, true);
        try (Kernel k = kernel(new ClockHost())) {
            Mount mp = k.mount("ffs", after, MountOptions.readOnly());
            assertArrayEquals(data, new PathFacade(mp, Credentials.ROOT).readAll("/d/kept"));
            k.unmount(mp, false);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void aLargeDirectoryGrowsShrinksAndListsEachNameOnce(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        try (Kernel k = kernel(new ClockHost())) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.mkdir("/big", 0755);
            for (int i = 0; i < 700; i++) {
                p.mknod("/big/entry-with-a-longish-name-" + i, org.rumpmount.vfs.VType.VFIFO, 0644, 0);
            }
            for (int i = 0; i < 700; i += 2) {
                p.unlink("/big/entry-with-a-longish-name-" + i);
            }
            for (int i = 0; i < 300; i++) {
                p.mknod("/big/n" + i, org.rumpmount.vfs.VType.VFIFO, 0644, 0);
            }
            Set<String> names = new HashSet<>();
            for (Dirent d : p.readdir("/big")) {
                assertTrue(names.add(new String(d.name().bytes())), "listed twice: " + d.name());
            }
            assertEquals(2 + 350 + 300, names.size());
            for (int i = 1; i < 700; i += 2) {
                p.lstat("/big/entry-with-a-longish-name-" + i);
            }
            k.unmount(mp, false);
        }
        List<String> problems = FfsChecker.check(dev.snapshot());
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void concurrentWritersInSeparateDirectoriesKeepTheMapsExact(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        try (Kernel k = kernel(new ClockHost())) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            ExecutorService ex = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int id = t;
                    fs.add(ex.submit(() -> {
                        String dir = "/t" + id;
                        p.mkdir(dir, 0755);
                        java.util.Random r = new java.util.Random(id);
                        for (int i = 0; i < 150; i++) {
                            byte[] b = new byte[r.nextInt(2 * c.bsize())];
                            r.nextBytes(b);
                            String f = dir + "/f" + (i % 10);
                            p.writeAll(f, b);
                            assertArrayEquals(b, p.readAll(f));
                            if (i % 3 == 0) {
                                p.unlink(f);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
            } finally {
                ex.shutdown();
            }
            k.unmount(mp, false);
        }
        List<String> problems = FfsChecker.check(dev.snapshot());
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
