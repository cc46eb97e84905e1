package org.rumpmount.fs.lfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.block.FaultInjectingBlockDevice;
import org.rumpmount.block.FaultPlan;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.block.ForwardingBlockDevice;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.buf.BufferCache;
import org.rumpmount.vfs.contract.FakeClockHost;

/**
 * Roll-forward: a crash is simulated by copying the device while the file system is mounted
 * and unsynced; the copy is then mounted as NetBSD would after a crash.
 */
class LfsRollForwardTest {
    @TempDir
    Path tmp;

    private static final MountOptions FORCE = MountOptions.builder().readOnly(false).force(true).build();

    @Test
    void fsyncedChangesAfterTheLastCheckpointComeBack() throws IOException {
        Path img = TestImages.copy("nb-lfs-4k", tmp);
        Path crashed = tmp.resolve("crashed.img");
        byte[] a = new byte[70_000];
        new Random(1).nextBytes(a);
        byte[] b = "synced only by fsync".getBytes();
        try (FileBlockDevice dev = FileBlockDevice.open(img, false);
                Kernel k = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(4 << 20))) {
            Mount mp = k.mount("lfs", dev, MountOptions.readWrite());
            PathFacade fs = new PathFacade(mp, Credentials.ROOT);
            fs.mkdir("/kept", 0755);
            fs.writeAll("/kept/a", a);
            fs.sync();
            fs.writeAll("/kept/b", b);
            fs.mkdir("/kept/later", 0700);
            fs.fsync("/kept/b");
            fs.writeAll("/kept/lost", new byte[10]);
            // The crash: the device as it is now, with /kept/lost only in memory.
            Files.copy(img, crashed);
            k.unmount(mp, false);
        }
        // Without roll-forward (a read-only mount) the older of the two checkpoints is what
        // there is, as NetBSD picks it: the one before the sync, since sync wrote one copy.
        LfsWriteTest.mounted(crashed, MountOptions.readOnly(), fs -> assertFalse(LfsWriteTest.names(fs, "/").contains("kept")));
        assertEquals(List.of(), LfsWriteTest.check(crashed).problems());
        LfsWriteTest.mounted(crashed, FORCE, fs -> { });
        LfsWriteTest.mounted(crashed, MountOptions.readOnly(), fs -> {
            assertEquals(Set.of(".", "..", "a", "b", "later"), LfsWriteTest.names(fs, "/kept"));
            assertArrayEquals(a, fs.readAll("/kept/a"));
            assertArrayEquals(b, fs.readAll("/kept/b"));
        });
        assertEquals(List.of(), LfsWriteTest.check(crashed).problems());
    }

    @Test
    void filesRemovedAfterTheCheckpointStayRemoved() throws IOException {
        Path img = TestImages.copy("nb-lfs-4k", tmp);
        Path crashed = tmp.resolve("crashed.img");
        try (FileBlockDevice dev = FileBlockDevice.open(img, false);
                Kernel k = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(4 << 20))) {
            Mount mp = k.mount("lfs", dev, MountOptions.readWrite());
            PathFacade fs = new PathFacade(mp, Credentials.ROOT);
            fs.writeAll("/doomed", new byte[20_000]);
            fs.mkdir("/doomeddir", 0755);
            fs.sync();
            fs.unlink("/doomed");
            fs.rmdir("/doomeddir");
            fs.unlink("/hello.txt");
            fs.writeAll("/survivor", new byte[3]);
            fs.fsync("/survivor");
            Files.copy(img, crashed);
            k.unmount(mp, false);
        }
        LfsWriteTest.mounted(crashed, FORCE, fs -> { });
        LfsWriteTest.mounted(crashed, MountOptions.readOnly(), fs -> {
            Set<String> root = LfsWriteTest.names(fs, "/");
            assertTrue(root.contains("survivor"));
            assertFalse(root.contains("doomed") || root.contains("doomeddir") || root.contains("hello.txt"), root.toString());
        });
        assertEquals(List.of(), LfsWriteTest.check(crashed).problems());
    }

    @Test
    void aCleanFileSystemIsNotRolledForward() throws IOException {
        Path img = TestImages.copy("nb-lfs-4k", tmp);
        LfsWriteTest.mounted(img, MountOptions.readWrite(), fs -> fs.writeAll("/x", new byte[5]));
        byte[] before = Files.readAllBytes(img);
        Superblock sb;
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            sb = LfsFileSystem.open(dev).sb;
        }
        assertTrue(sb.isClean());
        LfsWriteTest.mounted(img, MountOptions.readWrite(), fs -> assertEquals(5, fs.readAll("/x").length));
        assertEquals(List.of(), LfsWriteTest.check(img).problems());
        assertTrue(before.length > 0);
    }

    /** A kernel over {@code dev} that mounts it writable, runs {@code body}, and leaves it mounted: a crash. */
    private static void crashAfter(BlockDevice dev, LfsWriteTest.IoBody body) throws IOException {
        Kernel k = new Kernel(new FakeClockHost(), DriverRegistry.load(), new BufferCache(1 << 20));
        body.run(new PathFacade(k.mount("lfs", dev, MountOptions.readWrite()), Credentials.ROOT));
    }

    /** Mounts {@code image} writable with roll-forward, runs {@code body}, unmounts; returns the image after. */
    private static byte[] recovered(byte[] image, LfsWriteTest.IoBody body) throws IOException {
        MemoryBlockDevice dev = MemoryBlockDevice.of(image.clone(), 512, false, false);
        try (Kernel k = new Kernel(new FakeClockHost(), DriverRegistry.load(), new BufferCache(1 << 20))) {
            Mount mp = k.mount("lfs", dev, FORCE);
            body.run(new PathFacade(mp, Credentials.ROOT));
            k.unmount(mp, false);
        }
        return dev.snapshot();
    }

    private static List<LfsFsck.Problem> fsck(byte[] image) throws IOException {
        return LfsFsck.check(MemoryBlockDevice.of(image, 512, false, true), false, line -> { }).problems();
    }

    static byte[] newfs(int mib, int bsize, boolean is64, ByteOrder order) throws IOException {
        MemoryBlockDevice dev = MemoryBlockDevice.create(mib << 20);
        NewfsLfs.format(dev, new NewfsLfs.Options(mib << 20, bsize, 1024, 64 << 10, is64, order, 10, 0, 0, 0x5eed1e55,
                1_700_000_000L));
        return dev.snapshot();
    }

    @Test
    void aFlushInTheSegmentTheCheckpointNamesAsNextIsFound() throws IOException {
        // newfs leaves less of segment 0 than a partial segment needs, so the first flush after
        // its checkpoint starts the checkpoint's next segment.
        MemoryBlockDevice dev = MemoryBlockDevice.of(newfs(6, 8192, true, ByteOrder.BIG_ENDIAN), 512, false, false);
        Superblock sb = LfsFileSystem.open(dev).sb;
        byte[] data = new byte[5000];
        new Random(3).nextBytes(data);
        crashAfter(dev, fs -> {
            fs.mkdir("/d", 0755);
            fs.writeAll("/d/f", data);
            fs.fsync("/d/f");
        });
        byte[] crashed = dev.snapshot();
        LfsFileSystem at = LfsFileSystem.open(MemoryBlockDevice.of(crashed, 512, false, true));
        assertTrue(new LogWalker(at).walkSegment(at.sb.dtosn(sb.offset)).stream()
                .noneMatch(ps -> ps.address() >= sb.offset), "the flush went to the checkpoint's segment");
        byte[] after = recovered(crashed, fs -> assertArrayEquals(data, fs.readAll("/d/f")));
        assertEquals(List.of(), fsck(after));
    }

    @Test
    void aFlushThatFillsItsSegmentIsFollowedIntoASegmentStartingWithASuperblock() throws IOException {
        MemoryBlockDevice dev = MemoryBlockDevice.of(newfs(6, 8192, true, ByteOrder.BIG_ENDIAN), 512, false, false);
        Superblock sb = LfsFileSystem.open(dev).sb;
        long sbSegment = sb.dtosn(sb.sboffs[1]);
        java.util.Map<String, byte[]> files = new java.util.TreeMap<>();
        Random rnd = new Random(5);
        crashAfter(dev, fs -> {
            SegmentWriter w = ((LfsMount) fs.mount().vfsOps()).writer;
            fs.mkdir("/d", 0755);
            fs.fsync("/d");
            // Fill the log up to the segment before the superblock copy's.
            for (int i = 0; sb.dtosn(w.offset) < sbSegment - 1; i++) {
                byte[] b = new byte[20_000];
                rnd.nextBytes(b);
                files.put("/d/fill" + i, b);
                fs.writeAll("/d/fill" + i, b);
                fs.fsync("/d/fill" + i);
            }
            fs.writeAll("/d/exact", new byte[0]);
            fs.fsync("/d/exact");
            // A flush of one file's data and inode that ends exactly at the segment's end: a
            // summary, the data fragments, one inode block.
            long left = sb.sntod(sb.dtosn(w.offset)) + sb.fsbpseg - w.offset;
            byte[] exact = new byte[(int) ((left - sb.btofsb(sb.sumsize) - sb.btofsb(sb.ibsize)) * sb.fsize)];
            rnd.nextBytes(exact);
            files.put("/d/exact", exact);
            fs.writeAll("/d/exact", exact);
            fs.fsync("/d/exact");
            assertEquals(sbSegment, sb.dtosn(w.offset), "the flush ended at the end of its segment");
            byte[] after = new byte[3000];
            rnd.nextBytes(after);
            files.put("/d/after", after);
            fs.writeAll("/d/after", after);
            fs.fsync("/d/after");
        });
        byte[] rolled = recovered(dev.snapshot(), fs -> {
            for (java.util.Map.Entry<String, byte[]> f : files.entrySet()) {
                assertArrayEquals(f.getValue(), fs.readAll(f.getKey()), f.getKey());
            }
        });
        assertEquals(List.of(), fsck(rolled));
    }

    @Test
    void checkpointsGoToTheTwoSuperblockCopiesInTurn() throws IOException {
        MemoryBlockDevice dev = MemoryBlockDevice.of(newfs(8, 4096, false, ByteOrder.LITTLE_ENDIAN), 512, false, false);
        Superblock sb = LfsFileSystem.open(dev).sb;
        crashAfter(dev, fs -> {
            for (int i = 0; i < 4; i++) {
                // Two partial segments each time (the fsync's, the checkpoint's): serial numbers
                // of one parity, which must not decide the copy.
                fs.writeAll("/f" + i, new byte[1000 * (i + 1)]);
                fs.fsync("/f" + i);
                fs.sync();
            }
        });
        long[] serials = new long[2];
        for (int i = 0; i < 2; i++) {
            serials[i] = LfsFileSystem.readSuperblock(dev, sb.byteOffset(sb.sboffs[i])).serial;
        }
        // The last two of the four checkpoints, one in each copy: a crash loses at most one.
        assertTrue(serials[0] > sb.serial && serials[1] > sb.serial && serials[0] != serials[1],
                "serials of the two copies: " + serials[0] + ", " + serials[1]);
    }

    @Test
    void theSummaryOfAFlushCutShortIsClearedWhenWritingMovesOn() throws IOException {
        byte[] fresh = newfs(6, 4096, false, ByteOrder.LITTLE_ENDIAN);
        Superblock sb = LfsFileSystem.open(MemoryBlockDevice.of(fresh, 512, false, true)).sb;
        byte[][] kept = new byte[1][];
        // Where the last flush starts: the write number, and the sectors of that write up to the
        // end of its summary.
        long[] last = new long[2];
        java.util.function.Function<FaultInjectingBlockDevice, LfsWriteTest.IoBody> workload = dev -> fs -> {
            SegmentWriter w = ((LfsMount) fs.mount().vfsOps()).writer;
            fs.mkdir("/d", 0755);
            fs.writeAll("/d/kept", new byte[0]);
            fs.writeAll("/d/last", new byte[0]);
            fs.fsync("/d/kept");
            for (int i = 0; left(sb, w) < 12 || left(sb, w) > 40; i++) {
                fs.writeAll("/d/fill" + i, new byte[8192]);
                fs.fsync("/d/fill" + i);
            }
            // The kept file's flush (a summary, its fragments, an inode block) leaves 6
            // fragments: room for the last flush, too few for the checkpoint after roll-forward.
            kept[0] = new byte[(int) ((left(sb, w) - 2 - 6) * sb.fsize)];
            new Random(9).nextBytes(kept[0]);
            fs.writeAll("/d/kept", kept[0]);
            fs.fsync("/d/kept");
            assertEquals(6, left(sb, w));
            last[0] = dev.writes();
            long frag = w.offset % (sb.bsize / sb.fsize);
            last[1] = (frag * sb.fsize + sb.sumsize) / 512;
            fs.writeAll("/d/last", new byte[1000]);
            fs.fsync("/d/last");
        };
        FaultInjectingBlockDevice counting = FaultInjectingBlockDevice.wrap(MemoryBlockDevice.of(fresh.clone(), 512,
                false, false), FaultPlan.NONE);
        crashAfter(counting, workload.apply(counting));
        // The same again, the power failing once the last flush's summary is written, not its blocks.
        MemoryBlockDevice medium = MemoryBlockDevice.of(fresh.clone(), 512, false, false);
        FaultPlan cut = last[1] < sb.bsize / 512 ? FaultPlan.builder().powerCutAfterWrites(last[0], (int) last[1]).build()
                : FaultPlan.builder().powerCutAfterWrites(last[0] + 1).build();
        FaultInjectingBlockDevice dev = FaultInjectingBlockDevice.wrap(medium, cut);
        crashAfter(dev, workload.apply(dev));
        assertTrue(dev.powerLost());
        byte[] rolled = recovered(medium.snapshot(), fs -> assertArrayEquals(kept[0], fs.readAll("/d/kept")));
        assertEquals(List.of(), fsck(rolled));
    }

    private static long left(Superblock sb, SegmentWriter w) {
        return sb.sntod(sb.dtosn(w.offset)) + sb.fsbpseg - w.offset;
    }

    /** Passes everything to a device and notes, in order, each write's offset and each flush (as -1). */
    private static final class Recording extends ForwardingBlockDevice {
        final List<Long> events = new java.util.ArrayList<>();

        Recording(BlockDevice inner) {
            super(inner);
        }

        @Override
        public void write(long offset, ByteBuffer src) throws IOException {
            events.add(offset);
            inner.write(offset, src);
        }

        @Override
        public void flush() throws IOException {
            events.add(-1L);
            inner.flush();
        }
    }

    @Test
    void aCheckpointsSuperblockIsWrittenOnlyAfterAFlushOfItsLog() throws IOException {
        MemoryBlockDevice medium = MemoryBlockDevice.of(newfs(6, 4096, false, ByteOrder.LITTLE_ENDIAN), 512, false, false);
        Superblock sb = LfsFileSystem.open(medium).sb;
        Recording dev = new Recording(medium);
        crashAfter(dev, fs -> {
            dev.events.clear();
            fs.writeAll("/f", new byte[20_000]);
            fs.sync();
        });
        Set<Long> superblocks = Set.of(sb.byteOffset(sb.sboffs[0]), sb.byteOffset(sb.sboffs[1]));
        int at = -1;
        for (int i = 0; i < dev.events.size(); i++) {
            if (superblocks.contains(dev.events.get(i))) {
                at = i;
            }
        }
        assertTrue(at > 0, "no superblock written: " + dev.events);
        assertEquals(-1L, dev.events.get(at - 1), "what came just before the superblock: " + dev.events);
    }

    @Test
    void inodesMadeAfterTheCheckpointPastItsIfileComeBack() throws IOException {
        MemoryBlockDevice dev = MemoryBlockDevice.of(newfs(8, 4096, false, ByteOrder.LITTLE_ENDIAN), 512, false, false);
        long before = LfsFileSystem.open(dev).maxInodes;
        int n = (int) before + 20;
        crashAfter(dev, fs -> {
            fs.mkdir("/many", 0755);
            for (int i = 0; i < n; i++) {
                fs.writeAll("/many/f" + i, ("file " + i).getBytes());
            }
            fs.fsync("/many/f0");
        });
        byte[] rolled = recovered(dev.snapshot(), fs -> {
            for (int i = 0; i < n; i++) {
                assertArrayEquals(("file " + i).getBytes(), fs.readAll("/many/f" + i), "/many/f" + i);
            }
        });
        assertTrue(LfsFileSystem.open(MemoryBlockDevice.of(rolled, 512, false, true)).maxInodes > before);
        assertEquals(List.of(), fsck(rolled));
    }

    @Test
    void aPartialSegmentsSummaryIsWrittenAfterItsBlocks() throws IOException {
        MemoryBlockDevice medium = MemoryBlockDevice.of(newfs(6, 4096, false, ByteOrder.LITTLE_ENDIAN), 512, false, false);
        Superblock sb = LfsFileSystem.open(medium).sb;
        Recording dev = new Recording(medium);
        long[] start = new long[1];
        crashAfter(dev, fs -> {
            fs.writeAll("/f", new byte[0]);
            fs.fsync("/f");
            start[0] = ((LfsMount) fs.mount().vfsOps()).writer.offset;
            dev.events.clear();
            // Small enough for one partial segment in what is left of the segment.
            byte[] data = new byte[10_000];
            new Random(4).nextBytes(data);
            fs.writeAll("/f", data);
            fs.fsync("/f");
        });
        long summary = sb.byteOffset(start[0]) / sb.bsize * sb.bsize;
        List<Long> writes = dev.events.stream().filter(e -> e >= 0).toList();
        assertEquals(summary, writes.get(writes.size() - 1), "the flush's last write: " + writes);
        assertTrue(writes.stream().filter(w -> w > summary).count() >= 2, "the blocks before it: " + writes);
    }
}
