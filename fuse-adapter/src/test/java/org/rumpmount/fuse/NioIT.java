package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rumpmount.vfs.Vattr;

/** The mount through java.nio, as Java programs on the host would use it. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NioIT extends OnFreshTmpfs {
    @Test
    void writeReadAppendAndList() throws IOException {
        Files.writeString(f.path("a.txt"), "one\n");
        Files.writeString(f.path("a.txt"), "two\n", StandardOpenOption.APPEND);
        assertEquals("one\ntwo\n", Files.readString(f.path("a.txt")));
        Files.createDirectory(f.path("sub"));
        Files.writeString(f.path("sub/b"), "b");
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(f.dir)) {
            ds.forEach(p -> names.add(p.getFileName().toString()));
        }
        assertEquals(Set.of("a.txt", "sub"), names);
        assertThrows(FileAlreadyExistsException.class, () -> Files.createDirectory(f.path("sub")));
        assertThrows(NoSuchFileException.class, () -> Files.readString(f.path("nope")));
        assertThrows(DirectoryNotEmptyException.class, () -> Files.delete(f.path("sub")));
    }

    @Test
    void positionalWritesMakeHolesThatReadAsZeros() throws IOException {
        try (FileChannel ch = FileChannel.open(f.path("sparse"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("end".getBytes(StandardCharsets.US_ASCII)), 1_000_000);
            ch.force(true);
            assertEquals(1_000_003, ch.size());
            ByteBuffer b = ByteBuffer.allocate(10);
            ch.read(b, 500_000);
            assertArrayEquals(new byte[10], b.array());
            // ftruncate through the open handle.
            ch.truncate(10);
            assertEquals(10, ch.size());
        }
        assertEquals(10, f.facade.stat("/sparse").size);
    }

    @Test
    void attributesThroughTheUnixView() throws IOException {
        Files.writeString(f.path("x"), "12345");
        Files.setPosixFilePermissions(f.path("x"), PosixFilePermissions.fromString("rwxr-----"));
        Instant when = Instant.parse("2020-05-06T07:08:09.123456789Z");
        Files.setLastModifiedTime(f.path("x"), FileTime.from(when));
        Vattr va = f.facade.stat("/x");
        assertEquals(0740, va.mode);
        assertEquals(when.getEpochSecond(), va.mtime.sec());
        assertEquals(123_456_789, va.mtime.nsec());
        assertEquals(0100740, Files.getAttribute(f.path("x"), "unix:mode"));
        assertEquals(va.fileid, Files.getAttribute(f.path("x"), "unix:ino"));
        assertEquals(5L, Files.getAttribute(f.path("x"), "unix:size"));
        assertEquals(1, Files.getAttribute(f.path("x"), "unix:nlink"));
        assertEquals(FileTime.from(when), Files.getLastModifiedTime(f.path("x")));
    }

    @Test
    void moveCopyAndSymlinks() throws IOException {
        Files.writeString(f.path("src"), "data");
        Files.copy(f.path("src"), f.path("copy"));
        Files.move(f.path("copy"), f.path("moved"), StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(f.path("victim"), "old");
        Files.move(f.path("moved"), f.path("victim"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals("data", Files.readString(f.path("victim")));
        Files.createSymbolicLink(f.path("ln"), Path.of("victim"));
        assertEquals(Path.of("victim"), Files.readSymbolicLink(f.path("ln")));
        assertTrue(Files.isSymbolicLink(f.path("ln")));
        assertEquals("data", Files.readString(f.path("ln")));
        Files.createLink(f.path("hard"), f.path("victim"));
        assertEquals(2, Files.getAttribute(f.path("victim"), "unix:nlink"));
    }

    @Test
    void anUnlinkedOpenFileStaysReadableUntilClosed() throws IOException {
        Files.writeString(f.path("ghost"), "boo");
        try (FileChannel ch = FileChannel.open(f.path("ghost"))) {
            Files.delete(f.path("ghost"));
            assertTrue(Files.notExists(f.path("ghost")));
            ByteBuffer b = ByteBuffer.allocate(3);
            ch.read(b, 0);
            assertEquals("boo", new String(b.array(), StandardCharsets.US_ASCII));
        }
        // FUSE sends release after close(2) returns, so the handle goes away shortly after.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> f.fuse.openFiles() == 0);
    }
}
