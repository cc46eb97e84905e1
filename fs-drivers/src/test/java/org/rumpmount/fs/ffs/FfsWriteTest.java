package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DeviceNumbers;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;

/** The write side through the kernel's path facade, each case checked by {@link FfsChecker} after unmount. */
class FfsWriteTest {
    static List<FreshImages.Config> configs() {
        return FreshImages.ALL;
    }

    static void assertConsistent(MemoryBlockDevice dev) {
        List<String> p = FfsChecker.check(dev.snapshot());
        assertTrue(p.isEmpty(), "inconsistent: " + String.join("\n", p));
    }

    static byte[] pattern(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void freshImagesPassTheChecker(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        assertConsistent(dev);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void filesOfEverySizeSurviveARemount(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        int bsize = c.bsize();
        int nindir = bsize / (c.version() == 2 ? 8 : 4);
        long[] sizes = {0, 1, c.fsize() - 1, c.fsize(), c.fsize() + 1, bsize - 1, bsize, bsize + 1,
            12L * bsize - 1, 12L * bsize, 12L * bsize + c.fsize() + 3, (12L + nindir) * bsize + 5};
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.mkdir("/d", 0755);
            for (int i = 0; i < sizes.length; i++) {
                p.writeAll("/d/f" + i, pattern((int) sizes[i], i));
            }
            // A sparse file: one byte far out, and a tail grown fragment by fragment.
            p.write("/d/f0", 5L * bsize + 7, ByteBuffer.wrap(new byte[] {42}));
            for (int i = 0; i < 5; i++) {
                p.write("/d/f1", p.stat("/d/f1").size, ByteBuffer.wrap(pattern(c.fsize() / 2 + 1, 100 + i)));
            }
            p.symlink("x".repeat(c.version() == 2 ? 119 : 59), "/d/fast");
            p.symlink("y".repeat(c.version() == 2 ? 120 : 60), "/d/slow");
            p.mknod("/d/chr", VType.VCHR, 0600, DeviceNumbers.linux(4095, 1048574));
            p.mknod("/d/fifo", VType.VFIFO, 0644, 0);
            k.unmount(mp, false);
        }
        assertConsistent(dev);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            for (int i = 1; i < sizes.length; i++) {
                byte[] want = pattern((int) sizes[i], i);
                if (i == 1) {
                    java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
                    o.write(want);
                    for (int j = 0; j < 5; j++) {
                        o.write(pattern(c.fsize() / 2 + 1, 100 + j));
                    }
                    want = o.toByteArray();
                }
                assertArrayEquals(want, p.readAll("/d/f" + i), "f" + i);
            }
            byte[] sparse = p.readAll("/d/f0");
            assertEquals(5L * bsize + 8, sparse.length);
            assertEquals(42, sparse[sparse.length - 1]);
            assertTrue(p.stat("/d/f0").bytes <= c.bsize(), "a sparse file holds one block, not " + p.stat("/d/f0").bytes);
            assertEquals("x".repeat(c.version() == 2 ? 119 : 59), new String(p.readlink("/d/fast"), StandardCharsets.UTF_8));
            assertEquals(0, p.lstat("/d/fast").bytes);
            assertEquals("y".repeat(c.version() == 2 ? 120 : 60), new String(p.readlink("/d/slow"), StandardCharsets.UTF_8));
            assertTrue(p.lstat("/d/slow").bytes > 0);
            assertEquals(DeviceNumbers.linux(4095, 1048574), p.stat("/d/chr").rdev);
            assertEquals(VType.VFIFO, p.stat("/d/fifo").type);
            k.unmount(mp, false);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void directoriesSpreadOverGroupsAndFilesStayNearTheirDirectory(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        Superblock sb = SuperblockLocator.locate(dev).sb();
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            java.util.Set<Long> groups = new java.util.HashSet<>();
            for (int i = 0; i < 6; i++) {
                p.mkdir("/d" + i, 0755);
                long dirIno = p.stat("/d" + i).fileid;
                groups.add(dirIno / sb.ipg);
                p.writeAll("/d" + i + "/f", pattern(c.bsize(), i));
                long fileIno = p.stat("/d" + i + "/f").fileid;
                assertEquals(dirIno / sb.ipg, fileIno / sb.ipg, "a file goes to its directory's group");
                try (org.rumpmount.vfs.Vnode vp = p.lookup("/d" + i + "/f", true)) {
                    long block = vp.data(Inode.class).din.db[0];
                    assertEquals(fileIno / sb.ipg, block / sb.fpg, "its first block goes to its inode's group");
                }
            }
            assertTrue(groups.size() >= Math.min(3, sb.ncg), "six directories landed in groups " + groups);
            k.unmount(mp, false);
        }
        assertConsistent(dev);
    }

    private static Errno errno(org.junit.jupiter.api.function.Executable r) {
        return assertThrows(VfsException.class, r).errno();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void theDriversOwnErrors(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.mkdir("/d", 0755);
            p.mkdir("/d/e", 0755);
            p.writeAll("/d/e/f", new byte[] {1});
            p.writeAll("/g", new byte[] {2});
            assertEquals(Errno.EEXIST, errno(() -> p.mkdir("/d", 0755)));
            assertEquals(Errno.EEXIST, errno(() -> p.link("/g", "/d/e/f")));
            assertEquals(Errno.EEXIST, errno(() -> p.symlink("t", "/g")));
            assertEquals(Errno.ENOTEMPTY, errno(() -> p.rmdir("/d/e")));
            p.mkdir("/x", 0755);
            assertEquals(Errno.ENOTEMPTY, errno(() -> p.rename("/x", "/d")));
            long limit = FileWriter.limit(SuperblockLocator.locate(dev).sb());
            assertEquals(Errno.EFBIG, errno(() -> p.write("/g", limit, ByteBuffer.wrap(new byte[1]))));
            assertEquals(Errno.EFBIG, errno(() -> p.truncate("/g", limit + 1)));
            try (org.rumpmount.vfs.Vnode vp = p.lookup("/g", true)) {
                vp.data(Inode.class).din.nlink = FfsVnodeOps.LINK_MAX;
                assertEquals(Errno.EMLINK, errno(() -> p.link("/g", "/h")));
                vp.data(Inode.class).din.nlink = 1;
            }
            // A directory moved between parents: its ".." and both parents' link counts follow.
            p.rename("/d/e", "/x/e");
            assertEquals(2, p.stat("/d").nlink);
            assertEquals(3, p.stat("/x").nlink);
            assertEquals(p.stat("/x").fileid, p.stat("/x/e/..").fileid);
            // Replacing an empty directory, and a file over a file that has another name.
            p.mkdir("/d/empty", 0755);
            p.rename("/x/e", "/d/empty");
            assertEquals(3, p.stat("/d").nlink);
            assertEquals(2, p.stat("/x").nlink);
            p.link("/g", "/g2");
            p.rename("/d/empty/f", "/g");
            assertEquals(1, p.stat("/g2").nlink);
            assertArrayEquals(new byte[] {1}, p.readAll("/g"));
            k.unmount(mp, false);
        }
        assertConsistent(dev);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void anInodePointingAtMetadataIsRefusedRatherThanFreed(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        Superblock sb = SuperblockLocator.locate(dev).sb();
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.writeAll("/f", new byte[100]);
            try (org.rumpmount.vfs.Vnode vp = p.lookup("/f", true)) {
                // As a corrupt image would have it: the file's block is the group's inode table.
                vp.data(Inode.class).din.db[0] = sb.cgimin(0);
            }
            VfsException e = assertThrows(VfsException.class, () -> p.truncate("/f", 0));
            assertEquals(Errno.EIO, e.errno());
            assertTrue(e.getMessage().contains("metadata"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void deviceWriteFailuresSurfaceAsEio(FreshImages.Config c) throws Exception {
        MemoryBlockDevice mem = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        org.rumpmount.block.FaultInjectingBlockDevice dev = org.rumpmount.block.FaultInjectingBlockDevice.wrap(mem,
                org.rumpmount.block.FaultPlan.builder().failWritesFrom(3).build());
        int failures = 0;
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            for (int i = 0; i < 20; i++) {
                int n = i;
                try {
                    p.mkdir("/d" + n, 0755);
                    p.writeAll("/d" + n + "/f", pattern(3 * c.bsize(), n));
                    p.fsync("/d" + n + "/f");
                } catch (VfsException e) {
                    assertTrue(e.errno() == Errno.EIO || e.errno() == Errno.EEXIST, e.toString());
                    failures++;
                }
            }
            VfsException e = assertThrows(VfsException.class, () -> k.unmount(mp, true));
            assertEquals(Errno.EIO, e.errno());
        }
        assertTrue(failures > 0, "the device's failures were reported");
    }
}
