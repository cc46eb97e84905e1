package org.rumpmount.vfs.buf;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.block.BlockDeviceException;
import org.rumpmount.block.FaultInjectingBlockDevice;
import org.rumpmount.block.FaultPlan;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.VfsException;

/**
 * Threads against one cache. Every wait is bounded (a stuck test fails instead of hanging) and
 * nothing asserts on timing: the checks are on what the device saw and on the data.
 */
class BufferCacheConcurrencyTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    /** Distance between the counter blocks; the largest buffer used is this size. */
    private static final int STRIDE = 8192;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(LIMIT.toSeconds(), TimeUnit.SECONDS), "worker threads did not stop");
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void readsOfDifferentBlocksAreInTheDeviceAtTheSameTime() throws Exception {
        InstrumentedDevice dev = InstrumentedDevice.patterned("dev", 1 << 20);
        BufferCache cache = new BufferCache(1 << 20);
        // Each read waits at the barrier for the other: if the cache let only one thread into
        // the device at a time, the barrier would break after its timeout and the reads fail.
        CyclicBarrier bothInside = new CyclicBarrier(2);
        dev.readHook = offset -> bothInside.await(10, TimeUnit.SECONDS);
        Future<Long> a = pool.submit(() -> readAndRelease(cache, dev, 0));
        Future<Long> b = pool.submit(() -> readAndRelease(cache, dev, 8192));
        assertEquals(0L, get(a));
        assertEquals(8192L, get(b));
        assertEquals(2, dev.reads.get());
    }

    private static long readAndRelease(BufferCache cache, InstrumentedDevice dev, long offset) throws IOException {
        Buf b = cache.bread(dev, offset, 4096);
        long off = b.offset();
        b.brelse();
        return off;
    }

    @Test
    void twoThreadsMissingTheSameBlockReadItOnce() throws Exception {
        InstrumentedDevice dev = InstrumentedDevice.patterned("dev", 1 << 20);
        BufferCache cache = new BufferCache(1 << 20);
        CountDownLatch inRead = new CountDownLatch(1);
        CountDownLatch finishRead = new CountDownLatch(1);
        dev.readHook = offset -> {
            inRead.countDown();
            assertTrue(finishRead.await(LIMIT.toSeconds(), TimeUnit.SECONDS));
        };
        Future<Long> first = pool.submit(() -> readAndRelease(cache, dev, 4096));
        assertTrue(inRead.await(LIMIT.toSeconds(), TimeUnit.SECONDS));
        Future<Long> second = pool.submit(() -> readAndRelease(cache, dev, 4096));
        await().atMost(LIMIT).until(() -> cache.stats().waits() >= 1); // the second sleeps on the busy block
        assertFalse(second.isDone());
        finishRead.countDown();
        get(first);
        get(second);
        assertEquals(1, dev.readsAt(4096));
        assertEquals(1, cache.stats().misses());
        assertEquals(1, cache.stats().hits());
    }

    @Test
    void aThreadWantingABusyBufferSleepsUntilItIsReleasedAndSeesTheChange() throws Exception {
        InstrumentedDevice dev = InstrumentedDevice.create("dev", 1 << 20);
        BufferCache cache = new BufferCache(1 << 20);
        Buf held = cache.bread(dev, 0, 4096);
        Future<Integer> waiter = pool.submit(() -> {
            Buf b = cache.bread(dev, 0, 4096);
            int v = b.data().getInt(0);
            b.brelse();
            return v;
        });
        await().atMost(LIMIT).until(() -> cache.stats().waits() >= 1);
        assertFalse(waiter.isDone());
        held.data().putInt(0, 1234);
        held.bdwrite();
        assertEquals(1234, get(waiter));
        assertEquals(0, dev.writes.get());
    }

    @Test
    void eightThreadsIncrementingCountersLoseNoUpdate() throws Exception {
        InstrumentedDevice dev = InstrumentedDevice.create("counters", 64 * STRIDE);
        runCounterWorkload(new BufferCache(64 * 4096), dev, dev::snapshot, new int[] {4096}, 4000);
    }

    /** A cap of two blocks under eight threads: nearly every request evicts, often a dirty buffer. */
    @Test
    void tinyCacheUnderConstantEvictionLosesNoUpdate() throws Exception {
        BufferCache cache = new BufferCache(2 * 8192);
        InstrumentedDevice dev = InstrumentedDevice.create("counters", 32 * STRIDE);
        runCounterWorkload(cache, dev, dev::snapshot, new int[] {8192}, 3000);
        assertTrue(cache.stats().evictions() > 1000, "evictions: " + cache.stats().evictions());
    }

    /** Sizes change at the same offsets all the time: each change writes back and re-reads. */
    @Test
    void counterWorkloadWithChangingSizesLosesNoUpdate() throws Exception {
        BufferCache cache = new BufferCache(6 * 8192);
        InstrumentedDevice dev = InstrumentedDevice.create("counters", 16 * STRIDE);
        runCounterWorkload(cache, dev, dev::snapshot, new int[] {1024, 2048, 4096, 8192}, 3000);
    }

    /**
     * One device transfer in twenty fails. A failed read or a failed write-back while making room
     * fails the request before any increment; a failed bwrite or sync keeps the increment dirty
     * in the cache. Either way no completed increment may go missing.
     */
    @Test
    void deviceErrorsDuringTheWorkloadLoseNoCompletedUpdate() throws Exception {
        MemoryBlockDevice medium = MemoryBlockDevice.create(16 * STRIDE);
        BlockDevice dev = FaultInjectingBlockDevice.wrap(medium,
                FaultPlan.builder().failRandomly(0.05, 20261125).build());
        BufferCache cache = new BufferCache(4 * 8192);
        runCounterWorkload(cache, dev, medium::snapshot, new int[] {2048, 8192}, 2000);
    }

    /**
     * Eight threads each do {@code opsPerThread} read-modify-writes of a random 64-bit counter
     * among the first 1024 bytes of a random block ({@link #STRIDE} apart), holding the block busy
     * meanwhile, ending each with bdwrite, bwrite or bawrite at random and now and then a sync.
     * Device errors are tolerated where the cache reports them. Afterwards every counter on the
     * medium must equal the number of increments made to it.
     */
    private void runCounterWorkload(BufferCache cache, BlockDevice dev, Supplier<byte[]> medium, int[] sizes,
            int opsPerThread) throws Exception {
        final int blocks = (int) (dev.size() / STRIDE);
        final int counters = 1024 / Long.BYTES;
        int threads = 8;
        List<Future<long[]>> results = new ArrayList<>();
        CyclicBarrier start = new CyclicBarrier(threads);
        for (int t = 0; t < threads; t++) {
            long seed = 1000 + t;
            results.add(pool.submit((Callable<long[]>) () -> {
                Random rnd = new Random(seed);
                long[] made = new long[blocks * counters];
                start.await(LIMIT.toSeconds(), TimeUnit.SECONDS);
                for (int op = 0; op < opsPerThread; op++) {
                    int block = rnd.nextInt(blocks);
                    int slot = rnd.nextInt(counters);
                    int size = sizes[rnd.nextInt(sizes.length)];
                    Buf b;
                    try {
                        b = cache.bread(dev, (long) block * STRIDE, size);
                    } catch (BlockDeviceException | VfsException e) {
                        continue; // a failed read or write-back: nothing was incremented
                    }
                    ByteBuffer d = b.data().order(ByteOrder.LITTLE_ENDIAN);
                    d.putLong(slot * Long.BYTES, d.getLong(slot * Long.BYTES) + 1);
                    made[block * counters + slot]++;
                    try {
                        switch (rnd.nextInt(8)) {
                            case 0 -> b.bwrite();
                            case 1 -> b.bawrite();
                            default -> b.bdwrite();
                        }
                    } catch (BlockDeviceException e) {
                        // bwrite failed: the increment stays in the cache as a delayed write
                    }
                    if (rnd.nextInt(500) == 0) {
                        try {
                            cache.sync(dev);
                        } catch (IOException e) {
                            // what failed stays dirty
                        }
                    }
                }
                return made;
            }));
        }
        long[] expected = new long[blocks * counters];
        long total = 0;
        for (Future<long[]> f : results) {
            long[] made = get(f);
            for (int i = 0; i < made.length; i++) {
                expected[i] += made[i];
                total += made[i];
            }
        }
        assertTrue(total > 0);

        syncUntilClean(cache, dev);
        assertEquals(0, cache.stats().dirtyBytes());
        ByteBuffer disk = ByteBuffer.wrap(medium.get()).order(ByteOrder.LITTLE_ENDIAN);
        long sum = 0;
        for (int block = 0; block < blocks; block++) {
            for (int slot = 0; slot < counters; slot++) {
                long onDisk = disk.getLong(block * STRIDE + slot * Long.BYTES);
                assertEquals(expected[block * counters + slot], onDisk, "counter " + slot + " of block " + block);
                sum += onDisk;
            }
        }
        assertEquals(total, sum);

        // Quiet now: the next miss brings the cache back under its cap, whatever the threads did.
        for (int tries = 0; ; tries++) {
            try {
                cache.bread(dev, 0, 1024).brelse();
                break;
            } catch (IOException e) {
                assertTrue(tries < 100, "reads keep failing: " + e);
            }
        }
        assertTrue(cache.stats().cachedBytes() <= cache.capBytes(), cache.toString());
        syncUntilClean(cache, dev);
        cache.invalidate(dev);
        assertEquals(0, cache.stats().buffers());
        assertEquals(0, cache.stats().cachedBytes());
    }

    /** Syncs until a sync succeeds; with random faults each retry has fewer buffers left to write. */
    private static void syncUntilClean(BufferCache cache, BlockDevice dev) {
        for (int tries = 0; ; tries++) {
            try {
                cache.sync(dev);
                return;
            } catch (IOException e) {
                assertTrue(tries < 1000, "sync keeps failing: " + e);
            }
        }
    }
}
