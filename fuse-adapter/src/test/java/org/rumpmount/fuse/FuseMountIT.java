package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VfsException;

/** Mounting and unmounting: the mount table is the witness. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FuseMountIT {
    @BeforeAll
    static void fuse() throws IOException {
        FuseFixture.requireFuse();
    }

    @Test
    void mountAppearsWithTypeAndSourceAndGoesAwayOnClose() throws IOException {
        Path dir;
        try (FuseFixture f = FuseFixture.mount()) {
            dir = f.fuse.mountPoint();
            MountInfo.Entry e = MountInfo.find(dir).orElseThrow();
            assertEquals("fuse.rumpmount", e.fsType());
            assertEquals(FuseFixture.FSNAME, e.source());
            assertTrue(e.options().startsWith("rw"), e.options());
            assertTrue(f.fuse.isMounted());
            // statfs through the kernel: the name limit is the file system's.
            Sh.assertOk(Sh.run(dir, "stat", "-f", "-c", "%l", "."), "255\n");
        }
        assertFalse(MountInfo.find(dir).isPresent(), "still mounted after close");
    }

    @Test
    void unmountIsIdempotentAndCloseAfterUnmountDoesNothing() throws IOException {
        try (FuseFixture f = FuseFixture.mount()) {
            f.fuse.unmount();
            assertFalse(f.fuse.isMounted());
            assertFalse(MountInfo.find(f.dir.toRealPath()).isPresent());
            f.fuse.unmount();
            f.fuse.close();
        }
    }

    @Test
    void aSecondMountOnTheSameDirectoryIsEbusy() throws IOException {
        try (FuseFixture f = FuseFixture.mount()) {
            VfsException e = assertThrows(VfsException.class,
                    () -> FuseMount.mount(f.facade, f.dir, FuseOptions.defaults()));
            assertEquals(Errno.EBUSY, e.errno());
            assertTrue(e.getMessage().contains(f.dir.toRealPath().toString()), e.getMessage());
        }
    }

    @Test
    void aMissingMountPointIsEnoent() throws IOException {
        try (Kernel k = Kernel.create()) {
            PathFacade fs = new PathFacade(k.mount("tmpfs", null, MountOptions.readWrite()), Credentials.ROOT);
            Path missing = Files.createTempDirectory("rumpmount-gone-");
            Files.delete(missing);
            VfsException e = assertThrows(VfsException.class, () -> FuseMount.mount(fs, missing, FuseOptions.defaults()));
            assertEquals(Errno.ENOENT, e.errno());
            assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        }
    }

    @Test
    void aMountPointThatIsNotEmptyIsRefused() throws IOException {
        try (Kernel k = Kernel.create()) {
            PathFacade fs = new PathFacade(k.mount("tmpfs", null, MountOptions.readWrite()), Credentials.ROOT);
            Path dir = Files.createTempDirectory("rumpmount-full-");
            Path inside = Files.createFile(dir.resolve("occupant"));
            try {
                VfsException e = assertThrows(VfsException.class, () -> FuseMount.mount(fs, dir, FuseOptions.defaults()));
                assertEquals(Errno.ENOTEMPTY, e.errno());
                assertFalse(MountInfo.find(dir.toRealPath()).isPresent());
            } finally {
                Files.delete(inside);
                Files.delete(dir);
            }
        }
    }

    @Test
    void readOnlyMountRefusesWritesWithErofs() throws IOException {
        try (FuseFixture f = FuseFixture.mount(b -> b.readOnly(true))) {
            assertTrue(MountInfo.find(f.fuse.mountPoint()).orElseThrow().options().startsWith("ro"));
            Sh.run(f.dir, "touch", "x").fails("Read-only file system");
            Sh.run(f.dir, "mkdir", "d").fails("Read-only file system");
        }
    }

    @Test
    void aReadOnlyFileSystemIsMountedReadOnly() throws IOException {
        try (Kernel k = Kernel.create()) {
            PathFacade fs = new PathFacade(k.mount("tmpfs", null, MountOptions.readOnly()), Credentials.ROOT);
            Path dir = Files.createTempDirectory("rumpmount-ro-");
            try (FuseMount m = FuseMount.mount(fs, dir, FuseOptions.builder().fsName(FuseFixture.FSNAME).build())) {
                assertTrue(m.options().readOnly());
                assertTrue(MountInfo.find(m.mountPoint()).orElseThrow().options().startsWith("ro"));
                Sh.run(dir, "touch", "x").fails("Read-only file system");
            } finally {
                Files.delete(dir);
            }
        }
    }

    @Test
    void singleThreadedMountWorks() throws IOException {
        try (FuseFixture f = FuseFixture.mount(b -> b.singleThreaded(true))) {
            Files.writeString(f.path("a"), "single");
            assertEquals("single", Files.readString(f.path("a")));
        }
    }

    @Test
    void closeWhileAFileIsOpenDetachesLazily() throws IOException, InterruptedException {
        try (FuseFixture f = FuseFixture.mount()) {
            Files.writeString(f.path("held"), "x");
            // A process with its working directory inside keeps the mount busy.
            Process holder = Sh.start(f.dir, "sleep", "30");
            try {
                Thread.sleep(200);
                VfsException busy = assertThrows(VfsException.class, f.fuse::unmount);
                assertEquals(Errno.EBUSY, busy.errno());
                assertTrue(f.fuse.isMounted());
                f.fuse.close();
                assertFalse(MountInfo.find(f.fuse.mountPoint()).isPresent());
            } finally {
                holder.destroyForcibly();
                holder.waitFor();
            }
        }
    }

    /**
     * A server killed with SIGKILL leaves a dead mount ("Transport endpoint is not connected");
     * the next mount on that directory clears it.
     */
    @Test
    void aDeadMountLeftByAKilledServerIsCleared() throws Exception {
        Path dir = Files.createTempDirectory("rumpmount-dead-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Dfile.encoding=ISO-8859-1", "-cp", cp,
                DeadMountServer.class.getName(), dir.toString()));
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = r.readLine()) != null && !line.equals(DeadMountServer.READY)) {
                seen.append(line).append('\n');
            }
            assertEquals(DeadMountServer.READY, line, "server did not mount: " + seen);
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
            assertTrue(MountInfo.find(dir.toRealPath()).isPresent(), "dead mount vanished by itself");
            assertTrue(FuseMount.isDisconnected(dir));

            try (Kernel k = Kernel.create()) {
                PathFacade fs = new PathFacade(k.mount("tmpfs", null, MountOptions.readWrite()), Credentials.ROOT);
                try (FuseMount m = FuseMount.mount(fs, dir, FuseOptions.builder().fsName(FuseFixture.FSNAME).build())) {
                    Files.writeString(dir.resolve("alive"), "yes");
                    assertEquals("yes", Files.readString(dir.resolve("alive")));
                }
            }
        } finally {
            server.destroyForcibly();
            FuseMount.clearStale(dir);
            Files.deleteIfExists(dir);
        }
    }
}
