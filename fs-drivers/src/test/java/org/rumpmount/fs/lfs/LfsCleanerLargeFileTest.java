package org.rumpmount.fs.lfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * The cleaner moves every kind of live block, the double and triple indirect blocks and the
 * single indirect blocks under them included, as lfs_markv does: files large enough to reach the
 * double indirect block (4 KiB blocks: from 4 243 456 bytes with 32-bit pointers, from 2 146 304
 * with 64-bit ones) churned on a small file system for several times its size never run it out
 * of space, and read back exactly.
 */
class LfsCleanerLargeFileTest {
    private static final int BSIZE = 4096;
    private static final long MIB = 1 << 20;

    private static Kernel kernel() {
        return new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(8 << 20));
    }

    private static MemoryBlockDevice newfs(long size, int ssize, boolean is64) throws IOException {
        MemoryBlockDevice dev = MemoryBlockDevice.create((int) size);
        NewfsLfs.format(dev, new NewfsLfs.Options(size, BSIZE, 1024, ssize, is64, ByteOrder.LITTLE_ENDIAN, 10, 0, 0,
                0x2345678b, 1_700_000_000L));
        return dev;
    }

    /** The first byte the double indirect block maps. */
    private static long doubleFrom(boolean is64) {
        long n = BSIZE / (is64 ? 8 : 4);
        return (Dinode.NDADDR + n) * BSIZE;
    }

    private static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static void assertConsistent(MemoryBlockDevice dev) throws IOException {
        assertEquals(List.of(), LfsCheck.check(dev).problems());
        assertEquals(List.of(), LfsFsck.check(dev, false, line -> { }).problems(), "fsck_lfs -n");
        assertEquals(List.of(), EmptySegmentsTest.emptyFlagsWrong(dev), "EMPTY flags");
    }

    /**
     * A file reaching the double (2) or triple (3) indirect block, sparse for the triple one,
     * whose top indirect block sits in a segment otherwise filled by a file removed since.
     */
    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {2, 3})
    void aSegmentHoldingALiveDoubleOrTripleIndirectBlockIsCleaned(int level) throws IOException {
        MemoryBlockDevice dev = newfs(16 * MIB, 64 << 10, false);
        Random rnd = new Random(40 + level);
        long n = BSIZE / 4;
        long tail = level == 2 ? doubleFrom(false) : (Dinode.NDADDR + n + n * n) * BSIZE;
        byte[] head = bytes(rnd, 5_000);
        byte[] end = bytes(rnd, 8_000);
        try (Kernel k = kernel()) {
            Mount mp = k.mount("lfs", dev, MountOptions.readWrite());
            LfsMount m = (LfsMount) mp.vfsOps();
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.writeAll("/big", head);
            p.write("/big", tail, ByteBuffer.wrap(end));
            p.sync();
            // The segment the top indirect block went to fills up with a file removed later.
            p.writeAll("/filler", bytes(rnd, (int) MIB));
            p.sync();
            long ino = p.stat("/big").fileid;
            LfsFileSystem fs = m.fs();
            long top = fs.loadInode(ino).din.ib[level - 1];
            assertTrue(top > 0, "the file has an indirect block of level " + level);
            long sn = fs.sb.dtosn(top);
            p.unlink("/filler");
            p.sync();
            SegUse before = fs.segUse(sn);
            assertTrue(before.isDirty() && before.nbytes() > 0 && before.nbytes() < fs.sb.ssize * 3 / 4,
                    "segment " + sn + " is partly live: " + before);

            LfsCleaner.Result r = LfsCleaner.clean(mp, fs.sb.nseg);
            assertTrue(r.segmentsCopied() > 0, r.toString());
            assertEquals(0, m.cleaner.totals().segmentsSkipped(), "segments the cleaner gave up on");
            long moved = fs.loadInode(ino).din.ib[level - 1];
            assertNotEquals(top, moved, "the top indirect block was copied forward");
            assertNotEquals(sn, fs.sb.dtosn(moved));
            assertFalse(fs.segUse(sn).isDirty(), "segment " + sn + " is clean: " + fs.segUse(sn));
            k.unmount(mp, false);
            assertConsistent(dev);
            mp = k.mount("lfs", dev, MountOptions.readOnly());
            p = new PathFacade(mp, Credentials.ROOT);
            assertEquals(tail + end.length, p.stat("/big").size);
            byte[] got = new byte[head.length];
            p.read("/big", 0, ByteBuffer.wrap(got));
            assertArrayEquals(head, got);
            got = new byte[end.length];
            p.read("/big", tail, ByteBuffer.wrap(got));
            assertArrayEquals(end, got);
            k.unmount(mp, false);
        }
    }

    /** Every indirect block's logical block number names it alone, in both widths. */
    @ParameterizedTest(name = "lfs64={0}")
    @ValueSource(booleans = {false, true})
    void indirectBlockNumbersReadBackToTheirPlaceInTheTree(boolean is64) throws IOException {
        Superblock sb = LfsFileSystem.readSuperblock(newfs(16 * MIB, 64 << 10, is64), Superblock.LABELPAD);
        long n = sb.nindir;
        List<long[]> all = new java.util.ArrayList<>();
        all.add(new long[] {1, Dinode.NDADDR});
        all.add(new long[] {2, FileBlocks.base(sb, 2)});
        all.add(new long[] {3, FileBlocks.base(sb, 3)});
        for (long j : new long[] {0, 1, n / 2, n - 1}) {
            all.add(new long[] {1, FileBlocks.base(sb, 2) + j * n});
            all.add(new long[] {2, FileBlocks.base(sb, 3) + j * n * n});
            all.add(new long[] {1, FileBlocks.base(sb, 3) + j * n * n + (n - 1 - j) * n});
        }
        for (long[] at : all) {
            long lbn = FileBlocks.metaLbn((int) at[0], at[1]);
            assertArrayEquals(at, FileBlocks.indirectOf(sb, lbn), "logical block " + lbn);
        }
        // Numbers between them name no indirect block.
        for (long lbn : new long[] {-1, -11, -(Dinode.NDADDR + 1), -(FileBlocks.base(sb, 2) + 2), 5}) {
            assertEquals(null, FileBlocks.indirectOf(sb, lbn), "logical block " + lbn);
        }
    }

    /**
     * A few files just past the double indirect block's start, patched in place, rewritten,
     * truncated and regrown, for several times the file system's size: the segments their
     * indirect blocks sit in must be cleaned like any other, or the clean ones run out.
     */
    @ParameterizedTest(name = "lfs64={0}")
    @ValueSource(booleans = {false, true})
    void churnOfFilesWithDoubleIndirectBlocksKeepsContentsAndConsistency(boolean is64) throws IOException {
        long size = 24 * MIB;
        MemoryBlockDevice dev = newfs(size, 128 << 10, is64);
        long from = doubleFrom(is64);
        // About two thirds of the file system live, so the cleaner must copy, not just reclaim.
        int files = is64 ? 5 : 3;
        int maxFile = (int) (from + 2 * MIB);
        long goal = 4 * size;
        int rounds = 4;
        Random rnd = new Random(is64 ? 64 : 32);
        Map<String, byte[]> model = new TreeMap<>();
        long written = 0;
        long cleaned = 0;
        long copied = 0;
        long skipped = 0;
        try (Kernel k = kernel()) {
            for (int round = 0; round < rounds; round++) {
                Mount mp = k.mount("lfs", dev, MountOptions.readWrite());
                PathFacade p = new PathFacade(mp, Credentials.ROOT);
                for (Map.Entry<String, byte[]> e : model.entrySet()) {
                    assertArrayEquals(e.getValue(), p.readAll(e.getKey()), "after remount: " + e.getKey());
                }
                long end = goal * (round + 1) / rounds;
                int ops = 0;
                while (written < end) {
                    String name = "/big" + rnd.nextInt(files);
                    byte[] old = model.get(name);
                    int op = rnd.nextInt(100);
                    if (old == null || op < 4) {
                        byte[] b = bytes(rnd, (int) from + rnd.nextInt(maxFile - (int) from));
                        p.writeAll(name, b);
                        model.put(name, b);
                        written += b.length;
                    } else if (op < 95) {
                        // Patches across the whole file: direct, single and double indirect ranges.
                        int at = rnd.nextInt(old.length);
                        byte[] patch = bytes(rnd, 1 + rnd.nextInt(24 * 1024));
                        at = Math.min(at, maxFile - patch.length);
                        p.write(name, at, ByteBuffer.wrap(patch));
                        byte[] now = Arrays.copyOf(old, Math.max(old.length, at + patch.length));
                        System.arraycopy(patch, 0, now, at, patch.length);
                        model.put(name, now);
                        written += patch.length;
                    } else {
                        // Cut back into the single indirect range, dropping the double tree, or within it.
                        int n = rnd.nextBoolean() ? rnd.nextInt(old.length + 1) : (int) from + rnd.nextInt(8192);
                        n = Math.min(n, old.length);
                        p.truncate(name, n);
                        model.put(name, Arrays.copyOf(old, n));
                    }
                    if (++ops % 50 == 0) {
                        p.sync();
                    }
                }
                for (Map.Entry<String, byte[]> e : model.entrySet()) {
                    assertArrayEquals(e.getValue(), p.readAll(e.getKey()), e.getKey());
                }
                SegmentCleaner.Totals t = ((LfsMount) mp.vfsOps()).cleaner.totals();
                cleaned += t.segmentsCleaned();
                copied += t.segmentsCopied();
                skipped += t.segmentsSkipped();
                k.unmount(mp, false);
                assertConsistent(dev);
            }
            Mount mp = k.mount("lfs", dev, MountOptions.readOnly());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            for (Map.Entry<String, byte[]> e : model.entrySet()) {
                assertArrayEquals(e.getValue(), p.readAll(e.getKey()), "read-only: " + e.getKey());
            }
            k.unmount(mp, false);
        }
        long nseg = size / (128 << 10);
        System.out.printf("LFS large-file churn (lfs64=%s): %d bytes written on %d bytes; %d segments cleaned, "
                + "%d of them copied from%n", is64, written, size, cleaned, copied);
        assertTrue(cleaned > 2 * nseg, "segments cleaned: " + cleaned);
        assertTrue(copied > nseg / 4, "segments copied from: " + copied);
        assertEquals(0, skipped, "segments the cleaner gave up on");
    }
}
