package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
