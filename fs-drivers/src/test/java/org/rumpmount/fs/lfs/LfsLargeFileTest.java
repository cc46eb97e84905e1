package org.rumpmount.fs.lfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rumpmount.block.FileBlockDevice;
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
 * Files behind the double and triple indirect blocks: written, read back after a remount and
 * after roll-forward, truncated, with the log's accounting checked each time. On the nb-lfs-4k
 * image (4 KiB blocks, 1024 pointers per indirect block) the double indirect block maps data
 * from byte 4 243 456 and the triple from byte 4 299 210 752.
 */
class LfsLargeFileTest {
    private static final int BSIZE = 4096;
    private static final long N = BSIZE / 4;
    private static final long DOUBLE_FROM = (Dinode.NDADDR + N) * BSIZE;
    private static final long TRIPLE_FROM = (Dinode.NDADDR + N + N * N) * BSIZE;
    private static final MountOptions FORCE = MountOptions.builder().readOnly(false).force(true).build();

    @TempDir
    Path tmp;

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A sparse file's written pieces, by offset. */
    private static Map<Long, byte[]> sparsePieces() {
        Map<Long, byte[]> p = new TreeMap<>();
        p.put(0L, random(5000, 11));
        p.put(40L * 1024 + 100, random(9000, 12));             // direct into single
        p.put(DOUBLE_FROM - 3000, random(6000, 13));           // single into double
        p.put(DOUBLE_FROM + 1024L * BSIZE * 7 + 5, random(70_000, 14)); // across two single blocks under the double
        p.put(100L * 1024 * 1024 - 4097, random(4097, 15));    // ends at 100 MiB
        return p;
    }

    private static void assertPieces(PathFacade fs, String path, Map<Long, byte[]> pieces, long size) throws IOException {
        assertEquals(size, fs.stat(path).size, path);
        for (Map.Entry<Long, byte[]> e : pieces.entrySet()) {
            byte[] got = new byte[e.getValue().length];
            fs.read(path, e.getKey(), ByteBuffer.wrap(got));
            assertArrayEquals(e.getValue(), got, path + " at " + e.getKey());
        }
        // The holes read as zeros: just before and after each piece.
        for (Map.Entry<Long, byte[]> e : pieces.entrySet()) {
            long after = e.getKey() + e.getValue().length;
            if (after + 16 <= size && pieces.keySet().stream().noneMatch(k -> k > e.getKey() && k < after + 16)) {
                byte[] z = new byte[16];
                fs.read(path, after, ByteBuffer.wrap(z));
                assertArrayEquals(new byte[16], z, path + " hole at " + after);
            }
        }
    }

    /** Blocks (of 4 KiB) a sparse file holds: its data blocks and the indirect blocks above them. */
    private static long heldBlocks(Map<Long, byte[]> pieces) {
        java.util.Set<Long> data = new java.util.TreeSet<>();
        for (Map.Entry<Long, byte[]> e : pieces.entrySet()) {
            for (long lbn = e.getKey() / BSIZE; lbn <= (e.getKey() + e.getValue().length - 1) / BSIZE; lbn++) {
                data.add(lbn);
            }
        }
        java.util.Set<String> ind = new java.util.TreeSet<>();
        for (long lbn : data) {
            long b1 = Dinode.NDADDR;
            long b2 = b1 + N;
            long b3 = b2 + N * N;
            if (lbn >= b3) {
                ind.add("t");
                ind.add("t2/" + (lbn - b3) / (N * N));
                ind.add("t1/" + (lbn - b3) / N);
            } else if (lbn >= b2) {
                ind.add("d");
                ind.add("d1/" + (lbn - b2) / N);
            } else if (lbn >= b1) {
                ind.add("s");
            }
        }
        return data.size() + ind.size();
    }

    @Test
    void filesBehindDoubleAndTripleIndirectBlocksSurviveRemountAndFreeTheirSpaceWhenTruncated() throws IOException {
        Path img = TestImages.copy("nb-lfs-4k", tmp);
        LfsCheck.Report before = LfsWriteTest.check(img);
        byte[] dense = random(10 << 20, 1);
        Map<Long, byte[]> sparse = sparsePieces();
        Map<Long, byte[]> far = new TreeMap<>();
        far.put(7L, random(100, 21));
        far.put(TRIPLE_FROM - 50, random(200, 22));                 // double into triple
        far.put(TRIPLE_FROM + N * N * BSIZE + 3 * N * BSIZE, random(5000, 23)); // the second double under the triple
        long farSize = TRIPLE_FROM + N * N * BSIZE + 3 * N * BSIZE + 5000;
        long[] freeBefore = new long[1];
        LfsWriteTest.mounted(img, MountOptions.readWrite(), fs -> {
            for (String f : List.of("/l-dense", "/l-sparse", "/l-far")) {
                fs.writeAll(f, new byte[0]);
            }
            for (int off = 0; off < dense.length; off += 256 << 10) {
                fs.write("/l-dense", off, ByteBuffer.wrap(dense, off, 256 << 10));
            }
            for (Map.Entry<Long, byte[]> e : sparse.entrySet()) {
                fs.write("/l-sparse", e.getKey(), ByteBuffer.wrap(e.getValue()));
            }
            for (Map.Entry<Long, byte[]> e : far.entrySet()) {
                fs.write("/l-far", e.getKey(), ByteBuffer.wrap(e.getValue()));
            }
            // di_blocks is right before the blocks have addresses too.
            assertEquals(heldBlocks(sparse) * BSIZE, fs.stat("/l-sparse").bytes);
        });
        LfsWriteTest.assertConsistent(img, before);
        LfsWriteTest.mounted(img, MountOptions.readOnly(), fs -> {
            assertArrayEquals(dense, fs.readAll("/l-dense"));
            assertEquals((dense.length / BSIZE + 1 + 1 + 2) * (long) BSIZE, fs.stat("/l-dense").bytes,
                    "2560 data blocks, the single, the double and two singles under it");
            assertPieces(fs, "/l-sparse", sparse, 100L << 20);
            assertEquals(heldBlocks(sparse) * BSIZE, fs.stat("/l-sparse").bytes);
            assertPieces(fs, "/l-far", far, farSize);
            assertEquals(heldBlocks(far) * BSIZE, fs.stat("/l-far").bytes);
            freeBefore[0] = fs.statvfs().blocksFree();
        });
        // Truncation: inside the single indirect range, inside the double, and to nothing.
        long denseKeep = 100_000;
        long sparseKeep = DOUBLE_FROM + 1024L * BSIZE * 7 + 5 + 1000;
        LfsWriteTest.mounted(img, MountOptions.readWrite(), fs -> {
            fs.truncate("/l-dense", denseKeep);
            fs.truncate("/l-sparse", sparseKeep);
            fs.truncate("/l-far", 0);
        });
        LfsWriteTest.assertConsistent(img, before);
        Map<Long, byte[]> sparseLeft = new TreeMap<>();
        for (Map.Entry<Long, byte[]> e : sparse.entrySet()) {
            if (e.getKey() < sparseKeep) {
                sparseLeft.put(e.getKey(), Arrays.copyOf(e.getValue(), (int) Math.min(e.getValue().length, sparseKeep - e.getKey())));
            }
        }
        LfsWriteTest.mounted(img, MountOptions.readOnly(), fs -> {
            assertArrayEquals(Arrays.copyOf(dense, (int) denseKeep), fs.readAll("/l-dense"));
            assertEquals((25 + 1) * (long) BSIZE, fs.stat("/l-dense").bytes, "25 blocks and the single indirect block");
            assertPieces(fs, "/l-sparse", sparseLeft, sparseKeep);
            assertEquals(heldBlocks(sparseLeft) * BSIZE, fs.stat("/l-sparse").bytes);
            assertEquals(0, fs.stat("/l-far").size);
            assertEquals(0, fs.stat("/l-far").bytes);
            long freed = heldBlocks(far) + (dense.length / BSIZE + 4 - 26) + heldBlocks(sparse) - heldBlocks(sparseLeft);
            long gained = (fs.statvfs().blocksFree() - freeBefore[0]) * fs.statvfs().fragmentSize();
            // Free space grows by what was freed, less the new copies of the cut indirect blocks and inodes.
            assertTrue(gained > (freed - 16) * BSIZE && gained <= freed * BSIZE,
                    "freed " + freed + " blocks, free space grew by " + gained + " bytes");
        });
    }

    @Test
    void fsyncedBlocksBehindTheTripleIndirectBlockComeBackByRollForward() throws IOException {
        Path img = TestImages.copy("nb-lfs-4k", tmp);
        Path crashed = tmp.resolve("crashed.img");
        Map<Long, byte[]> pieces = new TreeMap<>();
        pieces.put(DOUBLE_FROM + 12345, random(20_000, 31));
        pieces.put(TRIPLE_FROM + 999, random(9000, 32));
        try (FileBlockDevice dev = FileBlockDevice.open(img, false);
                Kernel k = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(4 << 20))) {
            Mount mp = k.mount("lfs", dev, MountOptions.readWrite());
            PathFacade fs = new PathFacade(mp, Credentials.ROOT);
            fs.writeAll("/big", new byte[0]);
            fs.sync();
            for (Map.Entry<Long, byte[]> e : pieces.entrySet()) {
                fs.write("/big", e.getKey(), ByteBuffer.wrap(e.getValue()));
            }
            fs.fsync("/big");
            Files.copy(img, crashed);
            k.unmount(mp, false);
        }
        LfsWriteTest.mounted(crashed, FORCE, fs -> { });
        LfsWriteTest.mounted(crashed, MountOptions.readOnly(), fs -> {
            assertPieces(fs, "/big", pieces, TRIPLE_FROM + 999 + 9000);
            assertEquals(heldBlocks(pieces) * BSIZE, fs.stat("/big").bytes);
        });
        assertEquals(List.of(), LfsWriteTest.check(crashed).problems());
    }

    static Stream<Arguments> layouts() {
        return Stream.of(Arguments.of(false, ByteOrder.LITTLE_ENDIAN), Arguments.of(false, ByteOrder.BIG_ENDIAN),
                Arguments.of(true, ByteOrder.LITTLE_ENDIAN), Arguments.of(true, ByteOrder.BIG_ENDIAN));
    }

    /** In every width and byte order: 64-bit pointers halve an indirect block's reach (512 with 4 KiB blocks). */
    @ParameterizedTest
    @MethodSource("layouts")
    void sparseFilesReachTheTripleIndirectBlockInEveryLayout(boolean is64, ByteOrder order) throws Exception {
        long n = TinyLfs.BSIZE / (is64 ? 8 : 4);
        long triple = (Dinode.NDADDR + n + n * n) * TinyLfs.BSIZE;
        long dbl = (Dinode.NDADDR + n) * TinyLfs.BSIZE;
        Map<Long, byte[]> pieces = new TreeMap<>();
        pieces.put(dbl + 77, random(3000, 41));
        pieces.put(triple - 10, random(20, 42));
        pieces.put(triple + 5 * n * n * TinyLfs.BSIZE + 123, random(5000, 43));
        long size = triple + 5 * n * n * TinyLfs.BSIZE + 123 + 5000;
        byte[] image = new TinyLfs(is64, order).build();
        try (Kernel kernel = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(1 << 20));
                MemoryBlockDevice dev = MemoryBlockDevice.of(image, 512, false, false)) {
            Map<Long, Long> before = LfsCheck.check(dev).excess();
            Mount mp = kernel.mount("lfs", dev, MountOptions.readWrite());
            PathFacade fs = new PathFacade(mp, Credentials.ROOT);
            fs.writeAll("/big", new byte[0]);
            for (Map.Entry<Long, byte[]> e : pieces.entrySet()) {
                fs.write("/big", e.getKey(), ByteBuffer.wrap(e.getValue()));
            }
            kernel.unmount(mp, false);
            assertEquals(before, LfsCheck.check(dev).excess());
            mp = kernel.mount("lfs", dev, MountOptions.readWrite());
            fs = new PathFacade(mp, Credentials.ROOT);
            assertPieces(fs, "/big", pieces, size);
            fs.truncate("/big", dbl + 1000);
            kernel.unmount(mp, false);
            assertEquals(before, LfsCheck.check(dev).excess());
            mp = kernel.mount("lfs", dev, MountOptions.readOnly());
            fs = new PathFacade(mp, Credentials.ROOT);
            byte[] left = new byte[1000 - 77];
            fs.read("/big", dbl + 77, ByteBuffer.wrap(left));
            assertArrayEquals(Arrays.copyOf(pieces.get(dbl + 77), left.length), left);
            assertEquals(dbl + 1000, fs.stat("/big").size);
            // One data block, the double indirect block and the single under it.
            assertEquals(3L * TinyLfs.BSIZE, fs.stat("/big").bytes);
            kernel.unmount(mp, false);
        }
    }
}
