package org.rumpmount.block.part;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.block.WindowBlockDevice;

/** MBR disks built by sfdisk: primaries, an extended partition with logical ones, and damaged chains. */
final class MbrPartitionTest {
    private static final long MIB = 1 << 20;
    /** Sector 0, then: NetBSD, Linux, an extended partition holding swap and FAT32 logicals. */
    private static final String LAYOUT = "label: dos\nunit: sectors\n\n"
            + "start=2048, size=4096, type=a9, bootable\n"
            + "start=6144, size=4096, type=83\n"
            + "start=10240, size=20480, type=5\n"
            + "start=12288, size=2048, type=82\n"
            + "start=16384, size=4096, type=c\n";
    /** Where sfdisk puts the second EBR: one sector before its logical partition's alignment gap. */
    private static final long FIRST_EBR = 10240;

    @TempDir
    Path dir;

    private Path disk() throws Exception {
        String sfdisk = DiskTools.require("sfdisk", "fdisk");
        Path img = DiskTools.blank(dir.resolve("mbr.img"), 16 * MIB);
        DiskTools.run(LAYOUT, sfdisk, "-q", img.toString());
        return img;
    }

    /** start, size and type of each partition, as {@code sfdisk -d} reports them. */
    private static List<long[]> sfdiskDump(Path img) throws Exception {
        String dump = DiskTools.run(null, DiskTools.require("sfdisk", "fdisk"), "-d", img.toString());
        Matcher m = Pattern.compile("start=\\s*(\\d+), size=\\s*(\\d+), type=([0-9a-f]+)").matcher(dump);
        List<long[]> out = new ArrayList<>();
        while (m.find()) {
            out.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3), 16)});
        }
        return out;
    }

    @Test
    void primaryAndLogicalPartitionsMatchWhatSfdiskReports() throws Exception {
        Path img = disk();
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            List<long[]> expected = sfdiskDump(img);
            List<Partition> all = t.partitions();
            assertEquals(expected.size(), all.size(), t.describe());
            for (int i = 0; i < all.size(); i++) {
                Partition p = all.get(i);
                assertEquals(expected.get(i)[0] * 512, p.offset(), p.toString());
                assertEquals(expected.get(i)[1] * 512, p.size(), p.toString());
                assertEquals(String.format("0x%02x", expected.get(i)[2]), p.typeCode(), p.toString());
                assertEquals(i + 1, p.number());
                assertEquals(PartitionScheme.MBR, p.scheme());
            }
            assertEquals(List.of("1", "2", "3", "5", "6"), all.stream().map(Partition::entry).toList());
            assertEquals(List.of("NetBSD", "Linux", "Extended", "Linux swap", "FAT32 (LBA)"),
                    all.stream().map(Partition::typeName).toList());
            Partition extended = all.get(2);
            assertTrue(extended.isContainer());
            assertEquals(List.of(all.get(3), all.get(4)), extended.children());
            assertEquals(extended, all.get(4).parent());
            assertNull(all.get(0).parent());
            assertTrue(t.warnings().stream().anyMatch(w -> w.contains("MBR partition 1 (NetBSD) holds no NetBSD disklabel")),
                    "an unlabelled NetBSD slice is worth a warning: " + t.warnings());
            assertEquals(1, t.warnings().size(), t.warnings().toString());
        }
    }

    @Test
    void aLogicalPartitionOpensAsAWindowOverItsBytes() throws Exception {
        Path img = disk();
        byte[] marker = "logical six".getBytes();
        DiskTools.patch(img, 16384L * 512 + 100, marker);
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            Partition six = PartitionSelector.parse("5").select(t);
            assertEquals("6", six.entry());
            try (WindowBlockDevice w = t.open(dev, six, true)) {
                ByteBuffer b = ByteBuffer.allocate(marker.length);
                w.read(100, b);
                assertEquals(new String(marker), new String(b.array()));
                assertEquals(4096L * 512, w.size());
            }
            PartitionTableException e = assertThrows(PartitionTableException.class, () -> t.open(dev, t.partitions().get(2), true));
            assertTrue(e.getMessage().contains("MBR partition 3 is an extended partition"), e.getMessage());
        }
    }

    @Test
    void anEbrChainThatLoopsBackIsAnErrorNotAHang() throws Exception {
        Path img = disk();
        // The second EBR's link entry (slot 2) points back to the first EBR: start 0 relative to the extended partition.
        long secondEbr = FIRST_EBR + 4096;
        DiskTools.patch(img, secondEbr * 512 + 446 + 16, entry(0x05, 0, 4096));
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTableException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> assertThrows(PartitionTableException.class, () -> PartitionScanner.scan(dev)));
            assertTrue(e.getMessage().contains("MBR extended partition 3: the chain of extended boot records loops"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("links to LBA " + FIRST_EBR), e.getMessage());
            assertTrue(e.getMessage().startsWith(dev.name()), e.getMessage());
        }
    }

    @Test
    void anEbrThatLinksToItselfIsAnError() throws Exception {
        Path img = disk();
        // The first EBR's link now points at the first EBR itself.
        DiskTools.patch(img, FIRST_EBR * 512 + 446 + 16, entry(0x05, 0, 2048));
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTableException e = assertThrows(PartitionTableException.class, () -> PartitionScanner.scan(dev));
            assertTrue(e.getMessage().contains("loops"), e.getMessage());
        }
    }

    @Test
    void anEndlessForwardChainIsCutAtABound() {
        // 200 EBRs, each linking to the next sector: no loop, but more than any real disk holds.
        int n = 200;
        byte[] disk = new byte[(n + 2) * 512];
        ByteBuffer b = ByteBuffer.wrap(disk).order(ByteOrder.LITTLE_ENDIAN);
        put(b, 0, 1, 0x0f, 1, n + 1);
        for (int i = 0; i < n; i++) {
            int ebr = (1 + i) * 512;
            put(b, ebr, 1, 0x83, 0, 0);
            put(b, ebr, 2, 0x05, i + 1, 1);
        }
        MemoryBlockDevice dev = MemoryBlockDevice.of(disk, 512, false, true);
        PartitionTableException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(PartitionTableException.class, () -> PartitionScanner.scan(dev)));
        assertTrue(e.getMessage().contains("more than " + MbrReader.MAX_LOGICAL + " extended boot records"), e.getMessage());
    }

    @Test
    void aPartitionPastTheEndOfATruncatedImageIsListedButCannotBeOpened() throws Exception {
        Path img = disk();
        try (var ch = java.nio.channels.FileChannel.open(img, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(8 * MIB); // sectors 0..16383: partitions 1 and 2 survive, the extended one does not
        }
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            Partition ext = t.partitions().get(2);
            assertEquals("MBR entry 3 spans LBA 10240 to 30719, past the end of the disk (16384 sectors of 512 bytes)",
                    ext.problem());
            assertTrue(ext.children().isEmpty(), "a chain outside the disk is not followed");
            assertTrue(t.warnings().contains(dev.name() + ": " + ext.problem()), t.warnings().toString());
            PartitionTableException e = assertThrows(PartitionTableException.class, () -> t.open(dev, ext, true));
            assertEquals(dev.name() + ": cannot open MBR partition 3: " + ext.problem(), e.getMessage());
            try (WindowBlockDevice linux = t.open(dev, t.partitions().get(1), true)) {
                assertEquals(6144L * 512, linux.offset());
            }
            assertTrue(t.describe().contains("UNUSABLE: MBR entry 3 spans LBA 10240 to 30719"), t.describe());
        }
    }

    @Test
    void overlappingPrimaryPartitionsGiveAWarningNamingBoth() throws Exception {
        Path img = disk();
        DiskTools.patch(img, 446 + 16 + 8, le32(5120)); // partition 2 now starts inside partition 1
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            assertTrue(t.warnings().contains(dev.name() + ": MBR partition 1 (bytes 1048576 to 3145728) overlaps"
                    + " MBR partition 2 (bytes 2621440 to 4718592)"), t.warnings().toString());
        }
    }

    @Test
    void aLogicalPartitionOutsideItsExtendedPartitionIsUnusable() throws Exception {
        Path img = disk();
        // The first logical's size grows past the extended partition's end (LBA 30719).
        DiskTools.patch(img, FIRST_EBR * 512 + 446 + 12, le32(30000));
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            Partition five = t.partitions().get(3);
            assertEquals("logical partition 5 (EBR at LBA 10240) spans LBA 12288 to 42287, past the end of the disk"
                    + " (32768 sectors of 512 bytes)", five.problem());
            assertNull(t.partitions().get(4).problem());
        }
    }

    @Test
    void aBootSectorWithInvalidBootFlagsIsNoPartitionTable() throws Exception {
        byte[] sector = new byte[64 * 512];
        sector[510] = 0x55;
        sector[511] = (byte) 0xaa;
        sector[446] = 0x12; // boot code, not a boot flag
        sector[446 + 4] = (byte) 0x83;
        sector[446 + 12] = 1;
        PartitionTable t = PartitionScanner.scan(MemoryBlockDevice.of(sector, 512, false, true));
        assertTrue(t.isEmpty(), t.describe());
        assertFalse(t.describe().isEmpty());
    }

    private static byte[] entry(int type, long start, long size) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(4, (byte) type);
        b.putInt(8, (int) start);
        b.putInt(12, (int) size);
        return b.array();
    }

    private static void put(ByteBuffer b, int sector, int slot, int type, long start, long size) {
        b.put(sector + 446 + (slot - 1) * 16, entry(type, start, size));
        b.put(sector + 510, (byte) 0x55);
        b.put(sector + 511, (byte) 0xaa);
    }

    private static byte[] le32(long v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) v).array();
    }
}
