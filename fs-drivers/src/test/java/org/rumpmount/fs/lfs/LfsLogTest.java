package org.rumpmount.fs.lfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rumpmount.block.FaultInjectingBlockDevice;
import org.rumpmount.block.FaultPlan;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.buf.BufferCache;

/** The log across segments, checkpoints in alternating superblocks, and power cuts. */
class LfsLogTest {
    @TempDir
    Path tmp;

    private static Superblock superblock(Path img, int copy) throws IOException {
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            return superblock(dev, copy);
        }
    }

    private static Superblock superblock(org.rumpmount.block.BlockDevice dev, int copy) throws IOException {
        Superblock primary = LfsFileSystem.readSuperblock(dev, Superblock.LABELPAD);
        return LfsFileSystem.readSuperblock(dev, primary.byteOffset(primary.sboffs[copy]));
    }

    private static long dirtySegments(Path img) throws IOException {
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            return LfsFileSystem.open(dev).cleanerInfo().dirty();
        }
    }

    @Test
    void aFileLargerThanManySegmentsCrossesThemAndReadsBack() throws IOException {
        Path img = TestImages.copy("nb-lfs-4k", tmp);
        long dirtyBefore = dirtySegments(img);
        byte[] data = new byte[3 << 20];
        new Random(11).nextBytes(data);
        LfsWriteTest.mounted(img, MountOptions.readWrite(), fs -> {
            fs.writeAll("/huge", new byte[0]);
            // Written in pieces, so some flushes happen while the file is still growing.
            for (int off = 0; off < data.length; off += 100_000) {
                fs.write("/huge", off, ByteBuffer.wrap(data, off, Math.min(100_000, data.length - off)));
            }
        });
        LfsWriteTest.mounted(img, MountOptions.readOnly(), fs -> assertArrayEquals(data, fs.readAll("/huge")));
        // 3 MiB of data in 256 KiB segments (segments dirty before may have been emptied and
        // marked clean meanwhile).
        assertTrue(dirtySegments(img) >= 12, "dirty segments " + dirtySegments(img) + ", before " + dirtyBefore);
        assertEquals(List.of(), LfsWriteTest.check(img).problems());
    }

    @Test
    void checkpointsAlternateBetweenTheSuperblockCopiesAndUnmountWritesBoth() throws IOException {
        Path img = TestImages.copy("nb-lfs-4k", tmp);
        long start = superblock(img, 0).serial;
        assertEquals(start, superblock(img, 1).serial);
        try (FileBlockDevice dev = FileBlockDevice.open(img, false);
                Kernel k = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(4 << 20))) {
            Mount mp = k.mount("lfs", dev, MountOptions.readWrite());
            PathFacade fs = new PathFacade(mp, Credentials.ROOT);
            assertFalse(superblock(dev, 0).isClean(), "a writable mount clears the clean flag first");
            assertFalse(superblock(dev, 1).isClean());
            for (int round = 0; round < 2; round++) {
                fs.writeAll("/f" + round, new byte[100]);
                fs.sync();
                Superblock a = superblock(dev, 0);
                Superblock b = superblock(dev, 1);
                Superblock newer = a.serial > b.serial ? a : b;
                int copy = newer == a ? 0 : 1;
                assertNotEquals(a.serial, b.serial);
                assertEquals(round % 2, copy, "the copies are written in turn, the first one first");
                assertTrue(newer.checksumOk());
            }
            k.unmount(mp, false);
        }
        Superblock a = superblock(img, 0);
        Superblock b = superblock(img, 1);
        assertEquals(a.serial, b.serial);
        assertTrue(a.serial > start);
        assertTrue(a.isClean() && b.isClean());
        assertEquals(a.offset, b.offset);
        assertEquals(List.of(), LfsWriteTest.check(img).problems());
    }

    @Test
    void aReadOnlyMountWritesNothing() throws IOException {
        Path img = TestImages.copy("nb-lfs-4k", tmp);
        byte[] before = Files.readAllBytes(img);
        try (FileBlockDevice dev = FileBlockDevice.open(img, false);
                Kernel k = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(4 << 20))) {
            Mount mp = k.mount("lfs", dev, MountOptions.readOnly());
            PathFacade fs = new PathFacade(mp, Credentials.ROOT);
            fs.readAll("/random-100000.bin");
            fs.sync();
            k.unmount(mp, false);
        }
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(img)), "the image is unchanged");
    }

    /**
     * Power fails after some number of device writes while files are created, written, synced
     * and removed; the software never learns. Whatever survives must mount and be consistent:
     * the checkpoint found is one that was completely written, and nothing it describes was
     * overwritten since, because the log only ever writes where no checkpoint points.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 17, 40, 90, 160, 400})
    void aPowerCutLeavesAConsistentFileSystem(int writes) throws IOException {
        Path img = TestImages.copy("nb-lfs-4k", tmp);
        try (FileBlockDevice file = FileBlockDevice.open(img, false);
                FaultInjectingBlockDevice dev = FaultInjectingBlockDevice.wrap(file,
                        FaultPlan.builder().powerCutAfterWrites(writes, 3).build());
                Kernel k = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(4 << 20))) {
            Mount mp = k.mount("lfs", dev, MountOptions.readWrite());
            PathFacade fs = new PathFacade(mp, Credentials.ROOT);
            Random r = new Random(writes);
            for (int i = 0; i < 30; i++) {
                byte[] data = new byte[r.nextInt(40_000)];
                r.nextBytes(data);
                fs.writeAll("/p" + i, data);
                if (i % 3 == 0) {
                    fs.mkdir("/d" + i, 0755);
                }
                if (i % 4 == 3) {
                    fs.unlink("/p" + (i - 2));
                }
                if (i % 5 == 4) {
                    fs.sync();
                }
            }
            fs.unlink("/random-100000.bin");
            k.unmount(mp, false);
        }
        LfsWriteTest.mounted(img, MountOptions.readOnly(), fs -> fs.readdir("/"));
        assertEquals(List.of(), LfsWriteTest.check(img).problems());
        // A forced writable mount rolls forward whatever whole flushes followed the checkpoint.
        LfsWriteTest.mounted(img, MountOptions.builder().readOnly(false).force(true).build(), fs -> fs.readdir("/"));
        assertEquals(List.of(), LfsWriteTest.check(img).problems(), "after roll-forward");
    }
}
