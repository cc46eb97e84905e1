package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.FileHandle;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.OpenFlags;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VfsException;

/**
 * chflags(2) on FFS as NetBSD's ufs_vnops.c has it: immutable files take no change, append-only
 * files only appends, and neither leaves its directory; the flags survive a remount.
 */
class FfsFileFlagsTest {
    private static final int UF_NODUMP = 0x1;
    private static final int UF_IMMUTABLE = 0x2;
    private static final int UF_APPEND = 0x4;
    private static final int SF_IMMUTABLE = 0x20000;
    private static final int SF_APPEND = 0x40000;

    private static final Credentials OWNER = new Credentials(1000, 1000);

    static List<FreshImages.Config> configs() {
        return List.of(FreshImages.UFS1_BE_4K, FreshImages.UFS2_LE_16K);
    }

    private static void assertEperm(Executable e) {
        VfsException x = assertThrows(VfsException.class, e);
        assertEquals(Errno.EPERM, x.errno(), x.getMessage());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void anImmutableFileTakesNoChangeUntilTheFlagIsCleared(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.mkdir("/d", 0755);
            p.writeAll("/d/f", bytes("fixed"));
            p.chflags("/d/f", SF_IMMUTABLE | UF_NODUMP);
            assertEperm(() -> p.open("/d/f", OpenFlags.O_WRONLY, 0));
            assertEperm(() -> p.open("/d/f", OpenFlags.O_WRONLY | OpenFlags.O_APPEND, 0));
            assertEperm(() -> p.truncate("/d/f", 0));
            assertEperm(() -> p.chmod("/d/f", 0600));
            assertEperm(() -> p.chown("/d/f", 5, 5));
            assertEperm(() -> p.utimens("/d/f", PathFacade.UTIME_NOW, PathFacade.UTIME_NOW));
            assertEperm(() -> p.unlink("/d/f"));
            assertEperm(() -> p.rename("/d/f", "/g"));
            assertEperm(() -> p.link("/d/f", "/h"));
            assertArrayEquals(bytes("fixed"), p.readAll("/d/f"), "reading is allowed");
            try (FileHandle h = p.open("/d/f", OpenFlags.O_RDONLY, 0)) {
                assertEquals(5, h.getattr().size);
            }
            p.chflags("/d/f", UF_NODUMP);
            p.writeAll("/d/f", bytes("changed"));
            p.rename("/d/f", "/d/g");
            assertEquals(UF_NODUMP, p.stat("/d/g").flags);
            k.unmount(mp, false);
        }
        FfsWriteTest.assertConsistent(dev);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void anAppendOnlyFileTakesWritesOnlyAtItsEnd(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.writeAll("/log", bytes("one\n"));
            p.chflags("/log", UF_APPEND);
            assertEperm(() -> p.open("/log", OpenFlags.O_WRONLY, 0));
            assertEperm(() -> p.open("/log", OpenFlags.O_WRONLY | OpenFlags.O_APPEND | OpenFlags.O_TRUNC, 0));
            try (FileHandle h = p.open("/log", OpenFlags.O_WRONLY | OpenFlags.O_APPEND, 0)) {
                h.write(0, ByteBuffer.wrap(bytes("two\n")));
            }
            assertEperm(() -> p.truncate("/log", 0));
            assertEperm(() -> p.unlink("/log"));
            assertEperm(() -> p.rename("/log", "/old"));
            assertArrayEquals(bytes("one\ntwo\n"), p.readAll("/log"));
            k.unmount(mp, false);
        }
        FfsWriteTest.assertConsistent(dev);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            assertEquals(UF_APPEND, p.stat("/log").flags, "the flag is on disk");
            p.chflags("/log", 0);
            p.unlink("/log");
            k.unmount(mp, false);
        }
        FfsWriteTest.assertConsistent(dev);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void anAppendOnlyDirectoryGainsEntriesAndAnImmutableOneNone(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.mkdir("/app", 0755);
            p.mkdir("/app/sub", 0755);
            p.writeAll("/app/old", bytes("x"));
            p.mkdir("/imm", 0755);
            p.writeAll("/imm/in", bytes("y"));
            p.writeAll("/outside", bytes("z"));
            p.chflags("/app", SF_APPEND);
            p.chflags("/imm", UF_IMMUTABLE);

            p.writeAll("/app/new", bytes("n"));
            p.mkdir("/app/newdir", 0755);
            p.rename("/outside", "/app/moved");
            assertEperm(() -> p.unlink("/app/old"));
            assertEperm(() -> p.rmdir("/app/sub"));
            assertEperm(() -> p.rename("/app/old", "/old"));
            assertEperm(() -> p.rename("/app/new", "/app/old"));

            assertEperm(() -> p.writeAll("/imm/new", bytes("n")));
            assertEperm(() -> p.mkdir("/imm/dir", 0755));
            assertEperm(() -> p.symlink("x", "/imm/l"));
            assertEperm(() -> p.link("/app/new", "/imm/hard"));
            assertEperm(() -> p.unlink("/imm/in"));
            assertEperm(() -> p.rename("/imm/in", "/in"));
            assertEperm(() -> p.rename("/app/new", "/imm/new"));
            p.writeAll("/imm/in", bytes("files inside stay writable"));

            p.chflags("/app", 0);
            p.chflags("/imm", 0);
            for (String f : List.of("/app/old", "/app/new", "/app/moved", "/imm/in")) {
                p.unlink(f);
            }
            p.rmdir("/app/sub");
            p.rmdir("/app/newdir");
            p.rmdir("/app");
            p.rmdir("/imm");
            k.unmount(mp, false);
        }
        FfsWriteTest.assertConsistent(dev);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void onlyRootChangesSystemFlags(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade root = new PathFacade(mp, Credentials.ROOT);
            PathFacade owner = root.as(OWNER);
            root.writeAll("/f", bytes("f"));
            root.chown("/f", OWNER.uid(), OWNER.gid());
            owner.chflags("/f", UF_IMMUTABLE | UF_NODUMP);
            assertEquals(UF_IMMUTABLE | UF_NODUMP, owner.stat("/f").flags);
            assertEperm(() -> owner.chflags("/f", SF_IMMUTABLE));
            assertEperm(() -> root.as(new Credentials(1001, 1001)).chflags("/f", 0));
            owner.chflags("/f", 0);
            root.chflags("/f", SF_APPEND);
            assertEperm(() -> owner.chflags("/f", 0));
            root.chflags("/f", 0);
            root.unlink("/f");
            k.unmount(mp, false);
        }
        FfsWriteTest.assertConsistent(dev);
    }
}
