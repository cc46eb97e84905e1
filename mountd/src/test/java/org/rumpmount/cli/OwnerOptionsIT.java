package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * {@code -o uid=,gid=,umask=} for a normal user who mounts an image whose files belong to root:
 * every file is theirs while the mount lasts, what they make is stored as theirs, and nothing
 * else about the stored owners changes. The test creates the user (it runs as root in CI).
 */
class OwnerOptionsIT {
    private static final String USER = "rumpowner";
    private DaemonFixture fx;
    private Path world;
    private Set<PosixFilePermission> fuseMode;

    @BeforeEach
    void setUp(TestInfo info) throws Exception {
        fx = new DaemonFixture(info.getTestMethod().orElseThrow().getName());
        assumeTrue(DaemonFixture.isRoot(), "creating a test user needs root: test skipped");
        if (fx.run("id", "-u", USER).exit() != 0) {
            fx.ok("useradd", "-m", USER);
        }
        Path fuse = Path.of("/dev/fuse");
        fuseMode = Files.getPosixFilePermissions(fuse);
        fx.ok("chmod", "0666", fuse.toString());
        world = Files.createTempDirectory(Path.of("/tmp"), "rumpmount-owner-");
        fx.ok("cp", "-r", fx.jar().toString(), fx.jar().resolveSibling("lib").toString(), world.toString());
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (world != null) {
                Path mp = world.resolve("mnt");
                if (HostMounts.isMountPoint(mp)) {
                    fx.run("fusermount3", "-u", "-z", mp.toString());
                }
                fx.run("rm", "-rf", world.toString());
            }
            if (fuseMode != null) {
                Files.setPosixFilePermissions(Path.of("/dev/fuse"), fuseMode);
            }
        } finally {
            fx.cleanUp();
        }
    }

    private DaemonFixture.Result asUser(String... cmd) throws Exception {
        String[] all = new String[4 + cmd.length];
        all[0] = "runuser";
        all[1] = "-u";
        all[2] = USER;
        all[3] = "--";
        System.arraycopy(cmd, 0, all, 4, cmd.length);
        return fx.run(Map.of("RUMPMOUNT_LOG", world.resolve("log").toString()), all);
    }

    private DaemonFixture.Result asUserOk(String... cmd) throws Exception {
        DaemonFixture.Result r = asUser(cmd);
        assertEquals(0, r.exit(), String.join(" ", cmd) + ": " + r + "\nlog:\n"
                + (Files.exists(world.resolve("log")) ? Files.readString(world.resolve("log")) : ""));
        return r;
    }

    private void mountAsUser(Path img, Path mp, String options) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        asUserOk(java, "-Dfile.encoding=ISO-8859-1", "-jar", world.resolve("rumpmount.jar").toString(), "mount", "-o",
                options, img.toString(), mp.toString());
    }

    @Test
    void aUserOwnsEveryFileOfTheirMountAndStoresNewFilesAsTheirs() throws Exception {
        Path img = world.resolve("theirs.img");
        Files.copy(SharedImages.image("ufs2-le"), img);
        Path mp = Files.createDirectories(world.resolve("mnt"));
        fx.ok("chmod", "-R", "a+rX", world.toString());
        Files.createFile(world.resolve("log"));
        fx.ok("chown", USER, img.toString(), mp.toString(), world.resolve("log").toString());
        String uid = fx.ok("id", "-u", USER).out().trim();
        String gid = fx.ok("id", "-g", USER).out().trim();
        String hello = mp.resolve("hello.txt").toString();

        mountAsUser(img, mp, "rw,uid=" + uid + ",gid=" + gid + ",umask=027");
        assertEquals(uid + " " + gid + " 640\n", asUserOk("stat", "-c", "%u %g %a", hello).out());
        assertEquals(uid + " " + gid + " 750\n", asUserOk("stat", "-c", "%u %g %a", mp.toString()).out());
        asUserOk("sh", "-c", "printf ' and more' >> \"$1\" && mkdir \"$2/mine\" && printf new > \"$2/mine/f\"",
                "sh", hello, mp.toString());
        unmountAsUser(mp);

        // The same image without the options: stored owners as they were, new files the user's.
        mountAsUser(img, mp, "rw");
        List<String> owners = List.of(asUserOk("stat", "-c", "%u %a", hello, mp.resolve("mine").toString(),
                mp.resolve("mine/f").toString()).out().split("\n"));
        assertEquals("0 644", owners.get(0));
        assertEquals(uid, owners.get(1).split(" ")[0]);
        assertEquals(uid, owners.get(2).split(" ")[0]);
        assertNotEquals(0, asUser("sh", "-c", "printf x >> \"$1\"", "sh", hello).exit(),
                "without uid= the user may not write root's file");
        unmountAsUser(mp);
    }

    /** fusermount3 -u as the user, then until the daemon has let go of the image. */
    private void unmountAsUser(Path mp) throws Exception {
        ProcessHandle daemon = fx.daemonOn(mp).orElseThrow(() -> new AssertionError("no daemon serves " + mp));
        asUserOk("fusermount3", "-u", mp.toString());
        DaemonFixture.awaitExit(daemon);
    }
}
