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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Threads against one cache. Every wait is bounded (a stuck test fails instead of hanging) and
 * nothing asserts on timing: the checks are on what the device saw and on the data.
 */
class BufferCacheConcurrencyTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

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
        runCounterWorkload(new BufferCache(64 * 4096), 64, new int[] {4096}, 4000);
    }

    /** A cap of two blocks under eight threads: nearly every request evicts, often a dirty buffer. */
    @Test
    void tinyCacheUnderConstantEvictionLosesNoUpdate() throws Exception {
        BufferCache cache = new BufferCache(2 * 8192);
        runCounterWorkload(cache, 32, new int[] {8192}, 3000);
        assertTrue(cache.stats().evictions() > 1000, "evictions: " + cache.stats().evictions());
    }

    /** Sizes change at the same offsets all the time: each change writes back and re-reads. */
    @Test
    void counterWorkloadWithChangingSizesLosesNoUpdate() throws Exception {
        BufferCache cache = new BufferCache(6 * 8192);
        runCounterWorkload(cache, 16, new int[] {1024, 2048, 4096, 8192}, 3000);
    }

    /**
     * Eight threads each do {@code opsPerThread} read-modify-writes of a random 64-bit counter
     * among the first 1024 bytes of a random block, holding the block busy meanwhile, ending each
     * with bdwrite, bwrite or bawrite at random and now and then a sync. Afterwards every counter
     * on the device must equal the number of increments made to it.
     */
    private void runCounterWorkload(BufferCache cache, int blocks, int[] sizes, int opsPerThread) throws Exception {
        final int stride = 8192;
        final int counters = 1024 / Long.BYTES;
        InstrumentedDevice dev = InstrumentedDevice.create("counters", blocks * stride);
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
                    Buf b = cache.bread(dev, (long) block * stride, size);
                    ByteBuffer d = b.data().order(ByteOrder.LITTLE_ENDIAN);
                    d.putLong(slot * Long.BYTES, d.getLong(slot * Long.BYTES) + 1);
                    made[block * counters + slot]++;
                    switch (rnd.nextInt(8)) {
                        case 0 -> b.bwrite();
                        case 1 -> b.bawrite();
                        default -> b.bdwrite();
                    }
                    if (rnd.nextInt(500) == 0) {
                        cache.sync(dev);
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
        assertEquals((long) threads * opsPerThread, total);

        cache.sync(dev);
        CacheStats s = cache.stats();
        assertEquals(0, s.dirtyBytes());
        ByteBuffer disk = ByteBuffer.wrap(dev.snapshot()).order(ByteOrder.LITTLE_ENDIAN);
        long sum = 0;
        for (int block = 0; block < blocks; block++) {
            for (int slot = 0; slot < counters; slot++) {
                long onDisk = disk.getLong(block * stride + slot * Long.BYTES);
                assertEquals(expected[block * counters + slot], onDisk, "counter " + slot + " of block " + block);
                sum += onDisk;
            }
        }
        assertEquals(total, sum);

        // Quiet now: the next miss brings the cache back under its cap, whatever the threads did.
        cache.bread(dev, 0, 512).brelse();
        assertTrue(cache.stats().cachedBytes() <= cache.capBytes(), cache.toString());
        cache.purge(dev);
        assertEquals(0, cache.stats().buffers());
        assertEquals(0, cache.stats().cachedBytes());
    }
}
