package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.block.ForwardingBlockDevice;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VfsException;

/**
 * File data on a mount that writes: runs of whole blocks move between the caller's buffer and
 * the device in one transfer, past the buffer cache, while the cache may hold some of the same
 * blocks (a delayed write of part of a block, or a block freed by one file and given to
 * another). The cache's copy must win on reads and must never go stale under a direct write.
 */
class FfsDataPathTest {
    static List<FreshImages.Config> configs() {
        return FreshImages.ALL;
    }

    private static byte[] bytes(int n, int seed) {
        return FfsWriteTest.pattern(n, seed);
    }

    private static byte[] read(PathFacade p, String path, long offset, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            if (p.read(path, offset + b.position(), b) <= 0) {
                break;
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void delayedWritesOfPartsOfBlocksWinOverTheDeviceInReadsOfWholeRuns(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        int bs = c.bsize();
        byte[] want = bytes(40 * bs, 1);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.writeAll("/f", want);
            p.fsync("/f");
            byte[] onDevice = dev.snapshot();
            // Parts of blocks 3, 4 and 17 (and one byte across the 20/21 boundary) change in the
            // cache only: they are delayed writes, not yet on the device.
            int[][] edits = {{3 * bs + 5, 100}, {4 * bs, bs / 2}, {17 * bs + bs - 9, 9}, {21 * bs - 1, 2}};
            for (int i = 0; i < edits.length; i++) {
                byte[] e = bytes(edits[i][1], 10 + i);
                p.write("/f", edits[i][0], ByteBuffer.wrap(e));
                System.arraycopy(e, 0, want, edits[i][0], e.length);
            }
            assertArrayEquals(onDevice, dev.snapshot(), "the edits are still only in the cache");

            assertArrayEquals(want, read(p, "/f", 0, want.length), "one read of the whole file");
            for (long[] r : new long[][] {{3L * bs + 1, 2L * bs}, {bs - 1, 20L * bs + 3}, {17L * bs + 7, bs}, {0, 130 * 1024}}) {
                int len = (int) Math.min(r[1], want.length - r[0]);
                assertArrayEquals(Arrays.copyOfRange(want, (int) r[0], (int) r[0] + len), read(p, "/f", r[0], len),
                        "bytes " + r[0] + " to " + (r[0] + len));
            }
            k.unmount(mp, false);
        }
        FfsWriteTest.assertConsistent(dev);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            assertArrayEquals(want, new PathFacade(mp, Credentials.ROOT).readAll("/f"));
            k.unmount(mp, false);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void blocksFreedWithDelayedWritesAndGivenToAnotherFileKeepTheNewFilesBytes(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        int bs = c.bsize();
        byte[] b = bytes(24 * bs, 3);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            // File a is written in pieces smaller than a block: all its blocks are delayed writes
            // in the cache. Removed, its blocks are free while those buffers stay dirty.
            byte[] a = bytes(24 * bs, 2);
            p.writeAll("/a", new byte[0]);
            for (int off = 0; off < a.length; off += bs / 4) {
                p.write("/a", off, ByteBuffer.wrap(a, off, bs / 4));
            }
            p.unlink("/a");
            // File b takes the same blocks, written whole: straight to the device except where
            // the cache holds a block, which must take b's bytes too.
            p.writeAll("/b", b);
            assertArrayEquals(b, p.readAll("/b"));
            // Rewritten whole over itself, then part of one block, then whole again.
            byte[] b2 = bytes(24 * bs, 4);
            p.write("/b", 0, ByteBuffer.wrap(b2));
            p.write("/b", 5L * bs + 3, ByteBuffer.wrap(b, 5 * bs + 3, 10));
            System.arraycopy(b, 5 * bs + 3, b2, 5 * bs + 3, 10);
            assertArrayEquals(b2, p.readAll("/b"));
            b = b2;
            k.unmount(mp, false);
        }
        FfsWriteTest.assertConsistent(dev);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            assertArrayEquals(b, new PathFacade(mp, Credentials.ROOT).readAll("/b"),
                    "no delayed write of the freed file's blocks reached the device over b");
            k.unmount(mp, false);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void aFailedTransferOfARunLeavesNoOldBytesAndNoLeakedBlocks(FreshImages.Config c) throws Exception {
        MemoryBlockDevice mem = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        int bs = c.bsize();
        RunFailingDevice dev = new RunFailingDevice(mem, bs);
        // Old bytes the new blocks would show if they were not zeroed: fill the free space.
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            byte[] junk = new byte[64 * bs];
            Arrays.fill(junk, (byte) 0x5a);
            p.writeAll("/junk", junk);
            p.fsync("/junk");
            p.unlink("/junk");

            // A new file: the write fails whole, the file stays empty.
            p.writeAll("/new", new byte[0]);
            dev.failRuns = true;
            VfsException e = assertThrows(VfsException.class, () -> p.write("/new", 0, ByteBuffer.wrap(bytes(8 * bs, 5))));
            assertEquals(Errno.EIO, e.errno());
            assertEquals(0, p.stat("/new").size);

            // A hole inside a file: its new blocks read as zeros after the failure.
            dev.failRuns = false;
            p.writeAll("/holes", new byte[0]);
            p.write("/holes", 16L * bs, ByteBuffer.wrap(new byte[] {1}));
            dev.failRuns = true;
            e = assertThrows(VfsException.class, () -> p.write("/holes", 4L * bs, ByteBuffer.wrap(bytes(8 * bs, 6))));
            assertEquals(Errno.EIO, e.errno());
            byte[] got = p.readAll("/holes");
            assertEquals(16 * bs + 1, got.length);
            byte[] zeros = new byte[16 * bs];
            assertArrayEquals(zeros, Arrays.copyOf(got, 16 * bs), "a failed write shows no old data");
            dev.failRuns = false;
            k.unmount(mp, false);
        }
        FfsWriteTest.assertConsistent(mem);
    }

    /** Fails every write longer than one block while {@link #failRuns} is set: the runs only. */
    private static final class RunFailingDevice extends ForwardingBlockDevice {
        private final int bsize;
        volatile boolean failRuns;

        RunFailingDevice(BlockDevice dev, int bsize) {
            super(dev);
            this.bsize = bsize;
        }

        @Override
        public String name() {
            return "run-failing " + inner.name();
        }

        @Override
        public void write(long offset, ByteBuffer src) throws IOException {
            if (failRuns && src.remaining() > bsize) {
                throw new IOException("injected failure of a " + src.remaining() + "-byte write at " + offset);
            }
            inner.write(offset, src);
        }
    }
}
