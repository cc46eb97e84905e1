package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.fs.ffs.newfs.Newfs;
import org.rumpmount.fs.ffs.newfs.NewfsOptions;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;

/**
 * The tree writer on a file system newfs has just made: what it lays down checks consistent and
 * reads back through the driver, holes and all; it fills only a new file system, refuses names
 * a directory cannot hold, and running out of space is ENOSPC naming what could not be stored.
 */
class FreshTreeWriterTest {
    private static final Timespec ATIME = new Timespec(1_700_000_000L, 123_456_789);
    private static final Timespec MTIME = new Timespec(1_600_000_000L, 987_654_321);

    private static MemoryBlockDevice fresh(int version, int bsize, int fsize, ByteOrder order, int megabytes)
            throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.create(megabytes << 20);
        Newfs.format(dev, NewfsOptions.builder().version(version).blockSize(bsize).fragmentSize(fsize)
                .byteOrder(order).bytesPerInode(4096).build());
        return dev;
    }

    private static byte[] name(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "UFS{0} {1}/{2} {3}")
    @CsvSource({"1, 4096, 512, le", "2, 8192, 1024, be", "1, 8192, 1024, be", "2, 16384, 4096, le"})
    void filesAtEveryBoundaryWithHolesReadBackAndCheckConsistent(int version, int bsize, int fsize, String endian)
            throws Exception {
        ByteOrder order = endian.equals("be") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int nindir = bsize / (version == 2 ? 8 : 4);
        // Room for the two files that fill the single indirect block and pass it.
        MemoryBlockDevice dev = fresh(version, bsize, fsize, order, (int) (3L * (12 + nindir) * bsize >> 20) + 8);
        long[] sizes = {0, 1, fsize - 1, fsize, fsize + 1, bsize - 1, bsize, bsize + 1, 12L * bsize - 1, 12L * bsize,
            12L * bsize + 1, (12L + nindir) * bsize, (12L + nindir) * bsize + 1};
        Random rnd = new Random(5);
        byte[][] contents = new byte[sizes.length + 1][];
        for (int i = 0; i < sizes.length; i++) {
            contents[i] = new byte[(int) sizes[i]];
            rnd.nextBytes(contents[i]);
        }
        // Whole blocks of zeros in the middle and at the end become holes; a zero tail stays a hole too.
        byte[] holey = new byte[5 * bsize + 100];
        rnd.nextBytes(holey);
        java.util.Arrays.fill(holey, bsize, 3 * bsize, (byte) 0);
        java.util.Arrays.fill(holey, 4 * bsize, holey.length, (byte) 0);
        contents[sizes.length] = holey;
        try (Kernel k = FfsGoldenTest.kernel(1L << 20)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            try (FreshTreeWriter w = FreshTreeWriter.open(mp)) {
                w.setRoot(0755, 0, 0, ATIME, MTIME);
                long dir = w.mkdir(w.root(), name("dir"), 0750, 12, 34, ATIME, MTIME);
                long sub = w.mkdir(dir, name("sub"), 0700, 0, 0, ATIME, MTIME);
                for (int i = 0; i < contents.length; i++) {
                    FreshTreeWriter.RegularFile f = w.create(i % 2 == 0 ? dir : sub, name("f" + i), 0640, 7, 8,
                            ATIME, MTIME);
                    // In uneven pieces, as a stream gives them.
                    int at = 0;
                    while (at < contents[i].length) {
                        int n = Math.min(contents[i].length - at, 1 + rnd.nextInt(3 * bsize));
                        f.write(contents[i], at, n);
                        at += n;
                    }
                    f.close();
                }
                long target = w.symlink(dir, name("fast"), name("f1"), 0, 0, ATIME, MTIME);
                w.symlink(dir, name("slow"), name("x".repeat(300)), 0, 0, ATIME, MTIME);
                w.mknod(dir, name("fifo"), Dinode.IFIFO, 0644, 0, 0, 0, ATIME, MTIME);
                w.link(sub, name("again"), target);
                w.finish();
            }
            k.unmount(mp, false);
        }
        List<String> problems = FfsChecker.check(dev.snapshot());
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        try (Kernel k = FfsGoldenTest.kernel(1L << 20)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            for (int i = 0; i < contents.length; i++) {
                String path = (i % 2 == 0 ? "/dir/f" : "/dir/sub/f") + i;
                assertArrayEquals(contents[i], p.readAll(path), path);
                Vattr va = p.stat(path);
                assertEquals(0640, va.mode & 07777, path);
                assertEquals(7, va.uid, path);
                assertEquals(MTIME, va.mtime, path);
                assertEquals(ATIME, va.atime, path);
            }
            long stored = p.stat((sizes.length % 2 == 0 ? "/dir/f" : "/dir/sub/f") + sizes.length).bytes;
            assertTrue(stored <= 2L * bsize + fsize, "the zero blocks of the file with holes take no space: " + stored);
            assertEquals("f1", new String(p.readlink("/dir/fast"), StandardCharsets.UTF_8));
            assertEquals("x".repeat(300), new String(p.readlink("/dir/slow"), StandardCharsets.UTF_8));
            assertEquals(2, p.lstat("/dir/fast").nlink);
            assertEquals(VType.VFIFO, p.lstat("/dir/fifo").type);
            assertEquals(3, p.stat("/dir").nlink, "., .. and sub's ..");
            assertEquals(0750, p.stat("/dir").mode & 07777);
            assertEquals(34, p.stat("/dir").gid);
            k.unmount(mp, false);
        }
    }

    @Test
    void aDirectoryPastItsDirectBlocksIsWrittenWhole() throws Exception {
        MemoryBlockDevice dev = fresh(1, 4096, 512, ByteOrder.LITTLE_ENDIAN, 16);
        int n = 1500;
        try (Kernel k = FfsGoldenTest.kernel(1L << 20)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            try (FreshTreeWriter w = FreshTreeWriter.open(mp)) {
                long dir = w.mkdir(w.root(), name("big"), 0755, 0, 0, ATIME, MTIME);
                for (int i = 0; i < n; i++) {
                    w.create(dir, name(String.format("%04d-%s", i, "n".repeat(60))), 0644, 0, 0, ATIME, MTIME).close();
                }
                w.finish();
            }
            k.unmount(mp, false);
        }
        List<String> problems = FfsChecker.check(dev.snapshot());
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        try (Kernel k = FfsGoldenTest.kernel(1L << 20)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            assertTrue(p.stat("/big").size > 12L * 4096, "the directory reaches its indirect block");
            assertEquals(n + 2, p.readdir("/big").size(), "every name, with . and ..");
            assertEquals(0, p.stat(String.format("/big/%04d-%s", n - 1, "n".repeat(60))).size);
            k.unmount(mp, false);
        }
    }

    @Test
    void runningOutOfSpaceIsEnospcNamingTheFile() throws Exception {
        MemoryBlockDevice dev = fresh(2, 8192, 1024, ByteOrder.LITTLE_ENDIAN, 2);
        byte[] block = new byte[8192];
        new Random(3).nextBytes(block);
        try (Kernel k = FfsGoldenTest.kernel(1L << 20)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            try (FreshTreeWriter w = FreshTreeWriter.open(mp)) {
                VfsException e = assertThrows(VfsException.class, () -> {
                    for (int i = 0; ; i++) {
                        FreshTreeWriter.RegularFile f = w.create(w.root(), name("f" + i), 0644, 0, 0, ATIME, MTIME);
                        for (int b = 0; b < 16; b++) {
                            f.write(block, 0, block.length);
                        }
                        f.close();
                    }
                });
                assertEquals(Errno.ENOSPC, e.errno());
                assertTrue(e.getMessage().contains("file system full") && e.getMessage().contains("inode "),
                        e.getMessage());
            }
            k.unmount(mp, false);
        }
    }

    @Test
    void onlyANewFileSystemIsFilled() throws Exception {
        MemoryBlockDevice dev = fresh(2, 8192, 1024, ByteOrder.LITTLE_ENDIAN, 4);
        try (Kernel k = FfsGoldenTest.kernel(1L << 20)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            new PathFacade(mp, Credentials.ROOT).mkdir("/used", 0755);
            VfsException e = assertThrows(VfsException.class, () -> FreshTreeWriter.open(mp));
            assertEquals(Errno.EBUSY, e.errno());
            k.unmount(mp, false);
        }
    }

    @Test
    void namesADirectoryCannotHoldAreRefused() throws Exception {
        MemoryBlockDevice dev = fresh(2, 8192, 1024, ByteOrder.LITTLE_ENDIAN, 4);
        try (Kernel k = FfsGoldenTest.kernel(1L << 20)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            try (FreshTreeWriter w = FreshTreeWriter.open(mp)) {
                assertEquals(Errno.ENAMETOOLONG, assertThrows(VfsException.class,
                        () -> w.mkdir(w.root(), name("n".repeat(256)), 0755, 0, 0, ATIME, MTIME)).errno());
                assertEquals(Errno.EINVAL, assertThrows(VfsException.class,
                        () -> w.mkdir(w.root(), name("a/b"), 0755, 0, 0, ATIME, MTIME)).errno());
                assertEquals(Errno.ENAMETOOLONG, assertThrows(VfsException.class,
                        () -> w.symlink(w.root(), name("l"), new byte[1024], 0, 0, ATIME, MTIME)).errno());
                assertEquals(Errno.ENOTDIR, assertThrows(VfsException.class,
                        () -> w.mkdir(99, name("x"), 0755, 0, 0, ATIME, MTIME)).errno());
            }
            k.unmount(mp, false);
        }
    }
}
