package org.rumpmount.block.part;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.block.WindowBlockDevice;

/**
 * Tables are hostile input: disks whose table sectors have random bytes changed must scan to a
 * table or a {@link PartitionTableException}, quickly, and every partition listed without a
 * problem must open as a window inside the disk.
 */
final class MutatedTableTest {
    private static final int ROUNDS = 400;

    @Test
    void mutatedGptDisksFailCleanly() {
        byte[] disk = GptWriter.disk(512, 4096,
                new GptWriter.Entry(UUID.fromString("49f48d5a-b10e-11dc-b99b-0019d1879648"), 64, 1063, "root"),
                new GptWriter.Entry(UUID.fromString("49f48d32-b10e-11dc-b99b-0019d1879648"), 1064, 2087, "swap"));
        // The interesting bytes: the MBR, the primary header and the first entries, the backup header.
        mutate(disk, new int[][] {{0, 512}, {512, 604}, {1024, 1024 + 512}, {4095 * 512, 4095 * 512 + 92}}, 11);
    }

    @Test
    void mutatedMbrDisksWithLabelsAndLogicalsFailCleanly() {
        byte[] disk = new byte[8192 * 512];
        ByteBuffer b = ByteBuffer.wrap(disk).order(ByteOrder.LITTLE_ENDIAN);
        entry(b, 0, 1, 0xa9, 64, 2048);
        entry(b, 0, 2, 0xa5, 2112, 2048);
        entry(b, 0, 3, 0x05, 4160, 4000);
        entry(b, 4160 * 512, 1, 0x83, 32, 1000);
        entry(b, 4160 * 512, 2, 0x05, 1040, 2000);
        entry(b, 5200 * 512, 1, 0x0c, 32, 1000);
        b.put(65 * 512, LabelWriter.label(ByteOrder.BIG_ENDIAN, 512, 8192, 16, new LabelWriter.Part('a', 1024, 64, 7),
                new LabelWriter.Part('b', 1024, 1088, 1), new LabelWriter.Part('d', 8192, 0, 0)));
        b.put(2113 * 512, LabelWriter.label(ByteOrder.LITTLE_ENDIAN, 512, 2048, 8, new LabelWriter.Part('a', 1024, 16, 7),
                new LabelWriter.Part('c', 2048, 0, 0)));
        mutate(disk, new int[][] {{446, 512}, {65 * 512, 65 * 512 + 404}, {2113 * 512, 2113 * 512 + 276},
                {4160 * 512 + 446, 4160 * 512 + 512}, {5200 * 512 + 446, 5200 * 512 + 512}}, 12);
    }

    private static void entry(ByteBuffer b, int sector, int slot, int type, int start, int size) {
        int at = sector + 446 + (slot - 1) * 16;
        b.put(at + 4, (byte) type).putInt(at + 8, start).putInt(at + 12, size);
        b.put(sector + 510, (byte) 0x55).put(sector + 511, (byte) 0xaa);
    }

    private static void mutate(byte[] original, int[][] regions, long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < ROUNDS; round++) {
            byte[] disk = original.clone();
            int changes = 1 + random.nextInt(8);
            for (int i = 0; i < changes; i++) {
                int[] r = regions[random.nextInt(regions.length)];
                disk[r[0] + random.nextInt(r[1] - r[0])] = (byte) random.nextInt(256);
            }
            MemoryBlockDevice dev = MemoryBlockDevice.of(disk, 512, false, true);
            int n = round;
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> scanAndOpen(dev, seed, n));
        }
    }

    private static void scanAndOpen(MemoryBlockDevice dev, long seed, int round) {
        PartitionTable t;
        try {
            t = PartitionScanner.scan(dev);
        } catch (PartitionTableException e) {
            return;
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + seed + " round " + round + ": scan threw " + e, e);
        }
        t.describe();
        for (Partition p : t.partitions()) {
            if (p.problem() != null || p.isContainer()) {
                continue;
            }
            try (WindowBlockDevice w = t.open(dev, p, true)) {
                if (w.offset() + w.size() > dev.size()) {
                    fail("seed " + seed + " round " + round + ": " + p + " opened past the end of the disk");
                }
            } catch (PartitionTableException e) {
                fail("seed " + seed + " round " + round + ": " + p + " has no problem, yet opening it failed: " + e);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " round " + round + ": opening " + p + " threw " + e, e);
            }
        }
    }
}
