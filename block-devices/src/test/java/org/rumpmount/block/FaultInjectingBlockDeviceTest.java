package org.rumpmount.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rumpmount.block.BlockDeviceException.Kind.CLOSED;
import static org.rumpmount.block.BlockDeviceException.Kind.IO_ERROR;
import static org.rumpmount.block.BlockDeviceException.Kind.OUT_OF_BOUNDS;
import static org.rumpmount.block.BlockDeviceException.Kind.READ_ONLY;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every fault a {@link FaultPlan} can ask for, and that seeded runs repeat exactly. */
final class FaultInjectingBlockDeviceTest {
    private static final int SECTOR = 512;
    private static final int DISK = 32 * SECTOR;

    private final MemoryBlockDevice medium = MemoryBlockDevice.create(DISK);

    private FaultInjectingBlockDevice faulty(FaultPlan.Builder plan) {
        return FaultInjectingBlockDevice.wrap(medium, plan.build());
    }

    /** Sector {@code i} filled with the byte {@code i + 1}, so a lost write shows as zeros. */
    private static byte[] sectorData(int i, int sectors) {
        byte[] b = new byte[sectors * SECTOR];
        Arrays.fill(b, (byte) (i + 1));
        return b;
    }

    private static BlockDeviceException failure(BlockDeviceContract.ThrowingCall call) {
        return assertThrows(BlockDeviceException.class, call::run);
    }

    @Test
    void theNthWriteFailsAloneChangesNothingAndSaysItWasInjected() throws IOException {
        FaultInjectingBlockDevice dev = faulty(FaultPlan.builder().failWrite(3));
        byte[] expected = new byte[DISK];
        for (int i = 0; i < 6; i++) {
            ByteBuffer src = ByteBuffer.wrap(sectorData(i, 1));
            if (i == 2) {
                BlockDeviceException e = failure(() -> dev.write(2L * SECTOR, src));
                assertEquals(IO_ERROR, e.kind());
                assertEquals("memory(16384 bytes): injected failure of write #3 (512 bytes at offset 1024)", e.getMessage());
                assertEquals(0, src.position());
            } else {
                dev.write((long) i * SECTOR, src);
                System.arraycopy(sectorData(i, 1), 0, expected, i * SECTOR, SECTOR);
            }
        }
        assertArrayEquals(expected, medium.snapshot());
        assertEquals(6, dev.writes());
    }

    @Test
    void fromTheNthWriteOnEveryWriteFails() throws IOException {
        FaultInjectingBlockDevice dev = faulty(FaultPlan.builder().failWritesFrom(3));
        dev.write(0, ByteBuffer.wrap(sectorData(0, 1)));
        dev.write(SECTOR, ByteBuffer.wrap(sectorData(1, 1)));
        for (int i = 2; i < 6; i++) {
            int n = i;
            BlockDeviceException e = failure(() -> dev.write((long) n * SECTOR, ByteBuffer.wrap(sectorData(n, 1))));
            assertTrue(e.getMessage().contains("injected failure of write #" + (n + 1)), e.getMessage());
        }
        byte[] expected = new byte[DISK];
        System.arraycopy(sectorData(0, 1), 0, expected, 0, SECTOR);
        System.arraycopy(sectorData(1, 1), 0, expected, SECTOR, SECTOR);
        assertArrayEquals(expected, medium.snapshot());
        dev.read(0, ByteBuffer.allocate(SECTOR));
    }

    @Test
    void writesRefusedByTheOrdinaryChecksGetNoNumber() throws IOException {
        FaultInjectingBlockDevice dev = faulty(FaultPlan.builder().failWrite(2));
        assertEquals(OUT_OF_BOUNDS, failure(() -> dev.write(DISK, ByteBuffer.allocate(1))).kind());
        dev.write(0, ByteBuffer.allocate(SECTOR));
        assertEquals(IO_ERROR, failure(() -> dev.write(0, ByteBuffer.allocate(SECTOR))).kind());
        assertEquals(2, dev.writes());

        FaultInjectingBlockDevice ro = FaultInjectingBlockDevice.wrap(
                MemoryBlockDevice.of(new byte[DISK], SECTOR, false, true), FaultPlan.builder().failWrite(1).build());
        assertEquals(READ_ONLY, failure(() -> ro.write(0, ByteBuffer.allocate(SECTOR))).kind());
        assertEquals(0, ro.writes());
    }

    @Test
    void theNthFlushFailsAndSoDoLaterOnesWhenAsked() throws IOException {
        FaultInjectingBlockDevice once = faulty(FaultPlan.builder().failFlush(2));
        once.flush();
        BlockDeviceException e = failure(once::flush);
        assertEquals(IO_ERROR, e.kind());
        assertEquals("memory(16384 bytes): injected failure of flush #2", e.getMessage());
        once.flush();
        assertEquals(3, once.flushes());

        FaultInjectingBlockDevice from = faulty(FaultPlan.builder().failFlushesFrom(2));
        from.flush();
        for (int i = 2; i <= 4; i++) {
            assertTrue(failure(from::flush).getMessage().contains("flush #" + i));
        }
    }

    /** Runs 400 alternating writes and reads; returns which of them failed, and checks failed writes changed nothing. */
    private static boolean[] randomRun(double probability, long seed) throws IOException {
        MemoryBlockDevice m = MemoryBlockDevice.create(DISK);
        FaultInjectingBlockDevice dev = FaultInjectingBlockDevice.wrap(m, FaultPlan.builder().failRandomly(probability, seed).build());
        byte[] model = new byte[DISK];
        boolean[] failed = new boolean[400];
        for (int i = 0; i < failed.length; i++) {
            int sector = i % 32;
            try {
                if (i % 2 == 0) {
                    dev.write((long) sector * SECTOR, ByteBuffer.wrap(sectorData(i, 1)));
                    System.arraycopy(sectorData(i, 1), 0, model, sector * SECTOR, SECTOR);
                } else {
                    dev.read((long) sector * SECTOR, ByteBuffer.allocate(SECTOR));
                }
            } catch (BlockDeviceException e) {
                assertEquals(IO_ERROR, e.kind());
                String op = i % 2 == 0 ? "write" : "read";
                assertTrue(e.getMessage().contains("injected random failure of " + op + " #" + (i / 2 + 1)
                        + " (512 bytes at offset " + sector * SECTOR + ")"), e.getMessage());
                failed[i] = true;
            }
        }
        assertArrayEquals(model, m.snapshot(), "a failed write must change nothing");
        assertEquals(200, dev.reads());
        assertEquals(200, dev.writes());
        return failed;
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return n;
    }

    @Test
    void randomFailuresRepeatExactlyForTheSameSeed() throws IOException {
        boolean[] first = randomRun(0.2, 42);
        assertArrayEquals(first, randomRun(0.2, 42));
        assertFalse(Arrays.equals(first, randomRun(0.2, 43)), "another seed, other failures");
        int n = count(first);
        assertTrue(n > 400 * 0.12 && n < 400 * 0.28, n + " failures out of 400 at p=0.2");
        boolean readFailed = false;
        boolean writeFailed = false;
        for (int i = 0; i < first.length; i++) {
            readFailed |= first[i] && i % 2 == 1;
            writeFailed |= first[i] && i % 2 == 0;
        }
        assertTrue(readFailed && writeFailed, "both reads and writes fail");
        assertEquals(0, count(randomRun(0, 42)));
        assertEquals(400, count(randomRun(1, 42)));
    }

    @Test
    void aPowerCutAfterNWritesDropsEveryLaterWriteButReportsSuccess() throws IOException {
        FaultInjectingBlockDevice dev = faulty(FaultPlan.builder().powerCutAfterWrites(3));
        byte[] expected = new byte[DISK];
        for (int i = 0; i < 6; i++) {
            ByteBuffer src = ByteBuffer.wrap(sectorData(i, 1));
            dev.write((long) i * SECTOR, src);
            assertEquals(SECTOR, src.position(), "a dropped write still looks complete");
            assertEquals(i >= 3, dev.powerLost(), "after write #" + (i + 1));
            if (i < 3) {
                System.arraycopy(sectorData(i, 1), 0, expected, i * SECTOR, SECTOR);
            }
        }
        dev.flush();
        assertArrayEquals(expected, medium.snapshot());
        ByteBuffer lost = ByteBuffer.allocate(SECTOR);
        dev.read(4L * SECTOR, lost);
        assertArrayEquals(new byte[SECTOR], lost.array(), "reads show what survived");
        assertEquals(6, dev.writes());
        assertEquals(6 * SECTOR, dev.bytesWritten());
        assertEquals(1, dev.flushes());
    }

    @Test
    void theWriteAtACutAfterNWritesCanBeTornAtASectorBoundary() throws IOException {
        FaultInjectingBlockDevice dev = faulty(FaultPlan.builder().powerCutAfterWrites(1, 1));
        dev.write(0, ByteBuffer.wrap(sectorData(0, 1)));
        dev.write(4L * SECTOR, ByteBuffer.wrap(sectorData(4, 4)));
        dev.write(12L * SECTOR, ByteBuffer.wrap(sectorData(12, 1)));
        byte[] expected = new byte[DISK];
        System.arraycopy(sectorData(0, 1), 0, expected, 0, SECTOR);
        System.arraycopy(sectorData(4, 1), 0, expected, 4 * SECTOR, SECTOR);
        assertArrayEquals(expected, medium.snapshot(), "one sector of the torn write survives");
    }

    @Test
    void aTornWriteNeverSurvivesWholeAndTearsOnlyOnDeviceSectorBoundaries() throws IOException {
        // Asked for 10 sectors of a 4-sector write: only 3 survive.
        FaultInjectingBlockDevice many = faulty(FaultPlan.builder().powerCutAfterWrites(0, 10));
        many.write(0, ByteBuffer.wrap(sectorData(0, 4)));
        byte[] expected = new byte[DISK];
        Arrays.fill(expected, 0, 3 * SECTOR, (byte) 1);
        assertArrayEquals(expected, medium.snapshot());

        // An unaligned write tears at the first device sector boundary inside it.
        MemoryBlockDevice m = MemoryBlockDevice.create(DISK);
        FaultInjectingBlockDevice unaligned = FaultInjectingBlockDevice.wrap(m, FaultPlan.builder().powerCutAfterWrites(0, 1).build());
        byte[] data = new byte[1000];
        Arrays.fill(data, (byte) 9);
        unaligned.write(100, ByteBuffer.wrap(data));
        byte[] torn = new byte[DISK];
        Arrays.fill(torn, 100, 512, (byte) 9);
        assertArrayEquals(torn, m.snapshot());

        // A write inside one sector is atomic: it is lost whole.
        MemoryBlockDevice small = MemoryBlockDevice.create(DISK);
        FaultInjectingBlockDevice.wrap(small, FaultPlan.builder().powerCutAfterWrites(0, 1).build())
                .write(600, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[DISK], small.snapshot());
    }

    @Test
    void aPowerCutAfterNBytesLosesTheWriteThatCrossesItWholeUnlessTorn() throws IOException {
        FaultInjectingBlockDevice whole = faulty(FaultPlan.builder().powerCutAfterBytes(SECTOR + 1500));
        whole.write(0, ByteBuffer.wrap(sectorData(0, 1)));
        assertFalse(whole.powerLost());
        whole.write(8L * SECTOR, ByteBuffer.wrap(sectorData(8, 4)));
        assertTrue(whole.powerLost());
        whole.write(20L * SECTOR, ByteBuffer.wrap(sectorData(20, 1)));
        byte[] expected = new byte[DISK];
        System.arraycopy(sectorData(0, 1), 0, expected, 0, SECTOR);
        assertArrayEquals(expected, medium.snapshot());

        // Torn: of the crossing write, the 1500 bytes before the cut, rounded down to 1024, survive.
        MemoryBlockDevice m = MemoryBlockDevice.create(DISK);
        FaultInjectingBlockDevice torn = FaultInjectingBlockDevice.wrap(m,
                FaultPlan.builder().powerCutAfterBytes(SECTOR + 1500, true).build());
        torn.write(0, ByteBuffer.wrap(sectorData(0, 1)));
        torn.write(8L * SECTOR, ByteBuffer.wrap(sectorData(8, 4)));
        torn.write(20L * SECTOR, ByteBuffer.wrap(sectorData(20, 1)));
        System.arraycopy(sectorData(8, 2), 0, expected, 8 * SECTOR, 2 * SECTOR);
        assertArrayEquals(expected, m.snapshot());
    }

    @Test
    void aCutExactlyAtAWriteBoundaryKeepsThatWriteAndLosesTheNext() throws IOException {
        FaultInjectingBlockDevice dev = faulty(FaultPlan.builder().powerCutAfterBytes(2 * SECTOR, true));
        dev.write(0, ByteBuffer.wrap(sectorData(0, 1)));
        dev.write(SECTOR, ByteBuffer.wrap(sectorData(1, 1)));
        assertFalse(dev.powerLost());
        dev.write(2L * SECTOR, ByteBuffer.wrap(sectorData(2, 2)));
        assertTrue(dev.powerLost());
        byte[] expected = new byte[DISK];
        System.arraycopy(sectorData(0, 1), 0, expected, 0, SECTOR);
        System.arraycopy(sectorData(1, 1), 0, expected, SECTOR, SECTOR);
        assertArrayEquals(expected, medium.snapshot());
    }

    @Test
    void afterThePowerCutNothingFailsAnyMore() throws IOException {
        FaultInjectingBlockDevice dev = faulty(FaultPlan.builder().powerCutAfterWrites(1).failWritesFrom(3).failFlushesFrom(1));
        assertEquals(IO_ERROR, failure(dev::flush).kind(), "before the cut, the flush fault applies");
        dev.write(0, ByteBuffer.wrap(sectorData(0, 1)));
        for (int i = 1; i < 5; i++) {
            dev.write((long) i * SECTOR, ByteBuffer.wrap(sectorData(i, 1)));
            dev.flush();
        }
        assertTrue(dev.powerLost());
    }

    /**
     * The use the counters are for: run a workload once to count its writes, then replay it with a
     * power cut after each write and check what survived. Here the workload appends records with a
     * flush after every third, and what survives must be exactly the writes before the cut.
     */
    @Test
    void aWorkloadReplayedWithACutAfterEachWriteLeavesExactlyItsPrefix() throws IOException {
        FaultInjectingBlockDevice counting = FaultInjectingBlockDevice.wrap(MemoryBlockDevice.create(DISK), FaultPlan.NONE);
        List<byte[]> states = appendRecords(counting);
        long writes = counting.writes();
        assertEquals(10, writes);
        assertEquals(3, counting.flushes());
        for (long cut = 0; cut <= writes; cut++) {
            MemoryBlockDevice m = MemoryBlockDevice.create(DISK);
            FaultInjectingBlockDevice dev = FaultInjectingBlockDevice.wrap(m, FaultPlan.builder().powerCutAfterWrites(cut).build());
            appendRecords(dev);
            assertArrayEquals(states.get((int) cut), m.snapshot(), "cut after " + cut + " writes");
            assertEquals(cut < writes, dev.powerLost());
        }
    }

    /** Writes ten records of 1..3 sectors one after another; returns the medium's contents after each write. */
    private static List<byte[]> appendRecords(BlockDevice dev) throws IOException {
        List<byte[]> states = new ArrayList<>();
        byte[] model = new byte[DISK];
        states.add(model.clone());
        long at = 0;
        for (int r = 0; r < 10; r++) {
            byte[] record = sectorData(r, 1 + r % 3);
            dev.write(at, ByteBuffer.wrap(record));
            System.arraycopy(record, 0, model, (int) at, record.length);
            states.add(model.clone());
            at += record.length;
            if (r % 3 == 2) {
                dev.flush();
            }
        }
        return states;
    }

    @Test
    void closingTheWrapperClosesTheDeviceItStandsFor() throws IOException {
        FaultInjectingBlockDevice dev = faulty(FaultPlan.builder());
        dev.close();
        assertEquals(CLOSED, failure(() -> medium.read(0, ByteBuffer.allocate(1))).kind());
        assertEquals(CLOSED, failure(() -> dev.write(0, ByteBuffer.allocate(1))).kind());
    }

    @Test
    void planArgumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.builder().failWrite(0));
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.builder().failFlushesFrom(-1));
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.builder().failRandomly(1.5, 1));
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.builder().failRandomly(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.builder().powerCutAfterWrites(-1));
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.builder().powerCutAfterWrites(1, -1));
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.builder().powerCutAfterBytes(-1));
        assertNotEquals(FaultPlan.NONE.toString(), FaultPlan.builder().powerCutAfterBytes(5, true).build().toString());
    }
}
