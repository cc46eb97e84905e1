package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rumpmount.block.part.DiskTools;

/**
 * Damaged partition tables through the command line: damage the table survives is a warning on
 * stderr and the command works (exit 0); damage it does not survive is one error line naming the
 * image, the table, the entry and the values (exit 1). The messages are the ones the README's
 * table shows. None of them may hang: each test has a hard time limit.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DamagedDiskTest {
    private static final String TREE = "data\nhello.txt\n";

    @TempDir
    Path tmp;

    @Test
    void overlappingPartitionsAreAWarning() throws Exception {
        WholeDisks.Disk disk = WholeDisks.build(WholeDisks.Kind.MBR, tmp);
        String img = disk.image().toString();
        // MBR entry 1 (the FAT partition at LBA 2048) grows from 4096 to 8192 sectors, into partition 2.
        DiskTools.patch(disk.image(), 446 + 12, le32(8192));
        CliRun r = CliRun.run("ls", img + "@2", "/");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(TREE, r.out());
        assertEquals("rumpmount: ls: warning: " + img + ": MBR partition 2 (NetBSD) holds no NetBSD disklabel\n"
                + "rumpmount: ls: warning: " + img + ": MBR partition 1 (bytes 1048576 to 5242880) overlaps"
                + " MBR partition 2 (bytes 3145728 to 7340032)\n", r.stderr());
    }

    @Test
    void aPartitionPastTheEndOfTheDiskCannotBeOpened() throws Exception {
        WholeDisks.Disk disk = WholeDisks.build(WholeDisks.Kind.MBR, tmp);
        String img = disk.image().toString();
        try (FileChannel ch = FileChannel.open(disk.image(), StandardOpenOption.WRITE)) {
            ch.truncate(5L << 20); // a truncated copy: partition 2 (LBA 6144 to 14335) no longer fits
        }
        CliRun r = CliRun.run("ls", img + "@2", "/");
        assertEquals(1, r.exit(), r.toString());
        assertEquals("", r.out());
        assertEquals("rumpmount: ls: " + img + ": cannot open MBR partition 2: MBR entry 2 spans LBA 6144 to 14335,"
                + " past the end of the disk (10240 sectors of 512 bytes)\n", r.stderr());
        CliRun probe = CliRun.run("probe", img);
        assertEquals(0, probe.exit(), probe.toString());
        assertEquals(1, probe.out().lines().filter(l -> l.equals("  warning: " + img + ": MBR entry 2 spans LBA 6144 to"
                + " 14335, past the end of the disk (10240 sectors of 512 bytes)")).count(), probe.out());
    }

    @Test
    void aBadPrimaryGptCrcFallsBackToTheBackupWithAWarning() throws Exception {
        WholeDisks.Disk disk = WholeDisks.build(WholeDisks.Kind.GPT, tmp);
        String img = disk.image().toString();
        DiskTools.flip(disk.image(), 512 + 40); // the first usable LBA, without fixing the header's CRC
        byte[] header = DiskTools.peek(disk.image(), 512, 92);
        long stored = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(16) & 0xffffffffL;
        System.arraycopy(new byte[4], 0, header, 16, 4);
        CRC32 crc = new CRC32();
        crc.update(header);
        CliRun r = CliRun.run("cat", img + "@nbroot", "/hello.txt");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("hello from the gpt disk\n", r.out());
        assertEquals(String.format("rumpmount: cat: warning: %s: GPT primary header at LBA 1 is damaged (header CRC32"
                + " 0x%08x does not match the computed 0x%08x); using the backup header at LBA 32767\n", img, stored,
                crc.getValue()), r.stderr());
    }

    @Test
    void bothGptHeadersDamagedIsAnError() throws Exception {
        WholeDisks.Disk disk = WholeDisks.build(WholeDisks.Kind.GPT, tmp);
        String img = disk.image().toString();
        DiskTools.patch(disk.image(), 512, new byte[512]);
        DiskTools.patch(disk.image(), 32767L * 512, new byte[512]);
        String why = img + ": GPT unusable: primary header at LBA 1: no \"EFI PART\" signature; backup header at"
                + " LBA 32767: no \"EFI PART\" signature\n";
        for (String[] cmd : new String[][] {{"ls", img + "@nbroot", "/"}, {"ls", img, "/"}, {"probe", img}}) {
            CliRun r = CliRun.run(cmd);
            assertEquals(1, r.exit(), r.toString());
            assertEquals("rumpmount: " + cmd[0] + ": " + why, r.stderr());
        }
    }

    @Test
    void aLoopInTheExtendedBootRecordsIsAnErrorNotAHang() throws Exception {
        WholeDisks.Disk disk = WholeDisks.build(WholeDisks.Kind.MBR_LOGICAL, tmp);
        String img = disk.image().toString();
        // sfdisk put the EBRs at LBA 6144 (logical 5) and 10240 (logical 6); the second now links back to the first.
        DiskTools.patch(disk.image(), 10240L * 512 + 446 + 16, entry(0x05, 0, 2048));
        String why = img + ": MBR extended partition 2: the chain of extended boot records loops: the EBR read for"
                + " logical partition 6 links to LBA 6144, already read for logical partition 5\n";
        for (String[] cmd : new String[][] {{"ls", img + "@4", "/"}, {"ls", img, "/"}, {"probe", img}}) {
            CliRun r = CliRun.run(cmd);
            assertEquals(1, r.exit(), r.toString());
            assertEquals("rumpmount: " + cmd[0] + ": " + why, r.stderr());
        }
    }

    @Test
    void severalFileSystemsWithoutASelectionIsAnErrorListingThem() throws Exception {
        WholeDisks.Disk disk = WholeDisks.build(WholeDisks.Kind.MBR, tmp);
        String img = disk.image().toString();
        Path small = tmp.resolve("small.img");
        assertEquals(0, CliRun.run("newfs", "-O", "1", "-s", "2m", small.toString()).exit());
        DiskTools.copyInto(small, disk.image(), 2048L * 512);
        CliRun r = CliRun.run("ls", img, "/");
        assertEquals(1, r.exit(), r.toString());
        assertEquals("rumpmount: ls: " + img + ": 2 partitions hold a file system; choose one with " + img
                + "@N or -o part=N:\n"
                + "  1  MBR partition 1, FAT32 (LBA), 2.0M: ffs (FFSv1 (UFS1), little-endian, superblock at 8192, bsize"
                + " 4096/fsize 512, 2097152 bytes, clean)\n"
                + "  2  MBR partition 2, NetBSD, 4.0M: ffs (FFSv2 (UFS2), little-endian, superblock at 8192, bsize"
                + " 8192/fsize 1024, 4194304 bytes, clean)\n", r.stderr());
        CliRun chosen = CliRun.run("ls", img + "@2", "/");
        assertEquals(0, chosen.exit(), chosen.toString());
        assertEquals(TREE, chosen.out());
    }

    @Test
    void anUnusableTableOverAWholeFileSystemIsAWarning() throws Exception {
        // A bare FFS whose unused boot area gained an MBR: an extended partition at LBA 1 whose EBR
        // holds logical partition 5 and links back to itself.
        Path fs = tmp.resolve("bare.img");
        assertEquals(0, CliRun.run("newfs", "-s", "4m", fs.toString()).exit());
        assertEquals(0, CliRun.run("mkdir", fs.toString(), "/kept").exit());
        DiskTools.patch(fs, 446, entry(0x05, 1, 8));
        DiskTools.patch(fs, 512 + 446, entry(0x83, 1, 1));
        DiskTools.patch(fs, 512 + 446 + 16, entry(0x05, 0, 8));
        for (long sector : new long[] {0, 1}) {
            DiskTools.patch(fs, sector * 512 + 510, new byte[] {0x55, (byte) 0xaa});
        }
        CliRun r = CliRun.run("ls", fs.toString(), "/");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("kept\n", r.out());
        assertEquals("rumpmount: ls: warning: " + fs + ": MBR extended partition 1: the chain of extended boot records"
                + " loops: the EBR read for logical partition 5 links to LBA 1, already read for logical partition 5;"
                + " ignored, since the whole image holds a file system\n", r.stderr());
    }

    private static byte[] le32(long v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array();
    }

    /** An MBR/EBR entry: not bootable, no CHS, LBA start and size. */
    private static byte[] entry(int type, long start, long sectors) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).put(4, (byte) type).putInt(8, (int) start)
                .putInt(12, (int) sectors).array();
    }
}
