package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.rumpmount.fuse.HostErrno.assertFails;
import static org.rumpmount.fuse.Python3.ALICE;
import static org.rumpmount.fuse.Python3.BOB;
import static org.rumpmount.fuse.Python3.CAROL;
import static org.rumpmount.fuse.Python3.DAVE;
import static org.rumpmount.fuse.Python3.DENTS;
import static org.rumpmount.fuse.Python3.ROOT;
import static org.rumpmount.fuse.Python3.literal;
import static org.rumpmount.fuse.Python3.py;

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
 * <p>The cases of {@code FileSystemContract} (rump-vfs) are here under the same names, with
 * what a mount changes said in each case's comment. Calls java.nio has no method for (O_DIRECTORY,
 * pwrite with O_APPEND, mknod, getdents64 in small chunks, names as bytes) are made by python3;
 * calls as another user by python3 under setpriv(1), as a process of that user, on a mount with
 * allow_other. Where Linux itself answers before any request reaches the mount, the answer
 * checked is Linux's: unlink of a directory (EISDIR, not EPERM), rename of "." or ".." (EBUSY),
 * links followed in a row (40, not 32), O_NOFOLLOW on a link (ELOOP), chmod g+s by a non-member
 * (bit cleared, not EPERM); an absolute link target starts at the host's root.
 *
 * <p>Covered here under other names: aNameOf255BytesWorksAndOf256FailsWithENAMETOOLONG and
 * renameToANameOf256BytesFailsWithENAMETOOLONG by the three name-length cases (every operation,
 * rename both ways); aReplacedFileStaysReadableThroughAnOpenHandle by
 * renameOverAFileReplacesItAtomically; writingAtTheFileSizeLimitFailsWithEFBIG by
 * truncateBeyondTheLargestFileIsEFBIGAndChangesNothing (at the largest offset a file can name;
 * the drivers' own lower limits are checked in-process); fillingASmallFileSystemFails... by the
 * FFS class's full-file-system case; freshRootIsAnEmptyDirectoryWithLinkCountTwo by
 * theRootsLinkCountIsTwoPlusItsSubdirectories (the root is shared by every case).
 *
 * <p>Not here, because only the rump kernel's own side shows them:
 * <ul>
 * <li>rootDotDotIsTheRootItself, renameOfTheRootFails, aPathOverTheLimitFailsWithENAMETOOLONG-
 * EvenIfItsComponentsAreMissing, anEmptyPathFailsWithENOENT: the host resolves the mount's root,
 * its "..", empty paths and paths component by component; no request reaches the mount.
 * <li>errorsNameWhatFailed: only an errno crosses FUSE (the message goes to the daemon's log).
 * <li>The fake clock: the rump kernel under a mount runs on the host clock, so "exactly the
 * clock's time" becomes "a time taken during the call", and times that must stay are first set
 * to a known past. Birth time: FUSE 2 has no statx btime.
 * <li>The link count 0 of an open file that lost its last name: libfuse 2's high-level API keeps
 * such a file under a hidden name (.fuse_hidden*) until release, so fstat(2) reports 1.
 * <li>The audit after each in-process case (tree consistency, vnode references left): here the
 * FFS and LFS images must pass fsck once the class unmounts.
 * <li>rename(2) flags never reach a libfuse 2 server (see {@link RumpFuseFs}).
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
abstract class NioContract {
    private FuseFixture f;
    /** A second mount of the same kind, read-only inside the rump kernel, made on first use. */
    private FuseFixture ro;
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
        // allow_other: the cases about other users run as other processes under their ids.
        f = FuseFixture.mount(backing(), b -> b.allowOther(true));
    }

    @AfterAll
    void unmount() throws IOException {
        try {
            if (ro != null) {
                ro.close();
            }
        } finally {
            if (f != null) {
                f.close();
            }
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

    /**
     * The listing once FUSE has released the files closed last. libfuse 2 keeps an open file
     * that lost its last name under a hidden name (.fuse_hidden*) and removes it on release,
     * which Linux sends after close(2) has returned: wait for that, a few seconds at most.
     */
    private Set<String> listAfterRelease(Path dir) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            Set<String> s = list(dir);
            if (s.stream().noneMatch(n -> n.startsWith(".fuse_hidden")) || System.nanoTime() > deadline) {
                return s;
            }
            settle();
        }
    }

    // ---------------------------------------------------------------- create, read, write

    @Test
    void openWithCreateMakesAnEmptyRegularFileWithTheGivenMode() throws IOException {
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
    void filesOfEverySizeReadBackIntact() throws IOException {
        for (int size : new int[] {0, 1, 511, 512, 513, 4095, 4096, 4097, 8191, 8192, 8193, 16383, 16384, 16385, 32768, 65537,
                131072 + 7, 12 * 16384 + 7, 1 << 20, 3_000_001, (12 << 20) + 3}) {
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
    void manySmallAppendsAndAppendsThroughEveryApiLandAtTheEnd() throws IOException {
        Files.writeString(p("f"), "abc");
        Files.writeString(p("f"), "def", StandardOpenOption.APPEND);
        try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap("gh".getBytes(StandardCharsets.US_ASCII)));
        }
        assertEquals("abcdefgh", Files.readString(p("f")));
    }

    @Test
    void writePastEndOfFileLeavesAHoleThatReadsAsZeros() throws IOException {
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

    /** The contract's case, with names up to 200 bytes so that the directory spans many blocks. */
    @Test
    void aThousandEntryDirectoryListsEveryEntryExactlyOnce() throws IOException {
        Set<String> made = new TreeSet<>();
        for (int i = 0; i < 1000; i++) {
            String n = "entry-" + i + "-" + "x".repeat(i % 200);
            if (i % 10 == 0) {
                Files.createDirectory(p(n));
            } else {
                Files.createFile(p(n));
            }
            made.add(n);
        }
        assertEquals(made, list(d));
        assertEquals(2 + 100, nlink(d));
        Set<String> kept = new TreeSet<>();
        for (int i = 0; i < 1000; i++) {
            String n = "entry-" + i + "-" + "x".repeat(i % 200);
            if (i % 2 == 0) {
                Files.delete(p(n));
            } else {
                kept.add(n);
            }
        }
        assertEquals(kept, list(d));
        assertEquals(2, nlink(d));
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
        // libfuse keeps the replaced file, open then, under a hidden name until the RELEASE that
        // the Linux kernel sends after close(2) has returned: its link count drops only then.
        assertEquals(Set.of("old", "old-alias"), listAfterRelease(d));
        assertEquals(1, f.facade.lstat(kp("old-alias")).nlink, "the replaced inode lost one name");
        assertEquals(1, nlinkOfAnotherName(p("old-alias")), "the replaced inode lost one name, seen by the host");
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
        assertFails("a into a/b/c", () -> Files.move(p("a"), p("a/b/c/a"), StandardCopyOption.ATOMIC_MOVE), Errno.EINVAL);
        assertFails("a into a", () -> Files.move(p("a"), p("a/x"), StandardCopyOption.ATOMIC_MOVE), Errno.EINVAL);
        assertFails("a/b into a/b/c", () -> Files.move(p("a/b"), p("a/b/c/d"), StandardCopyOption.ATOMIC_MOVE), Errno.EINVAL);
        assertTrue(Files.isDirectory(p("a/b/c")));
    }

    /** Both "..": the one lookup finds and the one readdir lists. */
    @Test
    void renameOfADirectoryAcrossParentsUpdatesItsDotDot() throws IOException {
        Files.createDirectories(p("from/moving"));
        Files.createDirectory(p("to"));
        Files.move(p("from/moving"), p("to/moving"), StandardCopyOption.ATOMIC_MOVE);
        assertEquals(ino(p("to")), ino(p("to/moving/..")));
        assertEquals(f.facade.stat(kp("to")).fileid, f.facade.stat(kp("to/moving/..")).fileid);
        expect(ROOT, DENTS + py("print([i for n, i, t in dents('to/moving') if n == '..'] == [os.stat('to').st_ino])"), "True");
    }

    @Test
    void renameOfADirectoryAcrossParentsMovesALinkFromOneParentToTheOther() throws IOException {
        Files.createDirectories(p("from/moving"));
        Files.createDirectory(p("to"));
        assertEquals(3, nlink(p("from")));
        Files.move(p("from/moving"), p("to/moving"), StandardCopyOption.ATOMIC_MOVE);
        assertEquals(2, nlink(p("from")));
        assertEquals(3, nlink(p("to")));
        assertEquals(2, nlink(p("to/moving")));
    }

    @Test
    void renameBetweenTwoHardLinksOfOneFileDoesNothing() throws IOException {
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
    void chownChangesOwnerAndGroup() throws IOException {
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
    void utimensSetsAccessAndModificationTimesSeparatelyWithNanoseconds() throws IOException {
        Files.createFile(p("f"));
        Instant mtime = Instant.parse("2011-12-13T14:15:16.123456789Z");
        Instant atime = Instant.parse("1999-01-02T03:04:05.987654321Z");
        Instant before = Instant.now();
        Files.getFileAttributeView(p("f"), BasicFileAttributeView.class)
                .setTimes(FileTime.from(mtime), FileTime.from(atime), null);
        assertWithin(before, ctime(p("f")), "ctime after utimens");
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
        assertEquals(Set.of(), listAfterRelease(d));
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

    // ================================================================ the rest of the contract
    // FileSystemContract, case by case, under the same names where the case is the same.

    /** Runs a python3 script in this test's directory as {@code who}, and asserts its output line by line. */
    private void expect(String who, String script, String... lines) {
        Python3.expectIn(d, who, script, lines);
    }

    /** "/u": a directory owned by Alice (uid 1000, gid 1000), mode 0755. */
    private void aliceHome() throws IOException {
        Files.createDirectory(p("u"));
        Files.setAttribute(p("u"), "unix:mode", 0755);
        chown(p("u"), 1000, 1000);
    }

    private static void chown(Path path, int uid, int gid) throws IOException {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    private static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private static FileTime ctime(Path path) throws IOException {
        return (FileTime) Files.getAttribute(path, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
    }

    private static FileTime mtime(Path path) throws IOException {
        return (FileTime) Files.getAttribute(path, "unix:lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    }

    private static FileTime atime(Path path) throws IOException {
        return (FileTime) Files.getAttribute(path, "unix:lastAccessTime", LinkOption.NOFOLLOW_LINKS);
    }

    /** A time the rump kernel took from the host clock during a call that began at {@code before}. */
    private static void assertWithin(Instant before, FileTime t, String what) {
        Instant after = Instant.now();
        Instant got = t.toInstant();
        assertTrue(!got.isBefore(before) && !got.isAfter(after), what + " is " + got + ", not within the call's " + before + " .. " + after);
    }

    private static final FileTime OLD_MTIME = FileTime.from(Instant.parse("2001-02-03T04:05:06.000000007Z"));
    private static final FileTime OLD_ATIME = FileTime.from(Instant.parse("1999-09-09T09:09:09.000000009Z"));

    /** Sets a known past modification and access time, so that what a later call changes shows. */
    private static void ageTimes(Path path) throws IOException {
        Files.getFileAttributeView(path, BasicFileAttributeView.class).setTimes(OLD_MTIME, OLD_ATIME, null);
    }

    /**
     * Waits out the clock tick in which Linux may reuse attributes of another kernel inode of the
     * same file (see {@link #nlinkOfAnotherName}), and lets the host clock move on.
     */
    private static void settle() throws IOException {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void truncate(Path path, long size) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
            raf.setLength(size);
        }
    }

    private static byte[] filled(int n, byte value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, value);
        return b;
    }

    private static byte[] readAt(FileChannel ch, long offset, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        while (buf.hasRemaining()) {
            if (ch.read(buf, offset + buf.position()) <= 0) {
                break;
            }
        }
        return java.util.Arrays.copyOf(buf.array(), buf.position());
    }

    private static void writeAt(FileChannel ch, long offset, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
            ch.write(b, offset + b.position());
        }
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- fresh file system

    /** The mount's root is shared by every case, so its rule is the general one: 2 plus its subdirectories. */
    @Test
    void theRootsLinkCountIsTwoPlusItsSubdirectories() throws IOException {
        long subdirs;
        try (var s = Files.list(f.dir)) {
            subdirs = s.filter(x -> Files.isDirectory(x, LinkOption.NOFOLLOW_LINKS)).count();
        }
        assertEquals(2 + subdirs, nlink(f.dir));
        assertEquals(f.facade.stat("/").fileid, ino(f.dir));
    }

    // ---------------------------------------------------------------- open and create flags

    @Test
    void openWithCreateAndExclusiveOnAnExistingFileFailsWithEEXIST() throws IOException {
        Files.writeString(p("f"), "kept");
        assertFails("O_CREAT|O_EXCL", () -> Files.newByteChannel(p("f"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close(),
                Errno.EEXIST);
        assertEquals("kept", Files.readString(p("f")));
    }

    @Test
    void openWithCreateAndExclusiveOnADirectoryFailsWithEEXIST() throws IOException {
        Files.createDirectory(p("d"));
        assertFails("O_CREAT|O_EXCL", () -> Files.newByteChannel(p("d"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close(),
                Errno.EEXIST);
    }

    @Test
    void openWithCreateAndExclusiveOnADanglingSymlinkFailsWithEEXIST() throws IOException {
        Files.createSymbolicLink(p("l"), Path.of("nowhere"));
        assertFails("O_CREAT|O_EXCL", () -> Files.newByteChannel(p("l"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close(),
                Errno.EEXIST);
        assertFalse(Files.exists(p("nowhere"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void openWithCreateThroughADanglingSymlinkCreatesItsTarget() throws IOException {
        Files.createSymbolicLink(p("l"), Path.of("target"));
        Files.newByteChannel(p("l"), StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
        assertTrue(Files.isRegularFile(p("target"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isSymbolicLink(p("l")));
    }

    @Test
    void openWithCreateOfAnExistingFileKeepsItsContentsAndMode() throws IOException {
        Files.writeString(p("f"), "hello");
        Files.setAttribute(p("f"), "unix:mode", 0600);
        Files.newByteChannel(p("f"), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx"))).close();
        assertEquals("hello", Files.readString(p("f")));
        assertEquals(0600, mode(p("f")));
    }

    @Test
    void openWithTruncateEmptiesAnExistingFile() throws IOException {
        Files.write(p("f"), pattern(10_000, 1));
        FileChannel.open(p("f"), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING).close();
        assertEquals(0, Files.size(p("f")));
        assertEquals(0, Files.readAllBytes(p("f")).length);
        assertEquals(0, f.facade.stat(kp("f")).size);
    }

    /** pwrite(2) on a descriptor opened with O_APPEND appends on Linux, whatever the offset. */
    @Test
    void writesThroughAnAppendHandleLandAtTheEndWhateverTheOffset() {
        expect(ROOT, py(
                "put('f', b'abc')",
                "fd = os.open('f', os.O_WRONLY | os.O_APPEND)",
                "os.pwrite(fd, b'def', 0)",
                "os.pwrite(fd, b'gh', 1)",
                "os.close(fd)",
                "print(rd('f'))"), "b'abcdefgh'");
    }

    @Test
    void openWithDirectoryFlagOnAFileFailsWithENOTDIR() {
        expect(ROOT, py("put('f')", "t('open', op, 'f', os.O_RDONLY | os.O_DIRECTORY)"), "open ENOTDIR");
    }

    @Test
    void openWithDirectoryFlagOnADirectorySucceeds() {
        expect(ROOT, py("os.mkdir('d')", "fd = os.open('d', os.O_RDONLY | os.O_DIRECTORY)",
                "print(stat.S_ISDIR(os.fstat(fd).st_mode))", "os.close(fd)"), "True");
    }

    @Test
    void openOfAMissingFileWithoutCreateFailsWithENOENT() {
        assertFails("open", () -> Files.newByteChannel(p("missing")).close(), Errno.ENOENT);
        assertFails("open for writing", () -> Files.newByteChannel(p("missing"), StandardOpenOption.WRITE).close(), Errno.ENOENT);
    }

    @Test
    void openOfADirectoryForWritingFailsWithEISDIR() throws IOException {
        Files.createDirectory(p("d"));
        assertFails("O_WRONLY", () -> FileChannel.open(p("d"), StandardOpenOption.WRITE).close(), Errno.EISDIR);
        assertFails("O_RDWR", () -> FileChannel.open(p("d"), StandardOpenOption.READ, StandardOpenOption.WRITE).close(), Errno.EISDIR);
    }

    /** NetBSD answers EFTYPE; through Linux it is ELOOP, as POSIX says. */
    @Test
    void openWithNoFollowOnASymlinkFailsWithEFTYPEOrELOOP() throws IOException {
        Files.createFile(p("f"));
        Files.createSymbolicLink(p("l"), Path.of("f"));
        assertFails("O_NOFOLLOW", () -> Files.newByteChannel(p("l"), LinkOption.NOFOLLOW_LINKS).close(), Errno.ELOOP);
    }

    /** java.nio refuses such calls itself, before any system call; python makes them. */
    @Test
    void writeThroughAReadOnlyHandleFailsWithEBADF() throws IOException {
        expect(ROOT, py("put('f', b'')", "fd = os.open('f', os.O_RDONLY)", "t('write', os.write, fd, b'x')", "os.close(fd)"),
                "write EBADF");
        assertEquals(0, Files.size(p("f")));
    }

    @Test
    void readThroughAWriteOnlyHandleFailsWithEBADF() {
        expect(ROOT, py("put('f', b'data')", "fd = os.open('f', os.O_WRONLY)", "t('read', os.read, fd, 4)", "os.close(fd)"),
                "read EBADF");
    }

    @Test
    void readOfADirectoryFailsWithEISDIR() throws IOException {
        Files.createDirectory(p("d"));
        assertFails("read", () -> Files.readAllBytes(p("d")), Errno.EISDIR);
        expect(ROOT, py("fd = os.open('d', os.O_RDONLY)", "t('read', os.read, fd, 16)", "os.close(fd)"), "read EISDIR");
    }

    @Test
    void handleAttributesFollowWritesMadeThroughIt() throws IOException {
        try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            writeAt(ch, 0, pattern(3000, 2));
            assertEquals(3000, ch.size());
            ch.truncate(10);
            assertEquals(10, ch.size());
        }
        assertEquals(10, Files.size(p("f")));
        assertEquals(10, f.facade.stat(kp("f")).size);
    }

    // ---------------------------------------------------------------- read and write

    @Test
    void bytesWrittenAreTheBytesReadBack() throws IOException {
        byte[] data = pattern(12_345, 3);
        Files.write(p("f"), data);
        assertArrayEquals(data, Files.readAllBytes(p("f")));
        assertEquals(data.length, Files.size(p("f")));
    }

    @Test
    void readAtEndOfFileReturnsZero() throws IOException {
        Files.writeString(p("f"), "0123456789");
        try (FileChannel ch = FileChannel.open(p("f"))) {
            assertEquals(-1, ch.read(ByteBuffer.allocate(5), 10), "end of file (java.nio's -1 for read(2)'s 0)");
            assertEquals(-1, ch.read(ByteBuffer.allocate(5), 1_000_000));
        }
    }

    @Test
    void readAcrossEndOfFileIsShort() throws IOException {
        Files.writeString(p("f"), "0123456789");
        try (FileChannel ch = FileChannel.open(p("f"))) {
            ByteBuffer b = ByteBuffer.allocate(100);
            assertEquals(4, ch.read(b, 6));
            assertEquals("6789", new String(b.array(), 0, 4, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aFileThatIsAllHoleReadsAsZerosAndHasItsFullSize() throws IOException {
        Files.createFile(p("f"));
        truncate(p("f"), 1_000_000);
        byte[] all = Files.readAllBytes(p("f"));
        assertEquals(1_000_000, all.length);
        assertZeros(all, 0, all.length, "a file that is all hole");
    }

    @Test
    void extendingByTruncateAddsZeros() throws IOException {
        Files.writeString(p("f"), "abc");
        truncate(p("f"), 10_000);
        byte[] all = Files.readAllBytes(p("f"));
        assertEquals(10_000, all.length);
        assertEquals("abc", new String(all, 0, 3, StandardCharsets.US_ASCII));
        assertZeros(all, 3, all.length, "extended by truncate");
    }

    @Test
    void shrinkingThenExtendingByTruncateShowsZerosNotOldData() throws IOException {
        Files.write(p("f"), filled(70_000, (byte) 0x5a));
        truncate(p("f"), 100);
        truncate(p("f"), 70_000);
        byte[] all = Files.readAllBytes(p("f"));
        assertZeros(all, 100, all.length, "shrunk and extended");
    }

    @Test
    void shrinkingThenWritingFurtherOnShowsZerosInBetween() throws IOException {
        Files.write(p("f"), filled(9_000, (byte) 0x77));
        try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.truncate(1);
            writeAt(ch, 8_999, new byte[] {1});
            byte[] all = readAt(ch, 0, 9_000);
            assertEquals(0x77, all[0]);
            assertZeros(all, 1, 8_999, "shrunk, then written further on");
            assertEquals(1, all[8_999]);
        }
    }

    @Test
    void shrinkingToZeroThenGrowingShowsOnlyNewData() throws IOException {
        Files.write(p("f"), filled(5_000, (byte) 0x11));
        truncate(p("f"), 0);
        try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.WRITE)) {
            writeAt(ch, 4_000, new byte[] {'x'});
        }
        byte[] all = Files.readAllBytes(p("f"));
        assertEquals(4_001, all.length);
        assertZeros(all, 0, 4_000, "shrunk to 0, then grown");
    }

    @Test
    void shrinkingInStepsKeepsTheRightPrefixAtEveryStep() throws IOException {
        int full = 6 << 20;
        byte[] data = pattern(full, 21);
        Files.write(p("f"), data);
        long[] steps = {full - 1, (4 << 20) + 4097, 12 * 32768 + 1, 12 * 16384, 12 * 8192 - 1, 70_000, 12 * 4096 + 1, 4096, 4095, 1, 0};
        try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (long size : steps) {
                ch.truncate(size);
                assertEquals(size, ch.size());
                int tail = (int) Math.min(size, 9000);
                byte[] got = readAt(ch, size - tail, tail + 100);
                assertArrayEquals(java.util.Arrays.copyOfRange(data, (int) size - tail, (int) size), got, "tail after shrinking to " + size);
            }
        }
        truncate(p("f"), full);
        byte[] all = Files.readAllBytes(p("f"));
        assertZeros(all, 0, full, "shrunk to 0 in steps, then extended");
    }

    /** truncate(2) of a directory and to a negative size: java.nio has no such call. */
    @Test
    void truncateOfADirectoryFailsWithEISDIR() {
        expect(ROOT, py("os.mkdir('d')", "t('truncate', os.truncate, 'd', 0)"), "truncate EISDIR");
    }

    @Test
    void truncateToANegativeSizeFailsWithEINVAL() {
        expect(ROOT, py("put('f')", "t('truncate', os.truncate, 'f', -1)", "print(os.stat('f').st_size)"), "truncate EINVAL", "1");
    }

    @Test
    void zeroLengthWriteChangesNothing() throws IOException {
        Files.writeString(p("f"), "abc");
        try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.WRITE)) {
            assertEquals(0, ch.write(ByteBuffer.allocate(0), 10));
        }
        assertEquals(3, Files.size(p("f")));
    }

    @Test
    void manySmallAppendsBuildTheWholeFile() throws IOException {
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            for (int i = 0; i < 500; i++) {
                byte[] piece = pattern(1 + i % 37, i);
                ch.write(ByteBuffer.wrap(piece));
                expected.write(piece);
            }
        }
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(p("f")));
    }

    /** The facade's path-addressed read and write are open, pwrite or pread, close on the host. */
    @Test
    void pathReadAndWriteWorkAtOffsets() throws IOException {
        Files.createFile(p("f"));
        try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.WRITE)) {
            assertEquals(3, ch.write(ByteBuffer.wrap("xyz".getBytes(StandardCharsets.US_ASCII)), 5));
        }
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 'x', 'y', 'z'}, Files.readAllBytes(p("f")));
    }

    @Test
    void unalignedWritesAcrossBlockBoundariesLandWhereAsked() throws IOException {
        for (long offset : new long[] {1, 4094, 8191, 65535, 12 * 4096 + 1, 1L << 20, (1L << 22) - 5}) {
            byte[] data = pattern(3000, (int) offset);
            Path file = p("f" + offset);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                writeAt(ch, offset, data);
                assertArrayEquals(data, readAt(ch, offset, 3000), "at " + offset);
                byte[] before = readAt(ch, Math.max(0, offset - 10), (int) Math.min(10, offset));
                assertZeros(before, 0, before.length, "before a write at " + offset);
                assertEquals(offset + 3000, ch.size());
            }
        }
        f.remount();
        for (long offset : new long[] {1, 4094, 8191, 65535, 12 * 4096 + 1, 1L << 20, (1L << 22) - 5}) {
            assertArrayEquals(pattern(3000, (int) offset),
                    java.util.Arrays.copyOfRange(Files.readAllBytes(p("f" + offset)), (int) offset, (int) offset + 3000),
                    "at " + offset + ", after a remount");
        }
    }

    @Test
    void offsetsBeyondFourGibibytesDoNotWrapAround() throws IOException {
        long far = (1L << 32) + 4093;
        try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            writeAt(ch, 0, "start".getBytes(StandardCharsets.US_ASCII));
            writeAt(ch, far, "far away".getBytes(StandardCharsets.US_ASCII));
            assertEquals(far + 8, ch.size());
            assertEquals("start", ascii(readAt(ch, 0, 5)));
            assertEquals("far away", ascii(readAt(ch, far, 8)));
            assertArrayEquals(new byte[16], readAt(ch, (1L << 32) - 8, 16));
        }
        f.remount();
        try (FileChannel ch = FileChannel.open(p("f"))) {
            assertEquals("far away", ascii(readAt(ch, far, 8)), "after a remount");
            assertEquals("start", ascii(readAt(ch, 0, 5)), "after a remount");
        }
        Files.delete(p("f"));
    }

    // ---------------------------------------------------------------- mkdir and rmdir

    @Test
    void mkdirMakesAnEmptyDirectoryWithLinkCountTwoAndRaisesItsParentsLinkCount() throws IOException {
        int before = nlink(d);
        Files.createDirectory(p("e"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        assertTrue(Files.isDirectory(p("e"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(0750, mode(p("e")));
        assertEquals(2, nlink(p("e")));
        assertEquals(before + 1, nlink(d));
        assertEquals(Set.of(), list(p("e")));
    }

    @Test
    void mkdirOverAnExistingNameFailsWithEEXIST() throws IOException {
        Files.createDirectory(p("e"));
        Files.createFile(p("f"));
        assertFails("over a directory", () -> Files.createDirectory(p("e")), Errno.EEXIST);
        assertFails("over a file", () -> Files.createDirectory(p("f")), Errno.EEXIST);
        assertFails("over the root", () -> Files.createDirectory(f.dir), Errno.EEXIST);
    }

    @Test
    void mkdirOverADanglingSymlinkFailsWithEEXIST() throws IOException {
        Files.createSymbolicLink(p("l"), Path.of("nowhere"));
        assertFails("mkdir", () -> Files.createDirectory(p("l")), Errno.EEXIST);
        assertFalse(Files.exists(p("nowhere"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void mkdirInAMissingDirectoryFailsWithENOENT() {
        assertFails("mkdir", () -> Files.createDirectory(p("missing/e")), Errno.ENOENT);
    }

    @Test
    void mkdirBelowAFileFailsWithENOTDIR() throws IOException {
        Files.createFile(p("f"));
        assertFails("mkdir", () -> Files.createDirectory(p("f/e")), Errno.ENOTDIR);
    }

    /** java.nio drops a trailing slash from a Path, so python keeps it. */
    @Test
    void mkdirAcceptsATrailingSlash() throws IOException {
        expect(ROOT, py("os.mkdir('e/')"));
        assertTrue(Files.isDirectory(p("e")));
    }

    @Test
    void rmdirRemovesAnEmptyDirectoryAndLowersItsParentsLinkCount() throws IOException {
        Files.createDirectories(p("a/b"));
        assertEquals(3, nlink(p("a")));
        Files.delete(p("a/b"));
        assertFalse(Files.exists(p("a/b"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(2, nlink(p("a")));
    }

    @Test
    void rmdirOfANonEmptyDirectoryFailsWithENOTEMPTY() throws IOException {
        Files.createDirectory(p("e"));
        Files.createFile(p("e/f"));
        Files.createDirectories(p("g/sub"));
        expect(ROOT, py("t('with a file', os.rmdir, 'e')", "t('with a directory', os.rmdir, 'g')"),
                "with a file ENOTEMPTY", "with a directory ENOTEMPTY");
    }

    @Test
    void rmdirOfAMissingDirectoryFailsWithENOENT() {
        expect(ROOT, py("t('rmdir', os.rmdir, 'missing')"), "rmdir ENOENT");
    }

    @Test
    void rmdirOfAFileFailsWithENOTDIR() {
        expect(ROOT, py("put('f')", "t('rmdir', os.rmdir, 'f')"), "rmdir ENOTDIR");
    }

    @Test
    void rmdirOfASymlinkToADirectoryFailsWithENOTDIR() throws IOException {
        expect(ROOT, py("os.mkdir('e')", "os.symlink('e', 'l')", "t('rmdir', os.rmdir, 'l')"), "rmdir ENOTDIR");
        assertTrue(Files.isDirectory(p("e"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void rmdirOfDotFailsWithEINVAL() {
        expect(ROOT, py("os.mkdir('e')", "t('rmdir', os.rmdir, 'e/.')"), "rmdir EINVAL");
    }

    /** Linux answers ENOTEMPTY for "..", one of the answers the contract allows. */
    @Test
    void rmdirOfDotDotFails() throws IOException {
        expect(ROOT, py("os.makedirs('e/g')", "t('rmdir', os.rmdir, 'e/g/..')"), "rmdir ENOTEMPTY");
        assertTrue(Files.isDirectory(p("e/g")));
    }

    /** The root of the mount is a mount point on the host: EBUSY. */
    @Test
    void rmdirOfTheRootFailsWithEBUSYOrEINVAL() {
        expect(ROOT, py("t('rmdir', os.rmdir, " + literal(f.dir.toString()) + ")"), "rmdir EBUSY");
    }

    @Test
    void rmdirAcceptsATrailingSlash() throws IOException {
        expect(ROOT, py("os.mkdir('e')", "os.rmdir('e/')"));
        assertFalse(Files.exists(p("e"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aRemovedDirectoryNameCanBeMadeAgain() throws IOException {
        Files.createDirectory(p("e"));
        Files.delete(p("e"));
        Files.createDirectory(p("e"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertEquals(0700, mode(p("e")));
        assertEquals(Set.of(), list(p("e")));
    }

    // ---------------------------------------------------------------- unlink

    @Test
    void unlinkRemovesTheName() throws IOException {
        Files.createFile(p("f"));
        Files.delete(p("f"));
        assertFalse(Files.exists(p("f"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(Set.of(), list(d));
    }

    /**
     * NetBSD's unlink(2) refuses a directory with EPERM; Linux's refuses it with EISDIR before
     * the request reaches the mount. Either way the directory stays.
     */
    @Test
    void unlinkOfADirectoryFailsWithEPERM() throws IOException {
        expect(ROOT, py("os.mkdir('e')", "t('unlink', os.unlink, 'e')"), "unlink EISDIR");
        assertTrue(Files.isDirectory(p("e")));
    }

    @Test
    void unlinkOfAMissingNameFailsWithENOENT() {
        expect(ROOT, py("t('unlink', os.unlink, 'missing')"), "unlink ENOENT");
    }

    @Test
    void unlinkBelowAFileFailsWithENOTDIR() {
        expect(ROOT, py("put('f')", "t('unlink', os.unlink, 'f/x')"), "unlink ENOTDIR");
    }

    @Test
    void unlinkOfAFileWithATrailingSlashFailsWithENOTDIR() throws IOException {
        expect(ROOT, py("put('f')", "t('unlink', os.unlink, 'f/')"), "unlink ENOTDIR");
        assertTrue(Files.isRegularFile(p("f")));
    }

    @Test
    void unlinkOfASymlinkRemovesTheLinkNotItsTarget() throws IOException {
        Files.writeString(p("f"), "kept");
        Files.createSymbolicLink(p("l"), Path.of("f"));
        Files.delete(p("l"));
        assertFalse(Files.exists(p("l"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("kept", Files.readString(p("f")));
    }

    /**
     * As the in-process case, except the link count seen through the descriptor: libfuse 2's
     * high-level interface keeps an open file that loses its last name under a hidden name
     * (.fuse_hidden*) until the last close, so fstat(2) reports 1 there, not 0.
     */
    @Test
    void anUnlinkedFileStaysReadableAndWritableThroughAnOpenHandle() throws IOException {
        Files.writeString(p("f"), "still here");
        try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Files.delete(p("f"));
            assertFalse(Files.exists(p("f"), LinkOption.NOFOLLOW_LINKS));
            assertEquals("still here", ascii(readAt(ch, 0, 100)));
            writeAt(ch, 10, new byte[] {'!'});
            assertEquals(11, ch.size());
            assertEquals("still here!", ascii(readAt(ch, 0, 100)));
        }
        assertEquals(Set.of(), listAfterRelease(d));
    }

    @Test
    void anUnlinkedOpenFileGivesBackItsSpaceOnlyAfterTheLastClose() throws IOException {
        FileStore store = Files.getFileStore(d);
        f.facade.sync();
        long empty = store.getUnallocatedSpace();
        int mib = 1 << 20;
        try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            writeAt(ch, 0, pattern(mib, 9));
            ch.force(true);
            f.facade.sync();
            Files.delete(p("f"));
            f.facade.sync();
            long whileOpen = store.getUnallocatedSpace();
            assertTrue(empty - whileOpen >= mib * 9L / 10,
                    "an unlinked file still open keeps its blocks: free " + empty + " -> " + whileOpen);
            assertArrayEquals(pattern(mib, 9), readAt(ch, 0, mib));
        }
        assertEquals(Set.of(), listAfterRelease(d));
        f.facade.sync();
        long after = store.getUnallocatedSpace();
        assertTrue(after >= empty - 65536, "space given back after the last close: free was " + empty + ", now " + after);
    }

    // ---------------------------------------------------------------- hard links

    @Test
    void linkMakesASecondNameForTheSameFile() throws IOException {
        Files.writeString(p("f"), "shared");
        Files.createDirectory(p("e"));
        Files.createLink(p("e/g"), p("f"));
        assertEquals(ino(p("f")), ino(p("e/g")));
        assertEquals(2, nlinkOfAnotherName(p("f")));
        Files.writeString(p("e/g"), "changed");
        assertEquals("changed", Files.readString(p("f")));
    }

    @Test
    void linkCountFollowsLinksAndUnlinks() throws IOException {
        Files.createFile(p("f"));
        for (int i = 1; i <= 5; i++) {
            Files.createLink(p("l" + i), p("f"));
            assertEquals(1 + i, nlinkOfAnotherName(p("f")));
        }
        Files.delete(p("f"));
        assertEquals(5, nlinkOfAnotherName(p("l3")));
        for (int i = 1; i <= 4; i++) {
            Files.delete(p("l" + i));
        }
        assertEquals(1, nlinkOfAnotherName(p("l5")));
        assertEquals(1, f.facade.stat(kp("l5")).nlink);
    }

    @Test
    void linkOverAnExistingNameFailsWithEEXIST() throws IOException {
        Files.createFile(p("f"));
        Files.createFile(p("g"));
        Files.createDirectory(p("e"));
        assertFails("over a file", () -> Files.createLink(p("g"), p("f")), Errno.EEXIST);
        assertFails("over a directory", () -> Files.createLink(p("e"), p("f")), Errno.EEXIST);
        assertFails("over itself", () -> Files.createLink(p("f"), p("f")), Errno.EEXIST);
        assertEquals(1, nlink(p("f")));
    }

    @Test
    void linkOfADirectoryFailsWithEPERM() throws IOException {
        Files.createDirectory(p("e"));
        assertFails("link", () -> Files.createLink(p("e2"), p("e")), Errno.EPERM);
        assertEquals(2, nlink(p("e")));
    }

    @Test
    void linkOfAMissingFileFailsWithENOENT() {
        assertFails("link", () -> Files.createLink(p("g"), p("missing")), Errno.ENOENT);
    }

    @Test
    void linkIntoAMissingDirectoryFailsWithENOENT() throws IOException {
        Files.createFile(p("f"));
        assertFails("link", () -> Files.createLink(p("missing/g"), p("f")), Errno.ENOENT);
    }

    @Test
    void theLastNameKeepsTheDataWhenOthersAreUnlinked() throws IOException {
        Files.write(p("f"), pattern(50_000, 7));
        Files.createLink(p("g"), p("f"));
        Files.delete(p("f"));
        assertArrayEquals(pattern(50_000, 7), Files.readAllBytes(p("g")));
    }

    // ---------------------------------------------------------------- symbolic links

    /** java.nio would fold the double slash of the target; python passes the bytes as they are. */
    @Test
    void readlinkReturnsTheTargetBytesExactly() throws IOException {
        expect(ROOT, py("os.symlink('some/../relative//path', 'l')", "print(os.readlink('l'))"), "some/../relative//path");
        assertEquals("some/../relative//path", new String(f.facade.readlink(kp("l")), StandardCharsets.US_ASCII));
    }

    @Test
    void lstatOfASymlinkReportsTheLinkWithItsTargetLengthAsSize() throws IOException {
        Files.createSymbolicLink(p("l"), Path.of("/abc/def"));
        assertTrue(Files.isSymbolicLink(p("l")));
        assertEquals(8L, Files.getAttribute(p("l"), "unix:size", LinkOption.NOFOLLOW_LINKS));
        assertEquals(1, nlink(p("l")));
    }

    @Test
    void aDanglingSymlinkCanBeLstatedButNotStated() throws IOException {
        Files.createSymbolicLink(p("l"), Path.of("nowhere"));
        assertTrue(Files.isSymbolicLink(p("l")));
        assertFails("stat", () -> Files.readAttributes(p("l"), "unix:*"), Errno.ENOENT);
        assertFails("open", () -> Files.newByteChannel(p("l")).close(), Errno.ENOENT);
    }

    /** On the host an absolute target starts at the host's root: the mount's files are reached through its mount point. */
    @Test
    void anAbsoluteTargetResolvesFromTheRootOfTheMount() throws IOException {
        Files.createDirectory(p("e"));
        Files.writeString(p("e/f"), "abs");
        Files.createDirectory(p("x"));
        Files.createSymbolicLink(p("x/l"), p("e/f").toAbsolutePath());
        assertEquals("abs", Files.readString(p("x/l")));
    }

    @Test
    void aRelativeTargetResolvesFromTheLinksDirectory() throws IOException {
        Files.createDirectories(p("e/sub"));
        Files.writeString(p("e/f"), "rel");
        Files.createSymbolicLink(p("e/sub/l"), Path.of("../f"));
        assertEquals("rel", Files.readString(p("e/sub/l")));
    }

    @Test
    void aSymlinkInTheMiddleOfAPathIsFollowed() throws IOException {
        Files.createDirectory(p("e"));
        Files.writeString(p("e/f"), "mid");
        Files.createSymbolicLink(p("l"), Path.of("e"));
        assertEquals("mid", Files.readString(p("l/f")));
        expect(ROOT, py("print(stat.S_ISDIR(os.stat('l/').st_mode), stat.S_ISDIR(os.lstat('l/').st_mode))"), "True True");
    }

    @Test
    void aChainOfSymlinksIsFollowedToTheEnd() throws IOException {
        Files.writeString(p("f"), "end");
        Files.createSymbolicLink(p("l0"), p("f").toAbsolutePath());
        for (int i = 1; i < 8; i++) {
            Files.createSymbolicLink(p("l" + i), i % 2 == 0 ? p("l" + (i - 1)).toAbsolutePath() : Path.of("l" + (i - 1)));
        }
        assertEquals("end", Files.readString(p("l7")));
        assertEquals(ino(p("f")), (Long) Files.getAttribute(p("l7"), "unix:ino"));
    }

    @Test
    void aSymlinkToItselfFailsWithELOOP() throws IOException {
        Files.createSymbolicLink(p("l"), Path.of("l"));
        assertFails("stat", () -> Files.readAttributes(p("l"), "unix:*"), Errno.ELOOP);
        Files.createSymbolicLink(p("a"), Path.of("b"));
        Files.createSymbolicLink(p("b"), Path.of("a"));
        assertFails("open", () -> Files.newByteChannel(p("a")).close(), Errno.ELOOP);
    }

    /**
     * NetBSD follows 32 links in a row (MAXSYMLINKS); the host kernel follows links through a
     * mount point, and Linux's limit is 40. The links are the file system's either way.
     */
    @Test
    void thirtyTwoSymlinksAreFollowedButThirtyThreeFailWithELOOP() throws IOException {
        Files.createFile(p("f"));
        Files.createSymbolicLink(p("l1"), p("f").toAbsolutePath());
        for (int i = 2; i <= 41; i++) {
            Files.createSymbolicLink(p("l" + i), p("l" + (i - 1)).toAbsolutePath());
        }
        assertTrue(Files.isRegularFile(p("l32")));
        assertTrue(Files.isRegularFile(p("l40")));
        assertFails("stat through 41 links", () -> Files.readAttributes(p("l41"), "unix:*"), Errno.ELOOP);
    }

    @Test
    void readlinkOfSomethingElseFailsWithEINVAL() throws IOException {
        Files.createFile(p("f"));
        Files.createDirectory(p("e"));
        assertFails("of a file", () -> Files.readSymbolicLink(p("f")), Errno.EINVAL);
        assertFails("of a directory", () -> Files.readSymbolicLink(p("e")), Errno.EINVAL);
    }

    @Test
    void symlinkOverAnExistingNameFailsWithEEXIST() throws IOException {
        Files.createFile(p("f"));
        Files.createSymbolicLink(p("l"), Path.of("x"));
        assertFails("over a file", () -> Files.createSymbolicLink(p("f"), Path.of("y")), Errno.EEXIST);
        assertFails("over a link", () -> Files.createSymbolicLink(p("l"), Path.of("y")), Errno.EEXIST);
        assertEquals(Path.of("x"), Files.readSymbolicLink(p("l")));
    }

    @Test
    void aSymlinkTargetOf1023BytesIsKeptAndOf1024IsENAMETOOLONG() throws IOException {
        String t1023 = "t".repeat(1023);
        Files.createSymbolicLink(p("l"), Path.of(t1023));
        assertEquals(t1023, Files.readSymbolicLink(p("l")).toString());
        assertFails("1024 bytes", () -> Files.createSymbolicLink(p("m"), Path.of("t".repeat(1024))), Errno.ENAMETOOLONG);
        assertFalse(Files.exists(p("m"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void symlinkTargetsOfEveryLengthReadBackIntact() throws IOException {
        for (int length : new int[] {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 59, 60, 61, 63, 64, 65, 119, 120, 121, 127, 128, 129,
            255, 256, 257, 511, 512, 513, 1022, 1023}) {
            StringBuilder t = new StringBuilder();
            for (int i = 0; i < length; i++) {
                t.append((char) ('a' + i % 26));
            }
            Files.createSymbolicLink(p("l"), Path.of(t.toString()));
            assertEquals(t.toString(), Files.readSymbolicLink(p("l")).toString(), "length " + length);
            assertEquals((long) length, Files.getAttribute(p("l"), "unix:size", LinkOption.NOFOLLOW_LINKS), "length " + length);
            Files.delete(p("l"));
            assertFalse(Files.exists(p("l"), LinkOption.NOFOLLOW_LINKS));
        }
    }

    /** A link to "/" leads to the host's root; a link to the mount point leads to the mount's root. */
    @Test
    void aSymlinkToTheRootLeadsToTheRoot() throws IOException {
        Files.createSymbolicLink(p("root"), f.dir);
        Files.createDirectory(p("e"));
        String own = d.getFileName().toString();
        assertEquals(ino(f.dir), (Long) Files.getAttribute(p("root"), "unix:ino"));
        assertEquals(ino(p("e")), (Long) Files.getAttribute(p("root/" + own + "/e"), "unix:ino"));
        assertEquals(ino(p("e")), (Long) Files.getAttribute(p("root/" + own + "/root/" + own + "/root/" + own + "/e"), "unix:ino"));
    }

    @Test
    void renameOverASymlinkReplacesTheLinkNotItsTarget() throws IOException {
        Files.writeString(p("target"), "target");
        Files.createSymbolicLink(p("l"), Path.of("target"));
        Files.writeString(p("f"), "new");
        Files.move(p("f"), p("l"), StandardCopyOption.ATOMIC_MOVE);
        assertTrue(Files.isRegularFile(p("l"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("new", Files.readString(p("l")));
        assertEquals("target", Files.readString(p("target")));
    }

    @Test
    void lchownChangesTheLinkAndChownChangesItsTarget() throws IOException {
        Files.createFile(p("f"));
        Files.createSymbolicLink(p("l"), Path.of("f"));
        expect(ROOT, py("os.lchown('l', 7, 8)"));
        assertEquals(7, Files.getAttribute(p("l"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(8, Files.getAttribute(p("l"), "unix:gid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(0, Files.getAttribute(p("f"), "unix:uid"));
        Files.setAttribute(p("l"), "unix:uid", 9);
        Files.setAttribute(p("l"), "unix:gid", 10);
        assertEquals(9, Files.getAttribute(p("f"), "unix:uid"));
        assertEquals(10, Files.getAttribute(p("f"), "unix:gid"));
        assertEquals(7, Files.getAttribute(p("l"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(7, f.facade.lstat(kp("l")).uid);
    }

    // ---------------------------------------------------------------- path lookup

    @Test
    void dotComponentsNameTheSameDirectory() throws IOException {
        Files.createDirectory(p("a"));
        Files.writeString(p("a/f"), "dot");
        assertEquals("dot", Files.readString(d.resolve("./a/./f")));
        assertEquals(ino(p("a")), ino(p("a/.")));
    }

    @Test
    void dotDotComponentsNameTheParent() throws IOException {
        Files.createDirectories(p("a/b"));
        Files.writeString(p("a/f"), "up");
        assertEquals("up", Files.readString(p("a/b/../f")));
        assertEquals(ino(p("a")), ino(p("a/b/..")));
        assertEquals("up", Files.readString(p("a/b/../../a/f")));
    }

    @Test
    void repeatedSlashesAreOneSlash() {
        expect(ROOT, py("os.mkdir('a')", "put('a/f', b'slashes')", "print(rd('a///f'), os.stat('a//').st_ino == os.stat('a').st_ino)"),
                "b'slashes' True");
    }

    @Test
    void aTrailingSlashOnAFileFailsWithENOTDIR() {
        expect(ROOT, py("put('f')", "t('stat', os.stat, 'f/')", "t('open', op, 'f/', os.O_RDONLY)"), "stat ENOTDIR", "open ENOTDIR");
    }

    @Test
    void aFileInTheMiddleOfAPathFailsWithENOTDIR() throws IOException {
        Files.createFile(p("f"));
        assertFails("stat", () -> Files.readAttributes(p("f/x"), "unix:*"), Errno.ENOTDIR);
        assertFails("create", () -> Files.createFile(p("f/x")), Errno.ENOTDIR);
    }

    @Test
    void aMissingDirectoryInTheMiddleOfAPathFailsWithENOENT() {
        assertFails("stat", () -> Files.readAttributes(p("missing/x"), "unix:*"), Errno.ENOENT);
        assertFails("create", () -> Files.createFile(p("missing/x")), Errno.ENOENT);
    }

    /**
     * NetBSD's MAXPATHLEN (1024 with the NUL) bounds a path inside the rump kernel; the mount
     * passes the path below its root, so that is the one the limit applies to.
     */
    @Test
    void aPathOf1023BytesResolvesAndOf1024FailsWithENAMETOOLONG() throws IOException {
        StringBuilder dirs = new StringBuilder(k);
        for (int i = 0; dirs.length() < 1023 - 120; i++) {
            dirs.append('/').append(String.valueOf((char) ('a' + i % 26)).repeat(100));
            Files.createDirectory(f.dir.resolve(dirs.substring(1)));
        }
        String ok = dirs + "/" + "f".repeat(1023 - dirs.length() - 1);
        assertEquals(1023, ok.length());
        Files.createFile(f.dir.resolve(ok.substring(1)));
        assertTrue(Files.isRegularFile(f.dir.resolve(ok.substring(1))));
        String tooLong = dirs + "/" + "f".repeat(1024 - dirs.length() - 1);
        assertFails("a path of 1024 bytes below the mount's root", () -> Files.createFile(f.dir.resolve(tooLong.substring(1))),
                Errno.ENAMETOOLONG);
    }

    /** Names are bytes: python passes them as bytes, whatever the locale. */
    @Test
    void namesThatAreNotUtf8RoundTripThroughAByteCharset() {
        expect(ROOT, py(
                "n = b'\\xff\\xfex\\x80'",
                "put(n, b'bytes')",
                "print(os.listdir(b'.') == [n], rd(n))",
                "os.rename(n, n + n)",
                "print(os.listdir(b'.') == [n + n], rd(n + n))"), "True b'bytes'", "True b'bytes'");
    }

    @Test
    void everyByteButSlashAndNulMayAppearInAName() {
        expect(ROOT, py(
                "expect = set()",
                "for b in range(1, 256):",
                "    if b in (ord('/'), ord('.')):",
                "        continue",
                "    n = bytes([b]) + b'x' + bytes([b])",
                "    expect.add(n)",
                "    op(n, os.O_RDWR | os.O_CREAT | os.O_EXCL)",
                "os.mkdir(b'.x.')",
                "expect.add(b'.x.')",
                "print(set(os.listdir(b'.')) == expect, len(expect))",
                "for n in expect:",
                "    os.lstat(n)"), "True 254");
    }

    @Test
    void utf8NamesRoundTrip() throws IOException {
        String name = "f\u00e4il-\u65e5\u672c-\u0444\u0430\u0439\u043b";
        expect(ROOT, py(
                "n = " + literal(name) + ".encode('utf-8')",
                "put(n, b'utf')",
                "print(os.listdir(b'.') == [n], rd(n), len(n))"), "True b'utf' " + name.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(Set.of(name), names(f.facade.readdir(k)));
    }

    private static Set<String> names(java.util.List<org.rumpmount.vfs.Dirent> entries) {
        Set<String> s = new TreeSet<>();
        for (org.rumpmount.vfs.Dirent e : entries) {
            if (!e.name().isDot() && !e.name().isDotDot()) {
                s.add(e.name().toString(StandardCharsets.UTF_8));
            }
        }
        return s;
    }

    // ---------------------------------------------------------------- rename

    @Test
    void renameMovesAFileToANewName() throws IOException {
        Files.writeString(p("f"), "moved");
        long id = ino(p("f"));
        Files.move(p("f"), p("g"), StandardCopyOption.ATOMIC_MOVE);
        assertFalse(Files.exists(p("f"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("moved", Files.readString(p("g")));
        assertEquals(id, ino(p("g")));
    }

    @Test
    void renameOfAFileOverAFileReplacesIt() throws IOException {
        Files.writeString(p("f"), "new");
        Files.writeString(p("g"), "old");
        Files.move(p("f"), p("g"), StandardCopyOption.ATOMIC_MOVE);
        assertEquals("new", Files.readString(p("g")));
        assertEquals(Set.of("g"), list(d));
    }

    @Test
    void renameOfAFileAcrossDirectoriesMovesIt() throws IOException {
        Files.createDirectory(p("a"));
        Files.createDirectory(p("b"));
        Files.writeString(p("a/f"), "across");
        Files.move(p("a/f"), p("b/g"), StandardCopyOption.ATOMIC_MOVE);
        assertEquals(Set.of(), list(p("a")));
        assertEquals("across", Files.readString(p("b/g")));
        assertEquals(2, nlink(p("a")));
        assertEquals(2, nlink(p("b")));
    }

    @Test
    void renameOfADirectoryOverAnEmptyDirectoryReplacesIt() throws IOException {
        Files.createDirectory(p("e"));
        Files.createFile(p("e/inside"));
        Files.createDirectory(p("g"));
        long id = ino(p("e"));
        Files.move(p("e"), p("g"), StandardCopyOption.ATOMIC_MOVE);
        assertEquals(id, ino(p("g")));
        assertEquals(Set.of("inside"), list(p("g")));
        assertEquals(3, nlink(d));
    }

    @Test
    void renameOfADirectoryOverANonEmptyDirectoryFailsWithENOTEMPTY() throws IOException {
        Files.createDirectory(p("e"));
        Files.createDirectory(p("g"));
        Files.createFile(p("g/f"));
        expect(ROOT, py("t('rename', os.rename, 'e', 'g')"), "rename ENOTEMPTY");
        assertEquals(Set.of("f"), list(p("g")));
    }

    @Test
    void renameOfAFileOverADirectoryFailsWithEISDIR() throws IOException {
        Files.createFile(p("f"));
        Files.createDirectory(p("e"));
        assertFails("rename", () -> Files.move(p("f"), p("e"), StandardCopyOption.ATOMIC_MOVE), Errno.EISDIR);
    }

    @Test
    void renameOfADirectoryOverAFileFailsWithENOTDIR() throws IOException {
        Files.createDirectory(p("e"));
        Files.createFile(p("f"));
        assertFails("rename", () -> Files.move(p("e"), p("f"), StandardCopyOption.ATOMIC_MOVE), Errno.ENOTDIR);
    }

    @Test
    void renameOfADirectoryOverItsOwnDescendantFails() throws IOException {
        Files.createDirectories(p("a/b"));
        assertFails("rename", () -> Files.move(p("a"), p("a/b"), StandardCopyOption.ATOMIC_MOVE), Errno.EINVAL);
        assertTrue(Files.isDirectory(p("a/b")));
    }

    @Test
    void renameOfADirectoryOverItsParentFailsWithENOTEMPTY() throws IOException {
        Files.createDirectories(p("a/b"));
        assertFails("rename", () -> Files.move(p("a/b"), p("a"), StandardCopyOption.ATOMIC_MOVE), Errno.ENOTEMPTY, Errno.EINVAL);
        assertTrue(Files.isDirectory(p("a/b")));
    }

    /** java.nio's move of a path onto itself makes no call at all; python's rename(2) does. */
    @Test
    void renameOfANameToItselfDoesNothing() throws IOException {
        expect(ROOT, py("put('f', b'same')", "os.mkdir('e')", "os.rename('f', 'f')", "os.rename('e', 'e')",
                "print(rd('f'), sorted(os.listdir('.')))"), "b'same' ['e', 'f']");
    }

    @Test
    void renameOfADirectoryOverAnEmptyDirectoryInAnotherParentKeepsLinkCountsRight() throws IOException {
        Files.createDirectories(p("a/e"));
        Files.createDirectories(p("b/g"));
        Files.move(p("a/e"), p("b/g"), StandardCopyOption.ATOMIC_MOVE);
        assertEquals(2, nlink(p("a")));
        assertEquals(3, nlink(p("b")));
        assertEquals(4, nlink(d));
    }

    /** NetBSD answers EINVAL; Linux refuses "." and ".." with EBUSY before the request reaches the mount. */
    @Test
    void renameWithDotOrDotDotAsSourceOrTargetFailsWithEINVAL() throws IOException {
        Files.createDirectories(p("a/b"));
        Files.createDirectory(p("c"));
        expect(ROOT, py(
                "t('source .', os.rename, 'a/.', 'c/x')",
                "t('source ..', os.rename, 'a/b/..', 'c/x')",
                "t('target .', os.rename, 'c', 'a/.')",
                "t('target ..', os.rename, 'c', 'a/b/..')"),
                "source . EBUSY", "source .. EBUSY", "target . EBUSY", "target .. EBUSY");
        assertEquals(Set.of("a", "c"), list(d));
    }

    @Test
    void renameOfAMissingNameFailsWithENOENT() throws IOException {
        Files.createDirectory(p("e"));
        assertFails("rename", () -> Files.move(p("missing"), p("e/x"), StandardCopyOption.ATOMIC_MOVE), Errno.ENOENT);
    }

    @Test
    void renameIntoAMissingDirectoryFailsWithENOENT() throws IOException {
        Files.createFile(p("f"));
        assertFails("rename", () -> Files.move(p("f"), p("missing/f"), StandardCopyOption.ATOMIC_MOVE), Errno.ENOENT);
        assertTrue(Files.isRegularFile(p("f")));
    }

    @Test
    void renameBelowAFileFailsWithENOTDIR() throws IOException {
        Files.createFile(p("f"));
        Files.createFile(p("g"));
        assertFails("rename", () -> Files.move(p("f"), p("g/x"), StandardCopyOption.ATOMIC_MOVE), Errno.ENOTDIR);
    }

    @Test
    void renameOfASymlinkMovesTheLinkNotItsTarget() throws IOException {
        Files.createDirectory(p("e"));
        Files.createSymbolicLink(p("l"), Path.of("e"));
        Files.move(p("l"), p("m"), StandardCopyOption.ATOMIC_MOVE);
        assertTrue(Files.isSymbolicLink(p("m")));
        assertTrue(Files.isDirectory(p("e"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(Path.of("e"), Files.readSymbolicLink(p("m")));
    }

    @Test
    void aMovedDirectoryKeepsItsWholeSubtree() throws IOException {
        Files.createDirectories(p("a/x/y"));
        Files.write(p("a/x/y/f"), pattern(5000, 11));
        Files.createDirectory(p("b"));
        Files.move(p("a/x"), p("b/x"), StandardCopyOption.ATOMIC_MOVE);
        assertArrayEquals(pattern(5000, 11), Files.readAllBytes(p("b/x/y/f")));
        assertEquals(ino(p("b/x")), ino(p("b/x/y/..")));
        assertEquals(2, nlink(p("a")));
        assertEquals(3, nlink(p("b")));
    }

    // ---------------------------------------------------------------- readdir

    @Test
    void readdirListsDotAndDotDotWithTheRightFileIds() throws IOException {
        Files.createDirectory(p("e"));
        expect(ROOT, DENTS + py(
                "got = {n: i for n, i, t in dents('e')}",
                "print(sorted(got), got['.'] == os.stat('e').st_ino, got['..'] == os.stat('.').st_ino)"),
                "['.', '..'] True True");
    }

    @Test
    void readdirReportsEachEntrysTypeAndFileId() {
        expect(ROOT, DENTS + py(
                "put('f')",
                "os.mkdir('e')",
                "os.symlink('f', 'l')",
                "os.mkfifo('p')",
                "types = {'f': 8, 'e': 4, 'l': 10, 'p': 1}",
                "for n, i, t in sorted(dents('.')):",
                "    if n in types:",
                "        print(n, t == types[n], i == os.lstat(n).st_ino)"),
                "e True True", "f True True", "l True True", "p True True");
    }

    @Test
    void readdirResumedFromCookiesGivesTheSameListing() {
        expect(ROOT, DENTS + py(
                "for i in range(100):",
                "    put('f%d' % i)",
                "whole = dents('.')",
                "chunked = dents('.', 200)",
                "print(len(whole), whole == chunked)"), "102 True");
    }

    @Test
    void anEntryPresentThroughoutAListingIsReturnedOnceWhileOthersComeAndGo() {
        expect(ROOT, DENTS + py(
                "for i in range(60):",
                "    put('keep%d' % i)",
                "    put('churn%d' % i)",
                "rounds = [0]",
                "def churn():",
                "    r = rounds[0]",
                "    if r < 60:",
                "        os.unlink('churn%d' % r)",
                "        put('new%d' % r)",
                "    rounds[0] = r + 1",
                "seen = {}",
                "for n, i, t in dents('.', 160, churn):",
                "    seen[n] = seen.get(n, 0) + 1",
                "print([k for k in ('keep%d' % i for i in range(60)) if seen.get(k) != 1], rounds[0] < 1000)"),
                "[] True");
    }

    @Test
    void aDirectoryChurnedByRandomCreatesAndRemovesListsExactlyWhatIsLeft() throws IOException {
        Files.createDirectory(p("churn"));
        java.util.SplittableRandom r = new java.util.SplittableRandom(99);
        Set<String> model = new TreeSet<>();
        for (int i = 0; i < 3000; i++) {
            String n = "n" + r.nextInt(400) + "-" + "p".repeat(r.nextInt(60));
            if (model.contains(n)) {
                Files.delete(p("churn/" + n));
                model.remove(n);
            } else {
                Files.createFile(p("churn/" + n));
                model.add(n);
            }
            if (i % 500 == 499) {
                assertEquals(model, list(p("churn")), "after " + (i + 1) + " operations");
            }
        }
        for (String n : model) {
            assertTrue(Files.isRegularFile(p("churn/" + n), LinkOption.NOFOLLOW_LINKS), n);
        }
    }

    @Test
    void readdirOfAFileFailsWithENOTDIR() throws IOException {
        Files.createFile(p("f"));
        assertFails("readdir", () -> Files.newDirectoryStream(p("f")).close(), Errno.ENOTDIR);
    }

    @Test
    void readdirOfAMissingDirectoryFailsWithENOENT() {
        assertFails("readdir", () -> Files.newDirectoryStream(p("missing")).close(), Errno.ENOENT);
    }

    // ---------------------------------------------------------------- stat and mknod

    @Test
    void statReportsTypeModeLinksOwnerAndSize() throws IOException {
        Files.write(p("f"), pattern(777, 1));
        Files.setAttribute(p("f"), "unix:mode", 0604);
        chown(p("f"), 42, 43);
        assertEquals(0100604, Files.getAttribute(p("f"), "unix:mode"));
        assertEquals(1, nlink(p("f")));
        assertEquals(42, Files.getAttribute(p("f"), "unix:uid"));
        assertEquals(43, Files.getAttribute(p("f"), "unix:gid"));
        assertEquals(777L, Files.getAttribute(p("f"), "unix:size"));
        expect(ROOT, py("s = os.stat('f')", "print(s.st_blksize > 0, s.st_blocks >= 0)"), "True True");
    }

    @Test
    void everyFileHasItsOwnFileId() throws IOException {
        Files.createFile(p("f"));
        Files.createFile(p("g"));
        Files.createDirectory(p("e"));
        Files.createSymbolicLink(p("l"), Path.of("f"));
        Set<Long> ids = new HashSet<>();
        for (Path x : new Path[] {f.dir, d, p("f"), p("g"), p("e"), p("l")}) {
            assertTrue(ids.add(ino(x)), "file id of " + x + " is shared");
        }
    }

    @Test
    void storageUsedGrowsWithDataWritten() throws IOException {
        Files.createFile(p("f"));
        expect(ROOT, py(
                "empty = os.stat('f').st_blocks",
                "fd = os.open('f', os.O_WRONLY)",
                "os.write(fd, os.urandom(256 * 1024))",
                "os.fsync(fd)",
                "os.close(fd)",
                "full = os.stat('f').st_blocks",
                "print(full * 512 >= empty * 512 + 256 * 1024 or (empty, full))"), "True");
    }

    @Test
    void mknodMakesAFifoAndDeviceNodes() {
        expect(ROOT, py(
                "os.mkfifo('p', 0o600)",
                "s = os.lstat('p')",
                "print(stat.S_ISFIFO(s.st_mode), oct(stat.S_IMODE(s.st_mode)))",
                "os.mknod('c', 0o640 | stat.S_IFCHR, os.makedev(8, 3))",
                "s = os.lstat('c')",
                "print(stat.S_ISCHR(s.st_mode), os.major(s.st_rdev), os.minor(s.st_rdev))",
                "t('again', os.mkfifo, 'p', 0o600)"), "True 0o600", "True 8 3", "again EEXIST");
    }

    @Test
    void newFilesBelongToTheirCreatorAndTheirDirectorysGroup() throws IOException {
        Files.createDirectory(p("g"));
        Files.setAttribute(p("g"), "unix:mode", 0777);
        Files.setAttribute(p("g"), "unix:gid", 4242);
        expect(ALICE, py("put('g/f')", "os.mkdir('g/e')"));
        // BSD semantics: a new file takes the group of the directory it is made in.
        assertEquals(1000, Files.getAttribute(p("g/f"), "unix:uid"));
        assertEquals(4242, Files.getAttribute(p("g/f"), "unix:gid"));
        assertEquals(1000, Files.getAttribute(p("g/e"), "unix:uid"));
        assertEquals(4242, Files.getAttribute(p("g/e"), "unix:gid"));
    }

    // ---------------------------------------------------------------- timestamps
    // The rump kernel under a mount runs on the host clock: "the fake clock's time" becomes "a
    // time taken during the call", and times that must not move are first set to a known past.

    @Test
    void createSetsAllTimesToNow() throws IOException {
        Instant before = Instant.now();
        Files.createFile(p("f"));
        assertWithin(before, atime(p("f")), "atime");
        assertWithin(before, mtime(p("f")), "mtime");
        assertWithin(before, ctime(p("f")), "ctime");
        assertEquals(mtime(p("f")), ctime(p("f")), "mtime and ctime of a new file");
    }

    @Test
    void createUpdatesTheParentsModificationAndChangeTimes() throws IOException {
        Files.createDirectory(p("e"));
        ageTimes(p("e"));
        Instant before = Instant.now();
        Files.createFile(p("e/f"));
        assertWithin(before, mtime(p("e")), "parent's mtime");
        assertWithin(before, ctime(p("e")), "parent's ctime");
        assertEquals(OLD_ATIME, atime(p("e")), "parent's atime");
    }

    @Test
    void writeUpdatesModificationAndChangeTimesButNotAccessTime() throws IOException {
        Files.createFile(p("f"));
        ageTimes(p("f"));
        Instant before = Instant.now();
        try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'x'}));
        }
        assertWithin(before, mtime(p("f")), "mtime");
        assertWithin(before, ctime(p("f")), "ctime");
        assertEquals(OLD_ATIME, atime(p("f")), "atime");
    }

    @Test
    void readChangesNeitherModificationNorChangeTime() throws IOException {
        Files.writeString(p("f"), "read me");
        ageTimes(p("f"));
        FileTime ctime = ctime(p("f"));
        settle();
        assertEquals("read me", Files.readString(p("f")));
        assertEquals(OLD_MTIME, mtime(p("f")));
        assertEquals(ctime, ctime(p("f")));
    }

    @Test
    void truncateThatChangesTheSizeUpdatesModificationAndChangeTimes() throws IOException {
        Files.writeString(p("f"), "123456");
        ageTimes(p("f"));
        Instant before = Instant.now();
        truncate(p("f"), 2);
        assertWithin(before, mtime(p("f")), "mtime after shrinking");
        assertWithin(before, ctime(p("f")), "ctime after shrinking");
        ageTimes(p("f"));
        before = Instant.now();
        truncate(p("f"), 4096);
        assertWithin(before, mtime(p("f")), "mtime after growing");
    }

    @Test
    void openWithTruncateUpdatesModificationAndChangeTimes() throws IOException {
        Files.writeString(p("f"), "123456");
        ageTimes(p("f"));
        Instant before = Instant.now();
        FileChannel.open(p("f"), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING).close();
        assertWithin(before, mtime(p("f")), "mtime");
        assertWithin(before, ctime(p("f")), "ctime");
    }

    @Test
    void chmodUpdatesOnlyTheChangeTime() throws IOException {
        Files.createFile(p("f"));
        ageTimes(p("f"));
        Instant before = Instant.now();
        Files.setAttribute(p("f"), "unix:mode", 0600);
        assertWithin(before, ctime(p("f")), "ctime");
        assertEquals(OLD_MTIME, mtime(p("f")));
        assertEquals(OLD_ATIME, atime(p("f")));
    }

    @Test
    void chownUpdatesOnlyTheChangeTime() throws IOException {
        Files.createFile(p("f"));
        ageTimes(p("f"));
        Instant before = Instant.now();
        chown(p("f"), 5, 6);
        assertWithin(before, ctime(p("f")), "ctime");
        assertEquals(OLD_MTIME, mtime(p("f")));
        assertEquals(OLD_ATIME, atime(p("f")));
    }

    @Test
    void linkUpdatesTheFilesChangeTimeAndTheDirectorysTimes() throws IOException {
        Files.createDirectory(p("e"));
        Files.createFile(p("f"));
        ageTimes(p("f"));
        ageTimes(p("e"));
        Instant before = Instant.now();
        Files.createLink(p("e/g"), p("f"));
        settle();
        assertWithin(before, ctime(p("f")), "file's ctime");
        assertEquals(OLD_MTIME, mtime(p("f")), "file's mtime");
        assertWithin(before, mtime(p("e")), "directory's mtime");
        assertWithin(before, ctime(p("e")), "directory's ctime");
    }

    @Test
    void unlinkUpdatesTheDirectorysTimesAndTheRemainingLinksChangeTime() throws IOException {
        Files.createDirectory(p("e"));
        Files.createFile(p("e/f"));
        Files.createLink(p("g"), p("e/f"));
        ageTimes(p("e"));
        Instant before = Instant.now();
        Files.delete(p("e/f"));
        settle();
        assertWithin(before, mtime(p("e")), "directory's mtime");
        assertWithin(before, ctime(p("e")), "directory's ctime");
        assertWithin(before, ctime(p("g")), "the remaining link's ctime");
    }

    @Test
    void mkdirAndRmdirUpdateTheParentsTimes() throws IOException {
        Files.createDirectory(p("q"));
        ageTimes(p("q"));
        Instant before = Instant.now();
        Files.createDirectory(p("q/e"));
        assertWithin(before, mtime(p("q")), "mtime after mkdir");
        assertWithin(before, ctime(p("q")), "ctime after mkdir");
        ageTimes(p("q"));
        before = Instant.now();
        Files.delete(p("q/e"));
        assertWithin(before, mtime(p("q")), "mtime after rmdir");
        assertWithin(before, ctime(p("q")), "ctime after rmdir");
    }

    @Test
    void renameUpdatesBothParentsTimes() throws IOException {
        Files.createDirectory(p("a"));
        Files.createDirectory(p("b"));
        Files.createFile(p("a/f"));
        ageTimes(p("a"));
        ageTimes(p("b"));
        Instant before = Instant.now();
        Files.move(p("a/f"), p("b/f"), StandardCopyOption.ATOMIC_MOVE);
        assertWithin(before, mtime(p("a")), "source's mtime");
        assertWithin(before, ctime(p("a")), "source's ctime");
        assertWithin(before, mtime(p("b")), "target's mtime");
        assertWithin(before, ctime(p("b")), "target's ctime");
    }

    @Test
    void symlinkCreationSetsTheLinksTimesAndTheParents() throws IOException {
        ageTimes(d);
        Instant before = Instant.now();
        Files.createSymbolicLink(p("l"), Path.of("target"));
        assertWithin(before, mtime(p("l")), "link's mtime");
        assertWithin(before, ctime(p("l")), "link's ctime");
        assertWithin(before, mtime(d), "parent's mtime");
    }

    @Test
    void utimensKeepsTimesBeforeTheEpoch() throws IOException {
        Files.createFile(p("f"));
        long ns = -86_400L * 365 * 1_000_000_000L + 5;
        expect(ROOT, py("os.utime('f', ns=(" + ns + ", " + ns + "))", "s = os.stat('f')", "print(s.st_atime_ns, s.st_mtime_ns)"),
                ns + " " + ns);
        assertEquals(-86_400L * 365, f.facade.stat(kp("f")).mtime.sec());
        assertEquals(5, f.facade.stat(kp("f")).mtime.nsec());
    }

    /** touch -a: utimensat(2) with UTIME_NOW for the access time and UTIME_OMIT for the other. */
    @Test
    void utimeNowSetsATimeToTheClock() throws IOException {
        Files.createFile(p("f"));
        expect(ROOT, py("os.utime('f', ns=(1000000001, 2000000002))"));
        Instant before = Instant.now();
        Sh.run(d, "touch", "-a", "f").ok();
        assertWithin(before, atime(p("f")), "atime");
        assertEquals(FileTime.from(Instant.ofEpochSecond(2, 2)), mtime(p("f")));
    }

    /** touch -m -d: an explicit modification time, the access time UTIME_OMIT. */
    @Test
    void utimeOmitLeavesATimeAlone() throws IOException {
        Files.createFile(p("f"));
        expect(ROOT, py("os.utime('f', ns=(10000000010, 20000000020))"));
        Sh.run(d, "touch", "-m", "-d", "@30.000000030", "f").ok();
        assertEquals(FileTime.from(Instant.ofEpochSecond(10, 10)), atime(p("f")));
        assertEquals(FileTime.from(Instant.ofEpochSecond(30, 30)), mtime(p("f")));
    }

    /** touch(1) of an existing file: utimensat(2) with no times, both set to now. */
    @Test
    void utimeNowForBothSetsBothToTheClock() throws IOException {
        Files.createFile(p("f"));
        ageTimes(p("f"));
        Instant before = Instant.now();
        Sh.run(d, "touch", "f").ok();
        assertWithin(before, atime(p("f")), "atime");
        assertWithin(before, mtime(p("f")), "mtime");
        assertWithin(before, ctime(p("f")), "ctime");
    }

    /** java.nio's setTimes with a null access time leaves that time as it was. */
    @Test
    void aNullTimeInUtimensLeavesThatTimeAlone() throws IOException {
        Files.createFile(p("f"));
        ageTimes(p("f"));
        FileTime m = FileTime.from(Instant.ofEpochSecond(3));
        Files.getFileAttributeView(p("f"), BasicFileAttributeView.class).setTimes(m, null, null);
        assertEquals(OLD_ATIME, atime(p("f")));
        assertEquals(m, mtime(p("f")));
    }

    @Test
    void utimensOnASymlinkChangesItsTarget() throws IOException {
        Files.createFile(p("f"));
        Files.createSymbolicLink(p("l"), Path.of("f"));
        FileTime linkMtime = mtime(p("l"));
        FileTime m = FileTime.from(Instant.ofEpochSecond(88, 8));
        Files.setLastModifiedTime(p("l"), m);
        assertEquals(m, mtime(p("f")));
        assertEquals(linkMtime, mtime(p("l")));
    }

    // ---------------------------------------------------------------- chmod and chown

    @Test
    void chmodSetsThePermissionBitsAndKeepsTheType() throws IOException {
        Files.createFile(p("f"));
        Files.createDirectory(p("e"));
        Files.setAttribute(p("f"), "unix:mode", 0421);
        Files.setAttribute(p("e"), "unix:mode", 01777);
        assertEquals(0100421, Files.getAttribute(p("f"), "unix:mode"));
        assertEquals(0041777, Files.getAttribute(p("e"), "unix:mode"));
    }

    @Test
    void rootMaySetSetuidAndSetgidBits() throws IOException {
        Files.createFile(p("f"));
        Files.setAttribute(p("f"), "unix:mode", 06755);
        assertEquals(06755, mode(p("f")));
    }

    @Test
    void chownWithNoValueLeavesThatFieldAlone() throws IOException {
        Files.createFile(p("f"));
        expect(ROOT, py("os.chown('f', 1234, 5678)", "os.chown('f', -1, 99)", "s = os.stat('f')", "print(s.st_uid, s.st_gid)",
                "os.chown('f', 77, -1)", "s = os.stat('f')", "print(s.st_uid, s.st_gid)"), "1234 99", "77 99");
    }

    @Test
    void idsAreUnsigned32BitNumbers() {
        expect(ROOT, py("put('f')", "os.chown('f', 4294967294, 4000000000)", "s = os.stat('f')", "print(s.st_uid, s.st_gid)"),
                "4294967294 4000000000");
    }

    // ---------------------------------------------------------------- permissions
    // Other users are other processes (setpriv), so that the host kernel, FUSE and the rump
    // kernel all see them as the caller.

    @Test
    void readingAFileWithModeZeroFailsWithEACCESForItsOwner() throws IOException {
        aliceHome();
        expect(ALICE, py("put('u/f', b'secret')", "os.chmod('u/f', 0)", "t('read', op, 'u/f', os.O_RDONLY)",
                "t('write', op, 'u/f', os.O_WRONLY)"), "read EACCES", "write EACCES");
    }

    @Test
    void rootReadsAndWritesFilesWithModeZero() throws IOException {
        aliceHome();
        expect(ALICE, py("put('u/f', b'secret')", "os.chmod('u/f', 0)"));
        assertEquals("secret", Files.readString(p("u/f")));
        FileChannel.open(p("u/f"), StandardOpenOption.WRITE).close();
    }

    @Test
    void theOwnerClassDecidesForTheOwnerEvenIfGroupOrOthersMayDoMore() throws IOException {
        aliceHome();
        expect(ALICE, py("put('u/f')", "os.chmod('u/f', 0o077)", "t('owner', op, 'u/f', os.O_RDONLY)"), "owner EACCES");
        expect(CAROL, py("t('group', op, 'u/f', os.O_RDWR)"), "group ok");
        expect(BOB, py("t('other', op, 'u/f', os.O_RDWR)"), "other ok");
    }

    @Test
    void theGroupClassDecidesForGroupMembers() throws IOException {
        aliceHome();
        expect(ALICE, py("put('u/f')", "os.chmod('u/f', 0o647)"));
        expect(DAVE, py("t('group', op, 'u/f', os.O_WRONLY)"), "group EACCES");
        expect(BOB, py("t('other', op, 'u/f', os.O_RDWR)"), "other ok");
    }

    @Test
    void supplementaryGroupsGrantGroupAccess() throws IOException {
        aliceHome();
        expect(ALICE, py("put('u/f', b'group')", "os.chmod('u/f', 0o640)"));
        expect(CAROL, py("print(rd('u/f'))"), "b'group'");
        expect(BOB, py("t('other', rd, 'u/f')"), "other EACCES");
    }

    @Test
    void otherUsersNeedTheOtherBits() throws IOException {
        aliceHome();
        expect(ALICE, py("put('u/f')", "os.chmod('u/f', 0o660)"));
        expect(BOB, py("t('read', op, 'u/f', os.O_RDONLY)"), "read EACCES");
        Files.setAttribute(p("u/f"), "unix:mode", 0664);
        expect(BOB, py("t('read', op, 'u/f', os.O_RDONLY)", "t('write', op, 'u/f', os.O_WRONLY)"), "read ok", "write EACCES");
    }

    @Test
    void lookupThroughADirectoryWithoutSearchPermissionFailsWithEACCES() throws IOException {
        aliceHome();
        expect(ALICE, py("os.mkdir('u/e')", "put('u/e/f')", "os.chmod('u/e', 0o666)",
                "t('stat', os.stat, 'u/e/f')", "t('open', op, 'u/e/f', os.O_RDONLY)", "print(os.listdir('u/e'))"),
                "stat EACCES", "open EACCES", "['f']");
    }

    @Test
    void listingADirectoryNeedsReadPermissionButLookupDoesNot() throws IOException {
        aliceHome();
        expect(ALICE, py("os.mkdir('u/e')", "put('u/e/f')", "os.chmod('u/e', 0o311)",
                "t('readdir', os.listdir, 'u/e')", "print(os.stat('u/e/f').st_size)"), "readdir EACCES", "1");
    }

    @Test
    void rootSearchesDirectoriesWithNoPermissionBits() throws IOException {
        aliceHome();
        expect(ALICE, py("os.mkdir('u/e')", "put('u/e/f')", "os.chmod('u/e', 0)"));
        assertEquals(1, Files.size(p("u/e/f")));
        assertEquals(Set.of("f"), list(p("u/e")));
        p("u/e").getFileSystem().provider().checkAccess(p("u/e"), java.nio.file.AccessMode.EXECUTE);
    }

    @Test
    void rootMayExecuteOnlyFilesWithAtLeastOneExecuteBit() throws IOException {
        Files.createFile(p("f"));
        Files.setAttribute(p("f"), "unix:mode", 0644);
        var provider = p("f").getFileSystem().provider();
        assertFails("execute", () -> provider.checkAccess(p("f"), java.nio.file.AccessMode.EXECUTE), Errno.EACCES);
        provider.checkAccess(p("f"), java.nio.file.AccessMode.READ, java.nio.file.AccessMode.WRITE);
        Files.setAttribute(p("f"), "unix:mode", 0001);
        provider.checkAccess(p("f"), java.nio.file.AccessMode.EXECUTE);
    }

    @Test
    void accessReportsWhatTheCallerMayDo() throws IOException {
        aliceHome();
        expect(ALICE, py("put('u/f')", "os.chmod('u/f', 0o500)",
                "print(os.access('u/f', os.R_OK | os.X_OK), os.access('u/f', os.W_OK))"), "True False");
        expect(BOB, py("print(os.access('u/f', os.R_OK))"), "False");
    }

    @Test
    void creatingAFileNeedsWritePermissionOnItsDirectory() throws IOException {
        aliceHome();
        expect(ALICE, py("os.chmod('u', 0o555)", "t('create', op, 'u/f', os.O_RDWR | os.O_CREAT)", "t('mkdir', os.mkdir, 'u/e')",
                "t('symlink', os.symlink, 'x', 'u/l')"), "create EACCES", "mkdir EACCES", "symlink EACCES");
        expect(BOB, py("t('create', op, 'u/g', os.O_RDWR | os.O_CREAT)"), "create EACCES");
        assertEquals(Set.of(), list(p("u")));
    }

    @Test
    void removingAFileNeedsWritePermissionOnItsDirectoryNotOnTheFile() throws IOException {
        aliceHome();
        expect(ALICE, py("put('u/f')", "os.chmod('u/f', 0)", "os.chmod('u', 0o555)", "t('unlink', os.unlink, 'u/f')",
                "os.chmod('u', 0o755)", "t('unlink', os.unlink, 'u/f')"), "unlink EACCES", "unlink ok");
    }

    @Test
    void removingADirectoryNeedsWritePermissionOnItsParent() throws IOException {
        aliceHome();
        expect(ALICE, py("os.mkdir('u/e')", "os.chmod('u', 0o555)", "t('rmdir', os.rmdir, 'u/e')"), "rmdir EACCES");
    }

    @Test
    void renameNeedsWritePermissionOnBothDirectories() throws IOException {
        aliceHome();
        expect(ALICE, py("os.mkdir('u/from')", "os.mkdir('u/to')", "put('u/from/f')",
                "os.chmod('u/to', 0o555)", "t('to read-only', os.rename, 'u/from/f', 'u/to/f')",
                "os.chmod('u/to', 0o755)", "os.chmod('u/from', 0o555)", "t('from read-only', os.rename, 'u/from/f', 'u/to/f')",
                "os.chmod('u/from', 0o755)", "t('both writable', os.rename, 'u/from/f', 'u/to/f')"),
                "to read-only EACCES", "from read-only EACCES", "both writable ok");
    }

    @Test
    void movingADirectoryToAnotherParentNeedsWritePermissionOnItToRewriteDotDot() throws IOException {
        aliceHome();
        expect(ALICE, py("os.mkdir('u/a')", "os.mkdir('u/b')", "os.mkdir('u/a/e', 0o555)",
                "t('to another parent', os.rename, 'u/a/e', 'u/b/e')", "t('in the same parent', os.rename, 'u/a/e', 'u/a/g')"),
                "to another parent EACCES", "in the same parent ok");
    }

    /**
     * The file linked is Alice's own: with Linux's fs.protected_hardlinks (on by default) a
     * user may not link a file she neither owns nor may read and write, whatever the directory.
     */
    @Test
    void linkNeedsWritePermissionOnTheTargetDirectory() throws IOException {
        aliceHome();
        expect(ALICE, py("put('u/f')", "os.mkdir('u/ro', 0o555)", "t('into read-only', os.link, 'u/f', 'u/ro/g')",
                "t('into writable', os.link, 'u/f', 'u/g')"), "into read-only EACCES", "into writable ok");
    }

    @Test
    void inAStickyDirectoryOthersMayNotRemoveOrRenameYourFiles() throws IOException {
        Files.createDirectory(p("tmp"));
        Files.setAttribute(p("tmp"), "unix:mode", 01777);
        expect(ALICE, py("put('tmp/a', b\"alice's\")"));
        expect(BOB, py("t('unlink', os.unlink, 'tmp/a')", "t('rename', os.rename, 'tmp/a', 'tmp/b')", "put('tmp/bobs', b\"bob's\")",
                "t('replace', os.rename, 'tmp/bobs', 'tmp/a')"), "unlink EPERM", "rename EPERM", "replace EPERM");
        assertEquals("alice's", Files.readString(p("tmp/a")));
    }

    @Test
    void inAStickyDirectoryTheFilesOwnerTheDirectorysOwnerAndRootMayRemove() throws IOException {
        Files.createDirectory(p("tmp"));
        Files.setAttribute(p("tmp"), "unix:mode", 01777);
        chown(p("tmp"), 1001, 1001);
        expect(ALICE, py("put('tmp/a1')", "put('tmp/a2')", "put('tmp/a3')", "os.unlink('tmp/a1')"));
        expect(BOB, py("os.unlink('tmp/a2')"));
        Files.delete(p("tmp/a3"));
        assertEquals(Set.of(), list(p("tmp")));
    }

    @Test
    void inAStickyDirectoryOthersMayNotRemoveYourDirectories() throws IOException {
        Files.createDirectory(p("tmp"));
        Files.setAttribute(p("tmp"), "unix:mode", 01777);
        expect(ALICE, py("os.mkdir('tmp/e', 0o777)"));
        expect(BOB, py("t('rmdir', os.rmdir, 'tmp/e')"), "rmdir EPERM");
        expect(ALICE, py("t('rmdir', os.rmdir, 'tmp/e')"), "rmdir ok");
    }

    @Test
    void chmodByAnyoneButTheOwnerOrRootFailsWithEPERM() throws IOException {
        aliceHome();
        expect(ALICE, py("put('u/f')", "os.chmod('u/f', 0o666)"));
        expect(BOB, py("t('chmod', os.chmod, 'u/f', 0o777)"), "chmod EPERM");
        expect(CAROL, py("t('chmod', os.chmod, 'u/f', 0o777)"), "chmod EPERM");
        Files.setAttribute(p("u/f"), "unix:mode", 0600);
        assertEquals(0600, mode(p("u/f")));
    }

    @Test
    void chownToAnotherUserByAnOrdinaryUserFailsWithEPERM() throws IOException {
        aliceHome();
        expect(ALICE, py("put('u/f')", "t('give away', os.chown, 'u/f', 1001, -1)"), "give away EPERM");
        expect(BOB, py("t('take', os.chown, 'u/f', 1001, -1)"), "take EPERM");
        assertEquals(1000, Files.getAttribute(p("u/f"), "unix:uid"));
    }

    @Test
    void chgrpToAGroupTheOwnerIsNotInFailsWithEPERM() throws IOException {
        aliceHome();
        expect(ALICE, py("put('u/f')", "t('chgrp', os.chown, 'u/f', -1, 1001)"), "chgrp EPERM");
        assertEquals(1000, Files.getAttribute(p("u/f"), "unix:gid"));
    }

    @Test
    void chgrpToASupplementaryGroupByTheOwnerIsAllowed() throws IOException {
        Files.createDirectory(p("c"));
        Files.setAttribute(p("c"), "unix:mode", 0777);
        expect(CAROL, py("put('c/f')", "os.chown('c/f', -1, 1000)", "print(os.stat('c/f').st_gid)", "os.chown('c/f', 1002, 1002)"), "1000");
        assertEquals(1002, Files.getAttribute(p("c/f"), "unix:gid"));
    }

    /** NetBSD refuses with EPERM; Linux (and POSIX) clear the bit. Either way the file is not set-group-ID. */
    @Test
    void anOrdinaryUserCannotSetSetgidOnAFileOfAGroupSheIsNotIn() throws IOException {
        Files.createFile(p("f"));
        chown(p("f"), 1000, 0);
        expect(ALICE, py("t('g+s', os.chmod, 'f', 0o2755)"), "g+s ok");
        assertEquals(0, mode(p("f")) & 02000, "set-group-ID bit was set");
        expect(ALICE, py("os.chmod('f', 0o4755)"));
        assertEquals(04755, mode(p("f")));
    }

    @Test
    void anOrdinaryUserMaySetTheStickyBitOnHerDirectory() throws IOException {
        aliceHome();
        expect(ALICE, py("os.mkdir('u/e')", "os.chmod('u/e', 0o1777)"));
        assertEquals(01777, mode(p("u/e")));
    }

    @Test
    void fchmodFchownAndFutimensWorkThroughAHandle() throws IOException {
        Files.createFile(p("f"));
        expect(ROOT, py("fd = os.open('f', os.O_RDWR)", "os.fchmod(fd, 0o600)", "os.fchown(fd, 5, 6)",
                "os.utime(fd, ns=(3000000004, 5000000006))", "s = os.fstat(fd)",
                "print(oct(stat.S_IMODE(s.st_mode)), s.st_uid, s.st_gid, s.st_atime_ns, s.st_mtime_ns)", "os.close(fd)"),
                "0o600 5 6 3000000004 5000000006");
        assertEquals(0600, f.facade.stat(kp("f")).mode);
    }

    @Test
    void aWriteByAnotherUserClearsSetuidAndSetgid() throws IOException {
        aliceHome();
        expect(ALICE, py("put('u/f', b'prog')", "os.chmod('u/f', 0o6777)"));
        expect(BOB, py("fd = os.open('u/f', os.O_WRONLY)", "os.write(fd, b'evil')", "os.close(fd)"));
        assertEquals(0777, mode(p("u/f")));
        assertEquals(0777, f.facade.stat(kp("u/f")).mode);
        assertEquals("evil", Files.readString(p("u/f")));
    }

    @Test
    void anOpenHandleKeepsItsAccessAfterChmodToZero() throws IOException {
        aliceHome();
        expect(ALICE, py("put('u/f', b'before')", "fd = os.open('u/f', os.O_RDWR)", "os.chmod('u/f', 0)",
                "t('open again', op, 'u/f', os.O_RDONLY)", "print(os.pread(fd, 100, 0))", "os.pwrite(fd, b'AFTER!', 0)", "os.close(fd)"),
                "open again EACCES", "b'before'");
        assertEquals("AFTER!", Files.readString(p("u/f")));
    }

    @Test
    void truncateNeedsWritePermission() throws IOException {
        aliceHome();
        expect(ALICE, py("put('u/f', b'keep')", "os.chmod('u/f', 0o644)"));
        expect(BOB, py("t('truncate', os.truncate, 'u/f', 0)", "t('O_TRUNC', op, 'u/f', os.O_RDONLY | os.O_TRUNC)"),
                "truncate EACCES", "O_TRUNC EACCES");
        assertEquals("keep", Files.readString(p("u/f")));
    }

    @Test
    void setTimesToNowNeedsOnlyWritePermissionButExplicitTimesNeedOwnership() throws IOException {
        aliceHome();
        expect(ALICE, py("put('u/f')", "os.chmod('u/f', 0o666)"));
        expect(BOB, py("t('now', os.utime, 'u/f')", "t('explicit', os.utime, 'u/f', (5, 5))"), "now ok", "explicit EPERM");
        Files.setAttribute(p("u/f"), "unix:mode", 0644);
        expect(BOB, py("t('now', os.utime, 'u/f')"), "now EACCES");
        expect(ALICE, py("os.utime('u/f', (5, 6))"));
        assertEquals(FileTime.from(Instant.ofEpochSecond(6)), mtime(p("u/f")));
    }

    // ---------------------------------------------------------------- statvfs, space, sync

    @Test
    void statvfsReportsNameMax255AndSaneCounts() {
        expect(ROOT, py("s = os.statvfs('.')",
                "print(s.f_namemax, s.f_blocks > 0, s.f_bfree <= s.f_blocks, s.f_bavail <= s.f_bfree, s.f_frsize > 0, s.f_bsize > 0,",
                "      s.f_flag & os.ST_RDONLY)"), "255 True True True True True 0");
    }

    @Test
    void freeBlocksDropAfterAWriteAndRecoverAfterDelete() throws IOException {
        FileStore store = Files.getFileStore(d);
        f.facade.sync();
        long before = store.getUnallocatedSpace();
        int size = 2 << 20;
        try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeAt(ch, 0, pattern(size, 5));
            ch.force(true);
        }
        f.facade.sync();
        long during = store.getUnallocatedSpace();
        assertTrue(before - during >= size * 9L / 10, "2 MiB written but free space fell by only " + (before - during) + " bytes");
        Files.delete(p("f"));
        f.facade.sync();
        long after = store.getUnallocatedSpace();
        assertTrue(after >= before - 65536, "free space " + before + " -> " + after + " after delete");
    }

    @Test
    void freeFileSlotsDropWhenFilesAreMade() {
        expect(ROOT, py("before = os.statvfs('.')",
                "for i in range(10):",
                "    put('f%d' % i)",
                "after = os.statvfs('.')",
                "print(before.f_files == 0 or after.f_ffree <= before.f_ffree - 10 or (before.f_ffree, after.f_ffree))"), "True");
    }

    @Test
    void syncAndFsyncSucceed() throws IOException {
        Files.write(p("f"), pattern(100_000, 1));
        try (FileChannel ch = FileChannel.open(p("f"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.force(true);
            ch.force(false);
        }
        expect(ROOT, py("os.mkdir('e')", "fd = os.open('e', os.O_RDONLY | os.O_DIRECTORY)", "os.fsync(fd)", "os.close(fd)",
                "fd = os.open('f', os.O_RDONLY)", "os.fsync(fd)", "os.fdatasync(fd)", "os.close(fd)", "os.sync()"));
        assertArrayEquals(pattern(100_000, 1), Files.readAllBytes(p("f")));
    }

    // ---------------------------------------------------------------- read-only mounts
    // The file system is read-only inside the rump kernel and FUSE mounts it read-write, so each
    // request reaches the driver, which must refuse it. (A FUSE mount with -o ro is refused by
    // Linux itself: FuseMountIT.)

    /** d, e, f ("data") and l (to f), then mounted read-only; a tmpfs comes back empty. */
    private FuseFixture readOnlyMount() throws IOException {
        if (ro == null) {
            ro = FuseFixture.mountReadOnlyAfter(backing(), root -> {
                root.mkdir("/d", 0755);
                root.mkdir("/e", 0755);
                root.writeAll("/f", "data".getBytes(StandardCharsets.US_ASCII));
                root.symlink("f", "/l");
            });
        }
        return ro;
    }

    /**
     * statvfs's ST_RDONLY and access(W_OK) are not here: Linux answers both from its own mount
     * flags and, with default_permissions, from the mode bits, without asking the file system.
     */
    @Test
    void aReadOnlyMountRefusesToCreateAnythingWithEROFS() throws IOException {
        FuseFixture r = readOnlyMount();
        Set<String> before = list(r.dir);
        assertTrue(r.mounted.isReadOnly());
        assertFails("create", () -> Files.createFile(r.dir.resolve("x")), Errno.EROFS);
        assertFails("mkdir", () -> Files.createDirectory(r.dir.resolve("x")), Errno.EROFS);
        assertFails("symlink", () -> Files.createSymbolicLink(r.dir.resolve("x"), Path.of("y")), Errno.EROFS);
        assertFails("chmod", () -> Files.setAttribute(r.dir, "unix:mode", 0700), Errno.EROFS);
        assertFails("chown", () -> Files.setAttribute(r.dir, "unix:uid", 5), Errno.EROFS);
        Python3.expectIn(r.dir, ROOT, py("t('mknod', os.mkfifo, 'p')", "t('utimens', os.utime, '.')"), "mknod EROFS", "utimens EROFS");
        assertEquals(before, list(r.dir));
    }

    /** Not on tmpfs, which keeps nothing across a remount (the in-process contract leaves it out there too). */
    @Test
    void aReadOnlyMountRefusesEveryChangeToExistingFilesWithEROFS() throws IOException {
        FuseFixture r = readOnlyMount();
        Path rf = r.dir.resolve("f");
        assertEquals("data", Files.readString(rf));
        assertFails("open for writing", () -> FileChannel.open(rf, StandardOpenOption.WRITE).close(), Errno.EROFS);
        assertFails("truncate", () -> truncate(rf, 0), Errno.EROFS);
        assertFails("unlink", () -> Files.delete(rf), Errno.EROFS);
        assertFails("unlink symlink", () -> Files.delete(r.dir.resolve("l")), Errno.EROFS);
        assertFails("rmdir", () -> Files.delete(r.dir.resolve("e")), Errno.EROFS);
        assertFails("rename", () -> Files.move(rf, r.dir.resolve("g"), StandardCopyOption.ATOMIC_MOVE), Errno.EROFS);
        assertFails("rename dir", () -> Files.move(r.dir.resolve("d"), r.dir.resolve("e"), StandardCopyOption.ATOMIC_MOVE), Errno.EROFS);
        assertFails("link", () -> Files.createLink(r.dir.resolve("g"), rf), Errno.EROFS);
        assertFails("chmod", () -> Files.setAttribute(rf, "unix:mode", 0600), Errno.EROFS);
        assertFails("chown", () -> Files.setAttribute(rf, "unix:uid", 1), Errno.EROFS);
        assertFails("utimens", () -> Files.setLastModifiedTime(rf, FileTime.fromMillis(1000)), Errno.EROFS);
        Python3.expectIn(r.dir, ROOT, py("t('O_TRUNC', op, 'f', os.O_RDONLY | os.O_TRUNC)", "t('lchown', os.lchown, 'l', 1, 1)"),
                "O_TRUNC EROFS", "lchown EROFS");
        assertEquals("data", Files.readString(rf));
        assertEquals(Set.of("d", "e", "f", "l"), list(r.dir));
    }
}
