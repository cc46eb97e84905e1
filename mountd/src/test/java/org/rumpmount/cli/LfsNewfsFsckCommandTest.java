package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rumpmount newfs -t lfs and fsck on LFS: images made, filled, checked, damaged and repaired. */
class LfsNewfsFsckCommandTest {
    @TempDir
    Path tmp;

    @Test
    void newfsLfsMakesAnImageTheOtherCommandsUseAndFsckFindsClean() throws Exception {
        Path img = tmp.resolve("lfs.img");
        CliRun r = CliRun.run("newfs", "-t", "lfs", "-O", "64", "-E", "be", "-b", "8192", "-f", "1024", "-B", "64k",
                "-s", "8m", img.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals(8L << 20, Files.size(img));
        assertTrue(r.out().contains("Creating a version 2 LFS with roll-forward ident 0x"), r.toString());
        assertTrue(r.out().contains("segments of size 65536"), r.toString());
        assertTrue(r.out().contains("super-block backups (for fsck -b #) at:\n16, "), r.toString());
        assertEquals(0, CliRun.run("mkdir", img.toString(), "/d").exit());
        assertEquals(0, CliRun.run("ln", "-s", img.toString(), "target", "/d/link").exit(), "symlink");
        CliRun ls = CliRun.run("ls", img.toString(), "/d");
        assertEquals("link\n", ls.out(), ls.toString());
        CliRun fsck = CliRun.run("fsck", "-n", img.toString());
        assertEquals(0, fsck.exit(), fsck.toString());
        assertTrue(fsck.out().contains("64-bit, big-endian"), fsck.toString());
        assertTrue(fsck.out().contains("clean"), fsck.toString());
    }

    @Test
    void fsckOfTheNetbsdImagesIsClean() throws Exception {
        for (String name : new String[] {"nb-lfs-4k", "nb-lfs-default"}) {
            CliRun r = CliRun.run("fsck", "-t", "lfs", "-n", SharedImages.image(name).toString());
            assertEquals(0, r.exit(), r.toString());
        }
    }

    @Test
    void aWrongUsageCountIsFoundByNWithoutWritingThenRepairedByY() throws Exception {
        Path img = tmp.resolve("u.img");
        assertEquals(0, CliRun.run("newfs", "-t", "lfs", "-b", "4096", "-f", "1024", "-B", "64k", "-s", "8m", img.toString()).exit());
        byte[] before = Files.readAllBytes(img);
        // Segment 1's usage entry, in the IFILE's first usage block (lbn 1 = direct block 1).
        long ifileInode;
        long usageBlock;
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            ByteBuffer sb = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
            f.seek(8192);
            f.readFully(sb.array());
            ifileInode = (sb.getInt(52) & 0xffffffffL) * 1024;
            ByteBuffer din = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
            f.seek(ifileInode);
            f.readFully(din.array());
            usageBlock = (din.getInt(40 + 4) & 0xffffffffL) * 1024;
            f.seek(usageBlock + 24 + 12);
            // Segment 1 claims to be dirty with 4096 live bytes that no inode holds.
            f.write(new byte[] {2, 0, 0, 0});
            f.seek(usageBlock + 24);
            f.write(new byte[] {0, 16, 0, 0});
        }
        byte[] damaged = Files.readAllBytes(img);
        assertTrue(!java.util.Arrays.equals(before, damaged));
        CliRun n = CliRun.run("fsck", "-n", img.toString());
        assertEquals(4, n.exit(), n.toString());
        assertTrue(n.out().contains("segment 1 (usage table): claims 4096 live bytes but holds 0"), n.toString());
        assertArrayEquals(damaged, Files.readAllBytes(img), "fsck -n wrote to the image");
        CliRun y = CliRun.run("fsck", "-y", img.toString());
        assertEquals(1, y.exit(), y.toString());
        assertTrue(y.out().contains("(FIXED)"), y.toString());
        CliRun again = CliRun.run("fsck", "-n", img.toString());
        assertEquals(0, again.exit(), again.toString());
    }

    /** The byte offset of IFILE block {@code lbn} (a direct block) of a 32-bit little-endian LFS with 1 KiB fragments. */
    private static long ifileBlock(RandomAccessFile f, int lbn) throws IOException {
        ByteBuffer sb = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        f.seek(8192);
        f.readFully(sb.array());
        long ifileInode = (sb.getInt(52) & 0xffffffffL) * 1024;
        ByteBuffer din = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        f.seek(ifileInode);
        f.readFully(din.array());
        return (din.getInt(40 + 4 * lbn) & 0xffffffffL) * 1024;
    }

    /**
     * -p repairs by itself what fsck_lfs -p does (here the cleaner info's segment counts), but
     * stops at a wrong usage count without writing, exit code 4, for a run with -y.
     */
    @Test
    void preenRepairsTheCleanerInfoButLeavesAWrongUsageCountToARunByHand() throws Exception {
        Path img = tmp.resolve("p.img");
        assertEquals(0, CliRun.run("newfs", "-t", "lfs", "-b", "4096", "-f", "1024", "-B", "64k", "-s", "8m", img.toString()).exit());
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            // The cleaner info's dirty count (not the block's first word, which the log's checksum reads).
            f.seek(ifileBlock(f, 0) + 4);
            f.write(new byte[] {77, 0, 0, 0});
        }
        CliRun p = CliRun.run("fsck", "-p", img.toString());
        assertEquals(1, p.exit(), p.toString());
        assertTrue(p.out().contains("cleaner info: counts") && p.out().contains("(FIXED)"), p.toString());
        assertEquals(0, CliRun.run("fsck", "-n", img.toString()).exit());

        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            long usage = ifileBlock(f, 1);
            // Segment 1 claims to be dirty with 4096 live bytes that no inode holds.
            f.seek(usage + 24 + 12);
            f.write(new byte[] {2, 0, 0, 0});
            f.seek(usage + 24);
            f.write(new byte[] {0, 16, 0, 0});
        }
        byte[] damaged = Files.readAllBytes(img);
        CliRun stopped = CliRun.run("fsck", "-p", img.toString());
        assertEquals(4, stopped.exit(), stopped.toString());
        assertTrue(stopped.out().contains("UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY."), stopped.toString());
        assertArrayEquals(damaged, Files.readAllBytes(img), "fsck -p wrote before stopping");
        assertEquals(1, CliRun.run("fsck", "-y", img.toString()).exit());
        CliRun clean = CliRun.run("fsck", "-p", img.toString());
        assertEquals(0, clean.exit(), clean.toString());
    }

    @Test
    void badOptionsAreUsageErrors() throws Exception {
        Path img = tmp.resolve("x.img");
        CliRun small = CliRun.run("newfs", "-t", "lfs", "-s", "1m", img.toString());
        assertEquals(2, small.exit(), small.toString());
        assertTrue(small.stderr().contains("segments"), small.toString());
        assertEquals(2, CliRun.run("newfs", "-t", "lfs", "-O", "48", "-s", "8m", img.toString()).exit());
        assertEquals(2, CliRun.run("newfs", "-t", "zfs", "-s", "8m", img.toString()).exit());
        assertEquals(16, CliRun.run("fsck", "-t", "zfs", img.toString()).exit());
    }
}
