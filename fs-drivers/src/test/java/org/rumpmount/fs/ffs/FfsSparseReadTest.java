package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;

/**
 * Reads of a sparse file whose data and holes straddle every change of level in the block map
 * (direct to single indirect, single to double indirect), at odd offsets and lengths, up to and
 * past the end of file: first on a mount that writes, with some blocks changed only in the
 * buffer cache (delayed writes the device does not have yet), then on a read-only mount, where
 * data comes straight from the device. Every read is compared with a model of the file.
 */
class FfsSparseReadTest {
    static List<FreshImages.Config> configs() {
        // Small blocks reach the double indirect level within a few MiB; 16 KiB blocks are the
        // layout `rumpmount newfs` makes by default.
        return List.of(FreshImages.UFS2_LE_4K, FreshImages.UFS1_BE_4K, FreshImages.UFS2_LE_16K);
    }

    /** The file, the model of its bytes, and where its block map changes level. */
    private static final class Layout {
        final int bs;
        final long single;
        final long dbl;
        final byte[] model;

        Layout(FreshImages.Config c) {
            bs = c.bsize();
            int nindir = bs / (c.version() == 2 ? 8 : 4);
            single = (long) Dinode.NDADDR * bs;
            dbl = single + (long) nindir * bs;
            model = new byte[(int) (dbl + 60L * bs + 123)];
        }

        void write(PathFacade p, long off, int len, long seed) throws IOException {
            byte[] b = FfsWriteTest.pattern(len, seed);
            ByteBuffer src = ByteBuffer.wrap(b);
            while (src.hasRemaining()) {
                p.write("/sparse", off + src.position(), src);
            }
            System.arraycopy(b, 0, model, (int) off, len);
        }
    }

    private static byte[] read(PathFacade p, long offset, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            if (p.read("/sparse", offset + b.position(), b) <= 0) {
                break;
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /** Reads around every boundary, a seeded set of random ranges, the whole file and past its end. */
    private static void readsMatchTheModel(PathFacade p, Layout f, String when) throws IOException {
        int bs = f.bs;
        long size = f.model.length;
        List<long[]> ranges = new ArrayList<>();
        for (long edge : new long[] {0, bs, 4L * bs, f.single, f.dbl, f.dbl + 40L * bs, size}) {
            for (long[] r : new long[][] {{-1, 2}, {-bs - 3, 2L * bs + 7}, {-100, 128 * 1024}, {0, 1}, {1, bs},
                    {-(128 * 1024), 128 * 1024}, {-3L * bs, 5L * bs + 1}}) {
                ranges.add(new long[] {edge + r[0], r[1]});
            }
        }
        SplittableRandom rnd = new SplittableRandom(bs * 31L + f.model.length);
        for (int i = 0; i < 300; i++) {
            ranges.add(new long[] {rnd.nextLong(size + 2L * bs), 1 + rnd.nextInt(3 * bs + 4096)});
        }
        for (long[] r : ranges) {
            long off = Math.max(0, r[0]);
            int len = (int) r[1];
            int want = (int) Math.max(0, Math.min(len, size - off));
            byte[] expect = off >= size ? new byte[0] : Arrays.copyOfRange(f.model, (int) off, (int) off + want);
            assertArrayEquals(expect, read(p, off, len), when + ": " + len + " bytes at " + off + " of " + size);
        }
        assertArrayEquals(f.model, read(p, 0, f.model.length + 5000), when + ": the whole file in one read");
        assertEquals(0, p.read("/sparse", size, ByteBuffer.allocate(10)), when + ": a read at the end of file");
        assertEquals(0, p.read("/sparse", size + 3L * bs, ByteBuffer.allocate(10)), when + ": a read past it");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void sparseFilesReadTheNewestBytesAcrossEveryLevelOfTheBlockMap(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        Layout f = new Layout(c);
        int bs = f.bs;
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.writeAll("/sparse", new byte[0]);
            f.write(p, 100, 3 * bs - 23, 1);                               // direct blocks, the first partly
            f.write(p, 10L * bs - 3, 4 * bs + 8, 2);                       // direct to single indirect
            f.write(p, f.dbl - 2L * bs + 11, 5 * bs - 11, 3);              // single to double indirect
            f.write(p, f.dbl + 40L * bs + 7, 1, 4);                        // one byte far out
            p.truncate("/sparse", f.model.length);                         // a hole to the end
            p.fsync("/sparse");
            readsMatchTheModel(p, f, "after fsync");

            // Parts of blocks that are on the device change in the cache only.
            byte[] onDevice = dev.snapshot();
            f.write(p, 2L * bs + 5, 50, 5);
            f.write(p, f.single - 10, 20, 6);
            f.write(p, f.dbl + 1, 5, 7);
            f.write(p, f.dbl - bs + 9, bs - 20, 8);
            assertArrayEquals(onDevice, dev.snapshot(), "the edits are delayed writes, still only in the cache");
            readsMatchTheModel(p, f, "with delayed writes");

            // Parts of blocks in holes: new blocks that exist only in the cache.
            f.write(p, 6L * bs + 100, 30, 9);
            f.write(p, f.single + 20L * bs + bs - 1, 2, 10);
            f.write(p, f.dbl + 50L * bs + 3, 3, 11);
            readsMatchTheModel(p, f, "with blocks filled into holes");
            k.unmount(mp, false);
        }
        FfsWriteTest.assertConsistent(dev);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            readsMatchTheModel(new PathFacade(mp, Credentials.ROOT), f, "read-only");
            k.unmount(mp, false);
        }
    }
}
