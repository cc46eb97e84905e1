package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rumpmount fsck: fsck(8)'s exit codes on a pristine, a damaged and a repaired image. */
class FsckCommandTest {
    /** fs_cstotal.cs_nbfree of the UFS2 superblock, which makefs puts at 8 KiB. */
    private static final long NBFREE = 8192 + 1016;

    @TempDir
    Path tmp;

    private Path copy(String name) throws Exception {
        Path img = tmp.resolve(name + ".img");
        Files.copy(SharedImages.image(name), img, StandardCopyOption.REPLACE_EXISTING);
        return img;
    }

    @Test
    void aPristineImageIsCleanWithTheSummaryLine() throws Exception {
        Path img = copy("ufs2-le");
        CliRun r = CliRun.run("fsck", "-f", "-n", img.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().matches("(?s).*\\d+ files, \\d+ used, \\d+ free.*"), r.toString());
    }

    @Test
    void aWrongFreeCountIsFoundByNWithoutWritingThenRepairedByY() throws Exception {
        Path img = copy("ufs2-le");
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.seek(NBFREE);
            byte[] b = new byte[8];
            f.readFully(b);
            b[0] ^= 0x05;
            f.seek(NBFREE);
            f.write(b);
        }
        byte[] damaged = Files.readAllBytes(img);
        CliRun check = CliRun.run("fsck", "-f", "-n", img.toString());
        assertEquals(4, check.exit(), check.toString());
        assertTrue(check.out().contains("FREE BLK COUNT(S) WRONG IN SUPERBLK"), check.toString());
        assertArrayEquals(damaged, Files.readAllBytes(img), "-n must not write");
        CliRun fix = CliRun.run("fsck", "-f", "-y", img.toString());
        assertEquals(1, fix.exit(), fix.toString());
        CliRun again = CliRun.run("fsck", "-f", "-n", img.toString());
        assertEquals(0, again.exit(), again.toString());
    }

    @Test
    void usageErrorsExitWithSixteen() {
        CliRun r = CliRun.run("fsck", "-n", "-y", "x.img");
        assertEquals(16, r.exit(), r.toString());
        assertEquals(16, CliRun.run("fsck").exit());
    }

    @Test
    void aMissingImageIsAnOperationalError() {
        CliRun r = CliRun.run("fsck", "-n", tmp.resolve("absent.img").toString());
        assertEquals(8, r.exit(), r.toString());
        assertTrue(r.stderr().contains("absent.img"), r.toString());
    }
}
