package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VfsException;

/** The clean flag: dirty on the device while mounted read-write, clean after unmount; dirty volumes refused. */
class FfsMountPolicyTest {
    static List<FreshImages.Config> configs() {
        return List.of(FreshImages.UFS1_LE_8K, FreshImages.UFS2_BE_16K);
    }

    static int cleanByte(MemoryBlockDevice dev) throws Exception {
        SuperblockLocator.Found f = SuperblockLocator.locate(MemoryBlockDevice.of(dev.snapshot(), 512, false, true));
        return f.sb().clean;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void dirtyWhileMountedReadWriteAndCleanAfterUnmount(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        assertEquals(Superblock.FS_ISCLEAN, cleanByte(dev) & Superblock.FS_ISCLEAN);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            assertEquals(0, cleanByte(dev), "marked dirty on the device at mount, before any other write");
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.writeAll("/f", new byte[] {1, 2, 3});
            p.sync();
            assertEquals(0, cleanByte(dev), "sync keeps it dirty while mounted");
            k.unmount(mp, false);
        }
        assertEquals(Superblock.FS_ISCLEAN, cleanByte(dev));
        assertTrue(FfsChecker.check(dev.snapshot()).isEmpty());
        // A read-only mount writes nothing, not even the clean flag.
        byte[] before = dev.snapshot();
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            assertArrayEquals(new byte[] {1, 2, 3}, new PathFacade(mp, Credentials.ROOT).readAll("/f"));
            k.unmount(mp, false);
        }
        assertArrayEquals(before, dev.snapshot());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void aDirtyVolumeIsRefusedReadWriteUnlessForced(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        MemoryBlockDevice after;
        try (Kernel k = FfsGoldenTest.kernel()) {
            // The device as a crash would leave it: synced while mounted, never unmounted.
            Mount crashed = k.mount("ffs", dev, MountOptions.readWrite());
            new PathFacade(crashed, Credentials.ROOT).mkdir("/d", 0755);
            crashed.vfsOps().sync(true);
            after = MemoryBlockDevice.of(dev.snapshot(), 512, false, false);
        }
        assertEquals(0, cleanByte(after));
        try (Kernel k = FfsGoldenTest.kernel()) {
            VfsException e = assertThrows(VfsException.class, () -> k.mount("ffs", after, MountOptions.readWrite()));
            assertEquals(Errno.EROFS, e.errno());
            assertTrue(e.getMessage().contains("not clean"), e.getMessage());
            Mount ro = k.mount("ffs", after, MountOptions.readOnly());
            k.unmount(ro, false);
            Mount forced = k.mount("ffs", after, MountOptions.builder().force(true).build());
            new PathFacade(forced, Credentials.ROOT).rmdir("/d");
            k.unmount(forced, false);
        }
        assertEquals(Superblock.FS_ISCLEAN, cleanByte(after));
        List<String> problems = FfsChecker.check(after.snapshot());
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
