package org.rumpmount.fs.tmpfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rumpmount.fs.tmpfs.TmpfsFixture.assertErrno;
import static org.rumpmount.fs.tmpfs.TmpfsFixture.bytes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.FileHandle;
import org.rumpmount.vfs.OpenFlags;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.Vattr;

/** tmpfs driven through the kernel's path layer, as the CLI and FUSE drive it. */
class TmpfsPathFacadeTest {

    private static List<String> names(PathFacade p, String dir) throws IOException {
        return p.readdir(dir).stream().map(Dirent::name).map(n -> n.toString(StandardCharsets.UTF_8)).toList();
    }

    @Test
    void aSmallTreeIsBuiltReadAndTakenApart() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount("size=1m")) {
            PathFacade p = new PathFacade(fs.mount, TmpfsFixture.ROOT);
            p.mkdir("/a", 0755);
            p.mkdir("/a/b", 0700);
            p.writeAll("/a/b/file", bytes("hello tmpfs"));
            p.symlink("b/file", "/a/link");
            p.link("/a/b/file", "/a/hard");
            assertArrayEquals(bytes("hello tmpfs"), p.readAll("/a/link"));
            assertEquals(2, p.stat("/a/hard").nlink);
            assertEquals(List.of(".", "..", "b", "link", "hard"), names(p, "/a"));
            p.rename("/a/b", "/c");
            assertEquals(2, p.stat("/a").nlink);
            assertEquals(4, p.stat("/").nlink, "\"/a\" and \"/c\"");
            assertArrayEquals(bytes("hello tmpfs"), p.readAll("/c/file"));
            assertErrno(Errno.ENOTEMPTY, () -> p.rmdir("/c"));
            p.unlink("/c/file");
            p.rmdir("/c");
            p.unlink("/a/hard");
            p.unlink("/a/link");
            p.rmdir("/a");
            assertEquals(List.of(".", ".."), names(p, "/"));
            assertEquals(fs.statvfs().blocks(), fs.statvfs().blocksFree());
            assertEquals(fs.statvfs().files() - 1, fs.statvfs().filesFree());
        }
    }

    @Test
    void anOpenFileOutlivesItsName() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount("size=1m")) {
            PathFacade p = new PathFacade(fs.mount, TmpfsFixture.ROOT);
            try (FileHandle h = p.open("/tmp", OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_EXCL, 0600)) {
                h.write(0, ByteBuffer.wrap(new byte[3 * 4096]));
                p.unlink("/tmp");
                assertErrno(Errno.ENOENT, () -> p.stat("/tmp"));
                assertEquals(253, fs.statvfs().blocksFree());
                assertEquals(0, h.getattr().nlink);
                ByteBuffer back = ByteBuffer.allocate(10);
                assertEquals(10, h.read(4096, back));
            }
            assertEquals(256, fs.statvfs().blocksFree());
        }
    }

    @Test
    void appendOnlyFilesTakeAppendsThroughTheKernel() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount()) {
            PathFacade p = new PathFacade(fs.mount, TmpfsFixture.ROOT);
            p.writeAll("/log", bytes("one\n"));
            try (var vp = p.lookup("/log", true)) {
                Vattr va = Vattr.forSetattr();
                va.flags = 0x4; // UF_APPEND
                fs.setattr(vp, va);
            }
            try (FileHandle h = p.open("/log", OpenFlags.O_WRONLY | OpenFlags.O_APPEND, 0)) {
                h.write(0, ByteBuffer.wrap(bytes("two\n")));
            }
            assertArrayEquals(bytes("one\ntwo\n"), p.readAll("/log"));
            assertErrno(Errno.EPERM, () -> p.truncate("/log", 0));
            assertErrno(Errno.EPERM, () -> p.unlink("/log"));
        }
    }

    @Test
    void anOrdinaryUserWorksInTheWorldWritableRoot() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount()) {
            PathFacade user = new PathFacade(fs.mount, TmpfsFixture.USER);
            user.writeAll("/mine", bytes("x"));
            Vattr va = user.stat("/mine");
            assertEquals(1000, va.uid);
            assertEquals(0, va.gid, "the group comes from the directory");
            PathFacade other = new PathFacade(fs.mount, new org.rumpmount.vfs.Credentials(1001, 1001));
            assertErrno(Errno.EPERM, () -> other.unlink("/mine"));
        }
    }
}
