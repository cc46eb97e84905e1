package org.rumpmount.block.part;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rumpmount.block.part.LabelWriter.Part;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rumpmount.block.FileBlockDevice;

/**
 * BSD disklabels written from their on-disk definition, bare at the start of a disk and inside MBR
 * slices built by sfdisk, in both byte orders; cross-checked against Debian's disktype, which
 * reads little-endian labels.
 */
final class DisklabelTest {
    private static final int DISK_SECTORS = 32768;

    @TempDir
    Path dir;

    private static ByteOrder order(String name) {
        return name.equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /** A bare NetBSD/i386 label in sector 1: a (FFS), b (swap), raw c and d over the whole disk, e (LFS). */
    private Path bareDisk(ByteOrder order) throws Exception {
        Path img = DiskTools.blank(dir.resolve("bare.img"), DISK_SECTORS * 512L);
        DiskTools.patch(img, 512, LabelWriter.label(order, 512, DISK_SECTORS, 16,
                new Part('a', 8192, 0, 7), new Part('b', 2048, 8192, 1), new Part('c', DISK_SECTORS, 0, 0),
                new Part('d', DISK_SECTORS, 0, 0), new Part('e', 4096, 10240, 9)));
        return img;
    }

    /** An MBR with a NetBSD slice (LBA 2048, 12288 sectors) and a Linux partition after it. */
    private Path mbrDisk(String sliceType) throws Exception {
        String sfdisk = DiskTools.require("sfdisk", "fdisk");
        Path img = DiskTools.blank(dir.resolve("mbr.img"), DISK_SECTORS * 512L);
        DiskTools.run("label: dos\nunit: sectors\n\nstart=2048, size=12288, type=" + sliceType
                + ", bootable\nstart=14336, size=18432, type=83\n", sfdisk, "-q", img.toString());
        return img;
    }

    /** NetBSD's label in its slice: disk-relative offsets; c is the slice, d the disk (i386 RAW_PART 3). */
    private static byte[] netbsdSliceLabel(ByteOrder order) {
        return LabelWriter.label(order, 512, DISK_SECTORS, 16, new Part('a', 8192, 2048, 7),
                new Part('b', 4096, 10240, 1), new Part('c', 12288, 2048, 0), new Part('d', DISK_SECTORS, 0, 0),
                new Part('e', 18432, 14336, 17));
    }

    @ParameterizedTest
    @ValueSource(strings = {"little", "big"})
    void aBareNetbsdLabelAtTheStartOfTheDisk(String endian) throws Exception {
        Path img = bareDisk(order(endian));
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            assertEquals(List.of("NetBSD disklabel (" + endian + "-endian, 16 entries) at byte 512 in the start of the disk"),
                    t.tables());
            List<Partition> all = t.partitions();
            assertEquals(List.of("a", "b", "c", "d", "e"), all.stream().map(Partition::entry).toList());
            assertEquals(List.of("4.2BSD", "swap", "unused", "unused", "4.4LFS"), all.stream().map(Partition::typeName).toList());
            assertEquals(List.of("7", "1", "0", "0", "9"), all.stream().map(Partition::typeCode).toList());
            assertEquals(List.of(false, false, true, true, false), all.stream().map(Partition::isRaw).toList());
            assertEquals(10240L * 512, all.get(4).offset());
            assertEquals(4096L * 512, all.get(4).size());
            assertEquals('e', all.get(4).letter());
            assertTrue(all.stream().allMatch(p -> p.scheme() == PartitionScheme.NETBSD_DISKLABEL && p.parent() == null));
            assertEquals(List.of(), t.warnings());
        }
        if (endian.equals("little")) {
            assertAgreesWithDisktype(img, PartitionScannerSupport.scan(img), 0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"little", "big"})
    void aNetbsdLabelInsideAnMbrSliceUsesDiskRelativeOffsets(String endian) throws Exception {
        Path img = mbrDisk("a9");
        DiskTools.patch(img, 2049L * 512, netbsdSliceLabel(order(endian)));
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            assertEquals(List.of("MBR (512-byte sectors)", "NetBSD disklabel (" + endian
                    + "-endian, 16 entries) at byte 1049088 in MBR partition 1"), t.tables());
            Partition slice = t.partitions().get(0);
            assertEquals(List.of("a", "b", "c", "d", "e"), slice.children().stream().map(Partition::entry).toList());
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), t.partitions().stream().map(Partition::number).toList());
            Partition a = slice.children().get(0);
            assertEquals(2, a.number());
            assertEquals(2048L * 512, a.offset());
            assertEquals(slice, a.parent());
            assertTrue(slice.children().get(2).isRaw(), "c is the NetBSD slice");
            assertTrue(slice.children().get(3).isRaw(), "d is the whole disk");
            assertEquals(14336L * 512, slice.children().get(4).offset(), "a label may name a partition outside its slice");
            assertEquals("Linux Ext2", slice.children().get(4).typeName());
            assertEquals(List.of(), t.warnings());
            assertEquals(a, PartitionSelector.parse("a").select(t));
        }
        if (endian.equals("little")) {
            assertAgreesWithDisktype(img, PartitionScannerSupport.scan(img), 0);
        }
    }

    @Test
    void anFfsImageInPartitionAIsVisibleThroughItsWindow() throws Exception {
        String makefs = DiskTools.require("makefs", "makefs");
        Path tree = java.nio.file.Files.createDirectories(dir.resolve("tree"));
        java.nio.file.Files.writeString(tree.resolve("hello.txt"), "hello from FFS\n");
        Path ffs = dir.resolve("ufs1.img");
        DiskTools.run(null, makefs, "-t", "ffs", "-s", "4m", "-o", "version=1", ffs.toString(), tree.toString());
        Path img = mbrDisk("a9");
        DiskTools.patch(img, 2049L * 512, netbsdSliceLabel(ByteOrder.LITTLE_ENDIAN));
        // 'a' starts at the slice, so the label (the slice's sector 1) lies in the file system's 8 KiB boot
        // area, which FFS leaves alone: copy the file system without that area, as newfs would have written it.
        byte[] fs = java.nio.file.Files.readAllBytes(ffs);
        DiskTools.patch(img, 2048L * 512 + 8192, java.util.Arrays.copyOfRange(fs, 8192, fs.length));
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            try (var a = t.open(dev, PartitionSelector.parse("a").select(t), true)) {
                Superblocks.Found sb = Superblocks.find(a);
                assertEquals(8192, sb.offset(), "UFS1 keeps its superblock at 8 KiB");
                assertEquals(Superblocks.UFS1_MAGIC, sb.magic());
                assertArrayEquals(DiskTools.peek(ffs, 8192, 65536), Superblocks.bytes(a, 8192, 65536));
                assertEquals(4L << 20, a.size());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aFreebsdLabelCountsFromItsRawPartitionC(boolean sliceRelative) throws Exception {
        Path img = mbrDisk("a5");
        long base = sliceRelative ? 0 : 2048;
        // FreeBSD: 'a' after the 8 KiB boot area (16 sectors), then swap; c is the slice itself.
        List<Part> parts = new ArrayList<>(List.of(new Part('a', 8192, base + 16, 7), new Part('b', 2048, base + 8208, 1),
                new Part('c', 12288, base, 0)));
        if (!sliceRelative) {
            parts.add(new Part('d', DISK_SECTORS, 0, 0)); // old labels' whole-disk entry, which FreeBSD ignores
        }
        DiskTools.patch(img, 2049L * 512, LabelWriter.label(ByteOrder.LITTLE_ENDIAN, 512, 12288, 8, parts.toArray(Part[]::new)));
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            Partition slice = t.partitions().get(0);
            assertEquals("FreeBSD", slice.typeName());
            List<Partition> kids = slice.children();
            assertEquals(List.of("a", "b", "c"), kids.stream().map(Partition::entry).toList());
            assertEquals((2048L + 16) * 512, kids.get(0).offset());
            assertEquals((2048L + 8208) * 512, kids.get(1).offset());
            assertEquals(slice.offset(), kids.get(2).offset());
            assertTrue(kids.get(2).isRaw());
            assertTrue(kids.stream().allMatch(p -> p.scheme() == PartitionScheme.FREEBSD_DISKLABEL));
            assertEquals(sliceRelative ? List.of() : List.of(dev.name() + ": FreeBSD disklabel partition d starts at"
                    + " sector 0, before the raw partition c (sector 2048); ignored, as FreeBSD does"), t.warnings());
        }
    }

    @Test
    void aUfs2InFreebsdPartitionAIsFoundAtItsSliceRelativeOffset() throws Exception {
        String makefs = DiskTools.require("makefs", "makefs");
        Path tree = java.nio.file.Files.createDirectories(dir.resolve("tree"));
        java.nio.file.Files.writeString(tree.resolve("hello.txt"), "hello from FreeBSD\n");
        Path ffs = dir.resolve("ufs2.img");
        DiskTools.run(null, makefs, "-t", "ffs", "-s", "4m", "-o", "version=2", ffs.toString(), tree.toString());
        Path img = mbrDisk("a5");
        DiskTools.patch(img, 2049L * 512, LabelWriter.label(ByteOrder.LITTLE_ENDIAN, 512, 12288, 8,
                new Part('a', 8192, 16, 7), new Part('c', 12288, 0, 0)));
        DiskTools.copyInto(ffs, img, (2048L + 16) * 512);
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            try (var a = t.open(dev, PartitionSelector.parse("a").select(t), true)) {
                Superblocks.Found sb = Superblocks.find(a);
                assertEquals(Superblocks.UFS2_MAGIC, sb.magic());
                assertEquals(ByteOrder.LITTLE_ENDIAN, sb.order());
                assertArrayEquals(DiskTools.peek(ffs, sb.offset(), 8192), Superblocks.bytes(a, sb.offset(), 8192));
            }
        }
    }

    @Test
    void aFreebsdPartitionPastTheEndOfItsSliceIsUnusable() throws Exception {
        Path img = mbrDisk("a5");
        DiskTools.patch(img, 2049L * 512, LabelWriter.label(ByteOrder.LITTLE_ENDIAN, 512, 12288, 8,
                new Part('a', 20000, 16, 7), new Part('c', 12288, 0, 0)));
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            Partition a = t.partitions().get(1);
            assertEquals("FreeBSD disklabel partition a (offset 16, size 20000 sectors: bytes 1056768 to 11296768)"
                    + " extends past the end of MBR partition 1 (byte 7340032)", a.problem());
            PartitionTableException e = assertThrows(PartitionTableException.class, () -> t.open(dev, a, true));
            assertTrue(e.getMessage().contains("cannot open FreeBSD disklabel partition a"), e.getMessage());
        }
    }

    @Test
    void aLabelWithABadChecksumIsIgnoredWithAWarning() throws Exception {
        Path img = mbrDisk("a9");
        byte[] label = netbsdSliceLabel(ByteOrder.LITTLE_ENDIAN);
        label[148 + 4] ^= 1; // a's offset, without fixing the checksum
        DiskTools.patch(img, 2049L * 512, label);
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            assertTrue(t.partitions().get(0).children().isEmpty());
            assertTrue(t.warnings().contains(dev.name() + ": NetBSD disklabel in MBR partition 1 ignored: disklabel at"
                    + " byte 512 has checksum " + String.format("0x%04x", le16(label, 136)) + ", but the label's words give "
                    + String.format("0x%04x", le16(label, 136) ^ 1)), t.warnings().toString());
        }
    }

    @Test
    void aNetbsdPartitionPastTheEndOfTheDiskIsUnusable() throws Exception {
        Path img = bareDisk(ByteOrder.BIG_ENDIAN);
        DiskTools.patch(img, 512, LabelWriter.label(ByteOrder.BIG_ENDIAN, 512, DISK_SECTORS, 16,
                new Part('a', 8192, 0, 7), new Part('e', 8192, 30000, 9)));
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            Partition e = t.partitions().get(1);
            assertEquals("NetBSD disklabel partition e (offset 30000, size 8192 sectors: bytes 15360000 to 19554304)"
                    + " extends past the end of the disk (byte 16777216)", e.problem());
            assertNull(t.partitions().get(0).problem());
            assertFalse(t.warnings().isEmpty());
        }
    }

    @Test
    void aLabelAtTheStartOfADiskWhoseMbrHasNoBsdSliceIsReadToo() throws Exception {
        // NetBSD's readdisklabel falls back to sector 1 of the disk when no MBR slice holds a label.
        Path img = mbrDisk("83");
        DiskTools.patch(img, 512, LabelWriter.label(ByteOrder.LITTLE_ENDIAN, 512, DISK_SECTORS, 16,
                new Part('a', 8192, 2048, 7), new Part('d', DISK_SECTORS, 0, 0)));
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            assertEquals(List.of("MBR (512-byte sectors)", "NetBSD disklabel (little-endian, 16 entries) at byte 512 in"
                    + " the start of the disk"), t.tables());
            assertEquals(List.of("1", "2", "a", "d"), t.partitions().stream().map(Partition::entry).toList());
            assertNull(t.partitions().get(2).parent());
        }
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    /**
     * disktype lists each disklabel partition as "Partition x: ... (N bytes, S sectors from O)"; every
     * one it lists must be one of ours, at the same sectors.
     */
    static void assertAgreesWithDisktype(Path img, PartitionTable t, long unused) throws Exception {
        String disktype = DiskTools.require("disktype", "disktype");
        String out = DiskTools.run(null, disktype, img.toString());
        assertTrue(out.contains("BSD disklabel"), out);
        Matcher m = Pattern.compile("Partition ([a-v]): .*\\((\\d+) bytes, (\\d+) sectors from (\\d+)\\)").matcher(out);
        int seen = 0;
        while (m.find()) {
            char letter = m.group(1).charAt(0);
            Partition p = t.partitions().stream().filter(q -> q.letter() == letter).findFirst()
                    .orElseThrow(() -> new AssertionError("disktype lists partition " + letter + " that we do not: " + out));
            assertEquals(Long.parseLong(m.group(4)) * 512, p.offset(), out);
            assertEquals(Long.parseLong(m.group(2)), p.size(), out);
            seen++;
        }
        assertTrue(seen >= 3, "disktype should list the label's partitions: " + out);
    }
}
