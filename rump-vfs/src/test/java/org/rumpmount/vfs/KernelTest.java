package org.rumpmount.vfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.buf.BufferCache;

class KernelTest {
    private final StaticFs fs = new StaticFs(10);
    private final Kernel kernel = kernelWith(fs);

    private static Kernel kernelWith(FileSystemDriver d) {
        DriverRegistry r = new DriverRegistry();
        r.register(d);
        return new Kernel(Host.system(), r, new BufferCache(1 << 20));
    }

    @AfterEach
    void tearDown() throws Exception {
        kernel.close();
    }

    @Test
    void anOperationTheDriverLacksIsEopnotsuppNotACrash() throws Exception {
        Mount mp = kernel.mount("staticfs", null, MountOptions.readWrite());
        PathFacade fs = new PathFacade(mp, Credentials.ROOT);
        assertEquals(Errno.EOPNOTSUPP, assertThrows(VfsException.class, () -> fs.mkdir("/d", 0755)).errno());
        assertEquals(Errno.EOPNOTSUPP, assertThrows(VfsException.class, () -> fs.symlink("x", "/l")).errno());
        assertEquals(Errno.EOPNOTSUPP, assertThrows(VfsException.class, () -> fs.chmod("/f3", 0600)).errno());
        assertEquals(Errno.EOPNOTSUPP, assertThrows(VfsException.class, () -> fs.unlink("/f3")).errno());
        assertEquals(Errno.EOPNOTSUPP, assertThrows(VfsException.class, () -> fs.rename("/f3", "/f4")).errno());
        assertEquals(Errno.EINVAL, assertThrows(VfsException.class, () -> fs.readlink("/f3")).errno(),
                "readlink of a file that is not a symbolic link is the kernel's EINVAL");
        assertEquals(0, mp.vnodes().referenced());
    }

    @Test
    void readsGoThroughTheFacade() throws Exception {
        Mount mp = kernel.mount("staticfs", null, MountOptions.readOnly());
        PathFacade fs = new PathFacade(mp, new Credentials(1000, 1000));
        assertArrayEquals(new byte[] {'a', 'b', 'c'}, fs.readAll("/f4"));
        assertEquals(12, fs.readdir("/").size());
        assertEquals(Errno.ENOENT, assertThrows(VfsException.class, () -> fs.stat("/nope")).errno());
        assertEquals(Errno.ENOTDIR, assertThrows(VfsException.class, () -> fs.stat("/f3/")).errno());
        assertEquals(Errno.ENOTDIR, assertThrows(VfsException.class, () -> fs.stat("/f3/x")).errno());
        assertEquals(Errno.EROFS, assertThrows(VfsException.class, () -> fs.mkdir("/d", 0755)).errno());
        assertEquals(3, fs.stat("/./f3").fileid);
        assertEquals(Errno.ENOTDIR, assertThrows(VfsException.class, () -> fs.stat("/f3/../f3")).errno(),
                "'..' after a file is not a way back: the file is not a directory");
        assertEquals(2, fs.stat("/../..").fileid);
        assertEquals(0, mp.vnodes().referenced());
    }

    @Test
    void aPathOf1024BytesIsEnametoolong() throws Exception {
        Mount mp = kernel.mount("staticfs", null, MountOptions.readOnly());
        PathFacade fs = new PathFacade(mp, Credentials.ROOT);
        String p = "/" + "./".repeat(511) + "f3";
        assertEquals(1025, p.length());
        assertEquals(Errno.ENAMETOOLONG, assertThrows(VfsException.class, () -> fs.stat(p)).errno());
        String ok = "/" + "./".repeat(509) + "f3";
        assertEquals(3, fs.stat(ok).fileid);
    }

    @Test
    void oneVnodePerFileAndReferencesAreCounted() throws Exception {
        Mount mp = kernel.mount("staticfs", null, MountOptions.readOnly());
        Vnode a = mp.vfsOps().vget(5);
        Vnode b = mp.vfsOps().vget(5);
        assertSame(a, b);
        assertEquals(1, fs.loads.get());
        a.close();
        assertEquals(0, fs.inactives.get());
        b.close();
        assertEquals(1, fs.inactives.get());
        assertEquals(0, mp.vnodes().referenced());
        assertEquals(1, mp.vnodes().size(), "an unreferenced vnode stays cached");
        Vnode c = mp.vfsOps().vget(5);
        assertSame(a, c, "a cached vnode is reused, not reloaded");
        c.close();
        assertEquals(1, fs.loads.get());
    }

    @Test
    void concurrentGetsOfOneFileLoadItOnce() throws Exception {
        Mount mp = kernel.mount("staticfs", null, MountOptions.readOnly());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Vnode>> got = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                got.add(pool.submit(() -> {
                    go.await();
                    return mp.vfsOps().vget(7);
                }));
            }
            go.countDown();
            Vnode first = got.get(0).get(10, TimeUnit.SECONDS);
            for (Future<Vnode> f : got) {
                Vnode v = f.get(10, TimeUnit.SECONDS);
                assertSame(first, v);
                v.close();
            }
            assertEquals(1, fs.loads.get());
            assertEquals(0, mp.vnodes().referenced());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unmountIsRefusedWhileAVnodeIsReferencedAndReclaimsAllAfter() throws Exception {
        Mount mp = kernel.mount("staticfs", null, MountOptions.readOnly());
        Vnode held = mp.vfsOps().vget(3);
        mp.vfsOps().vget(4).close();
        VfsException e = assertThrows(VfsException.class, () -> kernel.unmount(mp, false));
        assertEquals(Errno.EBUSY, e.errno());
        held.close();
        kernel.unmount(mp, false);
        assertEquals(2, fs.reclaims.get());
        assertTrue(kernel.mounts().isEmpty());
    }

    @Test
    void unknownTypesAndUnrecognisedDevicesGiveClearErrors() throws Exception {
        VfsException e = assertThrows(VfsException.class, () -> kernel.mount("nosuchfs", null, MountOptions.readOnly()));
        assertEquals(Errno.ENODEV, e.errno());
        assertTrue(e.getMessage().contains("staticfs"), e.getMessage());
        MemoryBlockDevice zeros = MemoryBlockDevice.create(4096);
        assertEquals(Errno.EFTYPE, assertThrows(VfsException.class,
                () -> kernel.mount("auto", zeros, MountOptions.readOnly())).errno());
    }

    @Test
    void autoMountsTheDriverThatRecognisesTheDevice() throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.create(4096);
        dev.write(0, ByteBuffer.wrap(new byte[] {'S'}));
        Mount mp = kernel.mount("auto", dev, MountOptions.readOnly());
        assertEquals("staticfs", mp.type());
    }

    @Test
    void readWriteMountOfAReadOnlyDeviceIsErofs() {
        MemoryBlockDevice dev = MemoryBlockDevice.of(new byte[] {'S', 0, 0, 0}, 1, false, true);
        assertEquals(Errno.EROFS, assertThrows(VfsException.class,
                () -> kernel.mount("staticfs", dev, MountOptions.readWrite())).errno());
    }

    @Test
    void driversAreFoundWithServiceLoaderWithoutErrorWhenNoneAreListed() {
        DriverRegistry r = DriverRegistry.load();
        assertTrue(r.all().stream().noneMatch(d -> d.name().isEmpty()));
        assertThrows(IllegalArgumentException.class, () -> {
            DriverRegistry twice = new DriverRegistry();
            twice.register(new StaticFs(1));
            twice.register(new StaticFs(1));
        });
    }
}
