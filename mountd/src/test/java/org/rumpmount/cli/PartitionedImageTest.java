package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole disks: the fs-utils commands, the shell and probe on MBR and GPT disks made by sfdisk and
 * sgdisk, holding FFS file systems made by our newfs.
 */
class PartitionedImageTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path tmp;

    @Test
    void aPartitionIsNamedByNumberWithAtOrPartOption() throws Exception {
        Path disk = mbrDisk(true);
        assertOk(CliRun.run("mkdir", disk + "@2", "/second"));
        assertOk(CliRun.run("mkdir", "-o", "part=1", disk.toString(), "/first"));
        assertEquals("second\n", assertOk(CliRun.run("ls", disk + "@2", "/")).out());
        assertEquals("first\n", assertOk(CliRun.run("ls", disk + "@1", "/")).out());
        assertEquals("second\n", assertOk(CliRun.run("ls", "-o", "ro,part=2", disk.toString(), "/")).out());
        assertEquals(0, CliRun.run("fsck", "-f", "-n", fsCopy(disk, 2)).exit());
    }

    @Test
    void theShellTakesAPartition() throws Exception {
        Path disk = mbrDisk(true);
        CliRun r = CliRun.withInput("mkdir /in-shell\nls /\n", "shell", disk + "@2");
        assertEquals("in-shell\n", assertOk(r).out());
        assertEquals("in-shell\n", assertOk(CliRun.run("ls", "-o", "part=2", disk.toString(), "/")).out());
    }

    @Test
    void aGptPartitionIsNamedByItsName() throws Exception {
        Path disk = gptDisk();
        assertOk(CliRun.run("mkdir", "-o", "part=nbroot", disk.toString(), "/named"));
        assertEquals("named\n", assertOk(CliRun.run("ls", "-o", "part=nbroot", disk.toString(), "/")).out());
        assertEquals("named\n", assertOk(CliRun.run("ls", disk + "@nbroot", "/")).out());
        assertEquals("named\n", assertOk(CliRun.run("ls", disk + "@1", "/")).out());
    }

    @Test
    void withoutAPartitionTheOnlyFileSystemOnTheDiskIsUsed() throws Exception {
        Path disk = mbrDisk(false);
        assertOk(CliRun.run("mkdir", disk + "@1", "/only"));
        assertEquals("only\n", assertOk(CliRun.run("ls", disk.toString(), "/")).out());
        Path gpt = gptDisk();
        assertEquals("", assertOk(CliRun.run("ls", gpt.toString(), "/")).out());
    }

    @Test
    void withoutAPartitionTwoFileSystemsAreAnErrorListingBoth() throws Exception {
        Path disk = mbrDisk(true);
        CliRun r = CliRun.run("ls", disk.toString(), "/");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.stderr().contains("2 partitions hold a file system"), r.toString());
        assertTrue(r.stderr().contains("\n  1  MBR partition 1, NetBSD"), r.toString());
        assertTrue(r.stderr().contains("\n  2  MBR partition 2, Linux"), r.toString());
        assertTrue(r.stderr().contains("16M: ffs (FFSv"), r.toString());
        CliRun shell = CliRun.withInput("ls /\n", "shell", disk.toString());
        assertEquals(1, shell.exit(), shell.toString());
    }

    @Test
    void aMissingPartitionOrOneGivenTwiceIsRefused() throws Exception {
        Path disk = mbrDisk(true);
        CliRun none = CliRun.run("ls", disk + "@7", "/");
        assertEquals(1, none.exit(), none.toString());
        assertTrue(none.stderr().contains("no partition number 7"), none.toString());
        CliRun twice = CliRun.run("ls", "-o", "part=1", disk + "@2", "/");
        assertEquals(2, twice.exit(), twice.toString());
        assertTrue(twice.stderr().contains("partition given twice"), twice.toString());
        CliRun empty = CliRun.run("ls", "-o", "part=", disk.toString(), "/");
        assertEquals(2, empty.exit(), empty.toString());
        assertTrue(empty.stderr().contains("'part=' needs a value"), empty.toString());
    }

    @Test
    void aTypeNarrowsTheAutomaticChoice() throws Exception {
        Path disk = mbrDisk(true);
        CliRun lfs = CliRun.run("ls", "-t", "lfs", disk.toString(), "/");
        assertEquals(1, lfs.exit(), lfs.toString());
        assertTrue(lfs.stderr().contains("no partition holds a file system of type lfs"), lfs.toString());
    }

    @Test
    void aBareFileSystemIsUsedWholeAndProbedInOneLine() throws Exception {
        Path fs = newfs("bare.img");
        assertOk(CliRun.run("mkdir", fs.toString(), "/x"));
        assertEquals("x\n", assertOk(CliRun.run("ls", fs.toString(), "/")).out());
        List<String> lines = assertOk(CliRun.run("probe", fs.toString())).out().lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(fs + ": 16777216 bytes (16M)", lines.get(0));
        assertTrue(lines.get(1).startsWith("  whole device: ffs (FFSv"), lines.toString());
        assertTrue(lines.get(1).endsWith(", clean)"), lines.toString());
    }

    @Test
    void probeListsEachPartitionWithItsFileSystem() throws Exception {
        Path disk = mbrDisk(false);
        String out = assertOk(CliRun.run("probe", disk.toString())).out();
        List<String> lines = out.lines().toList();
        assertEquals(disk + ": 37748736 bytes (36M)", lines.get(0), out);
        assertEquals("  MBR (512-byte sectors)", lines.get(1), out);
        assertTrue(lines.get(3).matches("    1  mbr1 +NetBSD \\(0xa9\\) +1048576 +16777216  ffs \\(FFSv.*, clean\\)"), out);
        assertTrue(lines.get(4).matches("    2  mbr2 +Linux \\(0x83\\) +17825792 +16777216  no file system recognised"), out);
        assertTrue(out.contains("  warning: " + disk + ": MBR partition 1 (NetBSD) holds no NetBSD disklabel")
                || out.contains("holds no NetBSD disklabel"), out);
    }

    @Test
    void probeShowsGptNames() throws Exception {
        String out = assertOk(CliRun.run("probe", gptDisk().toString())).out();
        assertTrue(out.contains("GPT (512-byte sectors)"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("    1  gpt1 \"nbroot\" +NetBSD FFS .* 1048576 +16777216  ffs \\(FFSv.*")), out);
    }

    @Test
    void probeOfADamagedTableFails() throws Exception {
        Path disk = gptDisk();
        // Both GPT headers overwritten: the protective MBR remains, the table is gone.
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate(512), 512);
            ch.write(java.nio.ByteBuffer.allocate(512), ch.size() - 512);
        }
        CliRun r = CliRun.run("probe", disk.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.stderr().startsWith("rumpmount: probe: " + disk), r.toString());
    }

    // --- disks

    private static CliRun assertOk(CliRun r) {
        assertEquals(0, r.exit(), r.toString());
        return r;
    }

    private Path newfs(String name) {
        Path img = tmp.resolve(name);
        assertOk(CliRun.run("newfs", "-s", "16m", img.toString()));
        return img;
    }

    /** 36 MiB: MBR partition 1 (0xa9) at 1 MiB and 2 (0x83) at 17 MiB, 16 MiB each; FFS in 1, and in 2 if asked. */
    private Path mbrDisk(boolean two) throws Exception {
        Path disk = tmp.resolve("mbr.img");
        String sfdisk = tool("sfdisk", "fdisk");
        Files.write(disk, new byte[0]);
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.allocate(1), 36 * MIB - 1);
        }
        run(List.of("sh", "-c", "printf 'label: dos\\nstart=2048, size=32768, type=a9\\nstart=34816, size=32768,"
                + " type=83\\n' | \"$1\" -q \"$2\"", "sh", sfdisk, disk.toString()));
        copyInto(newfs("p1.img"), disk, MIB);
        if (two) {
            copyInto(newfs("p2.img"), disk, 17 * MIB);
        }
        return disk;
    }

    /** 18 MiB: one GPT partition "nbroot" of type NetBSD FFS at 1 MiB, 16 MiB, holding FFS. */
    private Path gptDisk() throws Exception {
        Path disk = tmp.resolve("gpt.img");
        String sgdisk = tool("sgdisk", "gdisk");
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate(1), 18 * MIB - 1);
        }
        run(List.of(sgdisk, "-o", "-n", "1:2048:34815", "-t", "1:a902", "-c", "1:nbroot", disk.toString()));
        copyInto(newfs("g1.img"), disk, MIB);
        return disk;
    }

    private static void copyInto(Path fs, Path disk, long offset) throws IOException {
        try (FileChannel in = FileChannel.open(fs); FileChannel out = FileChannel.open(disk, StandardOpenOption.WRITE)) {
            long done = 0;
            while (done < in.size()) {
                done += in.transferTo(done, in.size() - done, out.position(offset + done));
            }
        }
    }

    /** A copy of partition N of {@code disk} (16 MiB at N MiB... as laid out above) for fsck. */
    private String fsCopy(Path disk, int n) throws IOException {
        Path out = tmp.resolve("copy" + n + ".img");
        long offset = n == 1 ? MIB : 17 * MIB;
        try (FileChannel in = FileChannel.open(disk);
                FileChannel o = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long done = 0;
            while (done < 16 * MIB) {
                done += in.transferTo(offset + done, 16 * MIB - done, o);
            }
        }
        return out.toString();
    }

    /** The path of a host tool, found in the sbin directories or on PATH; the test is skipped without it. */
    private static String tool(String name, String debianPackage) {
        List<String> dirs = new java.util.ArrayList<>(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        for (String d : dirs) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        assumeTrue(false, name + " is missing (Debian: apt-get install " + debianPackage + "): partition test skipped");
        throw new AssertionError("unreachable");
    }

    /** Runs a host tool, which must succeed. */
    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        assertEquals(0, rc, cmd + " failed: " + out);
    }
}
