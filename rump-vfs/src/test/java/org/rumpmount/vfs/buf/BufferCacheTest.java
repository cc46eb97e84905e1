package org.rumpmount.vfs.buf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rumpmount.block.BlockDeviceException;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

class BufferCacheTest {
    private static final int BLOCK = 4096;
    private static final int DEVICE_SIZE = 64 * BLOCK;

    private final InstrumentedDevice dev = InstrumentedDevice.patterned("dev0", DEVICE_SIZE);

    private static byte[] contents(Buf b) {
        ByteBuffer d = b.data();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    private byte[] deviceBytes(long offset, int size) {
        return Arrays.copyOfRange(dev.snapshot(), (int) offset, (int) offset + size);
    }

    private static void fill(Buf b, byte value) {
        ByteBuffer d = b.data();
        while (d.hasRemaining()) {
            d.put(value);
        }
    }

    // ---- which bytes the cache holds ----

    @Test
    void firstCachedNamesTheFirstBufferOverlappingARangeAndNothingElse() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        assertEquals(-1, cache.firstCached(dev, 0, DEVICE_SIZE), "an empty cache holds nothing");
        cache.bread(dev, 4 * BLOCK, BLOCK).brelse();
        cache.bread(dev, 9 * BLOCK, 2 * BLOCK).brelse();

        assertEquals(4 * BLOCK, cache.firstCached(dev, 0, DEVICE_SIZE));
        assertEquals(-1, cache.firstCached(dev, 0, 4 * BLOCK), "a range ending where a buffer starts");
        assertEquals(-1, cache.firstCached(dev, 5 * BLOCK, 9 * BLOCK), "the gap between the buffers");
        assertEquals(4 * BLOCK, cache.firstCached(dev, 4 * BLOCK + 100, 4 * BLOCK + 200), "inside a buffer");
        assertEquals(9 * BLOCK, cache.firstCached(dev, 10 * BLOCK, 12 * BLOCK),
                "a buffer starting before the range but reaching into it");
        assertEquals(9 * BLOCK, cache.firstCached(dev, 5 * BLOCK, DEVICE_SIZE));
        assertEquals(-1, cache.firstCached(dev, 11 * BLOCK, DEVICE_SIZE), "past the last buffer");
        assertEquals(-1, cache.firstCached(InstrumentedDevice.patterned("dev1", DEVICE_SIZE), 0, DEVICE_SIZE),
                "another device's buffers do not count");

        Buf held = cache.bread(dev, 4 * BLOCK, BLOCK);
        held.invalidate();
        assertEquals(9 * BLOCK, cache.firstCached(dev, 0, DEVICE_SIZE), "a dropped buffer is gone");
    }

    // ---- hits and misses ----

    @Test
    void firstReadMissesAndReadsTheDeviceSecondHits() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        Buf b = cache.bread(dev, 3 * BLOCK, BLOCK);
        assertArrayEquals(deviceBytes(3 * BLOCK, BLOCK), contents(b));
        assertTrue(b.isValid());
        assertFalse(b.isDirty());
        b.brelse();
        Buf again = cache.bread(dev, 3 * BLOCK, BLOCK);
        assertArrayEquals(deviceBytes(3 * BLOCK, BLOCK), contents(again));
        again.brelse();

        CacheStats s = cache.stats();
        assertEquals(1, s.misses());
        assertEquals(1, s.hits());
        assertEquals(1, s.reads());
        assertEquals(1, dev.reads.get());
        assertEquals(1, s.buffers());
        assertEquals(BLOCK, s.cachedBytes());
        assertEquals(0, s.dirtyBytes());
    }

    @Test
    void dataIsAViewOfTheWholeBufferStartingAtPositionZero() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        Buf b = cache.bread(dev, 8192, 2048);
        ByteBuffer d = b.data();
        assertEquals(0, d.position());
        assertEquals(2048, d.capacity());
        assertEquals(2048, d.limit());
        assertEquals(8192, b.offset());
        assertEquals(2048, b.size());
        assertEquals(dev.snapshot()[8192 + 100], d.get(100));
        d.put(5, (byte) 42);
        assertEquals(42, b.data().get(5), "every view shows the same contents");
        b.brelse();
    }

    @Test
    void buffersOfDifferentDevicesAreDistinct() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        InstrumentedDevice other = InstrumentedDevice.create("dev1", DEVICE_SIZE);
        Buf a = cache.bread(dev, 0, BLOCK);
        Buf b = cache.bread(other, 0, BLOCK);
        assertArrayEquals(deviceBytes(0, BLOCK), contents(a));
        assertArrayEquals(new byte[BLOCK], contents(b));
        a.brelse();
        b.brelse();
        assertEquals(2, cache.stats().misses());
    }

    @Test
    void getblkOnAMissDoesNotReadAndGivesZeros() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        Buf b = cache.getblk(dev, 0, BLOCK);
        assertFalse(b.isValid());
        assertArrayEquals(new byte[BLOCK], contents(b));
        assertEquals(0, dev.reads.get());
        fill(b, (byte) 9);
        b.bdwrite();

        Buf again = cache.getblk(dev, 0, BLOCK);
        assertTrue(again.isValid(), "a cached block is valid");
        assertTrue(again.isDirty());
        byte[] nines = new byte[BLOCK];
        Arrays.fill(nines, (byte) 9);
        assertArrayEquals(nines, contents(again));
        again.brelse();
        assertEquals(0, dev.reads.get());
        assertEquals(1, cache.stats().hits());
    }

    @Test
    void aNewBufferOverTheArrayOfAnEvictedOneStillStartsAsZerosOrTheDevicesBytes() throws IOException {
        BufferCache cache = new BufferCache(2 * BLOCK);
        for (int i = 0; i < 6; i++) {
            // Each read evicts an older block, whose array the next new buffer takes over.
            Buf b = cache.bread(dev, (long) i * BLOCK, BLOCK);
            assertArrayEquals(deviceBytes((long) i * BLOCK, BLOCK), contents(b), "block " + i);
            b.brelse();
        }
        Buf z = cache.getblk(dev, 10L * BLOCK, BLOCK);
        assertFalse(z.isValid());
        assertArrayEquals(new byte[BLOCK], contents(z), "a reused array must not show an old block's bytes");
        z.brelse();
        assertTrue(cache.stats().cachedBytes() <= 2 * BLOCK);
        assertEquals(5, cache.stats().evictions());
    }

    @Test
    void getblkReleasedUnwrittenIsNotKept() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        cache.getblk(dev, 0, BLOCK).brelse();
        assertEquals(0, cache.stats().buffers());
        assertEquals(0, cache.stats().cachedBytes());
        Buf b = cache.bread(dev, 0, BLOCK);
        assertArrayEquals(deviceBytes(0, BLOCK), contents(b), "the zeros of the getblk were not taken for contents");
        b.brelse();
        assertEquals(1, dev.reads.get());
    }

    // ---- eviction ----

    @Test
    void evictionAtTheCapTakesTheLeastRecentlyReleased() throws IOException {
        BufferCache cache = new BufferCache(4 * BLOCK);
        for (int i = 0; i < 4; i++) {
            cache.bread(dev, (long) i * BLOCK, BLOCK).brelse();
        }
        cache.bread(dev, 0, BLOCK).brelse(); // block 0 becomes the most recent: order 1, 2, 3, 0
        assertEquals(0, cache.stats().evictions());

        cache.bread(dev, 4L * BLOCK, BLOCK).brelse(); // evicts 1
        assertEquals(1, cache.stats().evictions());
        assertEquals(4 * BLOCK, cache.stats().cachedBytes());
        cache.bread(dev, 5L * BLOCK, BLOCK).brelse(); // evicts 2
        assertEquals(2, cache.stats().evictions());

        int readsBefore = dev.reads.get();
        for (int i : new int[] {0, 3, 4, 5}) {
            cache.bread(dev, (long) i * BLOCK, BLOCK).brelse();
        }
        assertEquals(readsBefore, dev.reads.get(), "0, 3, 4 and 5 stayed cached");
        cache.bread(dev, 1L * BLOCK, BLOCK).brelse();
        cache.bread(dev, 2L * BLOCK, BLOCK).brelse();
        assertEquals(2, dev.readsAt(1L * BLOCK), "1 was evicted and read again");
        assertEquals(2, dev.readsAt(2L * BLOCK), "2 was evicted and read again");
        assertTrue(cache.stats().cachedBytes() <= 4 * BLOCK);
    }

    @Test
    void mixedSizesStayUnderTheCapInBytes() throws IOException {
        BufferCache cache = new BufferCache(16384);
        int[] sizes = {8192, 2048, 4096, 1024, 8192, 512, 16384, 2048};
        long offset = 0;
        for (int size : sizes) {
            cache.bread(dev, offset, size).brelse();
            offset += 16384;
            assertTrue(cache.stats().cachedBytes() <= 16384, "cached " + cache.stats().cachedBytes());
        }
        assertEquals(2048, cache.stats().cachedBytes(), "the 16 KiB buffer pushed all else out, then 2 KiB came");
    }

    @Test
    void dirtyBufferIsWrittenBackWhenEvictedAndNotBefore() throws IOException {
        BufferCache cache = new BufferCache(2 * BLOCK);
        Buf b = cache.bread(dev, 0, BLOCK);
        fill(b, (byte) 0x5a);
        b.bdwrite();
        cache.bread(dev, BLOCK, BLOCK).brelse();
        assertEquals(0, dev.writes.get(), "a delayed write waits");
        assertEquals(BLOCK, cache.stats().dirtyBytes());

        cache.bread(dev, 2L * BLOCK, BLOCK).brelse(); // evicts block 0, the least recent
        assertEquals(List.of("write 0"), dev.log());
        byte[] expected = new byte[BLOCK];
        Arrays.fill(expected, (byte) 0x5a);
        assertArrayEquals(expected, deviceBytes(0, BLOCK));
        assertEquals(0, cache.stats().dirtyBytes());
        assertEquals(1, cache.stats().evictions());
        assertEquals(1, cache.stats().writes());
    }

    @Test
    void failedWriteBackOnEvictionKeepsTheBufferAndFailsTheRequestThatNeededRoom() throws IOException {
        BufferCache cache = new BufferCache(2 * BLOCK);
        Buf b = cache.bread(dev, 0, BLOCK);
        fill(b, (byte) 0x33);
        b.bdwrite();
        cache.bread(dev, BLOCK, BLOCK).brelse();
        dev.failWrites = true;

        VfsException e = assertThrows(VfsException.class, () -> cache.bread(dev, 2L * BLOCK, BLOCK));
        assertEquals(Errno.EIO, e.errno());
        assertTrue(e.getMessage().contains("offset 0 of dev0"), e.getMessage());
        assertTrue(e.getCause() instanceof BlockDeviceException);
        assertEquals(BLOCK, cache.stats().dirtyBytes(), "still dirty");
        assertEquals(2, cache.stats().buffers());

        Buf kept = cache.bread(dev, 0, BLOCK);
        assertTrue(kept.isDirty());
        assertEquals(0x33, kept.data().get(0));
        kept.brelse();

        dev.failWrites = false;
        cache.sync(dev);
        byte[] expected = new byte[BLOCK];
        Arrays.fill(expected, (byte) 0x33);
        assertArrayEquals(expected, deviceBytes(0, BLOCK));
        assertEquals(0, cache.stats().dirtyBytes());
    }

    @Test
    void whenEveryBufferIsBusyTheCacheGoesOverItsCapThenComesBack() throws IOException {
        BufferCache cache = new BufferCache(2 * BLOCK);
        Buf a = cache.bread(dev, 0, BLOCK);
        Buf b = cache.bread(dev, BLOCK, BLOCK);
        Buf c = cache.bread(dev, 2L * BLOCK, BLOCK); // nothing idle to evict
        assertEquals(3 * BLOCK, cache.stats().cachedBytes());
        a.brelse();
        b.brelse();
        c.brelse();
        cache.bread(dev, 3L * BLOCK, BLOCK).brelse();
        assertEquals(2 * BLOCK, cache.stats().cachedBytes());
        assertEquals(2, cache.stats().evictions());
    }

    // ---- delayed and synchronous writes ----

    @Test
    void delayedWriteReachesTheDeviceOnlyAtSync() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        byte[] before = dev.snapshot();
        Buf b = cache.bread(dev, BLOCK, BLOCK);
        b.data().putInt(0, 0xdeadbeef);
        b.bdwrite();
        assertArrayEquals(before, dev.snapshot());
        assertEquals(0, dev.writes.get());

        Buf again = cache.bread(dev, BLOCK, BLOCK);
        assertTrue(again.isDirty());
        assertEquals(0xdeadbeef, again.data().getInt(0));
        again.brelse();
        assertArrayEquals(before, dev.snapshot(), "brelse keeps it dirty without writing");

        cache.sync(dev);
        assertEquals(0xdeadbeef, ByteBuffer.wrap(dev.snapshot()).getInt(BLOCK));
        assertEquals(List.of("write 4096", "flush"), dev.log());
        assertEquals(0, cache.stats().dirtyBytes());
        Buf clean = cache.bread(dev, BLOCK, BLOCK);
        assertFalse(clean.isDirty());
        clean.brelse();
        cache.sync(dev);
        assertEquals(1, dev.writes.get(), "a clean buffer is not written again");
    }

    @Test
    void syncWritesInOffsetOrderThenFlushes() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        for (int i : new int[] {5, 1, 9, 3, 0}) {
            Buf b = cache.bread(dev, (long) i * BLOCK, BLOCK);
            b.data().put(0, (byte) i);
            b.bdwrite();
        }
        cache.bread(dev, 7L * BLOCK, BLOCK).brelse(); // clean: not written
        cache.sync(dev);
        assertEquals(List.of("write 0", "write 4096", "write 12288", "write 20480", "write 36864", "flush"), dev.log());
    }

    @Test
    void syncIsPerDeviceAndSyncAllCoversEvery() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        InstrumentedDevice other = InstrumentedDevice.create("dev1", DEVICE_SIZE);
        cache.bread(dev, 0, BLOCK).bdwrite();
        cache.bread(other, 0, BLOCK).bdwrite();
        cache.sync(dev);
        assertEquals(1, dev.writes.get());
        assertEquals(0, other.writes.get());
        assertEquals(BLOCK, cache.stats().dirtyBytes());
        cache.syncAll();
        assertEquals(1, other.writes.get());
        assertEquals(1, other.flushes.get());
        assertEquals(0, cache.stats().dirtyBytes());
    }

    @Test
    void bwriteWritesNowAndReleases() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        Buf b = cache.getblk(dev, 2L * BLOCK, BLOCK);
        fill(b, (byte) 7);
        b.bwrite();
        byte[] sevens = new byte[BLOCK];
        Arrays.fill(sevens, (byte) 7);
        assertArrayEquals(sevens, deviceBytes(2L * BLOCK, BLOCK));
        assertEquals(1, cache.stats().writes());
        assertEquals(0, cache.stats().dirtyBytes());
        assertThrows(IllegalStateException.class, b::brelse);
        Buf again = cache.bread(dev, 2L * BLOCK, BLOCK);
        assertFalse(again.isDirty());
        assertTrue(again.isValid(), "a written getblk buffer is valid");
        again.brelse();
        assertEquals(0, dev.reads.get());
    }

    @Test
    void bwriteFailureKeepsTheDataDirtySoNothingIsLost() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        Buf b = cache.bread(dev, 0, BLOCK);
        b.data().putLong(0, 0x0123456789abcdefL);
        dev.failWrites = true;
        BlockDeviceException e = assertThrows(BlockDeviceException.class, b::bwrite);
        assertEquals(BlockDeviceException.Kind.IO_ERROR, e.kind());
        assertThrows(IllegalStateException.class, b::data, "released even though the write failed");
        assertEquals(BLOCK, cache.stats().dirtyBytes());
        assertEquals(0, cache.stats().writes());

        Buf again = cache.bread(dev, 0, BLOCK);
        assertTrue(again.isDirty());
        assertEquals(0x0123456789abcdefL, again.data().getLong(0));
        again.brelse();

        assertThrows(IOException.class, () -> cache.sync(dev));
        assertEquals(BLOCK, cache.stats().dirtyBytes(), "a failed sync keeps it dirty too");
        dev.failWrites = false;
        cache.sync(dev);
        assertEquals(0x0123456789abcdefL, ByteBuffer.wrap(dev.snapshot()).getLong(0));
    }

    @Test
    void syncWritesTheOthersWhenOneFailsAndReportsTheFailure() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        InstrumentedDevice flaky = InstrumentedDevice.create("flaky", DEVICE_SIZE);
        for (int i = 0; i < 3; i++) {
            Buf b = cache.bread(flaky, (long) i * BLOCK, BLOCK);
            b.data().put(0, (byte) (i + 1));
            b.bdwrite();
        }
        flaky.failWrites = true;
        IOException e = assertThrows(IOException.class, () -> cache.sync(flaky));
        assertTrue(e.getMessage().contains("flaky"), e.getMessage());
        assertEquals(2, e.getSuppressed().length, "every failure is reported");
        assertEquals(3 * BLOCK, cache.stats().dirtyBytes());
    }

    @Test
    void delayedWriteOnAReadOnlyDeviceIsRefusedAndDiscarded() throws IOException {
        InstrumentedDevice ro = InstrumentedDevice.readOnly("ro", DEVICE_SIZE);
        BufferCache cache = new BufferCache(1 << 20);
        Buf b = cache.bread(ro, 0, BLOCK);
        b.data().put(0, (byte) 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, b::bdwrite);
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        assertEquals(0, cache.stats().buffers());
        Buf again = cache.bread(ro, 0, BLOCK);
        assertEquals(InstrumentedDevice.pattern(1)[0], again.data().get(0), "the refused change is gone");
        again.brelse();
    }

    // ---- size changes ----

    @Test
    void askingForACachedOffsetWithAnotherSizeWritesBackAndReplaces() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        Buf frag = cache.bread(dev, 8192, 2048);
        fill(frag, (byte) 0x11);
        frag.bdwrite();
        assertEquals(0, dev.writes.get());

        Buf block = cache.bread(dev, 8192, 8192);
        assertEquals(List.of("write 8192"), dev.log(), "the dirty fragment was written first");
        assertEquals(8192, block.size());
        byte[] got = contents(block);
        for (int i = 0; i < 2048; i++) {
            assertEquals(0x11, got[i], "byte " + i + " comes from the written fragment");
        }
        assertArrayEquals(deviceBytes(8192 + 2048, 6144), Arrays.copyOfRange(got, 2048, 8192));
        block.brelse();
        CacheStats s = cache.stats();
        assertEquals(1, s.buffers());
        assertEquals(8192, s.cachedBytes());
        assertEquals(0, s.dirtyBytes());
        assertEquals(2, s.misses());

        Buf small = cache.bread(dev, 8192, 1024); // clean: replaced without a write
        small.brelse();
        assertEquals(1, dev.writes.get());
        assertEquals(1024, cache.stats().cachedBytes());
    }

    @Test
    void sizeChangeWithAFailedWriteBackKeepsTheOldBuffer() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        Buf frag = cache.bread(dev, 0, 1024);
        fill(frag, (byte) 0x44);
        frag.bdwrite();
        dev.failWrites = true;
        VfsException e = assertThrows(VfsException.class, () -> cache.bread(dev, 0, 4096));
        assertEquals(Errno.EIO, e.errno());
        assertTrue(e.getMessage().contains("1024-byte buffer at offset 0"), e.getMessage());
        Buf old = cache.bread(dev, 0, 1024);
        assertTrue(old.isDirty());
        assertEquals(0x44, old.data().get(1023));
        old.brelse();
    }

    @Test
    void resizeKeepsTheContentsAndZeroFillsGrowth() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        Buf b = cache.bread(dev, 8192, 2048);
        byte[] head = contents(b);
        b.data().put(0, (byte) 0x77);
        head[0] = 0x77;
        b.resize(8192);
        assertEquals(8192, b.size());
        assertEquals(8192, b.data().capacity());
        byte[] grown = contents(b);
        assertArrayEquals(head, Arrays.copyOf(grown, 2048), "the first 2048 bytes are kept");
        assertArrayEquals(new byte[6144], Arrays.copyOfRange(grown, 2048, 8192), "the growth is zeros");
        assertEquals(8192, cache.stats().cachedBytes());
        b.bdwrite();
        assertEquals(8192, cache.stats().dirtyBytes());

        Buf again = cache.bread(dev, 8192, 8192);
        assertEquals(0x77, again.data().get(0), "found under its new size, no replacement");
        again.resize(1024);
        assertEquals(1024, cache.stats().dirtyBytes());
        again.brelse();
        cache.sync(dev);
        assertEquals(List.of("write 8192", "flush"), dev.log());
        assertEquals(0x77, dev.snapshot()[8192]);
        assertEquals(head[1023], dev.snapshot()[8192 + 1023]);
        assertEquals(InstrumentedDevice.pattern(8192 + 1025)[8192 + 1024], dev.snapshot()[8192 + 1024],
                "the tail dropped by shrinking was never written");

        Buf small = cache.bread(dev, 0, 512);
        assertEquals(Errno.EIO, assertThrows(VfsException.class, () -> small.resize(DEVICE_SIZE + 512)).errno());
        assertEquals(512, small.size(), "a refused resize changes nothing");
        small.brelse();
    }

    // ---- invalidation ----

    @Test
    void invalidatingABufferDropsItsDelayedWrite() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        byte[] before = dev.snapshot();
        Buf b = cache.bread(dev, 0, BLOCK);
        fill(b, (byte) 1);
        b.bdwrite();
        cache.getblk(dev, 0, BLOCK).invalidate(); // the file system freed the block
        assertEquals(0, cache.stats().buffers());
        assertEquals(0, cache.stats().dirtyBytes());
        cache.sync(dev);
        assertArrayEquals(before, dev.snapshot());
        assertEquals(0, dev.writes.get());
    }

    @Test
    void invalidatingADeviceDropsAllItsBuffersDirtyOnesIncluded() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        InstrumentedDevice other = InstrumentedDevice.create("dev1", DEVICE_SIZE);
        byte[] before = dev.snapshot();
        for (int i = 0; i < 4; i++) {
            Buf b = cache.bread(dev, (long) i * BLOCK, BLOCK);
            if (i % 2 == 0) {
                fill(b, (byte) 2);
                b.bdwrite();
            } else {
                b.brelse();
            }
        }
        cache.bread(other, 0, BLOCK).bdwrite();
        cache.invalidate(dev);
        CacheStats s = cache.stats();
        assertEquals(1, s.buffers());
        assertEquals(BLOCK, s.cachedBytes());
        assertEquals(BLOCK, s.dirtyBytes(), "only the other device's delayed write remains");
        cache.sync(dev);
        assertArrayEquals(before, dev.snapshot());
        cache.bread(dev, 0, BLOCK).brelse();
        assertEquals(2, dev.readsAt(0), "read again after invalidation");
    }

    @Test
    void aBufferHeldDuringDeviceInvalidationIsDroppedAtRelease() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        Buf held = cache.bread(dev, 0, BLOCK);
        cache.invalidate(dev);
        assertEquals(1, cache.stats().buffers(), "still held");
        fill(held, (byte) 3);
        Buf fresh = cache.bread(dev, 0, BLOCK); // not found any more: a new buffer
        assertArrayEquals(deviceBytes(0, BLOCK), contents(fresh));
        fresh.brelse();
        held.bdwrite();
        CacheStats s = cache.stats();
        assertEquals(1, s.buffers());
        assertEquals(0, s.dirtyBytes(), "the detached buffer's delayed write was dropped");
    }

    @Test
    void purgeSyncsThenDropsEverything() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        Buf b = cache.bread(dev, 0, BLOCK);
        fill(b, (byte) 6);
        b.bdwrite();
        cache.bread(dev, BLOCK, BLOCK).brelse();
        cache.purge(dev);
        assertEquals(6, dev.snapshot()[0]);
        assertEquals(0, cache.stats().buffers());
        assertEquals(0, cache.stats().cachedBytes());
        assertEquals(List.of("write 0", "flush"), dev.log());
    }

    @Test
    void purgeThatCannotSyncDropsNothing() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        cache.bread(dev, 0, BLOCK).bdwrite();
        dev.failWrites = true;
        assertThrows(IOException.class, () -> cache.purge(dev));
        assertEquals(1, cache.stats().buffers());
        assertEquals(BLOCK, cache.stats().dirtyBytes());
    }

    // ---- misuse and bad input ----

    @Test
    void everyUseAfterReleaseIsAnError() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        for (String how : new String[] {"brelse", "bdwrite", "bwrite", "invalidate"}) {
            Buf b = cache.bread(dev, 0, BLOCK);
            switch (how) {
                case "brelse" -> b.brelse();
                case "bdwrite" -> b.bdwrite();
                case "bwrite" -> b.bwrite();
                default -> b.invalidate();
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, b::data, how);
            assertTrue(e.getMessage().contains("after it was released"), e.getMessage());
            assertThrows(IllegalStateException.class, b::isDirty, how);
            assertThrows(IllegalStateException.class, b::isValid, how);
            assertThrows(IllegalStateException.class, b::brelse, how);
            assertThrows(IllegalStateException.class, b::bdwrite, how);
            assertThrows(IllegalStateException.class, b::bwrite, how);
            assertThrows(IllegalStateException.class, b::bawrite, how);
            assertThrows(IllegalStateException.class, b::invalidate, how);
            assertEquals(0, b.offset(), "identity stays readable for messages");
            assertEquals(BLOCK, b.size());
        }
        // A stale handle cannot release the buffer out from under its next holder.
        Buf first = cache.bread(dev, 0, BLOCK);
        first.brelse();
        Buf second = cache.bread(dev, 0, BLOCK);
        assertThrows(IllegalStateException.class, first::brelse);
        assertEquals(1, second.data().capacity() / BLOCK);
        second.brelse();
    }

    @Test
    void askingAgainForABufferThisThreadHoldsIsRefused() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        Buf b = cache.bread(dev, 0, BLOCK);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cache.bread(dev, 0, BLOCK));
        assertTrue(e.getMessage().contains("already holds"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> cache.getblk(dev, 0, 2 * BLOCK));
        b.bdwrite();
        assertThrows(IllegalStateException.class, () -> {
            Buf held = cache.bread(dev, 0, BLOCK);
            try {
                cache.sync(dev);
            } finally {
                held.brelse();
            }
        });
    }

    @Test
    void aReadErrorLeavesNothingCached() throws IOException {
        BufferCache cache = new BufferCache(1 << 20);
        dev.failReads = true;
        BlockDeviceException e = assertThrows(BlockDeviceException.class, () -> cache.bread(dev, 0, BLOCK));
        assertTrue(e.getMessage().contains("dev0"), e.getMessage());
        assertEquals(0, cache.stats().buffers());
        assertEquals(0, cache.stats().cachedBytes());
        dev.failReads = false;
        Buf b = cache.bread(dev, 0, BLOCK);
        assertArrayEquals(deviceBytes(0, BLOCK), contents(b));
        b.brelse();
    }

    @Test
    void badRequestsGetAnErrnoAndAMessageNamingTheDevice() {
        BufferCache cache = new BufferCache(64 * 1024);
        VfsException past = assertThrows(VfsException.class, () -> cache.bread(dev, DEVICE_SIZE - 512, BLOCK));
        assertEquals(Errno.EIO, past.errno());
        assertTrue(past.getMessage().contains("dev0") && past.getMessage().contains("offset " + (DEVICE_SIZE - 512)),
                past.getMessage());
        assertEquals(Errno.EIO, assertThrows(VfsException.class, () -> cache.getblk(dev, Long.MAX_VALUE, 512)).errno());
        assertEquals(Errno.EINVAL, assertThrows(VfsException.class, () -> cache.bread(dev, 0, 0)).errno());
        assertEquals(Errno.EINVAL, assertThrows(VfsException.class, () -> cache.bread(dev, -512, 512)).errno());
        VfsException huge = assertThrows(VfsException.class, () -> cache.bread(dev, 0, 128 * 1024));
        assertEquals(Errno.EINVAL, huge.errno());
        assertTrue(huge.getMessage().contains("larger than the whole buffer cache"), huge.getMessage());
        assertEquals(0, cache.stats().buffers());
        assertThrows(IllegalArgumentException.class, () -> new BufferCache(0));
    }
}
