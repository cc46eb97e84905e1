package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.rumpmount.fuse.HostErrno.assertFails;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Vattr;

/**
 * The file system contract again, through a real FUSE mount point with java.nio, as a Java
 * program on the host sees it: every request crosses the Linux kernel, FUSE, the adapter, the
 * rump kernel and the driver. Each case names the rule it checks and, where the answer can also
 * be read inside the rump kernel, checks that side too.
 *
 * <p>One mount serves the whole class (mounting is the slow part); each test works in a fresh
 * directory of its own, and because errors must never turn the mount read-only, the failures
 * earlier tests provoke must not disturb later ones.
 *
 * <p>Not here, because FUSE cannot carry them: birth time (FUSE 2 has no statx btime); the
 * contract's fake clock (the rump kernel under a mount runs on the host clock, so "exactly now"
 * becomes "not before the call"); calls as another user from inside this JVM (CredentialsIT
 * runs them as other processes). rename(2) flags never reach a libfuse 2 server (see
 * {@link RumpFuseFs}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
abstract class NioContract {
    private FuseFixture f;
    /** This test's own directory on the mount. */
    private Path d;
    /** The same directory as a path inside the rump kernel. */
    private String k;

    abstract FuseFixture.Backing backing();

    /** The mount. */
    final FuseFixture fixture() {
        return f;
    }

    /** This test's own directory on the mount. */
    final Path dir() {
        return d;
    }

    @BeforeAll
    void mountOnce() throws IOException {
        FuseFixture.requireFuse();
        f = FuseFixture.mount(backing());
    }

    @AfterAll
    void unmount() throws IOException {
        if (f != null) {
            f.close();
        }
    }

    @BeforeEach
    void ownDirectory(TestInfo info) throws IOException {
        String name = info.getTestMethod().orElseThrow().getName();
        d = Files.createDirectory(f.path(name));
        k = "/" + name;
    }

    private Path p(String rel) {
        return d.resolve(rel);
    }

    private String kp(String rel) {
        return k + "/" + rel;
    }

    /** Deterministic, position-dependent bytes, so a misplaced block shows. */
    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        int x = seed * 0x9e3779b9 + 1;
        for (int i = 0; i < length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            b[i] = (byte) (x ^ (i >>> 9));
        }
        return b;
    }

    private static void assertZeros(byte[] all, int from, int to, String what) {
        for (int i = from; i < to; i++) {
            if (all[i] != 0) {
                fail(what + ": byte " + i + " is " + all[i] + ", expected 0 (stale data)");
            }
        }
    }

    private long ino(Path path) throws IOException {
        return (Long) Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    private int nlink(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The link count seen through another name of a file just changed. libfuse 2 gives each name
     * its own kernel inode, and even with attr_timeout=0 Linux reuses attributes fetched within
     * the same clock tick (jiffy, at most 10 ms), so the other name's count may be that old.
     */
    private int nlinkOfAnotherName(Path path) throws IOException {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return nlink(path);
    }

    private Set<String> list(Path dir) throws IOException {
        Set<String> s = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path e : ds) {
                assertTrue(s.add(e.getFileName().toString()), "listed twice: " + e);
            }
        }
        return s;
    }

    // ---------------------------------------------------------------- create, read, write

    @Test
    void createMakesAnEmptyRegularFileWithTheGivenMode() throws IOException {
        Files.createFile(p("f"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        assertEquals(0, Files.size(p("f")));
        assertTrue(Files.isRegularFile(p("f"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(0100640, Files.getAttribute(p("f"), "unix:mode"));
        assertEquals(1, nlink(p("f")));
        assertEquals(0640, f.facade.stat(kp("f")).mode);
    }

    @Test
    void exclusiveCreateOfAnExistingNameFailsWithEEXIST() throws IOException {
        Files.createFile(p("f"));
        Files.createDirectory(p("dir"));
        Files.createSymbolicLink(p("dangling"), Path.of("nowhere"));
        assertFails("create over a file", () -> Files.createFile(p("f")), Errno.EEXIST);
        assertFails("create over a directory", () -> Files.createFile(p("dir")), Errno.EEXIST);
        assertFails("create over a dangling link", () -> Files.createFile(p("dangling")), Errno.EEXIST);
        assertFalse(Files.exists(p("nowhere"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void bytesWrittenAreTheBytesReadBackAcrossBlockBoundaries() throws IOException {
        for (int size : new int[] {1, 511, 512, 4095, 4096, 4097, 16383, 16384, 16385, 12 * 16384 + 7, 3_000_001}) {
            byte[] data = pattern(size, size);
            Files.write(p("f" + size), data);
            assertArrayEquals(data, Files.readAllBytes(p("f" + size)), "size " + size);
            assertArrayEquals(data, f.facade.readAll(kp("f" + size)), "size " + size + " inside the kernel");
            assertEquals(size, Files.size(p("f" + size)));
        }
    }

    @Test
    void overwriteInTheMiddleKeepsTheRest() throws IOException {
        byte[] data = pattern(200_000, 4);
        Files.write(p("f"), data);
        byte[] patch = pattern(30_000, 5);
        try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(patch), 70_001);
        }
        System.arraycopy(patch, 0, data, 70_001, patch.length);
        assertArrayEquals(data, Files.readAllBytes(p("f")));
        f.remount();
        assertArrayEquals(data, Files.readAllBytes(p("f")), "after a remount (no page cache)");
    }

    @Test
    void appendLandsAtTheEnd() throws IOException {
        Files.writeString(p("f"), "abc");
        Files.writeString(p("f"), "def", StandardOpenOption.APPEND);
        try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap("gh".getBytes(StandardCharsets.US_ASCII)));
        }
        assertEquals("abcdefgh", Files.readString(p("f")));
    }

    @Test
    void writePastTheEndLeavesAHoleThatReadsAsZeros() throws IOException {
        try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("head".getBytes(StandardCharsets.US_ASCII)), 0);
            ch.write(ByteBuffer.wrap("tail".getBytes(StandardCharsets.US_ASCII)), 5_000_000);
        }
        byte[] all = Files.readAllBytes(p("f"));
        assertEquals(5_000_004, all.length);
        assertZeros(all, 4, 5_000_000, "hole");
        assertEquals("tail", new String(all, 5_000_000, 4, StandardCharsets.US_ASCII));
    }

    // ---------------------------------------------------------------- truncation

    @Test
    void aShorterOverwriteWithTruncateLeavesNoTail() throws IOException {
        byte[] longer = pattern(300_000, 6);
        Files.write(p("f"), longer);
        byte[] shorter = pattern(1_000, 7);
        // Files.write opens with O_TRUNC: the old tail must be gone, in size and in content.
        Files.write(p("f"), shorter);
        assertArrayEquals(shorter, Files.readAllBytes(p("f")));
        assertArrayEquals(shorter, f.facade.readAll(kp("f")), "inside the kernel");
        // Growing the file again must not bring the old bytes back.
        try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'x'}), 299_999);
        }
        byte[] grown = Files.readAllBytes(p("f"));
        assertEquals(300_000, grown.length);
        assertArrayEquals(shorter, java.util.Arrays.copyOf(grown, 1_000));
        assertZeros(grown, 1_000, 299_999, "after the O_TRUNC overwrite, regrown");
        f.remount();
        grown = Files.readAllBytes(p("f"));
        assertZeros(grown, 1_000, 299_999, "after the O_TRUNC overwrite, regrown, after a remount");
    }

    @Test
    void shrinkingToAnySizeThenGrowingReadsZerosBeyondTheCut() throws IOException {
        byte[] data = pattern(400_000, 8);
        for (int cut : new int[] {0, 1, 2047, 2048, 4097, 16383, 16385, 12 * 16384 + 7, 250_000}) {
            Files.write(p("f"), data);
            try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.WRITE)) {
                ch.truncate(cut);
                assertEquals(cut, ch.size());
            }
            try (RandomAccessFile raf = new RandomAccessFile(p("f").toFile(), "rw")) {
                raf.setLength(400_000);
            }
            byte[] all = Files.readAllBytes(p("f"));
            assertEquals(400_000, all.length);
            assertArrayEquals(java.util.Arrays.copyOf(data, cut), java.util.Arrays.copyOf(all, cut), "cut at " + cut);
            assertZeros(all, cut, all.length, "cut at " + cut);
        }
    }

    @Test
    void truncateBeyondTheLargestFileIsEFBIGAndChangesNothing() throws IOException {
        Files.writeString(p("f"), "keep");
        assertFails("ftruncate to 2^63-1", () -> {
            try (RandomAccessFile raf = new RandomAccessFile(p("f").toFile(), "rw")) {
                raf.setLength(Long.MAX_VALUE);
            }
        }, Errno.EFBIG);
        assertFails("pwrite of the last byte a file offset can name", () -> {
            try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[] {1}), Long.MAX_VALUE - 1);
            }
        }, Errno.EFBIG);
        assertEquals("keep", Files.readString(p("f")));
        assertEquals(4, f.facade.stat(kp("f")).size);
    }

    // ---------------------------------------------------------------- directories

    @Test
    void mkdirAndRmdirKeepLinkCounts() throws IOException {
        int before = nlink(d);
        Files.createDirectory(p("sub"));
        assertEquals(2, nlink(p("sub")));
        assertEquals(before + 1, nlink(d));
        assertEquals(ino(d), ino(p("sub/..")));
        Files.writeString(p("sub/f"), "x");
        assertFails("rmdir of a non-empty directory", () -> Files.delete(p("sub")), Errno.ENOTEMPTY, Errno.EEXIST);
        Files.delete(p("sub/f"));
        Files.delete(p("sub"));
        assertEquals(before, nlink(d));
        assertFails("mkdir over an existing directory", () -> Files.createDirectory(d), Errno.EEXIST);
    }

    @Test
    void aLargeDirectoryListsEveryEntryExactlyOnce() throws IOException {
        Set<String> made = new TreeSet<>();
        for (int i = 0; i < 3000; i++) {
            String n = "entry-" + i + "-" + "x".repeat(i % 200);
            Files.createFile(p(n));
            made.add(n);
        }
        assertEquals(made, list(d));
        Set<String> kept = new TreeSet<>();
        int i = 0;
        for (String n : made) {
            if (i++ % 2 == 0) {
                Files.delete(p(n));
            } else {
                kept.add(n);
            }
        }
        assertEquals(kept, list(d));
        assertEquals(kept.size(), f.facade.readdir(k).size() - 2, "entries inside the kernel, besides . and ..");
    }

    // ---------------------------------------------------------------- rename

    @Test
    void renameMovesTheInodeAndItsData() throws IOException {
        Files.writeString(p("a"), "data");
        long ino = ino(p("a"));
        Files.createDirectory(p("other"));
        Files.move(p("a"), p("other/b"), StandardCopyOption.ATOMIC_MOVE);
        assertFalse(Files.exists(p("a")));
        assertEquals(ino, ino(p("other/b")));
        assertEquals("data", Files.readString(p("other/b")));
    }

    @Test
    void renameOverAFileReplacesItAtomically() throws IOException {
        Files.writeString(p("new"), "new");
        Files.writeString(p("old"), "old contents");
        Files.createLink(p("old-alias"), p("old"));
        long ino = ino(p("new"));
        try (FileChannel open = FileChannel.open(p("old"))) {
            Files.move(p("new"), p("old"), StandardCopyOption.ATOMIC_MOVE);
            ByteBuffer b = ByteBuffer.allocate(64);
            open.read(b, 0);
            assertEquals("old contents", new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII),
                    "a descriptor open on the replaced file still reads it");
        }
        assertEquals(ino, ino(p("old")));
        assertEquals("new", Files.readString(p("old")));
        assertEquals(1, f.facade.lstat(kp("old-alias")).nlink, "the replaced inode lost one name");
        assertEquals(1, nlinkOfAnotherName(p("old-alias")), "the replaced inode lost one name, seen by the host");
        assertEquals(Set.of("old", "old-alias"), list(d));
    }

    @Test
    void renameOfADirectoryOverAnEmptyOneSucceedsAndOverAFullOneFails() throws IOException {
        Files.createDirectories(p("src/inner"));
        Files.createDirectory(p("empty"));
        Files.createDirectories(p("full/x"));
        Files.move(p("src"), p("empty"), StandardCopyOption.ATOMIC_MOVE);
        assertTrue(Files.isDirectory(p("empty/inner")));
        assertFails("rename over a non-empty directory",
                () -> Files.move(p("empty"), p("full"), StandardCopyOption.ATOMIC_MOVE), Errno.ENOTEMPTY, Errno.EEXIST);
        assertTrue(Files.isDirectory(p("full/x")));
    }

    @Test
    void renameBetweenFilesAndDirectoriesFailsByType() throws IOException {
        Files.createFile(p("file"));
        Files.createDirectory(p("dir"));
        assertFails("file over directory", () -> Files.move(p("file"), p("dir"), StandardCopyOption.ATOMIC_MOVE), Errno.EISDIR);
        assertFails("directory over file", () -> Files.move(p("dir"), p("file"), StandardCopyOption.ATOMIC_MOVE), Errno.ENOTDIR);
        assertTrue(Files.isRegularFile(p("file")) && Files.isDirectory(p("dir")));
    }

    @Test
    void renameOfADirectoryIntoItsOwnSubtreeFailsWithEINVAL() throws IOException {
        Files.createDirectories(p("a/b/c"));
        assertFails("rename into own subtree", () -> Files.move(p("a"), p("a/b/c/a"), StandardCopyOption.ATOMIC_MOVE), Errno.EINVAL);
        assertTrue(Files.isDirectory(p("a/b/c")));
    }

    @Test
    void renameOfADirectoryToAnotherParentMovesItsDotDotAndLinkCounts() throws IOException {
        Files.createDirectories(p("from/moving"));
        Files.createDirectory(p("to"));
        Files.move(p("from/moving"), p("to/moving"), StandardCopyOption.ATOMIC_MOVE);
        assertEquals(2, nlink(p("from")));
        assertEquals(3, nlink(p("to")));
        assertEquals(ino(p("to")), ino(p("to/moving/..")));
        assertEquals(f.facade.stat(kp("to")).fileid, f.facade.stat(kp("to/moving/..")).fileid);
    }

    @Test
    void renameOntoAnotherNameOfTheSameFileDoesNothing() throws IOException {
        Files.writeString(p("a"), "same");
        Files.createLink(p("b"), p("a"));
        Files.move(p("a"), p("b"), StandardCopyOption.ATOMIC_MOVE);
        assertEquals(Set.of("a", "b"), list(d));
        assertEquals(2, nlink(p("a")));
    }

    // ---------------------------------------------------------------- links

    @Test
    void hardLinksShareTheInodeAndCountTheirNames() throws IOException {
        Files.writeString(p("a"), "one");
        Files.createLink(p("b"), p("a"));
        assertEquals(ino(p("a")), ino(p("b")));
        assertEquals(2, nlink(p("a")));
        Files.writeString(p("b"), "two");
        assertEquals("two", Files.readString(p("a")));
        Files.delete(p("a"));
        assertEquals(1, nlinkOfAnotherName(p("b")));
        assertEquals(1, f.facade.stat(kp("b")).nlink);
        Files.createDirectory(p("dir"));
        assertFails("hard link to a directory", () -> Files.createLink(p("dir-link"), p("dir")), Errno.EPERM);
        assertFails("hard link over an existing name", () -> Files.createLink(p("dir"), p("b")), Errno.EEXIST);
    }

    @Test
    void aHardLinkToASymbolicLinkLinksTheLinkItself() throws IOException {
        Files.createSymbolicLink(p("sym"), Path.of("target"));
        Files.createLink(p("sym2"), p("sym"));
        assertTrue(Files.isSymbolicLink(p("sym2")));
        assertEquals(2, nlink(p("sym")));
        assertEquals(Path.of("target"), Files.readSymbolicLink(p("sym2")));
    }

    @Test
    void symbolicLinksHoldTheirTargetByteForByte() throws IOException {
        Files.writeString(p("target"), "via link");
        for (int len : new int[] {1, 59, 60, 61, 119, 120, 121, 1000, 1023}) {
            // Components with slashes between them, ending in a name (java.nio drops a trailing slash).
            String target = "abc/".repeat(len / 4 + 1).substring(0, len - 1) + "z";
            Files.createSymbolicLink(p("l" + len), Path.of(target));
            assertEquals(target, Files.readSymbolicLink(p("l" + len)).toString(), "length " + len);
            assertEquals((long) len, Files.getAttribute(p("l" + len), "unix:size", LinkOption.NOFOLLOW_LINKS));
            assertEquals(target, new String(f.facade.readlink(kp("l" + len)), StandardCharsets.US_ASCII));
        }
        // NetBSD's limit, MAXPATHLEN - 1 bytes, though Linux would pass up to 4095.
        assertFails("a target of 1024 bytes", () -> Files.createSymbolicLink(p("l1024"), Path.of("t".repeat(1024))),
                Errno.ENAMETOOLONG);
        Files.createSymbolicLink(p("rel"), Path.of("target"));
        Files.createSymbolicLink(p("abs"), p("target"));
        assertEquals("via link", Files.readString(p("rel")));
        assertEquals("via link", Files.readString(p("abs")));
        Files.createSymbolicLink(p("loop"), Path.of("loop"));
        assertFails("following a link to itself", () -> Files.readString(p("loop")), Errno.ELOOP);
        Files.createSymbolicLink(p("dangling"), Path.of("nowhere"));
        assertFails("following a dangling link", () -> Files.readString(p("dangling")), Errno.ENOENT);
        assertFails("readlink of a file", () -> Files.readSymbolicLink(p("target")), Errno.EINVAL);
    }

    // ---------------------------------------------------------------- attributes

    @Test
    void chmodSetsEveryModeBitAndNothingElse() throws IOException {
        Files.createFile(p("f"));
        for (int mode : new int[] {0, 07777, 04755, 02710, 01777, 0644}) {
            Files.setAttribute(p("f"), "unix:mode", mode);
            assertEquals(0100000 | mode, Files.getAttribute(p("f"), "unix:mode"), Integer.toOctalString(mode));
            assertEquals(mode, f.facade.stat(kp("f")).mode);
        }
    }

    @Test
    void chownSetsUidAndGidSeparately() throws IOException {
        Files.createFile(p("f"));
        // The unix view carries ids as Java ints: 4,000,000,000 goes as its 32-bit pattern, as uid_t does.
        Files.setAttribute(p("f"), "unix:uid", (int) 4_000_000_000L);
        Files.setAttribute(p("f"), "unix:gid", 5678);
        Vattr va = f.facade.stat(kp("f"));
        assertEquals(4_000_000_000L, va.uid);
        assertEquals(5678, va.gid);
        assertEquals((int) 4_000_000_000L, Files.getAttribute(p("f"), "unix:uid"));
        Files.setAttribute(p("f"), "unix:uid", 1234);
        assertEquals(5678, Files.getAttribute(p("f"), "unix:gid"), "gid left alone by a change of uid");
    }

    @Test
    void accessAndModificationTimesAreSeparateAndKeepTheirNanoseconds() throws IOException {
        Files.createFile(p("f"));
        Instant mtime = Instant.parse("2011-12-13T14:15:16.123456789Z");
        Instant atime = Instant.parse("1999-01-02T03:04:05.987654321Z");
        Files.getFileAttributeView(p("f"), BasicFileAttributeView.class)
                .setTimes(FileTime.from(mtime), FileTime.from(atime), null);
        assertEquals(FileTime.from(mtime), Files.getLastModifiedTime(p("f")));
        assertEquals(FileTime.from(atime), Files.getAttribute(p("f"), "unix:lastAccessTime"));
        Vattr va = f.facade.stat(kp("f"));
        assertEquals(mtime.getEpochSecond(), va.mtime.sec());
        assertEquals(123_456_789, va.mtime.nsec());
        assertEquals(atime.getEpochSecond(), va.atime.sec());
        assertEquals(987_654_321, va.atime.nsec());
        // Before 1970, with a fraction: java.nio cannot set such a time exactly, so python does.
        Sh.assertOk(Sh.python(d, "import os\nos.utime('f', ns=(5, -2147483647500000000))\n"
                + "s = os.stat('f')\nprint(s.st_atime_ns, s.st_mtime_ns)"), "5 -2147483647500000000\n");
        assertEquals(-2147483648L, f.facade.stat(kp("f")).mtime.sec());
        assertEquals(500_000_000, f.facade.stat(kp("f")).mtime.nsec());
    }

    @Test
    void writingMovesModificationAndChangeTimesForward() throws IOException, InterruptedException {
        Files.writeString(p("f"), "x");
        Files.setLastModifiedTime(p("f"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        FileTime ctime = (FileTime) Files.getAttribute(p("f"), "unix:ctime");
        Instant start = Instant.now().minusSeconds(1);
        Thread.sleep(20);
        Files.writeString(p("f"), "y", StandardOpenOption.APPEND);
        assertTrue(Files.getLastModifiedTime(p("f")).toInstant().isAfter(start));
        assertTrue(((FileTime) Files.getAttribute(p("f"), "unix:ctime")).compareTo(ctime) > 0);
    }

    @Test
    void statfsReportsSpace() throws IOException {
        FileStore store = Files.getFileStore(d);
        assertTrue(store.getTotalSpace() > 0);
        assertTrue(store.getUsableSpace() <= store.getTotalSpace());
        assertTrue(store.type().startsWith("fuse"), store.type());
    }

    // ---------------------------------------------------------------- names over 255 bytes

    @Test
    void aNameOf255BytesWorksForEveryOperation() throws IOException {
        String n = "n".repeat(255);
        Files.writeString(p(n), "max");
        Files.setAttribute(p(n), "unix:mode", 0600);
        Files.createLink(p("L" + "l".repeat(254)), p(n));
        Files.move(p(n), p("m".repeat(255)), StandardCopyOption.ATOMIC_MOVE);
        Files.createDirectory(p("d".repeat(255)));
        Files.createSymbolicLink(p("s".repeat(255)), Path.of("m".repeat(255)));
        assertEquals("max", Files.readString(p("s".repeat(255))));
        assertEquals(Set.of("m".repeat(255), "L" + "l".repeat(254), "d".repeat(255), "s".repeat(255)), list(d));
    }

    @Test
    void aNameOf256BytesIsENAMETOOLONGForEveryOperation() throws IOException {
        String n = "n".repeat(256);
        Files.writeString(p("exists"), "x");
        Files.createDirectory(p("dir"));
        HostErrno.Call[] calls = {
            () -> Files.createFile(p(n)),
            () -> Files.writeString(p(n), "x"),
            () -> Files.newByteChannel(p(n)).close(),
            () -> Files.readAttributes(p(n), "unix:*", LinkOption.NOFOLLOW_LINKS),
            () -> Files.createDirectory(p(n)),
            () -> Files.delete(p(n)),
            () -> Files.move(p("exists"), p(n), StandardCopyOption.ATOMIC_MOVE),
            () -> Files.move(p(n), p("elsewhere"), StandardCopyOption.ATOMIC_MOVE),
            () -> Files.createLink(p(n), p("exists")),
            () -> Files.createLink(p("elsewhere"), p(n)),
            () -> Files.createSymbolicLink(p(n), Path.of("exists")),
            () -> Files.readSymbolicLink(p(n)),
            () -> Files.setAttribute(p(n), "unix:mode", 0644),
            () -> Files.setAttribute(p(n), "unix:uid", 1),
            () -> Files.setLastModifiedTime(p(n), FileTime.fromMillis(0)),
            () -> p(n).getFileSystem().provider().checkAccess(p(n)),
            () -> Files.newDirectoryStream(p(n)).close(),
            () -> Files.createFile(p(n + "/f")),
            () -> Files.createFile(p("dir/" + n)),
        };
        for (int i = 0; i < calls.length; i++) {
            assertFails("call " + i, calls[i], Errno.ENAMETOOLONG);
        }
        // A symbolic link may hold such a name; following it is what fails.
        Files.createSymbolicLink(p("to-long"), Path.of(n));
        assertFails("following a link to a long name", () -> Files.readString(p("to-long")), Errno.ENAMETOOLONG);
        assertEquals(Set.of("exists", "dir", "to-long"), list(d));
    }

    /**
     * The calls java.nio has no method for, made by python3 with the same 256-byte name
     * (access(2) is checkAccess above: python's os.access hides the errno).
     */
    @Test
    void aNameOf256BytesIsENAMETOOLONGForTheCallsJavaLacks() {
        Sh.assertOk(Sh.python(d, String.join("\n",
                "import errno, os",
                "n = 'n' * 256",
                "open('exists', 'w').close()",
                "calls = [",
                "    lambda: os.mkfifo(n),",
                "    lambda: os.mknod(n, 0o600 | 0o060000, os.makedev(8, 1)),",
                "    lambda: os.truncate(n, 0),",
                "    lambda: os.utime(n, ns=(1, 2)),",
                "    lambda: os.utime(n, ns=(1, 2), follow_symlinks=False),",
                "    lambda: os.lchown(n, 1, 1),",
                "    lambda: os.chmod(n, 0o600),",
                "    lambda: os.rmdir(n),",
                "    lambda: os.unlink(n),",
                "    lambda: os.rename(n, 'elsewhere'),",
                "    lambda: os.rename('exists', n),",
                "    lambda: os.link('exists', n),",
                "    lambda: os.symlink('exists', n),",
                "    lambda: os.readlink(n),",
                "    lambda: os.listdir(n),",
                "    lambda: os.open(n, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644),",
                "]",
                "for i, call in enumerate(calls):",
                "    try:",
                "        call()",
                "        print(i, 'succeeded')",
                "    except OSError as e:",
                "        if e.errno != errno.ENAMETOOLONG: print(i, errno.errorcode[e.errno])",
                "print(sorted(os.listdir('.')))")), "['exists']\n");
    }

    // ---------------------------------------------------------------- errors are local

    @Test
    void failedOperationsLeaveTheMountWritable() throws IOException {
        Files.writeString(p("f"), "x");
        Files.createDirectories(p("full/x"));
        for (int round = 0; round < 20; round++) {
            assertFails("too long", () -> Files.createFile(p("z".repeat(300))), Errno.ENAMETOOLONG);
            assertFails("too big", () -> {
                try (RandomAccessFile raf = new RandomAccessFile(p("f").toFile(), "rw")) {
                    raf.setLength(Long.MAX_VALUE);
                }
            }, Errno.EFBIG);
            assertFails("not empty", () -> Files.delete(p("full")), Errno.ENOTEMPTY, Errno.EEXIST);
            assertFails("exists", () -> Files.createDirectory(p("full")), Errno.EEXIST);
            assertFails("missing", () -> Files.readString(p("missing")), Errno.ENOENT);
            assertFails("not a directory", () -> Files.createFile(p("f/g")), Errno.ENOTDIR);
        }
        Files.writeString(p("after"), "still writable");
        assertEquals("still writable", Files.readString(p("after")));
        String options = MountInfo.find(f.dir).orElseThrow().options();
        assertTrue(options.startsWith("rw"), "mount options now: " + options);
        assertFalse(f.facade.mount().isReadOnly());
    }

    @Test
    void unlinkedOpenFilesStayUsableUntilClosed() throws IOException {
        Files.writeString(p("ghost"), "boo");
        try (SeekableByteChannel ch = Files.newByteChannel(p("ghost"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Files.delete(p("ghost"));
            assertFalse(Files.exists(p("ghost")));
            ch.position(3);
            ch.write(ByteBuffer.wrap("!".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer b = ByteBuffer.allocate(4);
            ch.position(0);
            ch.read(b);
            assertEquals("boo!", new String(b.array(), StandardCharsets.US_ASCII));
        }
        assertEquals(Set.of(), list(d));
    }

    @Test
    void inodeNumbersAreDistinctAndStable() throws IOException {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            Files.createFile(p("f" + i));
            assertTrue(seen.add(ino(p("f" + i))), "inode number reused among live files");
        }
        long before = ino(p("f7"));
        f.remount();
        assertEquals(before, ino(p("f7")));
        assertNotEquals(ino(p("f7")), ino(p("f8")));
    }
}
