package org.rumpmount.block.part;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rumpmount.block.FileBlockDevice;

/** GPT disks built by sgdisk, read whole, then with their primary, backup or both copies damaged. */
final class GptPartitionTest {
    private static final long DISK = 8 << 20;
    private static final long LAST_LBA = DISK / 512 - 1;

    @TempDir
    static Path shared;
    private static Path template;

    @TempDir
    Path dir;

    /** A fresh copy of the disk sgdisk built once for the class (sgdisk takes a second or so per run). */
    private Path disk() throws Exception {
        synchronized (GptPartitionTest.class) {
            if (template == null) {
                String sgdisk = DiskTools.require("sgdisk", "gdisk");
                Path img = DiskTools.blank(shared.resolve("gpt.img"), DISK);
                DiskTools.run(null, sgdisk,
                        "-n", "1:2048:+1M", "-t", "1:ef00", "-c", "1:EFI system",
                        "-n", "2:0:+2M", "-t", "2:a902", "-c", "2:netbsd root",
                        "-n", "3:0:+1M", "-t", "3:a901", "-c", "3:swap",
                        "-n", "4:0:+1M", "-t", "4:a503", "-c", "4:fbsd ufs",
                        "-n", "5:0:0", "-t", "5:8300", "-c", "5:Ünïcode ☃",
                        img.toString());
                template = img;
            }
        }
        return java.nio.file.Files.copy(template, dir.resolve("gpt.img"));
    }

    /** Number, first and last sector of each partition, as {@code sgdisk -p} prints them. */
    private static List<long[]> sgdiskTable(Path img) throws Exception {
        String out = DiskTools.run(null, DiskTools.require("sgdisk", "gdisk"), "-p", img.toString());
        Matcher m = Pattern.compile("(?m)^\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s").matcher(out);
        List<long[]> rows = new ArrayList<>();
        while (m.find()) {
            rows.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
        }
        return rows;
    }

    private static void assertIntact(PartitionTable t, List<long[]> expected) {
        List<Partition> all = t.partitions();
        assertEquals(expected.size(), all.size(), t.describe());
        for (int i = 0; i < all.size(); i++) {
            Partition p = all.get(i);
            assertEquals(expected.get(i)[0], p.index());
            assertEquals(expected.get(i)[1] * 512, p.offset(), p.toString());
            assertEquals((expected.get(i)[2] - expected.get(i)[1] + 1) * 512, p.size(), p.toString());
            assertEquals(PartitionScheme.GPT, p.scheme());
        }
        assertEquals(List.of("EFI system", "netbsd root", "swap", "fbsd ufs", "Ünïcode ☃"),
                all.stream().map(Partition::label).toList());
        assertEquals(List.of("EFI system", "NetBSD FFS", "NetBSD swap", "freebsd-ufs", "Linux data"),
                all.stream().map(Partition::typeName).toList());
        assertEquals("49f48d5a-b10e-11dc-b99b-0019d1879648", all.get(1).typeCode());
        assertEquals("516e7cb6-6ecf-11d6-8ff8-00022d09712b", all.get(3).typeCode());
    }

    @Test
    void entriesNamesAndTypesMatchWhatSgdiskWrote() throws Exception {
        Path img = disk();
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            assertIntact(t, sgdiskTable(img));
            assertEquals(List.of(), t.warnings());
            assertEquals(List.of("GPT (512-byte sectors) behind a protective MBR"), t.tables());
            assertEquals(t.partitions().get(1), PartitionSelector.parse("netbsd root").select(t));
        }
    }

    @Test
    void aDamagedPrimaryHeaderFallsBackToTheBackupWithAWarning() throws Exception {
        Path img = disk();
        List<long[]> expected = sgdiskTable(img);
        DiskTools.flip(img, 512 + 40); // first usable LBA: the header CRC no longer matches
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            assertIntact(t, expected);
            assertEquals(1, t.warnings().size(), t.warnings().toString());
            String w = t.warnings().get(0);
            assertTrue(w.startsWith(dev.name() + ": GPT primary header at LBA 1 is damaged (header CRC32 0x"), w);
            assertTrue(w.endsWith("); using the backup header at LBA " + LAST_LBA), w);
        }
    }

    @Test
    void aDamagedPrimaryEntryArrayFallsBackToTheBackup() throws Exception {
        Path img = disk();
        List<long[]> expected = sgdiskTable(img);
        DiskTools.flip(img, 2 * 512 + 128 + 56); // a letter of entry 2's name
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            assertIntact(t, expected);
            assertTrue(t.warnings().get(0).contains("is damaged (entry array CRC32 0x"), t.warnings().toString());
        }
    }

    @Test
    void bothHeadersDamagedIsAClearError() throws Exception {
        Path img = disk();
        DiskTools.flip(img, 512 + 40);
        DiskTools.patch(img, LAST_LBA * 512, "NOT PART".getBytes());
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTableException e = assertThrows(PartitionTableException.class, () -> PartitionScanner.scan(dev));
            assertTrue(e.getMessage().startsWith(dev.name() + ": GPT unusable: primary header at LBA 1: header CRC32 0x"),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("; backup header at LBA " + LAST_LBA + ": no \"EFI PART\" signature"),
                    e.getMessage());
        }
    }

    @Test
    void aDamagedBackupIsReportedWhileThePrimaryIsUsed() throws Exception {
        Path img = disk();
        List<long[]> expected = sgdiskTable(img);
        DiskTools.flip(img, LAST_LBA * 512 + 48);
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            assertIntact(t, expected);
            assertEquals(1, t.warnings().size(), t.warnings().toString());
            assertTrue(t.warnings().get(0).startsWith(dev.name() + ": GPT backup header at LBA " + LAST_LBA
                    + " is damaged (header CRC32"), t.warnings().toString());
        }
    }

    @Test
    void aPartitionPastTheEndOfATruncatedImageCannotBeOpened() throws Exception {
        Path img = disk();
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.WRITE)) {
            ch.truncate(7 << 20); // drops the end of partition 5 and the backup copy
        }
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            Partition five = t.partitions().get(4);
            assertEquals("GPT entry 5 \"Ünïcode ☃\" spans LBA 12288 to 16350, past the end of the disk (14336 sectors"
                    + " of 512 bytes)", five.problem());
            assertTrue(t.warnings().stream().anyMatch(w -> w.contains("places the backup header at LBA " + LAST_LBA
                    + ", not in the last sector (LBA 14335)")), t.warnings().toString());
            PartitionTableException e = assertThrows(PartitionTableException.class, () -> t.open(dev, five, true));
            assertTrue(e.getMessage().endsWith(five.problem()), e.getMessage());
            assertNull(t.partitions().get(3).problem());
            t.open(dev, t.partitions().get(3), true).close();
        }
    }

    @Test
    void aGptWithoutItsProtectiveMbrIsStillReadWithAWarning() throws Exception {
        Path img = disk();
        List<long[]> expected = sgdiskTable(img);
        DiskTools.patch(img, 0, new byte[512]);
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            assertIntact(t, expected);
            assertTrue(t.warnings().get(0).contains("sector 0 holds no protective MBR (no 0x55AA signature)"),
                    t.warnings().toString());
        }
    }

    @Test
    void aPartitionEndingBeforeItStartsIsUnusable() throws Exception {
        Path img = disk();
        // Entry 3's last LBA goes below its first, in the primary array, whose CRCs are then made valid again.
        long first = 8192;
        byte[] last = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, first - 10).array();
        DiskTools.patch(img, 2 * 512 + 2 * 128 + 40, last);
        fixCrcs(img, 1);
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            assertEquals("GPT entry 3 \"swap\" ends at LBA 8182, before its start at LBA 8192",
                    t.partitions().get(2).problem());
            assertEquals(0, t.partitions().get(2).size());
        }
    }

    @Test
    void aBigEndianUfs2InTheNetbsdFfsPartitionIsVisibleThroughItsWindow() throws Exception {
        String makefs = DiskTools.require("makefs", "makefs");
        Path tree = java.nio.file.Files.createDirectories(dir.resolve("tree"));
        java.nio.file.Files.writeString(tree.resolve("hello.txt"), "hello from UFS2\n");
        Path ffs = dir.resolve("ufs2.img");
        DiskTools.run(null, makefs, "-t", "ffs", "-B", "be", "-s", "2m", "-o", "version=2", ffs.toString(), tree.toString());
        Path img = disk();
        DiskTools.copyInto(ffs, img, 4096L * 512);
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            try (var root = t.open(dev, PartitionSelector.parse("NETBSD ROOT").select(t), true)) {
                Superblocks.Found sb = Superblocks.find(root);
                assertEquals(Superblocks.UFS2_MAGIC, sb.magic());
                assertEquals(java.nio.ByteOrder.BIG_ENDIAN, sb.order());
                org.junit.jupiter.api.Assertions.assertArrayEquals(DiskTools.peek(ffs, sb.offset(), 8192),
                        Superblocks.bytes(root, sb.offset(), 8192));
                assertEquals(2L << 20, root.size());
            }
        }
    }

    @Test
    void aHybridMbrStillMeansTheGpt() throws Exception {
        Path img = disk();
        List<long[]> expected = sgdiskTable(img);
        DiskTools.run(null, DiskTools.require("sgdisk", "gdisk"), "-h", "2:EE", img.toString());
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            assertIntact(t, expected);
            assertEquals(List.of("GPT (512-byte sectors) behind a protective MBR"), t.tables());
        }
    }

    @Test
    void anMbrWithoutAProtectiveEntryWinsOverAStaleGpt() throws Exception {
        Path img = disk();
        DiskTools.patch(img, 446 + 4, new byte[] {(byte) 0x83}); // the protective entry becomes a Linux partition
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            assertEquals(List.of("MBR (512-byte sectors)"), t.tables());
            assertEquals(1, t.partitions().size());
            assertEquals("Linux", t.partitions().get(0).typeName());
            assertEquals(List.of(dev.name() + ": a GPT header lies at LBA 1 but the MBR has no protective 0xEE entry;"
                    + " reading the MBR (the GPT is perhaps stale)"), t.warnings());
        }
    }

    @Test
    void aGptWithNoEntriesHasNothingToSelect() throws Exception {
        Path img = DiskTools.blank(dir.resolve("empty.img"), DISK);
        DiskTools.run(null, DiskTools.require("sgdisk", "gdisk"), "-o", img.toString());
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            PartitionTableException e = assertThrows(PartitionTableException.class,
                    () -> PartitionSelector.parse("1").select(t));
            assertEquals(dev.name() + ": partition \"1\" requested, but the device holds no partitions (GPT (512-byte"
                    + " sectors) behind a protective MBR)", e.getMessage());
        }
    }

    @Test
    void typeGuidsAgreeWithSgdisk() throws Exception {
        String sgdisk = DiskTools.require("sgdisk", "gdisk");
        String[][] codes = {{"a901", "NetBSD swap"}, {"a902", "NetBSD FFS"}, {"a903", "NetBSD LFS"},
            {"a904", "NetBSD ccd (concatenated)"}, {"a905", "NetBSD cgd (encrypted)"}, {"a906", "NetBSD RAIDframe"},
            {"a501", "freebsd-boot"}, {"a502", "freebsd-swap"}, {"a503", "freebsd-ufs"}, {"a504", "freebsd-zfs"},
            {"ef00", "EFI system"}, {"8300", "Linux data"}, {"8200", "Linux swap"}, {"ef02", "BIOS boot"}};
        Path img = DiskTools.blank(dir.resolve("types.img"), 4 << 20);
        List<String> args = new ArrayList<>(List.of(sgdisk));
        for (int i = 0; i < codes.length; i++) {
            args.addAll(List.of("-n", (i + 1) + ":0:+64", "-t", (i + 1) + ":" + codes[i][0]));
        }
        args.add(img.toString());
        DiskTools.run(null, args.toArray(String[]::new));
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            PartitionTable t = PartitionScanner.scan(dev);
            assertEquals(codes.length, t.partitions().size(), t.describe());
            for (int i = 0; i < codes.length; i++) {
                Partition p = t.partitions().get(i);
                String info = DiskTools.run(null, sgdisk, "-i", Integer.toString(i + 1), img.toString());
                Matcher m = Pattern.compile("Partition GUID code: ([0-9A-F-]+)").matcher(info);
                assertTrue(m.find(), info);
                assertEquals(m.group(1).toLowerCase(java.util.Locale.ROOT), p.typeCode(), info);
                assertEquals(codes[i][1], p.typeName(), info);
            }
        }
    }

    /** Recomputes the entry-array and header CRC32s of the header at {@code lba} after a deliberate edit. */
    private static void fixCrcs(Path img, long lba) throws Exception {
        java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(DiskTools.peek(img, lba * 512, 512))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long arrayLba = h.getLong(72);
        int bytes = h.getInt(80) * h.getInt(84);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(DiskTools.peek(img, arrayLba * 512, bytes));
        h.putInt(88, (int) crc.getValue());
        h.putInt(16, 0);
        crc.reset();
        crc.update(h.array(), 0, h.getInt(12));
        h.putInt(16, (int) crc.getValue());
        DiskTools.patch(img, lba * 512, h.array());
    }
}
