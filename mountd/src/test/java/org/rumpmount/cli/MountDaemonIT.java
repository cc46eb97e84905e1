package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** rumpmount mount as users and mount(8) run it: a subprocess, host tools on the mount. */
class MountDaemonIT extends DaemonPerTest {
    private SharedImages.Entry entry(List<SharedImages.Entry> manifest, String path) {
        return manifest.stream().filter(e -> e.get("path").equals(path)).findFirst().orElseThrow();
    }

    @Test
    void aReadOnlyMountIsLiveWhenTheCommandReturnsAndEndsWithFusermount() throws Exception {
        Path img = fx.referenceImage("ufs2-le");
        Path mp = fx.mountPoint("mnt");
        DaemonFixture.Result r = fx.run(fx.launcher().toString(), "mount", "-o", "ro", img.toString(), mp.toString());
        assertEquals(0, r.exit(), r + fx.logText());
        // No waiting: the command returned, so the mount is there.
        assertTrue(HostMounts.isMountPoint(mp), "not mounted after the command returned");
        ProcessHandle daemon = fx.daemonOn(mp).orElseThrow();

        List<SharedImages.Entry> manifest = SharedImages.manifest("ufs2-le");
        SharedImages.Entry hello = entry(manifest, "/hello.txt");
        String ls = fx.ok("ls", "-ln", "--time-style=+%s", mp.resolve("hello.txt").toString()).out();
        assertTrue(ls.startsWith("-rw-r--r-- " + hello.get("nlink") + " " + hello.get("uid") + " " + hello.get("gid")
                + " " + hello.get("size") + " " + hello.get("mtime") + " "), ls);
        String sum = fx.ok("sha256sum", mp.resolve("hello.txt").toString()).out();
        assertEquals(hello.get("sha256"), sum.substring(0, 64));
        for (String path : new String[] {"/hello.txt", "/empty", "/bigdir", "/modes"}) {
            SharedImages.Entry e = entry(manifest, path);
            String st = fx.ok("stat", "-c", "%a %u %g %Y", mp.toString() + path).out().trim();
            assertEquals(Integer.parseInt(e.get("mode"), 8) + " " + e.get("uid") + " " + e.get("gid") + " " + e.get("mtime"),
                    Integer.parseInt(st.split(" ")[0], 8) + st.substring(st.indexOf(' ')), path);
        }
        assertFalse(fx.run("touch", mp.resolve("new").toString()).exit() == 0, "a read-only mount took a write");

        // Names are bytes: every name readdir gives (UTF-8 or not) can be looked up again, which
        // holds only because the launcher runs the JVM with -Dfile.encoding=ISO-8859-1.
        long children = manifest.stream().filter(e -> e.get("path").startsWith("/names/")
                && e.get("path").indexOf('/', "/names/".length()) < 0).count();
        String names = fx.ok("sh", "-c", "cd \"$1\"/names && n=0 && for f in * .[!.]* ...; do"
                + " stat -c %i -- \"$f\" >/dev/null || exit 1; n=$((n+1)); done; echo $n", "sh", mp.toString()).out();
        assertEquals(children, Long.parseLong(names.trim()));
        fx.ok("sh", "-c", "stat -- \"$1/names/$(printf 'latin1-\\351t\\351')\"", "sh", mp.toString());

        fx.ok("fusermount3", "-u", mp.toString());
        DaemonFixture.awaitExit(daemon);
        assertFalse(HostMounts.isMountPoint(mp));
        assertFalse(fx.logText().contains("rumpmount: mount:"), fx.logText());
    }

    @Test
    void theForegroundDaemonExitsZeroWhenUnmountedFromOutside() throws Exception {
        Path img = fx.referenceImage("ufs2-le");
        Path mp = fx.mountPoint("mnt");
        Process p = fx.foreground("-o", "ro", img.toString(), mp.toString());
        fx.awaitMounted(mp, p);
        assertEquals("Hello, FFS!\n", Files.readString(mp.resolve("hello.txt"), StandardCharsets.ISO_8859_1));
        fx.ok("fusermount3", "-u", mp.toString());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "daemon still running after fusermount3 -u");
        assertEquals(0, p.exitValue(), fx.logText());
    }

    /** A fresh image from makefs(8), or a skip when makefs is missing. */
    private Path freshImage() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/makefs")) || Files.isExecutable(Path.of("/usr/bin/makefs")),
                "makefs is missing (Debian: apt-get install makefs): read-write mount tests skipped");
        Path empty = Files.createDirectories(fx.dir.resolve("emptydir"));
        Path img = fx.dir.resolve("fresh.img");
        fx.ok("makefs", "-t", "ffs", "-o", "version=2", "-s", "16m", img.toString(), empty.toString());
        return img;
    }

    /** Runs our own command in this JVM on the unmounted image. */
    private static CliRun ours(String... args) {
        return CliRun.run(args);
    }

    @Test
    void hostToolsWriteThroughAReadWriteMountAndTheImageIsCleanAfterUmount() throws Exception {
        Path img = freshImage();
        Path tree = Files.createDirectories(fx.dir.resolve("tree/sub"));
        Files.writeString(tree.resolve("a.txt"), "alpha\n");
        Files.write(tree.getParent().resolve("bytes"), new byte[] {0, 1, 2, (byte) 0xff});
        Path mp = fx.mountPoint("mnt");
        DaemonFixture.Result r = fx.run(fx.launcher().toString(), "mount", img.toString(), mp.toString());
        assertEquals(0, r.exit(), r + fx.logText());
        ProcessHandle daemon = fx.daemonOn(mp).orElseThrow();

        fx.ok("cp", "-a", tree.getParent().toString(), mp.resolve("copy").toString());
        // Not in the copied tree: cp -a would set a link's own times, which the FUSE adapter refuses.
        fx.ok("ln", "-s", "a.txt", mp.resolve("copy/sub/link").toString());
        fx.ok("mv", mp.resolve("copy/bytes").toString(), mp.resolve("copy/moved").toString());
        fx.ok("ln", mp.resolve("copy/sub/a.txt").toString(), mp.resolve("hard").toString());
        fx.ok("sh", "-c", "echo gone > " + mp.resolve("doomed") + " && rm " + mp.resolve("doomed"));
        fx.ok("umount", mp.toString());
        DaemonFixture.awaitExit(daemon);

        // Read-write again without force: refused if the unmount had left the file system dirty.
        CliRun ls = ours("ls", "-o", "rw", img.toString(), "/");
        assertEquals(0, ls.exit(), ls.toString());
        assertEquals("copy\nhard\n", ls.out());
        assertEquals("moved\nsub\n", ours("ls", img.toString(), "/copy").out());
        String sub = ours("ls", "-l", img.toString(), "/copy/sub").out();
        assertTrue(sub.contains("-rw-r--r-- 2 0 0 6 ") && sub.contains(" a.txt\n"), sub);
        assertTrue(sub.contains(" link -> a.txt\n"), sub);
        assertEquals("alpha\n", ours("cat", img.toString(), "/hard").out());
        CliRun moved = ours("cat", img.toString(), "/copy/moved");
        assertEquals(List.of((byte) 0, (byte) 1, (byte) 2, (byte) 0xff), toList(moved.stdout()));
    }

    private static List<Byte> toList(byte[] b) {
        Byte[] boxed = new Byte[b.length];
        for (int i = 0; i < b.length; i++) {
            boxed[i] = b[i];
        }
        return List.of(boxed);
    }

    @Test
    void sigtermUnmountsAndLeavesTheImageClean() throws Exception {
        Path img = freshImage();
        Path mp = fx.mountPoint("mnt");
        Process p = fx.foreground("-o", "rw,sync_interval=0", img.toString(), mp.toString());
        fx.awaitMounted(mp, p);
        Files.writeString(mp.resolve("kept.txt"), "still here\n");
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "daemon still running after SIGTERM");
        // 128 + SIGTERM, after the shutdown hook has run.
        assertEquals(143, p.exitValue(), fx.logText());
        assertFalse(HostMounts.isMountPoint(mp), "SIGTERM left the mount behind");
        CliRun cat = ours("cat", "-o", "rw", img.toString(), "/kept.txt");
        assertEquals(0, cat.exit(), cat.toString());
        assertEquals("still here\n", cat.out());
    }

    @Test
    void theSyncTimerWritesChangesWhileTheMountStays() throws Exception {
        Path img = freshImage();
        Path mp = fx.mountPoint("mnt");
        DaemonFixture.Result r = fx.run(fx.launcher().toString(), "mount", "-o", "sync_interval=1s", img.toString(), mp.toString());
        assertEquals(0, r.exit(), r + fx.logText());
        byte[] marker = "periodic-sync-marker-0123456789".getBytes(StandardCharsets.US_ASCII);
        Files.write(mp.resolve("m.txt"), marker);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean found = false;
        while (!found && System.nanoTime() < deadline) {
            Thread.sleep(500);
            found = indexOf(Files.readAllBytes(img), marker) >= 0;
        }
        assertTrue(found, "the file's data did not reach the image while mounted");
        fx.ok("fusermount3", "-u", mp.toString());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aSecondReadWriteMountOfTheSameImageIsRefusedClearly() throws Exception {
        Path img = freshImage();
        Path first = fx.mountPoint("first");
        Path second = fx.mountPoint("second");
        assertEquals(0, fx.run(fx.launcher().toString(), "mount", img.toString(), first.toString()).exit(), fx.logText());
        DaemonFixture.Result r = fx.run(fx.launcher().toString(), "mount", img.toString(), second.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("is in use") && r.err().contains("mounted read-write already"), r.toString());
        assertFalse(HostMounts.isMountPoint(second));
        assertTrue(HostMounts.isMountPoint(first), "the refused mount disturbed the first");
        fx.ok("fusermount3", "-u", first.toString());
    }

    @Test
    void aDirtyFileSystemIsMountedReadWriteOnlyWhenForced() throws Exception {
        Path img = freshImage();
        Path mp = fx.mountPoint("mnt");
        Process p = fx.foreground("-o", "rw", img.toString(), mp.toString());
        fx.awaitMounted(mp, p);
        Files.writeString(mp.resolve("f"), "x");
        // kill -9: no unmount, the file system stays marked dirty, the mount dead.
        p.destroyForcibly().waitFor();
        fx.ok("fusermount3", "-u", mp.toString());
        DaemonFixture.Result r = fx.run(fx.launcher().toString(), "mount", img.toString(), mp.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("force"), r.toString());
        assertEquals(0, fx.run(fx.launcher().toString(), "mount", "-o", "ro", img.toString(), mp.toString()).exit(), fx.logText());
        fx.ok("fusermount3", "-u", mp.toString());
        fx.daemonOn(mp).ifPresent(h -> h.onExit().join());
        assertEquals(0, fx.run(fx.launcher().toString(), "mount", "-o", "rw,force", img.toString(), mp.toString()).exit(),
                fx.logText());
        fx.ok("fusermount3", "-u", mp.toString());
    }

    @Test
    void mount8RunsTheLauncherThroughMountFuse3() throws Exception {
        assumeTrue(DaemonFixture.isRoot(), "mount(8) needs root: test skipped");
        Path link = Path.of("/usr/local/bin/rumpmount");
        boolean made = false;
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, fx.launcher());
            made = true;
        }
        try {
            Path img = fx.referenceImage("ufs2-le");
            Path mp = fx.mountPoint("mnt");
            DaemonFixture.Result r = fx.run("mount", "-t", "fuse.rumpmount", img.toString(), mp.toString(), "-o", "ro");
            assertEquals(0, r.exit(), r + fx.logText());
            assertTrue(fx.ok("findmnt", "-n", "-o", "FSTYPE,OPTIONS", mp.toString()).out().startsWith("fuse.rumpmount ro,"));
            assertEquals("Hello, FFS!\n", fx.ok("cat", mp.resolve("hello.txt").toString()).out());
            ProcessHandle daemon = fx.daemonOn(mp).orElseThrow();
            fx.ok("umount", mp.toString());
            DaemonFixture.awaitExit(daemon);
        } finally {
            if (made) {
                Files.delete(link);
            }
        }
    }

    @Test
    void anUnprivilegedUserMountsTheirOwnImage() throws Exception {
        assumeTrue(DaemonFixture.isRoot(), "creating a test user needs root: test skipped");
        String user = "rumpuser";
        if (fx.run("id", "-u", user).exit() != 0) {
            fx.ok("useradd", "-m", user);
        }
        Path fuse = Path.of("/dev/fuse");
        var mode = Files.getPosixFilePermissions(fuse);
        fx.ok("chmod", "0666", fuse.toString());
        Path world = Files.createTempDirectory(Path.of("/tmp"), "rumpmount-user-");
        try {
            fx.ok("cp", "-r", fx.jar().toString(), fx.jar().resolveSibling("lib").toString(), world.toString());
            Path img = world.resolve("mine.img");
            Files.copy(SharedImages.image("ufs2-le"), img);
            Path mp = Files.createDirectories(world.resolve("mnt"));
            fx.ok("chmod", "-R", "a+rX", world.toString());
            Path log = Files.createFile(world.resolve("log"));
            fx.ok("chown", user, img.toString(), mp.toString(), log.toString());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            DaemonFixture.Result r = fx.run(Map.of("RUMPMOUNT_LOG", log.toString()),
                    "runuser", "-u", user, "--", java, "-Dfile.encoding=ISO-8859-1", "-jar", world.resolve("rumpmount.jar").toString(),
                    "mount", img.toString(), mp.toString());
            try {
                assertEquals(0, r.exit(), r.toString());
                String ls = fx.ok("runuser", "-u", user, "--", "ls", mp.toString()).out();
                assertTrue(ls.contains("hello.txt"), ls);
                assertTrue(fx.ok("findmnt", "-n", "-o", "OPTIONS", mp.toString()).out().contains("user_id="
                        + fx.ok("id", "-u", user).out().trim()));
                fx.ok("runuser", "-u", user, "--", "fusermount3", "-u", mp.toString());
            } finally {
                if (HostMounts.isMountPoint(mp)) {
                    fx.run("fusermount3", "-u", "-z", mp.toString());
                }
            }
        } finally {
            Files.setPosixFilePermissions(fuse, mode);
            fx.run("rm", "-rf", world.toString());
        }
    }

    @Test
    void aPartitionIsChosenWithAtNOrPartN() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/sfdisk")) || Files.isExecutable(Path.of("/sbin/sfdisk")),
                "sfdisk is missing (Debian: apt-get install fdisk): partition test skipped");
        Path fs = freshImage();
        Path disk = fx.dir.resolve("disk.img");
        fx.ok("truncate", "-s", "18M", disk.toString());
        fx.ok("sh", "-c", "printf 'label: dos\\nstart=2048, size=32768, type=a9\\n' | sfdisk -q \"$1\"", "sh", disk.toString());
        fx.ok("dd", "if=" + fs, "of=" + disk, "bs=1M", "seek=1", "conv=notrunc", "status=none");
        Path mp = fx.mountPoint("mnt");
        for (String[] how : new String[][] {{"-o", "part=1", disk.toString()}, {disk + "@1"}}) {
            List<String> cmd = new java.util.ArrayList<>(List.of(fx.launcher().toString(), "mount"));
            cmd.addAll(List.of(how));
            cmd.add(mp.toString());
            DaemonFixture.Result r = fx.run(cmd.toArray(String[]::new));
            assertEquals(0, r.exit(), r + fx.logText());
            ProcessHandle daemon = fx.daemonOn(mp).orElseThrow();
            fx.ok("touch", mp.resolve("in-partition").toString());
            fx.ok("fusermount3", "-u", mp.toString());
            DaemonFixture.awaitExit(daemon);
        }
        assertEquals(0, fx.run(fx.launcher().toString(), "mount", "-o", "ro", disk + "@1", mp.toString()).exit(), fx.logText());
        assertEquals("in-partition\n", fx.ok("ls", mp.toString()).out());
        ProcessHandle reader = fx.daemonOn(mp).orElseThrow();
        fx.ok("fusermount3", "-u", mp.toString());
        DaemonFixture.awaitExit(reader);
        DaemonFixture.Result none = fx.run(fx.launcher().toString(), "mount", "-o", "ro,part=7", disk.toString(), mp.toString());
        assertEquals(1, none.exit(), none.toString());
        assertTrue(none.err().contains("no partition number 7"), none.toString());
    }
}
