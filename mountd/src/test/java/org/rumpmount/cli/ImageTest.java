package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rumpmount.vfs.DriverRegistry;

/** The commands on a reference UFS1 image written by makefs, checked against its manifest. */
class ImageTest {
    private static final String NAME = "ufs1-small";
    private static Path image;
    private static List<SharedImages.Entry> manifest;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws Exception {
        assumeTrue(DriverRegistry.load().get("ffs").isPresent(), "the ffs driver is not on the class path");
        image = SharedImages.image(NAME);
        manifest = SharedImages.manifest(NAME);
    }

    private static SharedImages.Entry entry(String path) {
        return manifest.stream().filter(e -> path.equals(e.get("path"))).findFirst().orElseThrow(() -> new AssertionError(path));
    }

    @Test
    void findPrintsEveryPathDepthFirstInByteOrderAsRawBytes() {
        CliRun r = CliRun.run("find", image.toString(), "/");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(manifest.size(), r.out().lines().count());
        assertArrayEquals(SharedImages.findListing(manifest), r.stdout());
    }

    @Test
    void catGivesTheExactContentOfTheLargestFiles() throws Exception {
        for (SharedImages.Entry e : SharedImages.largestFiles(manifest, 8)) {
            CliRun r = CliRun.run("cat", image.toString(), e.get("path"));
            assertEquals(0, r.exit(), r.stderr());
            assertEquals(Long.parseLong(e.get("size")), r.stdout().length, e.get("path"));
            assertEquals(e.get("sha256"), SharedImages.sha256(r.stdout()), e.get("path"));
        }
    }

    @Test
    void longListingOfDevicesAndFifos() {
        CliRun r = CliRun.run("ls", "-l", image.toString(), "/special");
        assertEquals(0, r.exit(), r.stderr());
        SharedImages.Entry blk = entry("/special/b_4095_1048575");
        String date = DateTimeFormatter.ofPattern("MMM ppd  yyyy").withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochSecond(Long.parseLong(blk.get("mtime"))));
        assertTrue(r.out().contains("brw------- 1 0 0 4095, 1048575 " + date + " b_4095_1048575\n"), r.out());
        assertTrue(r.out().matches("(?s).*\nprw-r--r-- 1 0 0 +0 .{12} fifo\n.*"), r.out());
    }

    @Test
    void longListingsMatchTheManifestsModesLinksOwnersAndSizes() {
        CliRun r = CliRun.run("ls", "-lR", image.toString(), "/modes", "/owners");
        assertEquals(0, r.exit(), r.stderr());
        String dir = null;
        int checked = 0;
        for (String line : r.out().split("\n")) {
            if (line.endsWith(":")) {
                dir = line.substring(0, line.length() - 1);
                continue;
            }
            String[] f = line.trim().split(" +", 9);
            if (f.length < 9) {
                continue;
            }
            SharedImages.Entry e = entry(dir + "/" + f[8]);
            org.rumpmount.vfs.VType type = org.rumpmount.vfs.VType.ofMode(Integer.parseInt(e.get("ifmt_mode"), 8));
            assertEquals(ModeString.of(type, Integer.parseInt(e.get("mode"), 8)), f[0], line);
            assertEquals(e.get("nlink"), f[1], line);
            assertEquals(e.get("uid"), f[2], line);
            assertEquals(e.get("gid"), f[3], line);
            if (e.get("size") != null) {
                assertEquals(e.get("size"), f[4], line);
            }
            checked++;
        }
        assertTrue(checked > 20, "only " + checked + " lines checked:\n" + r.out());
        assertTrue(r.out().contains("\n-rwsrwsrwt 1 0 0  10 Jan  5  2010 f7777\n"), r.out());
        assertTrue(r.out().contains("\ndrwxrwsrwt 2 0 0 512 Jan  5  2010 d3777\n"), r.out());
    }

    @Test
    void nanosecondTimesAndLargeIdsFromNetbsdsOwnKernel() throws Exception {
        Path nb = SharedImages.image("nb-ffs2");
        CliRun r = CliRun.run("stat", nb.toString(), "/times/nsec");
        assertEquals(0, r.exit(), r.stderr());
        String[] lines = r.out().split("\n");
        assertEquals("Access: 2017-07-14 02:40:01.987654321 +0000", lines[4]);
        assertEquals("Modify: 2017-07-14 02:40:00.123456789 +0000", lines[5]);
        assertEquals(" Birth: 2017-07-14 02:40:00.123456789 +0000", lines[7]);
        CliRun ls = CliRun.run("ls", "-ln", nb.toString(), "/owners");
        assertTrue(ls.out().matches("(?s).*\n[-a-z]{10} +1 4294967294 4294967294 .*u4294967294_g4294967294\n.*"), ls.out());
    }

    @Test
    void statShowsTheManifestsModeOwnerAndTimes() {
        CliRun r = CliRun.run("stat", image.toString(), "/hello.txt");
        assertEquals(0, r.exit(), r.stderr());
        SharedImages.Entry e = entry("/hello.txt");
        String[] lines = r.out().split("\n");
        assertTrue(lines[1].startsWith("  Size: " + e.get("size") + " "), lines[1]);
        assertEquals("Access: (" + e.get("mode") + "/-rw-r--r--)  Uid: (" + String.format("%5s", e.get("uid"))
                + ")   Gid: (" + String.format("%5s", e.get("gid")) + ")", lines[3]);
        assertEquals("Modify: " + TimeFormats.stat(org.rumpmount.vfs.Timespec.ofSeconds(Long.parseLong(e.get("mtime"))),
                ZoneOffset.UTC), lines[5]);
    }

    @Test
    void theShellReachesANameThatIsNotUtf8() throws Exception {
        SharedImages.Entry e = manifest.stream()
                .filter(x -> "file".equals(x.type()) && !Arrays.equals(x.path(),
                        new String(x.path(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)))
                .findFirst().orElseThrow();
        ByteArrayOutputStream script = new ByteArrayOutputStream();
        script.writeBytes("ls -d '".getBytes(StandardCharsets.US_ASCII));
        script.writeBytes(e.path());
        script.writeBytes("'\ncat '".getBytes(StandardCharsets.US_ASCII));
        script.writeBytes(e.path());
        script.writeBytes("'\n".getBytes(StandardCharsets.US_ASCII));
        CliRun r = CliRun.withInput(script.toByteArray(), "shell", "-o", "ro", image.toString());
        assertEquals(0, r.exit(), r.toString());
        byte[] out = r.stdout();
        byte[] first = Arrays.copyOf(out, e.path().length + 1);
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.writeBytes(e.path());
        want.write('\n');
        assertArrayEquals(want.toByteArray(), first);
        byte[] content = Arrays.copyOfRange(out, first.length, out.length);
        assertEquals(e.get("sha256"), SharedImages.sha256(content));
    }

    @Test
    void aCommandLineArgumentThatIsNotUtf8ReachesTheImageIntact() throws Exception {
        SharedImages.Entry e = manifest.stream()
                .filter(x -> "file".equals(x.type()) && !Arrays.equals(x.path(),
                        new String(x.path(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)))
                .findFirst().orElseThrow();
        StringBuilder octal = new StringBuilder();
        for (byte b : e.path()) {
            octal.append(String.format("\\%03o", b & 0xff));
        }
        // The shell builds the argument's bytes, so no Java String ever holds them.
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c",
                "exec \"$0\" -cp \"$1\" org.rumpmount.cli.Main cat \"$2\" \"$(printf '" + octal + "')\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                System.getProperty("java.class.path"), image.toString());
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        assertEquals(e.get("sha256"), SharedImages.sha256(out));
    }

    @Test
    void getCopiesATreeOut() throws Exception {
        Path out = tmp.resolve("sizes");
        CliRun r = CliRun.run("get", image.toString(), "-r", "/sizes", out.toString());
        assertEquals(0, r.exit(), r.toString());
        int checked = 0;
        for (SharedImages.Entry e : manifest) {
            if ("file".equals(e.type()) && e.get("path").startsWith("/sizes/")) {
                Path host = out.resolve(e.get("path").substring("/sizes/".length()));
                assertEquals(e.get("sha256"), SharedImages.sha256(Files.readAllBytes(host)), e.get("path"));
                checked++;
            }
        }
        assertTrue(checked > 0);
    }

    @Test
    void changesMadeInTheShellAreOnTheImageAfterUnmount() throws Exception {
        Path copy = tmp.resolve("rw.img");
        Files.copy(image, copy);
        Path host = tmp.resolve("data");
        byte[] data = new byte[70_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 251);
        }
        Files.write(host, data);
        CliRun r = CliRun.withInput("mkdir -p /new/deep\nput " + host + " /new/deep/d\nchmod 4750 /new/deep/d\n"
                + "chown 7:8 /new/deep/d\nln -s deep/d /new/l\nmv /hello.txt /new/h\ntouch -d @86400 /new/h\n"
                + "rm -r /modes\n", "shell", copy.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.stderr());

        CliRun find = CliRun.run("find", copy.toString(), "/new");
        assertEquals("/new\n/new/deep\n/new/deep/d\n/new/h\n/new/l\n", find.out(), find.toString());
        CliRun cat = CliRun.run("cat", copy.toString(), "/new/l");
        assertArrayEquals(data, cat.stdout());
        CliRun ls = CliRun.run("ls", "-l", copy.toString(), "/new/deep", "/new/h");
        assertTrue(ls.out().contains("-rw-r--r-- 1 0 0 12 Jan  2  1970 /new/h\n"), ls.out());
        assertTrue(ls.out().contains("-rwsr-x--- 1 7 8 70000 "), ls.out());
        assertEquals(1, CliRun.run("ls", copy.toString(), "/modes").exit());
        assertEquals(1, CliRun.run("ls", copy.toString(), "/hello.txt").exit());
    }

    @Test
    void readOnlyMountOfAnImageRefusesWrites() throws Exception {
        Path copy = tmp.resolve("ro-mount.img");
        Files.copy(image, copy);
        byte[] before = Files.readAllBytes(copy);
        CliRun r = CliRun.run("mkdir", "-o", "ro", copy.toString(), "/new");
        assertEquals(1, r.exit(), r.toString());
        assertEquals("rumpmount: mkdir: /new: Read-only file system\n", r.stderr());
        assertArrayEquals(before, Files.readAllBytes(copy), "a read-only mount writes nothing");
    }

    @Test
    void writingToAReadOnlyImageFileFailsClearly() throws Exception {
        Path copy = tmp.resolve("ro.img");
        Files.copy(image, copy);
        assertTrue(copy.toFile().setWritable(false, false));
        assumeFalse(Files.isWritable(copy), "running as root: a file's mode does not stop its writing");
        CliRun r = CliRun.run("mkdir", copy.toString(), "/new");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.stderr().startsWith("rumpmount: mkdir: "), r.stderr());
        assertTrue(r.stderr().contains("read-only"), r.stderr());
    }
}
