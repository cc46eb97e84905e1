package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rumpmount.vfs.PathFacade;

/**
 * Reads through FUSE of a sparse FFS file whose data and holes straddle the direct, single
 * and double indirect parts of its block map: on the read-write mount, with some blocks changed
 * only in the rump kernel's buffer cache (delayed writes), after a remount that empties the
 * host's page cache so that every byte comes from the server; and on a read-only mount, where
 * the server reads the image directly.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SparseReadIT {
    /** FFS images of the fixture: 16 KiB blocks of UFS2 (64-bit pointers), 4 KiB of UFS1 (32-bit). */
    enum Layout {
        UFS2_16K(FuseFixture.Backing.FFS, 16384, 8),
        UFS1_4K(FuseFixture.Backing.FFS_UFS1_BE, 4096, 4);

        final FuseFixture.Backing backing;
        final int bs;
        final long single;
        final long dbl;

        Layout(FuseFixture.Backing backing, int bs, int pointer) {
            this.backing = backing;
            this.bs = bs;
            single = 12L * bs;
            dbl = single + (long) (bs / pointer) * bs;
        }

        long size() {
            return dbl + 40L * bs + 123;
        }
    }

    @BeforeAll
    static void fuse() throws IOException {
        FuseFixture.requireFuse();
    }

    /** The file's bytes as written: data in a few places, zeros (holes) between. */
    private static final class Model {
        final byte[] bytes;

        Model(Layout l) {
            bytes = new byte[(int) l.size()];
        }

        byte[] piece(long off, int len, long seed) {
            byte[] b = new byte[len];
            new SplittableRandom(seed).nextBytes(b);
            System.arraycopy(b, 0, bytes, (int) off, len);
            return b;
        }
    }

    /** The data writes, before anything is made durable: runs of whole blocks across each boundary. */
    private static long[][] runs(Layout l) {
        int bs = l.bs;
        return new long[][] {{100, 3L * bs - 23}, {10L * bs - 3, 4L * bs + 8}, {l.dbl - 2L * bs + 11, 5L * bs - 11},
            {l.dbl + 30L * bs + 7, 1}};
    }

    /** Small edits inside blocks already written, and in holes: delayed writes in the server's cache. */
    private static long[][] edits(Layout l) {
        int bs = l.bs;
        return new long[][] {{2L * bs + 5, 50}, {l.single - 10, 20}, {l.dbl + 1, 5}, {6L * bs + 100, 30},
            {l.dbl + 35L * bs + 3, 3}};
    }

    private static void write(FileChannel ch, long off, byte[] b) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(b);
        while (src.hasRemaining()) {
            ch.write(src, off + src.position());
        }
    }

    /** The whole file in 1 MiB reads, then odd ranges by positional reads, then past the end. */
    private static void readsMatch(Path file, Model m, Layout l, String when) throws IOException {
        int size = m.bytes.length;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            assertEquals(size, ch.size(), when + ": size");
            ByteBuffer all = ByteBuffer.allocate(size);
            ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
            int n;
            while ((n = ch.read(chunk.clear())) > 0) {
                all.put(chunk.flip());
            }
            assertEquals(-1, n, when + ": end of file after " + all.position() + " bytes");
            assertArrayEquals(m.bytes, Arrays.copyOf(all.array(), all.position()), when + ": the whole file");

            SplittableRandom rnd = new SplittableRandom(l.bs);
            for (int i = 0; i < 200; i++) {
                long off = i < 4 ? new long[] {l.single - 1, l.dbl - 3, size - 5, 0}[i] : rnd.nextLong(size);
                int len = 1 + rnd.nextInt(3 * l.bs + 4096);
                ByteBuffer b = ByteBuffer.allocate(len);
                while (b.hasRemaining() && ch.read(b, off + b.position()) > 0) {
                    // a short read is only allowed at the end of file
                }
                int want = (int) Math.min(len, size - off);
                assertArrayEquals(Arrays.copyOfRange(m.bytes, (int) off, (int) off + want),
                        Arrays.copyOf(b.array(), b.position()), when + ": " + len + " bytes at " + off);
            }
            assertEquals(-1, ch.read(ByteBuffer.allocate(10), size), when + ": a read at the end of file");
            assertEquals(-1, ch.read(ByteBuffer.allocate(10), size + 3L * l.bs), when + ": a read past it");
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void sparseFileReadsTheNewestBytesThroughTheMount(Layout l) throws IOException {
        Model m = new Model(l);
        try (FuseFixture f = FuseFixture.mount(l.backing)) {
            Path file = f.path("sparse");
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                FileChannel ch = raf.getChannel();
                long seed = 1;
                for (long[] r : runs(l)) {
                    write(ch, r[0], m.piece(r[0], (int) r[1], seed++));
                }
                raf.setLength(m.bytes.length); // a hole to the end
                ch.force(true);
                for (long[] r : edits(l)) {
                    write(ch, r[0], m.piece(r[0], (int) r[1], seed++));
                }
            }
            assertTrue(f.kernel.bufferCache().stats().dirtyBytes() > 0,
                    "the edits wait in the server's cache: " + f.kernel.bufferCache().stats());
            f.remount();
            readsMatch(file, m, l, "read-write, with delayed writes");
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void sparseFileReadsTheSameOnAReadOnlyMount(Layout l) throws IOException {
        Model m = new Model(l);
        try (FuseFixture f = FuseFixture.mountReadOnlyAfter(l.backing, (PathFacade p) -> {
            p.writeAll("/sparse", new byte[0]);
            long seed = 1;
            for (long[] r : runs(l)) {
                p.write("/sparse", r[0], ByteBuffer.wrap(m.piece(r[0], (int) r[1], seed++)));
            }
            p.truncate("/sparse", m.bytes.length);
            for (long[] r : edits(l)) {
                p.write("/sparse", r[0], ByteBuffer.wrap(m.piece(r[0], (int) r[1], seed++)));
            }
        })) {
            readsMatch(f.path("sparse"), m, l, "read-only");
        }
    }
}
