package org.rumpmount.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.rumpmount.block.BlockDeviceException.Kind.CLOSED;
import static org.rumpmount.block.BlockDeviceException.Kind.MISALIGNED;
import static org.rumpmount.block.BlockDeviceException.Kind.OUT_OF_BOUNDS;
import static org.rumpmount.block.BlockDeviceException.Kind.READ_ONLY;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link BlockDevice} contract, as tests. Each implementation (and each way of stacking them)
 * runs it through a subclass that says how to open a device over given contents.
 */
abstract class BlockDeviceContract {
    /** Device size for every test: 64 KiB, a multiple of every sector size used here. */
    static final int SIZE = 64 * 1024;

    private final List<Closeable> opened = new ArrayList<>();

    /**
     * Opens a device whose {@link BlockDevice#size()} is {@code contents.length} and whose bytes are
     * {@code contents}; read-only if asked.
     */
    protected abstract BlockDevice open(byte[] contents, boolean readOnly) throws IOException;

    /** Registers something for closing after the test (devices, parents, files). */
    protected final <T extends Closeable> T track(T resource) {
        opened.add(resource);
        return resource;
    }

    @AfterEach
    final void closeEverything() throws IOException {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    static byte[] pattern(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    private BlockDevice openPattern(boolean readOnly) throws IOException {
        return track(open(pattern(SIZE, 1), readOnly));
    }

    private static byte[] readAll(BlockDevice dev) throws IOException {
        ByteBuffer all = ByteBuffer.allocate((int) dev.size());
        dev.read(0, all);
        return all.array();
    }

    private static BlockDeviceException.Kind kindOf(ThrowingCall call) {
        return assertThrows(BlockDeviceException.class, call::run).kind();
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws IOException;
    }

    @Test
    void describesItself() throws IOException {
        BlockDevice dev = openPattern(false);
        assertEquals(SIZE, dev.size());
        assertTrue(dev.sectorSize() >= 1 && Integer.bitCount(dev.sectorSize()) == 1, "sector size " + dev.sectorSize());
        assertFalse(dev.isReadOnly());
        assertFalse(dev.name().isBlank());
    }

    @Test
    void readsTheContentsItWasOpenedWith() throws IOException {
        assertArrayEquals(pattern(SIZE, 1), readAll(openPattern(false)));
    }

    @Test
    void readsBackExactlyWhatWasWrittenThroughHeapAndDirectBuffers() throws IOException {
        BlockDevice dev = openPattern(false);
        byte[] model = pattern(SIZE, 1);
        int s = dev.sectorSize();
        Random r = new Random(7);
        for (int i = 0; i < 50; i++) {
            int sectors = 1 + r.nextInt(8);
            int length = sectors * s;
            long offset = (long) r.nextInt(SIZE / s - sectors + 1) * s;
            byte[] data = pattern(length, 100 + i);
            ByteBuffer src = i % 2 == 0 ? ByteBuffer.wrap(data) : ByteBuffer.allocateDirect(length).put(data).flip();
            dev.write(offset, src);
            System.arraycopy(data, 0, model, (int) offset, length);

            ByteBuffer back = i % 3 == 0 ? ByteBuffer.allocateDirect(length) : ByteBuffer.allocate(length);
            dev.read(offset, back);
            byte[] got = new byte[length];
            back.flip().get(got);
            assertArrayEquals(data, got, "read back of write #" + i + " at " + offset);
        }
        assertArrayEquals(model, readAll(dev));
    }

    @Test
    void transfersAdvanceTheBufferPositionByExactlyTheLength() throws IOException {
        BlockDevice dev = openPattern(false);
        int s = dev.sectorSize();
        ByteBuffer dst = ByteBuffer.allocate(3 * s);
        Arrays.fill(dst.array(), (byte) 0x5a);
        dst.position(s / 2).limit(s / 2 + s);
        dev.read(s, dst);
        assertEquals(s / 2 + s, dst.position());
        byte[] expected = new byte[3 * s];
        Arrays.fill(expected, (byte) 0x5a);
        System.arraycopy(pattern(SIZE, 1), s, expected, s / 2, s);
        assertArrayEquals(expected, dst.array(), "bytes outside [position, limit) must not change");

        ByteBuffer src = ByteBuffer.wrap(pattern(3 * s, 9)).position(s).limit(2 * s);
        dev.write(2L * s, src);
        assertEquals(2 * s, src.position());
        ByteBuffer back = ByteBuffer.allocate(s);
        dev.read(2L * s, back);
        assertArrayEquals(Arrays.copyOfRange(pattern(3 * s, 9), s, 2 * s), back.array());
    }

    @Test
    void unalignedTransfersWorkWhenAlignmentIsNotDemanded() throws IOException {
        BlockDevice dev = openPattern(false);
        assumeFalse(dev.requiresAlignment(), "device demands alignment");
        byte[] model = pattern(SIZE, 1);
        byte[] data = {1, 2, 3, 4, 5, 6, 7};
        long offset = dev.sectorSize() - 3L; // straddles a sector boundary
        dev.write(offset, ByteBuffer.wrap(data));
        System.arraycopy(data, 0, model, (int) offset, data.length);
        ByteBuffer one = ByteBuffer.allocate(1);
        dev.read(offset + 4, one);
        assertEquals(5, one.get(0));
        dev.write(SIZE - 1, ByteBuffer.wrap(new byte[] {42}));
        model[SIZE - 1] = 42;
        assertArrayEquals(model, readAll(dev));
    }

    @Test
    void misalignedTransfersAreRefusedWhenAlignmentIsDemanded() throws IOException {
        BlockDevice dev = openPattern(false);
        assumeTrue(dev.requiresAlignment(), "device does not demand alignment");
        int s = dev.sectorSize();
        long[][] cases = {{s / 2, s}, {s, s / 2}, {s, s + 1}, {1, 2L * s}};
        for (long[] c : cases) {
            ByteBuffer dst = ByteBuffer.allocate((int) c[1]);
            assertEquals(MISALIGNED, kindOf(() -> dev.read(c[0], dst)), "read " + Arrays.toString(c));
            assertEquals(0, dst.position());
            ByteBuffer src = ByteBuffer.wrap(new byte[(int) c[1]]);
            assertEquals(MISALIGNED, kindOf(() -> dev.write(c[0], src)), "write " + Arrays.toString(c));
            assertEquals(0, src.position());
        }
        assertArrayEquals(pattern(SIZE, 1), readAll(dev), "refused writes must change nothing");
    }

    @Test
    void outOfBoundsTransfersAreRefusedAndTransferNothing() throws IOException {
        BlockDevice dev = openPattern(false);
        int s = dev.sectorSize();
        long[][] cases = {
            {-s, s},                    // negative offset
            {SIZE, s},                  // starts at the end
            {SIZE + (long) s, s},       // starts past the end
            {SIZE - s, 2L * s},         // runs past the end
            {SIZE + (long) s, 0},       // empty, but past the end
            {Long.MAX_VALUE - s + 1, 2L * s}, // offset + length overflows
            {Long.MIN_VALUE, s},
        };
        for (long[] c : cases) {
            ByteBuffer dst = ByteBuffer.allocate((int) c[1]);
            assertEquals(OUT_OF_BOUNDS, kindOf(() -> dev.read(c[0], dst)), "read " + Arrays.toString(c));
            assertEquals(0, dst.position(), "a refused read must not move the buffer");
            ByteBuffer src = ByteBuffer.wrap(pattern((int) c[1], 3));
            assertEquals(OUT_OF_BOUNDS, kindOf(() -> dev.write(c[0], src)), "write " + Arrays.toString(c));
            assertEquals(0, src.position(), "a refused write must not move the buffer");
        }
        assertArrayEquals(pattern(SIZE, 1), readAll(dev), "refused writes must change nothing");
    }

    @Test
    void outOfBoundsMessagesNameTheDeviceOffsetAndLength() throws IOException {
        BlockDevice dev = openPattern(false);
        BlockDeviceException e = assertThrows(BlockDeviceException.class,
                () -> dev.read(SIZE - dev.sectorSize(), ByteBuffer.allocate(2 * dev.sectorSize())));
        assertTrue(e.getMessage().contains(dev.name()), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(SIZE - dev.sectorSize())), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(2 * dev.sectorSize())), e.getMessage());
    }

    @Test
    void emptyTransfersAtTheEndAreAllowed() throws IOException {
        BlockDevice dev = openPattern(false);
        ByteBuffer empty = ByteBuffer.allocate(0);
        dev.read(SIZE, empty);
        dev.write(SIZE, empty);
        dev.read(0, empty);
        assertArrayEquals(pattern(SIZE, 1), readAll(dev));
    }

    @Test
    void readOnlyDeviceRefusesWritesAndChangesNothing() throws IOException {
        BlockDevice dev = openPattern(true);
        assertTrue(dev.isReadOnly());
        int s = dev.sectorSize();
        ByteBuffer src = ByteBuffer.wrap(pattern(s, 5));
        BlockDeviceException e = assertThrows(BlockDeviceException.class, () -> dev.write(0, src));
        assertEquals(READ_ONLY, e.kind());
        assertTrue(e.getMessage().contains(dev.name()), e.getMessage());
        assertEquals(0, src.position());
        assertEquals(READ_ONLY, kindOf(() -> dev.write(SIZE, ByteBuffer.allocate(s))), "read-only is checked first");
        dev.flush();
        assertArrayEquals(pattern(SIZE, 1), readAll(dev));
    }

    @Test
    void flushKeepsEveryCompletedWrite() throws IOException {
        BlockDevice dev = openPattern(false);
        int s = dev.sectorSize();
        byte[] data = pattern(4 * s, 11);
        dev.write(8L * s, ByteBuffer.wrap(data));
        dev.flush();
        dev.flush();
        ByteBuffer back = ByteBuffer.allocate(4 * s);
        dev.read(8L * s, back);
        assertArrayEquals(data, back.array());
    }

    @Test
    void closeIsIdempotentAndEveryLaterCallFailsClosed() throws IOException {
        BlockDevice dev = open(pattern(SIZE, 1), false);
        dev.close();
        dev.close();
        int s = dev.sectorSize();
        assertEquals(CLOSED, kindOf(() -> dev.read(0, ByteBuffer.allocate(s))));
        assertEquals(CLOSED, kindOf(() -> dev.write(0, ByteBuffer.allocate(s))));
        assertEquals(CLOSED, kindOf(dev::flush));
        assertEquals(CLOSED, kindOf(() -> dev.read(SIZE * 2L, ByteBuffer.allocate(s))), "closed is checked first");
        dev.close();
    }

    @Test
    @Timeout(60)
    void concurrentTransfersFromEightThreadsToDisjointRangesAreExact() throws Exception {
        BlockDevice dev = openPattern(false);
        int threads = 8;
        int region = SIZE / threads;
        int s = dev.sectorSize();
        byte[] model = pattern(SIZE, 1);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * region;
                long seed = 1000 + t;
                Callable<byte[]> worker = () -> {
                    byte[] mine = Arrays.copyOfRange(model, base, base + region);
                    Random r = new Random(seed);
                    start.await();
                    for (int i = 0; i < 200; i++) {
                        int sectors = 1 + r.nextInt(Math.min(4, region / s));
                        int at = r.nextInt(region / s - sectors + 1) * s;
                        byte[] data = new byte[sectors * s];
                        r.nextBytes(data);
                        dev.write(base + at, ByteBuffer.wrap(data));
                        System.arraycopy(data, 0, mine, at, data.length);
                        ByteBuffer back = ByteBuffer.allocate(region);
                        dev.read(base, back);
                        if (!Arrays.equals(mine, back.array())) {
                            throw new AssertionError("thread at " + base + " read back other bytes after write " + i);
                        }
                    }
                    return mine;
                };
                results.add(pool.submit(worker));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) {
                System.arraycopy(results.get(t).get(), 0, model, t * region, region);
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertArrayEquals(model, readAll(dev));
    }
}
