package org.rumpmount.block.part;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rumpmount.block.part.LabelWriter.Part;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.block.WindowBlockDevice;

/**
 * OpenBSD's disklabel, written from its definition in OpenBSD's sys/sys/disklabel.h, in the MBR
 * partition of type 0xA6 that sfdisk made: offsets from the start of the disk, 48-bit sector
 * numbers in version 1 labels, the old 32-bit entries in version 0 ones.
 */
final class OpenbsdDisklabelTest {
    private static final long SECTORS = 32768;
    private static final long TWO_32 = 1L << 32;

    @TempDir
    Path dir;

    /** sfdisk's MBR: an empty FAT partition (1), then the OpenBSD one (2). */
    private Path disk(long sectors, String openbsd) throws Exception {
        String sfdisk = DiskTools.require("sfdisk", "fdisk");
        Path img = DiskTools.blank(dir.resolve("obsd.img"), sectors * 512);
        DiskTools.run("label: dos\nunit: sectors\n\nstart=2048, size=4096, type=c\n" + openbsd, sfdisk, "-q",
                img.toString());
        return img;
    }

    @Test
    void aLabelInTheOpenbsdPartitionCountsFromTheStartOfTheDisk() throws Exception {
        Path img = disk(SECTORS, "start=6144, size=26624, type=a6\n");
        DiskTools.patch(img, 6145 * 512, LabelWriter.openbsd(ByteOrder.LITTLE_ENDIAN, 512, SECTORS,
                new Part('a', 8192, 6144, 7), new Part('b', 4096, 14336, 1), new Part('c', SECTORS, 0, 0),
                new Part('d', 8192, 18432, 7), new Part('e', 2048, 26624, 17)));
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            assertEquals(List.of("MBR (512-byte sectors)",
                    "OpenBSD disklabel (little-endian, 16 entries) at byte 3146240 in MBR partition 2"), t.tables());
            Partition slice = t.partitions().get(1);
            assertEquals("OpenBSD", slice.typeName());
            List<Partition> kids = slice.children();
            assertEquals(List.of("a", "b", "c", "d", "e"), kids.stream().map(Partition::entry).toList());
            assertEquals(List.of("4.2BSD", "swap", "unused", "4.2BSD", "ext2fs"), kids.stream().map(Partition::typeName).toList());
            assertEquals(List.of(6144L * 512, 14336L * 512, 0L, 18432L * 512, 26624L * 512),
                    kids.stream().map(Partition::offset).toList());
            assertEquals(List.of(false, false, true, false, false), kids.stream().map(Partition::isRaw).toList());
            assertTrue(kids.stream().allMatch(p -> p.scheme() == PartitionScheme.OPENBSD_DISKLABEL && p.problem() == null));
            assertEquals(kids.get(3), PartitionSelector.parse("d").select(t));
            assertEquals('d', kids.get(3).letter());
            assertEquals(List.of(), t.warnings());
        }
        // disktype reads the old entry layout, which agrees while the high parts are zero.
        DisklabelTest.assertAgreesWithDisktype(img, PartitionScannerSupport.scan(img), 0);
    }

    @Test
    void version1LabelsAddress48BitSectors() throws Exception {
        // 5 TiB, sparse: e starts past sector 2^32 and is longer than 2^32 sectors, so a reader that
        // dropped p_offseth or p_sizeh would place it at sector 2048, 4096 sectors long.
        long sectors = 5L << 31;
        Path img = disk(sectors, "start=6144, size=" + (TWO_32 - 6144) + ", type=a6\n");
        long eOffset = TWO_32 + 2048;
        long eSize = TWO_32 + 4096;
        DiskTools.patch(img, 6145 * 512, LabelWriter.openbsd(ByteOrder.LITTLE_ENDIAN, 512, sectors,
                new Part('a', 8192, 6144, 7), new Part('c', sectors, 0, 0), new Part('e', eSize, eOffset, 7)));
        byte[] marker = "partition e, past 2 TiB".getBytes(StandardCharsets.US_ASCII);
        DiskTools.patch(img, eOffset * 512, marker);
        DiskTools.patch(img, (eOffset + eSize) * 512 - marker.length, marker);
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            Partition e = PartitionSelector.parse("e").select(t);
            assertNull(e.problem());
            assertEquals(eOffset * 512, e.offset());
            assertEquals(eSize * 512, e.size());
            Partition c = PartitionSelector.parse("c").select(t);
            assertTrue(c.isRaw());
            assertEquals(sectors * 512, c.size());
            try (WindowBlockDevice w = t.open(dev, e, true)) {
                ByteBuffer first = ByteBuffer.allocate(marker.length);
                w.read(0, first);
                assertArrayEquals(marker, first.array());
                ByteBuffer last = ByteBuffer.allocate(marker.length);
                w.read(w.size() - marker.length, last);
                assertArrayEquals(marker, last.array());
            }
            assertEquals(List.of(), t.warnings());
        }
    }

    @Test
    void a48BitPartitionPastTheEndOfTheDiskIsUnusable() throws Exception {
        Path img = disk(SECTORS, "start=6144, size=26624, type=a6\n");
        DiskTools.patch(img, 6145 * 512, LabelWriter.openbsd(ByteOrder.BIG_ENDIAN, 512, SECTORS,
                new Part('a', 8192, 6144, 7), new Part('c', SECTORS, 0, 0), new Part('e', 8192, TWO_32 + 2048, 7)));
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            assertEquals("OpenBSD disklabel (big-endian, 16 entries) at byte 3146240 in MBR partition 2", t.tables().get(1));
            Partition e = PartitionSelector.parse("e").select(t);
            String problem = "OpenBSD disklabel partition e (offset 4294969344, size 8192 sectors: bytes 2199024304128"
                    + " to 2199028498432) extends past the end of the disk (byte 16777216)";
            assertEquals(problem, e.problem());
            assertEquals(List.of(dev.name() + ": " + problem), t.warnings());
            assertNull(PartitionSelector.parse("a").select(t).problem());
        }
    }

    @Test
    void aVersion0LabelKeepsItsOldEntries() throws Exception {
        // Version 0: bytes 8 to 11 of an entry are p_fsize (1024 for a's FFS), not high parts.
        Path img = disk(SECTORS, "start=6144, size=26624, type=a6\n");
        DiskTools.patch(img, 6145 * 512, LabelWriter.label(ByteOrder.LITTLE_ENDIAN, 512, SECTORS, 16,
                new Part('a', 8192, 6144, 7), new Part('c', SECTORS, 0, 0)));
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            Partition a = PartitionSelector.parse("a").select(t);
            assertEquals(PartitionScheme.OPENBSD_DISKLABEL, a.scheme());
            assertEquals(6144L * 512, a.offset());
            assertEquals(8192L * 512, a.size());
            assertNull(a.problem());
            assertEquals(List.of(), t.warnings());
        }
    }
}
