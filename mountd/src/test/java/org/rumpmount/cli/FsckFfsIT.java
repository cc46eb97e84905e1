package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * fsck.ffs as util-linux's fsck(8) finds it: systemd/install.sh puts it, and fsck.ufs linked to
 * it, into a scratch sbin directory on PATH (fsck(8) searches PATH after its own directories).
 * fsck(8) takes the type from blkid, which names FFS "ufs", so both {@code fsck -t ffs IMAGE}
 * and {@code fsck IMAGE} run fsck.ufs. On a damaged copy of a reference image they must pass
 * fsck(8)'s options through and return the checker's exit codes: 4 for damage found and left, 1
 * once repaired, 0 when clean, 16 for a usage error, 8 when the image cannot be read.
 */
class FsckFfsIT {
    /** fs_cstotal.cs_nbfree of the UFS2 superblock, which makefs puts at 8 KiB. */
    private static final long NBFREE = 8192 + 1016;

    private static Path sbin;
    private static Path work;

    private record Run(int exit, String output) {
    }

    @BeforeAll
    static void install() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/fsck")) || Files.isExecutable(Path.of("/sbin/fsck")),
                "fsck(8) is missing (Debian package util-linux): fsck.ffs checks skipped");
        Path root = DaemonFixture.repoRoot();
        Path base = Files.createDirectories(Path.of("target", "it-fsck").toAbsolutePath());
        work = Files.createTempDirectory(base, "fsck-");
        Path prefix = work.resolve("prefix");
        sbin = work.resolve("sbin");
        Run r = run(List.of("sh", root.resolve("systemd/install.sh").toString(), "--prefix", prefix.toString(),
                "--unit-dir", work.resolve("units").toString(), "--sbin-dir", sbin.toString()));
        assertEquals(0, r.exit(), r.output());
        assertTrue(Files.isExecutable(sbin.resolve("fsck.ffs")), "install.sh did not install fsck.ffs");
        assertTrue(Files.isExecutable(sbin.resolve("fsck.ufs")), "install.sh did not link fsck.ufs");
        assertTrue(!Files.readString(sbin.resolve("fsck.ffs")).contains("@RUMPMOUNT@"), "placeholder left in fsck.ffs");
    }

    private static Run run(List<String> cmd) throws Exception {
        Path out = Files.createTempFile(work, "out", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("PATH", sbin + ":" + System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " hangs");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private static Run fsck(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("fsck", "-t", "ffs"));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static Path damagedCopy(String tag) throws Exception {
        Path img = work.resolve(tag + ".img");
        Files.copy(SharedImages.image("ufs2-le"), img, StandardCopyOption.REPLACE_EXISTING);
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.seek(NBFREE);
            int b = f.read();
            f.seek(NBFREE);
            f.write(b ^ 0x05);
        }
        return img;
    }

    @Test
    void fsckFindsTheCheckerAndPassesItsExitCodesThrough() throws Exception {
        Path img = damagedCopy("exit-codes");
        byte[] damaged = Files.readAllBytes(img);

        // The image is marked clean: without -f it is skipped, as fsck_ffs skips it.
        Run skipped = fsck("-n", img.toString());
        assertEquals(0, skipped.exit(), skipped.output());
        assertTrue(skipped.output().contains("clean"), skipped.output());

        Run found = fsck("-V", "-n", "-f", img.toString());
        assertEquals(4, found.exit(), found.output());
        assertTrue(found.output().contains("FREE BLK COUNT(S) WRONG IN SUPERBLK"), found.output());
        assertArrayEquals(damaged, Files.readAllBytes(img), "fsck -n wrote to the image");

        Run fixed = fsck("-y", "-f", img.toString());
        assertEquals(1, fixed.exit(), fixed.output());
        Run clean = fsck("-n", "-f", img.toString());
        assertEquals(0, clean.exit(), clean.output());
        assertTrue(clean.output().matches("(?s).*\\d+ files, \\d+ used, \\d+ free.*"), clean.output());
    }

    @Test
    void fsckWithoutATypeFindsItThroughBlkid() throws Exception {
        Path img = damagedCopy("no-type");
        Run found = run(List.of("fsck", "-V", "-n", "-f", img.toString()));
        assertEquals(4, found.exit(), found.output());
        assertTrue(found.output().contains("fsck.ufs"), found.output());
        assertTrue(found.output().contains("FREE BLK COUNT(S) WRONG IN SUPERBLK"), found.output());
    }

    @Test
    void preenAsFsckAsksForItWithA() throws Exception {
        // A wrong free count is what a crash leaves: preen repairs it on its own.
        Path img = damagedCopy("preen");
        Run preen = fsck("-a", "-f", img.toString());
        assertEquals(1, preen.exit(), preen.output());
        Run clean = fsck("-p", "-f", img.toString());
        assertEquals(0, clean.exit(), clean.output());
    }

    @Test
    void contradictoryOptionsAreAUsageError() throws Exception {
        Path img = damagedCopy("usage");
        Run r = fsck("-n", "-y", img.toString());
        assertEquals(16, r.exit(), r.output());
        assertTrue(r.output().contains("cannot be combined"), r.output());
        Run bad = run(List.of(sbin.resolve("fsck.ffs").toString(), "-b", "x", img.toString()));
        assertEquals(16, bad.exit(), bad.output());
    }

    @Test
    void anImageThatIsNotThereIsAnOperationalError() throws Exception {
        Run r = run(List.of(sbin.resolve("fsck.ffs").toString(), "-n", work.resolve("absent.img").toString()));
        assertEquals(8, r.exit(), r.output());
    }
}
