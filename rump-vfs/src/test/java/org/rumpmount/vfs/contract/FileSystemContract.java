package org.rumpmount.vfs.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.rumpmount.vfs.Errno.EACCES;
import static org.rumpmount.vfs.Errno.EBADF;
import static org.rumpmount.vfs.Errno.EBUSY;
import static org.rumpmount.vfs.Errno.EEXIST;
import static org.rumpmount.vfs.Errno.EFBIG;
import static org.rumpmount.vfs.Errno.EFTYPE;
import static org.rumpmount.vfs.Errno.EINVAL;
import static org.rumpmount.vfs.Errno.EISDIR;
import static org.rumpmount.vfs.Errno.ELOOP;
import static org.rumpmount.vfs.Errno.ENAMETOOLONG;
import static org.rumpmount.vfs.Errno.ENOENT;
import static org.rumpmount.vfs.Errno.ENOSPC;
import static org.rumpmount.vfs.Errno.ENOTDIR;
import static org.rumpmount.vfs.Errno.ENOTEMPTY;
import static org.rumpmount.vfs.Errno.EPERM;
import static org.rumpmount.vfs.Errno.EROFS;
import static org.rumpmount.vfs.OpenFlags.O_APPEND;
import static org.rumpmount.vfs.OpenFlags.O_CREAT;
import static org.rumpmount.vfs.OpenFlags.O_DIRECTORY;
import static org.rumpmount.vfs.OpenFlags.O_EXCL;
import static org.rumpmount.vfs.OpenFlags.O_NOFOLLOW;
import static org.rumpmount.vfs.OpenFlags.O_RDONLY;
import static org.rumpmount.vfs.OpenFlags.O_RDWR;
import static org.rumpmount.vfs.OpenFlags.O_TRUNC;
import static org.rumpmount.vfs.OpenFlags.O_WRONLY;
import static org.rumpmount.vfs.contract.ErrnoAssertions.anyOf;
import static org.rumpmount.vfs.contract.ErrnoAssertions.assertErrno;
import static org.rumpmount.vfs.contract.ErrnoAssertions.assertErrnoIn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rumpmount.vfs.Access;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.FileFlags;
import org.rumpmount.vfs.FileHandle;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.StatVfs;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;

/**
 * The file system contract: one body of POSIX rules, with NetBSD's answer where POSIX leaves a
 * choice, run against every driver through the path facade (as NetBSD's tests/fs/vfs run one
 * body against ffs, lfs, tmpfs and the rest). A driver's test class extends this and supplies
 * {@link #mountFresh} and its capabilities.
 *
 * <p>Each test gets a fresh kernel and mount; afterwards the tree is audited, no vnode may remain
 * referenced, and the file system is unmounted (see {@link ContractBase}).
 */
public abstract class FileSystemContract extends ContractBase {

    // ---------------------------------------------------------------- helpers

    protected static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Deterministic, position-dependent bytes, so a misplaced block shows. */
    protected static byte[] pattern(int length, int seed) {
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

    /** Creates or replaces {@code path} holding {@code data}. */
    protected static void put(PathFacade f, String path, byte[] data) throws IOException {
        try (FileHandle h = f.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) {
            writeAt(h, 0, data);
        }
    }

    protected void put(String path, byte[] data) throws IOException {
        put(fs, path, data);
    }

    protected void put(String path, String text) throws IOException {
        put(fs, path, utf8(text));
    }

    protected void touch(String path) throws IOException {
        fs.open(path, O_WRONLY | O_CREAT, 0644).close();
    }

    protected static void writeAt(FileHandle h, long offset, byte[] data) throws IOException {
        int n = h.write(offset, ByteBuffer.wrap(data));
        assertEquals(data.length, n, "bytes written at " + offset);
    }

    /** Reads up to {@code len} bytes at {@code offset}, stopping early only at end of file. */
    protected static byte[] readAt(FileHandle h, long offset, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        while (buf.hasRemaining()) {
            int n = h.read(offset + buf.position(), buf);
            if (n <= 0) {
                break;
            }
        }
        byte[] out = new byte[buf.position()];
        buf.flip().get(out);
        return out;
    }

    protected byte[] contents(String path) throws IOException {
        return fs.readAll(path);
    }

    protected String text(String path) throws IOException {
        return new String(fs.readAll(path), StandardCharsets.UTF_8);
    }

    /** The names in a directory other than "." and "..". */
    protected Set<String> names(PathFacade f, String dir) throws IOException {
        Set<String> s = new TreeSet<>();
        for (Dirent d : f.readdir(dir)) {
            if (!d.name().isDot() && !d.name().isDotDot()) {
                assertTrue(s.add(d.name().toString(StandardCharsets.UTF_8)), "entry listed twice: " + d.name());
            }
        }
        return s;
    }

    protected Set<String> names(String dir) throws IOException {
        return names(fs, dir);
    }

    protected Timespec tick() {
        return clock.advance(Duration.ofSeconds(7, 1_000_003));
    }

    /** "/u": a directory owned by Alice (uid 1000, gid 1000), mode 0755. */
    protected PathFacade aliceHome() throws IOException {
        fs.mkdir("/u", 0755);
        fs.chown("/u", ALICE.uid(), ALICE.gid());
        return fs.as(ALICE);
    }

    private static Set<String> setOf(String... s) {
        return new TreeSet<>(List.of(s));
    }

    private static String deep(int components, int nameLength) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < components; i++) {
            sb.append('/').append(String.valueOf((char) ('a' + i % 26)).repeat(nameLength));
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- fresh file system

    @Test
    public void freshRootIsAnEmptyDirectoryWithLinkCountTwo() throws IOException {
        Vattr root = fs.stat("/");
        assertEquals(VType.VDIR, root.type);
        assertEquals(2, root.nlink);
        assertEquals(Set.of(), names("/"));
    }

    @Test
    public void rootDotDotIsTheRootItself() throws IOException {
        assertEquals(fs.stat("/").fileid, fs.stat("/..").fileid);
        assertEquals(fs.stat("/").fileid, fs.stat("/../../.").fileid);
    }

    // ---------------------------------------------------------------- open and create flags

    @Test
    public void openWithCreateMakesAnEmptyRegularFileWithTheGivenMode() throws IOException {
        fs.open("/f", O_RDWR | O_CREAT, 0640).close();
        Vattr va = fs.stat("/f");
        assertEquals(VType.VREG, va.type);
        assertEquals(0640, va.mode);
        assertEquals(0, va.size);
        assertEquals(1, va.nlink);
    }

    @Test
    public void openWithCreateAndExclusiveOnAnExistingFileFailsWithEEXIST() throws IOException {
        touch("/f");
        assertErrno(EEXIST, () -> fs.open("/f", O_RDWR | O_CREAT | O_EXCL, 0644));
    }

    @Test
    public void openWithCreateAndExclusiveOnADirectoryFailsWithEEXIST() throws IOException {
        fs.mkdir("/d", 0755);
        assertErrno(EEXIST, () -> fs.open("/d", O_RDWR | O_CREAT | O_EXCL, 0644));
    }

    @Test
    public void openWithCreateAndExclusiveOnADanglingSymlinkFailsWithEEXIST() throws IOException {
        fs.symlink("/nowhere", "/l");
        assertErrno(EEXIST, () -> fs.open("/l", O_RDWR | O_CREAT | O_EXCL, 0644));
        assertErrno(ENOENT, () -> fs.stat("/nowhere"));
    }

    @Test
    public void openWithCreateThroughADanglingSymlinkCreatesItsTarget() throws IOException {
        fs.symlink("/target", "/l");
        fs.open("/l", O_RDWR | O_CREAT, 0600).close();
        assertEquals(VType.VREG, fs.lstat("/target").type);
        assertEquals(VType.VLNK, fs.lstat("/l").type);
    }

    @Test
    public void openWithCreateOfAnExistingFileKeepsItsContentsAndMode() throws IOException {
        put("/f", "hello");
        fs.chmod("/f", 0600);
        fs.open("/f", O_RDWR | O_CREAT, 0777).close();
        assertEquals("hello", text("/f"));
        assertEquals(0600, fs.stat("/f").mode);
    }

    @Test
    public void openWithTruncateEmptiesAnExistingFile() throws IOException {
        put("/f", pattern(10_000, 1));
        fs.open("/f", O_WRONLY | O_TRUNC, 0).close();
        assertEquals(0, fs.stat("/f").size);
        assertEquals(0, contents("/f").length);
    }

    @Test
    public void writesThroughAnAppendHandleLandAtTheEndWhateverTheOffset() throws IOException {
        put("/f", "abc");
        try (FileHandle h = fs.open("/f", O_WRONLY | O_APPEND, 0)) {
            writeAt(h, 0, utf8("def"));
            writeAt(h, 1, utf8("gh"));
        }
        assertEquals("abcdefgh", text("/f"));
    }

    @Test
    public void openWithDirectoryFlagOnAFileFailsWithENOTDIR() throws IOException {
        touch("/f");
        assertErrno(ENOTDIR, () -> fs.open("/f", O_RDONLY | O_DIRECTORY, 0));
    }

    @Test
    public void openWithDirectoryFlagOnADirectorySucceeds() throws IOException {
        fs.mkdir("/d", 0755);
        try (FileHandle h = fs.open("/d", O_RDONLY | O_DIRECTORY, 0)) {
            assertEquals(VType.VDIR, h.getattr().type);
        }
    }

    @Test
    public void openOfAMissingFileWithoutCreateFailsWithENOENT() {
        assertErrno(ENOENT, () -> fs.open("/missing", O_RDONLY, 0));
    }

    @Test
    public void openOfADirectoryForWritingFailsWithEISDIR() throws IOException {
        fs.mkdir("/d", 0755);
        assertErrno(EISDIR, () -> fs.open("/d", O_WRONLY, 0));
        assertErrno(EISDIR, () -> fs.open("/d", O_RDWR, 0));
    }

    @Test
    public void openWithNoFollowOnASymlinkFailsWithEFTYPEOrELOOP() throws IOException {
        touch("/f");
        fs.symlink("/f", "/l");
        // NetBSD answers EFTYPE; POSIX and Linux say ELOOP.
        assertErrnoIn(anyOf(EFTYPE, ELOOP), () -> fs.open("/l", O_RDONLY | O_NOFOLLOW, 0));
    }

    @Test
    public void writeThroughAReadOnlyHandleFailsWithEBADF() throws IOException {
        touch("/f");
        try (FileHandle h = fs.open("/f", O_RDONLY, 0)) {
            assertErrno(EBADF, () -> h.write(0, ByteBuffer.wrap(utf8("x"))));
        }
        assertEquals(0, fs.stat("/f").size);
    }

    @Test
    public void readThroughAWriteOnlyHandleFailsWithEBADF() throws IOException {
        put("/f", "data");
        try (FileHandle h = fs.open("/f", O_WRONLY, 0)) {
            assertErrno(EBADF, () -> h.read(0, ByteBuffer.allocate(4)));
        }
    }

    @Test
    public void readOfADirectoryFailsWithEISDIR() throws IOException {
        fs.mkdir("/d", 0755);
        try (FileHandle h = fs.open("/d", O_RDONLY, 0)) {
            assertErrno(EISDIR, () -> h.read(0, ByteBuffer.allocate(16)));
        }
        assertErrno(EISDIR, () -> fs.read("/d", 0, ByteBuffer.allocate(16)));
    }

    @Test
    public void handleAttributesFollowWritesMadeThroughIt() throws IOException {
        try (FileHandle h = fs.open("/f", O_RDWR | O_CREAT, 0644)) {
            writeAt(h, 0, pattern(3000, 2));
            assertEquals(3000, h.getattr().size);
            h.truncate(10);
            assertEquals(10, h.getattr().size);
        }
        assertEquals(10, fs.stat("/f").size);
    }

    // ---------------------------------------------------------------- read and write

    @Test
    public void bytesWrittenAreTheBytesReadBack() throws IOException {
        byte[] data = pattern(12_345, 3);
        put("/f", data);
        assertArrayEquals(data, contents("/f"));
        assertEquals(data.length, fs.stat("/f").size);
    }

    @Test
    public void readAtEndOfFileReturnsZero() throws IOException {
        put("/f", "0123456789");
        try (FileHandle h = fs.open("/f", O_RDONLY, 0)) {
            assertEquals(0, h.read(10, ByteBuffer.allocate(5)));
            assertEquals(0, h.read(1_000_000, ByteBuffer.allocate(5)));
        }
    }

    @Test
    public void readAcrossEndOfFileIsShort() throws IOException {
        put("/f", "0123456789");
        try (FileHandle h = fs.open("/f", O_RDONLY, 0)) {
            ByteBuffer b = ByteBuffer.allocate(100);
            assertEquals(4, h.read(6, b));
            assertEquals(4, b.position());
            assertEquals("6789", new String(b.array(), 0, 4, StandardCharsets.US_ASCII));
        }
    }

    @Test
    public void overwriteInTheMiddleKeepsTheRest() throws IOException {
        byte[] data = pattern(20_000, 4);
        put("/f", data);
        byte[] patch = pattern(3_000, 5);
        try (FileHandle h = fs.open("/f", O_RDWR, 0)) {
            writeAt(h, 7_001, patch);
        }
        System.arraycopy(patch, 0, data, 7_001, patch.length);
        assertArrayEquals(data, contents("/f"));
    }

    @Test
    public void writePastEndOfFileLeavesAHoleThatReadsAsZeros() throws IOException {
        try (FileHandle h = fs.open("/f", O_RDWR | O_CREAT, 0644)) {
            writeAt(h, 0, utf8("head"));
            writeAt(h, 200_000, utf8("tail"));
            assertEquals(200_004, h.getattr().size);
            byte[] middle = readAt(h, 4, 199_996);
            assertEquals(199_996, middle.length);
            for (int i = 0; i < middle.length; i++) {
                if (middle[i] != 0) {
                    fail("byte " + (i + 4) + " of the hole is " + middle[i]);
                }
            }
            assertEquals("tail", new String(readAt(h, 200_000, 10), StandardCharsets.US_ASCII));
        }
    }

    @Test
    public void aFileThatIsAllHoleReadsAsZerosAndHasItsFullSize() throws IOException {
        fs.open("/f", O_RDWR | O_CREAT, 0644).close();
        fs.truncate("/f", 1_000_000);
        byte[] all = contents("/f");
        assertEquals(1_000_000, all.length);
        for (byte b : all) {
            assertEquals(0, b);
        }
    }

    @Test
    public void extendingByTruncateAddsZeros() throws IOException {
        put("/f", "abc");
        fs.truncate("/f", 10_000);
        byte[] all = contents("/f");
        assertEquals(10_000, all.length);
        assertEquals("abc", new String(all, 0, 3, StandardCharsets.US_ASCII));
        for (int i = 3; i < all.length; i++) {
            assertEquals(0, all[i], "byte " + i);
        }
    }

    @Test
    public void shrinkingThenExtendingByTruncateShowsZerosNotOldData() throws IOException {
        put("/f", filled(70_000, (byte) 0x5a));
        fs.truncate("/f", 100);
        fs.truncate("/f", 70_000);
        byte[] all = contents("/f");
        for (int i = 100; i < all.length; i++) {
            if (all[i] != 0) {
                fail("old data resurfaced at byte " + i + " after shrink and extend");
            }
        }
    }

    @Test
    public void shrinkingThenWritingFurtherOnShowsZerosInBetween() throws IOException {
        put("/f", filled(9_000, (byte) 0x77));
        try (FileHandle h = fs.open("/f", O_RDWR, 0)) {
            h.truncate(1);
            writeAt(h, 8_999, new byte[] {1});
            byte[] all = readAt(h, 0, 9_000);
            assertEquals(0x77, all[0]);
            for (int i = 1; i < 8_999; i++) {
                if (all[i] != 0) {
                    fail("old data resurfaced at byte " + i);
                }
            }
            assertEquals(1, all[8_999]);
        }
    }

    @Test
    public void shrinkingToZeroThenGrowingShowsOnlyNewData() throws IOException {
        put("/f", filled(5_000, (byte) 0x11));
        fs.truncate("/f", 0);
        try (FileHandle h = fs.open("/f", O_RDWR, 0)) {
            writeAt(h, 4_000, utf8("x"));
        }
        byte[] all = contents("/f");
        assertEquals(4_001, all.length);
        for (int i = 0; i < 4_000; i++) {
            assertEquals(0, all[i], "byte " + i);
        }
    }

    @Test
    public void shrinkingInStepsKeepsTheRightPrefixAtEveryStep() throws IOException {
        // Steps cross the direct/indirect block boundaries of common block sizes.
        int full = 6 << 20;
        byte[] data = pattern(full, 21);
        put("/f", data);
        long[] steps = {full - 1, (4 << 20) + 4097, 12 * 32768 + 1, 12 * 16384, 12 * 8192 - 1, 70_000, 12 * 4096 + 1, 4096, 4095, 1, 0};
        try (FileHandle h = fs.open("/f", O_RDWR, 0)) {
            for (long size : steps) {
                h.truncate(size);
                assertEquals(size, h.getattr().size);
                int tail = (int) Math.min(size, 9000);
                byte[] got = readAt(h, size - tail, tail + 100);
                assertEquals(tail, got.length, "read at the new end of a file of " + size);
                assertArrayEquals(java.util.Arrays.copyOfRange(data, (int) size - tail, (int) size), got, "tail after shrinking to " + size);
            }
            h.truncate(full);
            byte[] all = readAt(h, 0, full);
            for (int i = 0; i < full; i++) {
                if (all[i] != 0) {
                    fail("byte " + i + " is " + all[i] + " after shrinking to 0 and extending");
                }
            }
        }
    }

    @Test
    public void truncateOfADirectoryFailsWithEISDIR() throws IOException {
        fs.mkdir("/d", 0755);
        assertErrno(EISDIR, () -> fs.truncate("/d", 0));
    }

    @Test
    public void truncateToANegativeSizeFailsWithEINVAL() throws IOException {
        touch("/f");
        assertErrno(EINVAL, () -> fs.truncate("/f", -1));
    }

    @Test
    public void zeroLengthWriteChangesNothing() throws IOException {
        put("/f", "abc");
        try (FileHandle h = fs.open("/f", O_RDWR, 0)) {
            assertEquals(0, h.write(10, ByteBuffer.allocate(0)));
        }
        assertEquals(3, fs.stat("/f").size);
    }

    @Test
    public void manySmallAppendsBuildTheWholeFile() throws IOException {
        ByteArrayOutputStream expect = new ByteArrayOutputStream();
        try (FileHandle h = fs.open("/f", O_WRONLY | O_CREAT | O_APPEND, 0644)) {
            for (int i = 0; i < 500; i++) {
                byte[] piece = pattern(1 + i % 37, i);
                writeAt(h, 0, piece);
                expect.write(piece);
            }
        }
        assertArrayEquals(expect.toByteArray(), contents("/f"));
    }

    @Test
    public void pathReadAndWriteWorkAtOffsets() throws IOException {
        touch("/f");
        assertEquals(3, fs.write("/f", 5, ByteBuffer.wrap(utf8("xyz"))));
        ByteBuffer b = ByteBuffer.allocate(8);
        assertEquals(8, fs.read("/f", 0, b));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 'x', 'y', 'z'}, b.array());
    }

    @ParameterizedTest(name = "a file of {0} bytes reads back intact")
    @ValueSource(ints = {0, 1, 511, 512, 513, 4095, 4096, 4097, 8191, 8192, 8193, 32768, 65537, 131072 + 7, 1 << 20, (12 << 20) + 3})
    public void filesOfEverySizeReadBackIntact(int size) throws IOException {
        byte[] data = pattern(size, size);
        put("/f", data);
        assertEquals(size, fs.stat("/f").size);
        assertArrayEquals(data, contents("/f"));
    }

    @ParameterizedTest(name = "a write of 3000 bytes at offset {0} lands there")
    @ValueSource(longs = {1, 4094, 8191, 65535, 12 * 4096 + 1, 1L << 20, (1L << 22) - 5})
    public void unalignedWritesAcrossBlockBoundariesLandWhereAsked(long offset) throws IOException {
        byte[] data = pattern(3000, (int) offset);
        try (FileHandle h = fs.open("/f", O_RDWR | O_CREAT, 0644)) {
            writeAt(h, offset, data);
            assertArrayEquals(data, readAt(h, offset, 3000));
            byte[] before = readAt(h, Math.max(0, offset - 10), (int) Math.min(10, offset));
            for (byte b : before) {
                assertEquals(0, b);
            }
            assertEquals(offset + 3000, h.getattr().size);
        }
    }

    @Test
    public void offsetsBeyondFourGibibytesDoNotWrapAround() throws IOException {
        Assumptions.assumeTrue(supportsSparseFiles(), "driver allocates files densely");
        long far = (1L << 32) + 4093;
        Assumptions.assumeTrue(far + 16 <= maxFileSize(), "file size limit below 4 GiB");
        try (FileHandle h = fs.open("/f", O_RDWR | O_CREAT, 0644)) {
            writeAt(h, 0, utf8("start"));
            writeAt(h, far, utf8("far away"));
            assertEquals(far + 8, h.getattr().size);
            assertEquals("start", new String(readAt(h, 0, 5), StandardCharsets.US_ASCII));
            assertEquals("far away", new String(readAt(h, far, 8), StandardCharsets.US_ASCII));
            assertArrayEquals(new byte[16], readAt(h, (1L << 32) - 8, 16));
        }
    }

    @Test
    public void writingAtTheFileSizeLimitFailsWithEFBIG() throws IOException {
        long max = maxFileSize();
        Assumptions.assumeTrue(max != Long.MAX_VALUE, "driver has no file size limit");
        try (FileHandle h = fs.open("/f", O_RDWR | O_CREAT, 0644)) {
            assertErrno(EFBIG, () -> h.write(max, ByteBuffer.wrap(utf8("x"))));
            assertErrno(EFBIG, () -> h.truncate(max + 1));
        }
    }

    private static byte[] filled(int n, byte value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, value);
        return b;
    }

    // ---------------------------------------------------------------- mkdir and rmdir

    @Test
    public void mkdirMakesAnEmptyDirectoryWithLinkCountTwoAndRaisesItsParentsLinkCount() throws IOException {
        long before = fs.stat("/").nlink;
        fs.mkdir("/d", 0750);
        Vattr d = fs.stat("/d");
        assertEquals(VType.VDIR, d.type);
        assertEquals(0750, d.mode);
        assertEquals(2, d.nlink);
        assertEquals(before + 1, fs.stat("/").nlink);
        assertEquals(Set.of(), names("/d"));
    }

    @Test
    public void mkdirOverAnExistingNameFailsWithEEXIST() throws IOException {
        fs.mkdir("/d", 0755);
        touch("/f");
        assertErrno(EEXIST, () -> fs.mkdir("/d", 0755));
        assertErrno(EEXIST, () -> fs.mkdir("/f", 0755));
        assertErrno(EEXIST, () -> fs.mkdir("/", 0755));
    }

    @Test
    public void mkdirOverADanglingSymlinkFailsWithEEXIST() throws IOException {
        fs.symlink("/nowhere", "/l");
        assertErrno(EEXIST, () -> fs.mkdir("/l", 0755));
    }

    @Test
    public void mkdirInAMissingDirectoryFailsWithENOENT() {
        assertErrno(ENOENT, () -> fs.mkdir("/missing/d", 0755));
    }

    @Test
    public void mkdirBelowAFileFailsWithENOTDIR() throws IOException {
        touch("/f");
        assertErrno(ENOTDIR, () -> fs.mkdir("/f/d", 0755));
    }

    @Test
    public void mkdirAcceptsATrailingSlash() throws IOException {
        fs.mkdir("/d/", 0755);
        assertEquals(VType.VDIR, fs.stat("/d").type);
    }

    @Test
    public void rmdirRemovesAnEmptyDirectoryAndLowersItsParentsLinkCount() throws IOException {
        fs.mkdir("/a", 0755);
        fs.mkdir("/a/b", 0755);
        assertEquals(3, fs.stat("/a").nlink);
        fs.rmdir("/a/b");
        assertErrno(ENOENT, () -> fs.stat("/a/b"));
        assertEquals(2, fs.stat("/a").nlink);
    }

    @Test
    public void rmdirOfANonEmptyDirectoryFailsWithENOTEMPTY() throws IOException {
        fs.mkdir("/d", 0755);
        touch("/d/f");
        assertErrno(ENOTEMPTY, () -> fs.rmdir("/d"));
        fs.mkdir("/e", 0755);
        fs.mkdir("/e/sub", 0755);
        assertErrno(ENOTEMPTY, () -> fs.rmdir("/e"));
    }

    @Test
    public void rmdirOfAMissingDirectoryFailsWithENOENT() {
        assertErrno(ENOENT, () -> fs.rmdir("/missing"));
    }

    @Test
    public void rmdirOfAFileFailsWithENOTDIR() throws IOException {
        touch("/f");
        assertErrno(ENOTDIR, () -> fs.rmdir("/f"));
    }

    @Test
    public void rmdirOfASymlinkToADirectoryFailsWithENOTDIR() throws IOException {
        fs.mkdir("/d", 0755);
        fs.symlink("/d", "/l");
        assertErrno(ENOTDIR, () -> fs.rmdir("/l"));
        assertEquals(VType.VDIR, fs.stat("/d").type);
    }

    @Test
    public void rmdirOfDotFailsWithEINVAL() throws IOException {
        fs.mkdir("/d", 0755);
        assertErrno(EINVAL, () -> fs.rmdir("/d/."));
    }

    @Test
    public void rmdirOfDotDotFails() throws IOException {
        fs.mkdir("/d", 0755);
        fs.mkdir("/d/e", 0755);
        assertErrnoIn(anyOf(EINVAL, ENOTEMPTY, EBUSY), () -> fs.rmdir("/d/e/.."));
        assertEquals(VType.VDIR, fs.stat("/d").type);
    }

    @Test
    public void rmdirOfTheRootFailsWithEBUSYOrEINVAL() {
        assertErrnoIn(anyOf(EBUSY, EINVAL), () -> fs.rmdir("/"));
    }

    @Test
    public void rmdirAcceptsATrailingSlash() throws IOException {
        fs.mkdir("/d", 0755);
        fs.rmdir("/d/");
        assertErrno(ENOENT, () -> fs.stat("/d"));
    }

    @Test
    public void aRemovedDirectoryNameCanBeMadeAgain() throws IOException {
        fs.mkdir("/d", 0755);
        fs.rmdir("/d");
        fs.mkdir("/d", 0700);
        assertEquals(0700, fs.stat("/d").mode);
        assertEquals(Set.of(), names("/d"));
    }

    // ---------------------------------------------------------------- unlink

    @Test
    public void unlinkRemovesTheName() throws IOException {
        touch("/f");
        fs.unlink("/f");
        assertErrno(ENOENT, () -> fs.stat("/f"));
        assertEquals(Set.of(), names("/"));
    }

    @Test
    public void unlinkOfADirectoryFailsWithEPERM() throws IOException {
        fs.mkdir("/d", 0755);
        // NetBSD's unlink refuses directories with EPERM (POSIX also allows EISDIR elsewhere).
        assertErrno(EPERM, () -> fs.unlink("/d"));
        assertEquals(VType.VDIR, fs.stat("/d").type);
    }

    @Test
    public void unlinkOfAMissingNameFailsWithENOENT() {
        assertErrno(ENOENT, () -> fs.unlink("/missing"));
    }

    @Test
    public void unlinkBelowAFileFailsWithENOTDIR() throws IOException {
        touch("/f");
        assertErrno(ENOTDIR, () -> fs.unlink("/f/x"));
    }

    @Test
    public void unlinkOfAFileWithATrailingSlashFailsWithENOTDIR() throws IOException {
        touch("/f");
        assertErrno(ENOTDIR, () -> fs.unlink("/f/"));
        assertEquals(VType.VREG, fs.stat("/f").type);
    }

    @Test
    public void unlinkOfASymlinkRemovesTheLinkNotItsTarget() throws IOException {
        put("/f", "kept");
        fs.symlink("/f", "/l");
        fs.unlink("/l");
        assertErrno(ENOENT, () -> fs.lstat("/l"));
        assertEquals("kept", text("/f"));
    }

    @Test
    public void anUnlinkedFileStaysReadableAndWritableThroughAnOpenHandle() throws IOException {
        put("/f", "still here");
        try (FileHandle h = fs.open("/f", O_RDWR, 0)) {
            fs.unlink("/f");
            assertErrno(ENOENT, () -> fs.stat("/f"));
            assertEquals("still here", new String(readAt(h, 0, 100), StandardCharsets.US_ASCII));
            writeAt(h, 10, utf8("!"));
            Vattr va = h.getattr();
            assertEquals(0, va.nlink);
            assertEquals(11, va.size);
        }
    }

    @Test
    public void anUnlinkedOpenFileGivesBackItsSpaceOnlyAfterTheLastClose() throws IOException {
        StatVfs empty = fs.statvfs();
        int mib = 1 << 20;
        FileHandle h = fs.open("/f", O_RDWR | O_CREAT, 0644);
        try {
            writeAt(h, 0, pattern(mib, 9));
            fs.sync();
            fs.unlink("/f");
            StatVfs whileOpen = fs.statvfs();
            assertTrue(empty.blocksFree() - whileOpen.blocksFree() >= (mib * 9L / 10) / whileOpen.fragmentSize(),
                    "an unlinked file still open keeps its blocks: free " + empty.blocksFree() + " -> " + whileOpen.blocksFree());
            assertArrayEquals(pattern(mib, 9), readAt(h, 0, mib));
        } finally {
            h.close();
        }
        fs.sync();
        StatVfs after = fs.statvfs();
        long slack = Math.max(8, 65536 / after.fragmentSize());
        assertTrue(after.blocksFree() >= empty.blocksFree() - slack,
                "blocks freed after the last close: free was " + empty.blocksFree() + ", now " + after.blocksFree());
    }

    // ---------------------------------------------------------------- hard links

    @Test
    public void linkMakesASecondNameForTheSameFile() throws IOException {
        Assumptions.assumeTrue(supportsHardLinks());
        put("/f", "shared");
        fs.mkdir("/d", 0755);
        fs.link("/f", "/d/g");
        assertEquals(fs.stat("/f").fileid, fs.stat("/d/g").fileid);
        assertEquals(2, fs.stat("/f").nlink);
        put("/d/g", "changed");
        assertEquals("changed", text("/f"));
    }

    @Test
    public void linkCountFollowsLinksAndUnlinks() throws IOException {
        Assumptions.assumeTrue(supportsHardLinks());
        touch("/f");
        for (int i = 1; i <= 5; i++) {
            fs.link("/f", "/l" + i);
            assertEquals(1 + i, fs.stat("/f").nlink);
        }
        fs.unlink("/f");
        assertEquals(5, fs.stat("/l3").nlink);
        for (int i = 1; i <= 4; i++) {
            fs.unlink("/l" + i);
        }
        assertEquals(1, fs.stat("/l5").nlink);
    }

    @Test
    public void linkOverAnExistingNameFailsWithEEXIST() throws IOException {
        Assumptions.assumeTrue(supportsHardLinks());
        touch("/f");
        touch("/g");
        fs.mkdir("/d", 0755);
        assertErrno(EEXIST, () -> fs.link("/f", "/g"));
        assertErrno(EEXIST, () -> fs.link("/f", "/d"));
        assertErrno(EEXIST, () -> fs.link("/f", "/f"));
        assertEquals(1, fs.stat("/f").nlink);
    }

    @Test
    public void linkOfADirectoryFailsWithEPERM() throws IOException {
        Assumptions.assumeTrue(supportsHardLinks());
        fs.mkdir("/d", 0755);
        assertErrno(EPERM, () -> fs.link("/d", "/e"));
        assertEquals(2, fs.stat("/d").nlink);
    }

    @Test
    public void linkOfAMissingFileFailsWithENOENT() {
        Assumptions.assumeTrue(supportsHardLinks());
        assertErrno(ENOENT, () -> fs.link("/missing", "/g"));
    }

    @Test
    public void linkIntoAMissingDirectoryFailsWithENOENT() throws IOException {
        Assumptions.assumeTrue(supportsHardLinks());
        touch("/f");
        assertErrno(ENOENT, () -> fs.link("/f", "/missing/g"));
    }

    @Test
    public void theLastNameKeepsTheDataWhenOthersAreUnlinked() throws IOException {
        Assumptions.assumeTrue(supportsHardLinks());
        put("/f", pattern(50_000, 7));
        fs.link("/f", "/g");
        fs.unlink("/f");
        assertArrayEquals(pattern(50_000, 7), contents("/g"));
    }

    // ---------------------------------------------------------------- symbolic links

    @Test
    public void readlinkReturnsTheTargetBytesExactly() throws IOException {
        fs.symlink("some/../relative//path", "/l");
        assertArrayEquals(utf8("some/../relative//path"), fs.readlink("/l"));
    }

    @Test
    public void lstatOfASymlinkReportsTheLinkWithItsTargetLengthAsSize() throws IOException {
        fs.symlink("/abc/def", "/l");
        Vattr va = fs.lstat("/l");
        assertEquals(VType.VLNK, va.type);
        assertEquals(8, va.size);
        assertEquals(1, va.nlink);
    }

    @Test
    public void aDanglingSymlinkCanBeLstatedButNotStated() throws IOException {
        fs.symlink("/nowhere", "/l");
        assertEquals(VType.VLNK, fs.lstat("/l").type);
        assertErrno(ENOENT, () -> fs.stat("/l"));
        assertErrno(ENOENT, () -> fs.open("/l", O_RDONLY, 0));
    }

    @Test
    public void anAbsoluteTargetResolvesFromTheRootOfTheMount() throws IOException {
        fs.mkdir("/d", 0755);
        put("/d/f", "abs");
        fs.mkdir("/x", 0755);
        fs.symlink("/d/f", "/x/l");
        assertEquals("abs", text("/x/l"));
    }

    @Test
    public void aRelativeTargetResolvesFromTheLinksDirectory() throws IOException {
        fs.mkdir("/d", 0755);
        fs.mkdir("/d/sub", 0755);
        put("/d/f", "rel");
        fs.symlink("../f", "/d/sub/l");
        assertEquals("rel", text("/d/sub/l"));
    }

    @Test
    public void aSymlinkInTheMiddleOfAPathIsFollowed() throws IOException {
        fs.mkdir("/d", 0755);
        put("/d/f", "mid");
        fs.symlink("d", "/l");
        assertEquals("mid", text("/l/f"));
        assertEquals(VType.VDIR, fs.stat("/l/").type);
        assertEquals(VType.VDIR, fs.lstat("/l/").type);
    }

    @Test
    public void aChainOfSymlinksIsFollowedToTheEnd() throws IOException {
        put("/f", "end");
        fs.symlink("/f", "/l0");
        for (int i = 1; i < 8; i++) {
            fs.symlink(i % 2 == 0 ? "/l" + (i - 1) : "l" + (i - 1), "/l" + i);
        }
        assertEquals("end", text("/l7"));
        assertEquals(fs.stat("/f").fileid, fs.stat("/l7").fileid);
    }

    @Test
    public void aSymlinkToItselfFailsWithELOOP() throws IOException {
        fs.symlink("/l", "/l");
        assertErrno(ELOOP, () -> fs.stat("/l"));
        fs.symlink("/b", "/a");
        fs.symlink("/a", "/b");
        assertErrno(ELOOP, () -> fs.open("/a", O_RDONLY, 0));
    }

    @Test
    public void thirtyTwoSymlinksAreFollowedButThirtyThreeFailWithELOOP() throws IOException {
        // NetBSD's MAXSYMLINKS is 32.
        touch("/f");
        fs.symlink("/f", "/l1");
        for (int i = 2; i <= 33; i++) {
            fs.symlink("/l" + (i - 1), "/l" + i);
        }
        assertEquals(VType.VREG, fs.stat("/l32").type);
        assertErrno(ELOOP, () -> fs.stat("/l33"));
    }

    @Test
    public void readlinkOfSomethingElseFailsWithEINVAL() throws IOException {
        touch("/f");
        fs.mkdir("/d", 0755);
        assertErrno(EINVAL, () -> fs.readlink("/f"));
        assertErrno(EINVAL, () -> fs.readlink("/d"));
    }

    @Test
    public void symlinkOverAnExistingNameFailsWithEEXIST() throws IOException {
        touch("/f");
        fs.symlink("x", "/l");
        assertErrno(EEXIST, () -> fs.symlink("y", "/f"));
        assertErrno(EEXIST, () -> fs.symlink("y", "/l"));
        assertArrayEquals(utf8("x"), fs.readlink("/l"));
    }

    @Test
    public void aSymlinkTargetOf1023BytesIsKeptAndOf1024IsENAMETOOLONG() throws IOException {
        String t1023 = "t".repeat(1023);
        fs.symlink(t1023, "/l");
        assertArrayEquals(utf8(t1023), fs.readlink("/l"));
        assertErrno(ENAMETOOLONG, () -> fs.symlink("t".repeat(1024), "/m"));
    }

    @ParameterizedTest(name = "a symlink target of {0} bytes reads back intact")
    @ValueSource(ints = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 59, 60, 61, 63, 64, 65, 119, 120, 121, 127, 128, 129,
            255, 256, 257, 511, 512, 513, 1022, 1023})
    public void symlinkTargetsOfEveryLengthReadBackIntact(int length) throws IOException {
        // Short targets often live inside the inode and long ones in a block: cross the boundary.
        byte[] target = new byte[length];
        for (int i = 0; i < length; i++) {
            target[i] = (byte) ('a' + i % 26);
        }
        String t = new String(target, StandardCharsets.US_ASCII);
        fs.symlink(t, "/l");
        assertArrayEquals(target, fs.readlink("/l"));
        assertEquals(length, fs.lstat("/l").size);
        fs.unlink("/l");
        assertErrno(ENOENT, () -> fs.lstat("/l"));
    }

    @Test
    public void aSymlinkToTheRootLeadsToTheRoot() throws IOException {
        fs.symlink("/", "/root");
        fs.mkdir("/d", 0755);
        assertEquals(fs.stat("/").fileid, fs.stat("/root").fileid);
        assertEquals(fs.stat("/d").fileid, fs.stat("/root/d").fileid);
        assertEquals(fs.stat("/d").fileid, fs.stat("/root/root/root/d").fileid);
    }

    @Test
    public void renameOverASymlinkReplacesTheLinkNotItsTarget() throws IOException {
        put("/target", "target");
        fs.symlink("/target", "/l");
        put("/f", "new");
        fs.rename("/f", "/l");
        assertEquals(VType.VREG, fs.lstat("/l").type);
        assertEquals("new", text("/l"));
        assertEquals("target", text("/target"));
    }

    @Test
    public void lchownChangesTheLinkAndChownChangesItsTarget() throws IOException {
        touch("/f");
        fs.symlink("/f", "/l");
        fs.lchown("/l", 7, 8);
        assertEquals(7, fs.lstat("/l").uid);
        assertEquals(0, fs.stat("/f").uid);
        fs.chown("/l", 9, 10);
        assertEquals(9, fs.stat("/f").uid);
        assertEquals(10, fs.stat("/f").gid);
        assertEquals(7, fs.lstat("/l").uid);
    }

    // ---------------------------------------------------------------- path lookup

    @Test
    public void dotComponentsNameTheSameDirectory() throws IOException {
        fs.mkdir("/a", 0755);
        put("/a/f", "dot");
        assertEquals("dot", text("/./a/./f"));
        assertEquals(fs.stat("/a").fileid, fs.stat("/a/.").fileid);
    }

    @Test
    public void dotDotComponentsNameTheParent() throws IOException {
        fs.mkdir("/a", 0755);
        fs.mkdir("/a/b", 0755);
        put("/a/f", "up");
        assertEquals("up", text("/a/b/../f"));
        assertEquals(fs.stat("/a").fileid, fs.stat("/a/b/..").fileid);
        assertEquals("up", text("/../a/f"));
    }

    @Test
    public void repeatedSlashesAreOneSlash() throws IOException {
        fs.mkdir("/a", 0755);
        put("/a/f", "slashes");
        assertEquals("slashes", text("//a///f"));
        assertEquals(fs.stat("/a").fileid, fs.stat("/a//").fileid);
    }

    @Test
    public void aTrailingSlashOnAFileFailsWithENOTDIR() throws IOException {
        touch("/f");
        assertErrno(ENOTDIR, () -> fs.stat("/f/"));
        assertErrno(ENOTDIR, () -> fs.open("/f/", O_RDONLY, 0));
    }

    @Test
    public void aFileInTheMiddleOfAPathFailsWithENOTDIR() throws IOException {
        touch("/f");
        assertErrno(ENOTDIR, () -> fs.stat("/f/x"));
        assertErrno(ENOTDIR, () -> fs.open("/f/x", O_RDWR | O_CREAT, 0644));
    }

    @Test
    public void aMissingDirectoryInTheMiddleOfAPathFailsWithENOENT() {
        assertErrno(ENOENT, () -> fs.stat("/missing/x"));
        assertErrno(ENOENT, () -> fs.open("/missing/x", O_RDWR | O_CREAT, 0644));
    }

    @Test
    public void anEmptyPathFailsWithENOENT() {
        assertErrno(ENOENT, () -> fs.stat(""));
    }

    @Test
    public void aNameOf255BytesWorksAndOf256FailsWithENAMETOOLONG() throws IOException {
        String n255 = "n".repeat(255);
        put("/" + n255, "long");
        assertEquals(Set.of(n255), names("/"));
        assertEquals("long", text("/" + n255));
        assertErrno(ENAMETOOLONG, () -> fs.open("/" + "n".repeat(256), O_RDWR | O_CREAT, 0644));
        assertErrno(ENAMETOOLONG, () -> fs.stat("/" + "n".repeat(256)));
        assertErrno(ENAMETOOLONG, () -> fs.mkdir("/" + "n".repeat(256), 0755));
    }

    @Test
    public void aPathOf1023BytesResolvesAndOf1024FailsWithENAMETOOLONG() throws IOException {
        // NetBSD's MAXPATHLEN is 1024 including the terminating NUL.
        String dirs = deep(9, 100);
        StringBuilder sofar = new StringBuilder();
        for (String c : dirs.substring(1).split("/")) {
            sofar.append('/').append(c);
            fs.mkdir(sofar.toString(), 0755);
        }
        String ok = dirs + "/" + "f".repeat(1023 - dirs.length() - 1);
        assertEquals(1023, ok.length());
        touch(ok);
        assertEquals(VType.VREG, fs.stat(ok).type);
        String tooLong = dirs + "/" + "f".repeat(1024 - dirs.length() - 1);
        assertEquals(1024, tooLong.length());
        assertErrno(ENAMETOOLONG, () -> fs.stat(tooLong));
    }

    @Test
    public void aPathOverTheLimitFailsWithENAMETOOLONGEvenIfItsComponentsAreMissing() {
        assertErrno(ENAMETOOLONG, () -> fs.stat(deep(20, 60)));
    }

    @Test
    public void namesThatAreNotUtf8RoundTripThroughAByteCharset() throws IOException {
        PathFacade latin = fs.withCharset(StandardCharsets.ISO_8859_1);
        byte[] raw = {(byte) 0xff, (byte) 0xfe, 'x', (byte) 0x80};
        String name = new String(raw, StandardCharsets.ISO_8859_1);
        put(latin, "/" + name, utf8("bytes"));
        List<Name> listed = new ArrayList<>();
        for (Dirent d : fs.readdir("/")) {
            if (!d.name().isDot() && !d.name().isDotDot()) {
                listed.add(d.name());
            }
        }
        assertEquals(List.of(Name.of(raw)), listed);
        assertArrayEquals(utf8("bytes"), latin.readAll("/" + name));
        latin.rename("/" + name, "/" + name + name);
        assertArrayEquals(utf8("bytes"), latin.readAll("/" + name + name));
    }

    @Test
    public void everyByteButSlashAndNulMayAppearInAName() throws IOException {
        PathFacade latin = fs.withCharset(StandardCharsets.ISO_8859_1);
        Set<Name> expect = new HashSet<>();
        for (int b = 1; b < 256; b++) {
            if (b == '/' || b == '.') {
                continue;
            }
            byte[] raw = {(byte) b, 'x', (byte) b};
            expect.add(Name.of(raw));
            latin.open("/" + new String(raw, StandardCharsets.ISO_8859_1), O_RDWR | O_CREAT | O_EXCL, 0644).close();
        }
        latin.mkdir("/.x.", 0755);
        expect.add(Name.of(utf8(".x.")));
        Set<Name> listed = new HashSet<>();
        for (Dirent d : fs.readdir("/")) {
            if (!d.name().isDot() && !d.name().isDotDot()) {
                listed.add(d.name());
            }
        }
        assertEquals(expect, listed);
        for (Name n : expect) {
            latin.lstat("/" + n.toString(StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    public void utf8NamesRoundTrip() throws IOException {
        String name = "f\u00e4il-\u65e5\u672c-\u0444\u0430\u0439\u043b";
        put("/" + name, "utf");
        assertEquals(Set.of(name), names("/"));
        assertEquals("utf", text("/" + name));
        assertEquals(utf8(name).length, fs.readdir("/").stream().filter(d -> !d.name().isDot() && !d.name().isDotDot())
                .findFirst().orElseThrow().name().length());
    }

    @Test
    public void errorsNameWhatFailed() throws IOException {
        fs.mkdir("/dir", 0755);
        touch("/file");
        assertMessageNames("missing", () -> fs.stat("/dir/missing"));
        assertMessageNames("file", () -> fs.mkdir("/file", 0755));
        assertMessageNames("dir", () -> fs.unlink("/dir"));
        assertMessageNames("file", () -> fs.rmdir("/file"));
    }

    private static void assertMessageNames(String what, org.junit.jupiter.api.function.Executable call) {
        try {
            call.execute();
        } catch (VfsException e) {
            assertTrue(e.getMessage().contains(what), "message '" + e.getMessage() + "' does not name '" + what + "'");
            return;
        } catch (Throwable t) {
            fail("expected a VfsException, got " + t, t);
        }
        fail("expected the call to fail");
    }

    // ---------------------------------------------------------------- rename

    @Test
    public void renameMovesAFileToANewName() throws IOException {
        put("/f", "moved");
        long id = fs.stat("/f").fileid;
        fs.rename("/f", "/g");
        assertErrno(ENOENT, () -> fs.stat("/f"));
        assertEquals("moved", text("/g"));
        assertEquals(id, fs.stat("/g").fileid);
    }

    @Test
    public void renameOfAFileOverAFileReplacesIt() throws IOException {
        put("/f", "new");
        put("/g", "old");
        fs.rename("/f", "/g");
        assertEquals("new", text("/g"));
        assertEquals(Set.of("g"), names("/"));
    }

    @Test
    public void aReplacedFileStaysReadableThroughAnOpenHandle() throws IOException {
        put("/f", "new");
        put("/g", "old");
        try (FileHandle h = fs.open("/g", O_RDONLY, 0)) {
            fs.rename("/f", "/g");
            assertEquals("old", new String(readAt(h, 0, 10), StandardCharsets.US_ASCII));
            assertEquals(0, h.getattr().nlink);
        }
    }

    @Test
    public void renameOfAFileAcrossDirectoriesMovesIt() throws IOException {
        fs.mkdir("/a", 0755);
        fs.mkdir("/b", 0755);
        put("/a/f", "across");
        fs.rename("/a/f", "/b/g");
        assertEquals(Set.of(), names("/a"));
        assertEquals("across", text("/b/g"));
        assertEquals(2, fs.stat("/a").nlink);
        assertEquals(2, fs.stat("/b").nlink);
    }

    @Test
    public void renameOfADirectoryOverAnEmptyDirectoryReplacesIt() throws IOException {
        fs.mkdir("/d", 0755);
        touch("/d/inside");
        fs.mkdir("/e", 0755);
        long id = fs.stat("/d").fileid;
        fs.rename("/d", "/e");
        assertEquals(id, fs.stat("/e").fileid);
        assertEquals(Set.of("inside"), names("/e"));
        assertEquals(3, fs.stat("/").nlink);
    }

    @Test
    public void renameOfADirectoryOverANonEmptyDirectoryFailsWithENOTEMPTY() throws IOException {
        fs.mkdir("/d", 0755);
        fs.mkdir("/e", 0755);
        touch("/e/f");
        assertErrno(ENOTEMPTY, () -> fs.rename("/d", "/e"));
        assertEquals(Set.of("f"), names("/e"));
    }

    @Test
    public void renameOfAFileOverADirectoryFailsWithEISDIR() throws IOException {
        touch("/f");
        fs.mkdir("/d", 0755);
        assertErrno(EISDIR, () -> fs.rename("/f", "/d"));
    }

    @Test
    public void renameOfADirectoryOverAFileFailsWithENOTDIR() throws IOException {
        fs.mkdir("/d", 0755);
        touch("/f");
        assertErrno(ENOTDIR, () -> fs.rename("/d", "/f"));
    }

    @Test
    public void renameOfADirectoryIntoItsOwnSubtreeFailsWithEINVAL() throws IOException {
        fs.mkdir("/a", 0755);
        fs.mkdir("/a/b", 0755);
        fs.mkdir("/a/b/c", 0755);
        assertErrno(EINVAL, () -> fs.rename("/a", "/a/b/c/d"));
        assertErrno(EINVAL, () -> fs.rename("/a", "/a/x"));
        assertErrno(EINVAL, () -> fs.rename("/a/b", "/a/b/c/d"));
    }

    @Test
    public void renameOfADirectoryOverItsOwnDescendantFails() throws IOException {
        fs.mkdir("/a", 0755);
        fs.mkdir("/a/b", 0755);
        // Target exists and is empty, but lies inside the source: EINVAL before any emptiness check.
        assertErrno(EINVAL, () -> fs.rename("/a", "/a/b"));
    }

    @Test
    public void renameOfADirectoryOverItsParentFailsWithENOTEMPTY() throws IOException {
        fs.mkdir("/a", 0755);
        fs.mkdir("/a/b", 0755);
        assertErrnoIn(anyOf(ENOTEMPTY, EINVAL), () -> fs.rename("/a/b", "/a"));
    }

    @Test
    public void renameOfANameToItselfDoesNothing() throws IOException {
        put("/f", "same");
        fs.mkdir("/d", 0755);
        fs.rename("/f", "/f");
        fs.rename("/d", "/d");
        assertEquals("same", text("/f"));
        assertEquals(Set.of("f", "d"), names("/"));
    }

    @Test
    public void renameBetweenTwoHardLinksOfOneFileDoesNothing() throws IOException {
        Assumptions.assumeTrue(supportsHardLinks());
        touch("/f");
        fs.link("/f", "/g");
        fs.rename("/f", "/g");
        assertEquals(Set.of("f", "g"), names("/"));
        assertEquals(2, fs.stat("/f").nlink);
    }

    @Test
    public void renameOfADirectoryAcrossParentsUpdatesItsDotDot() throws IOException {
        fs.mkdir("/a", 0755);
        fs.mkdir("/b", 0755);
        fs.mkdir("/a/d", 0755);
        fs.rename("/a/d", "/b/d");
        assertEquals(fs.stat("/b").fileid, fs.stat("/b/d/..").fileid);
        long dotdot = -1;
        for (Dirent e : fs.readdir("/b/d")) {
            if (e.name().isDotDot()) {
                dotdot = e.fileid();
            }
        }
        assertEquals(fs.stat("/b").fileid, dotdot);
    }

    @Test
    public void renameOfADirectoryAcrossParentsMovesALinkFromOneParentToTheOther() throws IOException {
        fs.mkdir("/a", 0755);
        fs.mkdir("/b", 0755);
        fs.mkdir("/a/d", 0755);
        assertEquals(3, fs.stat("/a").nlink);
        fs.rename("/a/d", "/b/d");
        assertEquals(2, fs.stat("/a").nlink);
        assertEquals(3, fs.stat("/b").nlink);
        assertEquals(2, fs.stat("/b/d").nlink);
    }

    @Test
    public void renameOfADirectoryOverAnEmptyDirectoryInAnotherParentKeepsLinkCountsRight() throws IOException {
        fs.mkdir("/a", 0755);
        fs.mkdir("/b", 0755);
        fs.mkdir("/a/d", 0755);
        fs.mkdir("/b/e", 0755);
        fs.rename("/a/d", "/b/e");
        assertEquals(2, fs.stat("/a").nlink);
        assertEquals(3, fs.stat("/b").nlink);
        assertEquals(4, fs.stat("/").nlink);
    }

    @Test
    public void renameWithDotOrDotDotAsSourceOrTargetFailsWithEINVAL() throws IOException {
        fs.mkdir("/a", 0755);
        fs.mkdir("/a/b", 0755);
        fs.mkdir("/c", 0755);
        assertErrno(EINVAL, () -> fs.rename("/a/.", "/c/x"), "source .");
        assertErrno(EINVAL, () -> fs.rename("/a/b/..", "/c/x"), "source ..");
        assertErrno(EINVAL, () -> fs.rename("/c", "/a/."), "target .");
        assertErrno(EINVAL, () -> fs.rename("/c", "/a/b/.."), "target ..");
        assertEquals(Set.of("a", "c"), names("/"));
    }

    @Test
    public void renameToANameOf256BytesFailsWithENAMETOOLONG() throws IOException {
        touch("/f");
        assertErrno(ENAMETOOLONG, () -> fs.rename("/f", "/" + "n".repeat(256)));
        fs.rename("/f", "/" + "n".repeat(255));
        assertEquals(Set.of("n".repeat(255)), names("/"));
    }

    @Test
    public void renameOfAMissingNameFailsWithENOENT() throws IOException {
        fs.mkdir("/d", 0755);
        assertErrno(ENOENT, () -> fs.rename("/missing", "/d/x"));
    }

    @Test
    public void renameIntoAMissingDirectoryFailsWithENOENT() throws IOException {
        touch("/f");
        assertErrno(ENOENT, () -> fs.rename("/f", "/missing/f"));
        assertEquals(VType.VREG, fs.stat("/f").type);
    }

    @Test
    public void renameBelowAFileFailsWithENOTDIR() throws IOException {
        touch("/f");
        touch("/g");
        assertErrno(ENOTDIR, () -> fs.rename("/f", "/g/x"));
    }

    @Test
    public void renameOfASymlinkMovesTheLinkNotItsTarget() throws IOException {
        fs.mkdir("/d", 0755);
        fs.symlink("/d", "/l");
        fs.rename("/l", "/m");
        assertEquals(VType.VLNK, fs.lstat("/m").type);
        assertEquals(VType.VDIR, fs.lstat("/d").type);
        assertArrayEquals(utf8("/d"), fs.readlink("/m"));
    }

    @Test
    public void renameOfTheRootFails() throws IOException {
        fs.mkdir("/d", 0755);
        assertErrnoIn(anyOf(EBUSY, EINVAL), () -> fs.rename("/", "/d/root"));
    }

    @Test
    public void aMovedDirectoryKeepsItsWholeSubtree() throws IOException {
        fs.mkdir("/a", 0755);
        fs.mkdir("/a/x", 0755);
        fs.mkdir("/a/x/y", 0755);
        put("/a/x/y/f", pattern(5000, 11));
        fs.mkdir("/b", 0755);
        fs.rename("/a/x", "/b/x");
        assertArrayEquals(pattern(5000, 11), contents("/b/x/y/f"));
        assertEquals(fs.stat("/b/x").fileid, fs.stat("/b/x/y/..").fileid);
        assertConsistent();
    }

    // ---------------------------------------------------------------- readdir

    @Test
    public void readdirListsDotAndDotDotWithTheRightFileIds() throws IOException {
        fs.mkdir("/d", 0755);
        Map<String, Long> ids = new HashMap<>();
        for (Dirent e : fs.readdir("/d")) {
            ids.put(e.name().toString(), e.fileid());
        }
        assertEquals(Set.of(".", ".."), ids.keySet());
        assertEquals(fs.stat("/d").fileid, ids.get("."));
        assertEquals(fs.stat("/").fileid, ids.get(".."));
    }

    @Test
    public void readdirReportsEachEntrysTypeAndFileId() throws IOException {
        touch("/f");
        fs.mkdir("/d", 0755);
        fs.symlink("f", "/l");
        fs.mknod("/p", VType.VFIFO, 0644, 0);
        Map<String, Dirent> byName = new HashMap<>();
        for (Dirent e : fs.readdir("/")) {
            byName.put(e.name().toString(), e);
        }
        assertEquals(VType.VREG, byName.get("f").type());
        assertEquals(VType.VDIR, byName.get("d").type());
        assertEquals(VType.VLNK, byName.get("l").type());
        assertEquals(VType.VFIFO, byName.get("p").type());
        for (String n : List.of("f", "d", "l", "p")) {
            assertEquals(fs.lstat("/" + n).fileid, byName.get(n).fileid(), n);
        }
    }

    @Test
    public void aThousandEntryDirectoryListsEveryEntryExactlyOnce() throws IOException {
        fs.mkdir("/big", 0755);
        Set<String> expect = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String n = "entry-" + i + "-" + "x".repeat(i % 40);
            expect.add(n);
            if (i % 10 == 0) {
                fs.mkdir("/big/" + n, 0755);
            } else {
                touch("/big/" + n);
            }
        }
        assertEquals(expect, names("/big"));
        assertEquals(2 + 100, fs.stat("/big").nlink);
        for (int i = 0; i < 1000; i += 2) {
            String n = "entry-" + i + "-" + "x".repeat(i % 40);
            if (i % 10 == 0) {
                fs.rmdir("/big/" + n);
            } else {
                fs.unlink("/big/" + n);
            }
            expect.remove(n);
        }
        assertEquals(expect, names("/big"));
    }

    @Test
    public void readdirResumedFromCookiesGivesTheSameListing() throws IOException {
        for (int i = 0; i < 100; i++) {
            touch("/f" + i);
        }
        List<Name> whole = new ArrayList<>();
        for (Dirent d : fs.readdir("/")) {
            whole.add(d.name());
        }
        List<Name> chunked = new ArrayList<>();
        long cookie = 0;
        while (true) {
            List<Dirent> chunk = readChunk("/", cookie, 7);
            if (chunk.isEmpty()) {
                break;
            }
            for (Dirent d : chunk) {
                chunked.add(d.name());
            }
            cookie = chunk.get(chunk.size() - 1).nextCookie();
        }
        assertEquals(whole, chunked);
    }

    @Test
    public void anEntryPresentThroughoutAListingIsReturnedOnceWhileOthersComeAndGo() throws IOException {
        for (int i = 0; i < 60; i++) {
            touch("/keep" + i);
            touch("/churn" + i);
        }
        Map<String, Integer> seen = new HashMap<>();
        long cookie = 0;
        int round = 0;
        while (true) {
            List<Dirent> chunk = readChunk("/", cookie, 5);
            if (chunk.isEmpty()) {
                break;
            }
            for (Dirent d : chunk) {
                seen.merge(d.name().toString(), 1, Integer::sum);
            }
            cookie = chunk.get(chunk.size() - 1).nextCookie();
            // Between chunks, remove some churn entries and add new ones.
            if (round < 60) {
                fs.unlink("/churn" + round);
                touch("/new" + round);
            }
            round++;
        }
        for (int i = 0; i < 60; i++) {
            assertEquals(1, seen.getOrDefault("keep" + i, 0), "keep" + i + " listed wrongly");
        }
        assertTrue(round < 1000, "listing did not end");
    }

    private List<Dirent> readChunk(String dir, long cookie, int max) throws IOException {
        List<Dirent> out = new ArrayList<>();
        fs.readdir(dir, cookie, d -> {
            if (out.size() >= max) {
                return false;
            }
            out.add(d);
            return true;
        });
        return out;
    }

    @Test
    public void aDirectoryChurnedByRandomCreatesAndRemovesListsExactlyWhatIsLeft() throws IOException {
        fs.mkdir("/churn", 0755);
        java.util.SplittableRandom r = new java.util.SplittableRandom(99);
        Set<String> model = new TreeSet<>();
        for (int i = 0; i < 3000; i++) {
            String n = "n" + r.nextInt(400) + "-" + "p".repeat(r.nextInt(60));
            if (model.contains(n)) {
                fs.unlink("/churn/" + n);
                model.remove(n);
            } else {
                touch("/churn/" + n);
                model.add(n);
            }
            if (i % 500 == 499) {
                assertEquals(model, names("/churn"), "after " + (i + 1) + " operations");
            }
        }
        for (String n : model) {
            assertEquals(VType.VREG, fs.stat("/churn/" + n).type);
        }
    }

    @Test
    public void readdirOfAFileFailsWithENOTDIR() throws IOException {
        touch("/f");
        assertErrno(ENOTDIR, () -> fs.readdir("/f"));
    }

    @Test
    public void readdirOfAMissingDirectoryFailsWithENOENT() {
        assertErrno(ENOENT, () -> fs.readdir("/missing"));
    }

    // ---------------------------------------------------------------- stat and mknod

    @Test
    public void statReportsTypeModeLinksOwnerAndSize() throws IOException {
        put("/f", pattern(777, 1));
        fs.chmod("/f", 0604);
        fs.chown("/f", 42, 43);
        Vattr va = fs.stat("/f");
        assertEquals(VType.VREG, va.type);
        assertEquals(0604, va.mode);
        assertEquals(VType.VREG.ifmt() | 0604, va.statMode());
        assertEquals(1, va.nlink);
        assertEquals(42, va.uid);
        assertEquals(43, va.gid);
        assertEquals(777, va.size);
        assertTrue(va.blocksize > 0, "blocksize " + va.blocksize);
        assertTrue(va.bytes >= 0, "bytes " + va.bytes);
    }

    @Test
    public void everyFileHasItsOwnFileId() throws IOException {
        touch("/f");
        touch("/g");
        fs.mkdir("/d", 0755);
        fs.symlink("f", "/l");
        Set<Long> ids = new HashSet<>();
        for (String p : List.of("/", "/f", "/g", "/d", "/l")) {
            assertTrue(ids.add(fs.lstat(p).fileid), "file id of " + p + " is shared");
        }
    }

    @Test
    public void storageUsedGrowsWithDataWritten() throws IOException {
        touch("/f");
        long empty = fs.stat("/f").bytes;
        put("/f", pattern(256 * 1024, 3));
        fs.sync();
        long full = fs.stat("/f").bytes;
        assertTrue(full >= empty + 256 * 1024, "bytes went from " + empty + " to " + full);
    }

    @Test
    public void mknodMakesAFifoAndDeviceNodes() throws IOException {
        fs.mknod("/p", VType.VFIFO, 0600, 0);
        assertEquals(VType.VFIFO, fs.lstat("/p").type);
        assertEquals(0600, fs.lstat("/p").mode);
        long rdev = org.rumpmount.vfs.DeviceNumbers.linux(8, 3);
        fs.mknod("/c", VType.VCHR, 0640, rdev);
        assertEquals(VType.VCHR, fs.lstat("/c").type);
        assertEquals(rdev, fs.lstat("/c").rdev);
        assertErrno(EEXIST, () -> fs.mknod("/p", VType.VFIFO, 0600, 0));
    }

    @Test
    public void newFilesBelongToTheirCreatorAndTheirDirectorysGroup() throws IOException {
        fs.mkdir("/g", 0777);
        fs.chown("/g", Vattr.VNOVAL, 4242);
        PathFacade alice = fs.as(ALICE);
        alice.open("/g/f", O_RDWR | O_CREAT, 0644).close();
        alice.mkdir("/g/d", 0755);
        // BSD semantics: a new file takes the group of the directory it is made in.
        assertEquals(ALICE.uid(), fs.stat("/g/f").uid);
        assertEquals(4242, fs.stat("/g/f").gid);
        assertEquals(ALICE.uid(), fs.stat("/g/d").uid);
        assertEquals(4242, fs.stat("/g/d").gid);
    }

    // ---------------------------------------------------------------- timestamps

    /** Birth time is kept where the format has it; elsewhere it reads as the epoch, as NetBSD reports it. */
    private void assertBirthtime(Timespec expected, Vattr va) {
        assertEquals(hasBirthTime() ? expected : Timespec.EPOCH, va.birthtime);
    }

    @Test
    public void createSetsAllTimesToNow() throws IOException {
        Timespec t = tick();
        touch("/f");
        Vattr va = fs.stat("/f");
        assertEquals(t, va.atime);
        assertEquals(t, va.mtime);
        assertEquals(t, va.ctime);
        assertBirthtime(t, va);
    }

    @Test
    public void createUpdatesTheParentsModificationAndChangeTimes() throws IOException {
        fs.mkdir("/d", 0755);
        Timespec atime = fs.stat("/d").atime;
        Timespec t = tick();
        touch("/d/f");
        Vattr d = fs.stat("/d");
        assertEquals(t, d.mtime);
        assertEquals(t, d.ctime);
        assertEquals(atime, d.atime);
    }

    @Test
    public void writeUpdatesModificationAndChangeTimesButNotAccessTime() throws IOException {
        Timespec t0 = tick();
        touch("/f");
        Timespec t1 = tick();
        try (FileHandle h = fs.open("/f", O_WRONLY, 0)) {
            writeAt(h, 0, utf8("x"));
        }
        Vattr va = fs.stat("/f");
        assertEquals(t1, va.mtime);
        assertEquals(t1, va.ctime);
        assertEquals(t0, va.atime);
        assertBirthtime(t0, va);
    }

    @Test
    public void readChangesNeitherModificationNorChangeTime() throws IOException {
        Timespec t0 = tick();
        put("/f", "read me");
        tick();
        contents("/f");
        Vattr va = fs.stat("/f");
        assertEquals(t0, va.mtime);
        assertEquals(t0, va.ctime);
    }

    @Test
    public void truncateThatChangesTheSizeUpdatesModificationAndChangeTimes() throws IOException {
        put("/f", "123456");
        Timespec t = tick();
        fs.truncate("/f", 2);
        assertEquals(t, fs.stat("/f").mtime);
        assertEquals(t, fs.stat("/f").ctime);
        Timespec t2 = tick();
        fs.truncate("/f", 4096);
        assertEquals(t2, fs.stat("/f").mtime);
    }

    @Test
    public void openWithTruncateUpdatesModificationAndChangeTimes() throws IOException {
        put("/f", "123456");
        Timespec t = tick();
        fs.open("/f", O_WRONLY | O_TRUNC, 0).close();
        assertEquals(t, fs.stat("/f").mtime);
        assertEquals(t, fs.stat("/f").ctime);
    }

    @Test
    public void chmodUpdatesOnlyTheChangeTime() throws IOException {
        Timespec t0 = tick();
        touch("/f");
        Timespec t1 = tick();
        fs.chmod("/f", 0600);
        Vattr va = fs.stat("/f");
        assertEquals(t1, va.ctime);
        assertEquals(t0, va.mtime);
        assertEquals(t0, va.atime);
    }

    @Test
    public void chownUpdatesOnlyTheChangeTime() throws IOException {
        Timespec t0 = tick();
        touch("/f");
        Timespec t1 = tick();
        fs.chown("/f", 5, 6);
        Vattr va = fs.stat("/f");
        assertEquals(t1, va.ctime);
        assertEquals(t0, va.mtime);
    }

    @Test
    public void linkUpdatesTheFilesChangeTimeAndTheDirectorysTimes() throws IOException {
        Assumptions.assumeTrue(supportsHardLinks());
        fs.mkdir("/d", 0755);
        Timespec t0 = tick();
        touch("/f");
        Timespec t1 = tick();
        fs.link("/f", "/d/g");
        assertEquals(t1, fs.stat("/f").ctime);
        assertEquals(t0, fs.stat("/f").mtime);
        assertEquals(t1, fs.stat("/d").mtime);
        assertEquals(t1, fs.stat("/d").ctime);
    }

    @Test
    public void unlinkUpdatesTheDirectorysTimesAndTheRemainingLinksChangeTime() throws IOException {
        Assumptions.assumeTrue(supportsHardLinks());
        fs.mkdir("/d", 0755);
        touch("/d/f");
        fs.link("/d/f", "/g");
        Timespec t = tick();
        fs.unlink("/d/f");
        assertEquals(t, fs.stat("/d").mtime);
        assertEquals(t, fs.stat("/d").ctime);
        assertEquals(t, fs.stat("/g").ctime);
    }

    @Test
    public void mkdirAndRmdirUpdateTheParentsTimes() throws IOException {
        fs.mkdir("/p", 0755);
        Timespec t1 = tick();
        fs.mkdir("/p/d", 0755);
        assertEquals(t1, fs.stat("/p").mtime);
        assertEquals(t1, fs.stat("/p").ctime);
        assertBirthtime(t1, fs.stat("/p/d"));
        Timespec t2 = tick();
        fs.rmdir("/p/d");
        assertEquals(t2, fs.stat("/p").mtime);
        assertEquals(t2, fs.stat("/p").ctime);
    }

    @Test
    public void renameUpdatesBothParentsTimes() throws IOException {
        fs.mkdir("/a", 0755);
        fs.mkdir("/b", 0755);
        touch("/a/f");
        Timespec t = tick();
        fs.rename("/a/f", "/b/f");
        assertEquals(t, fs.stat("/a").mtime);
        assertEquals(t, fs.stat("/a").ctime);
        assertEquals(t, fs.stat("/b").mtime);
        assertEquals(t, fs.stat("/b").ctime);
    }

    @Test
    public void symlinkCreationSetsTheLinksTimesAndTheParents() throws IOException {
        Timespec t = tick();
        fs.symlink("target", "/l");
        assertEquals(t, fs.lstat("/l").mtime);
        assertEquals(t, fs.lstat("/l").ctime);
        assertEquals(t, fs.stat("/").mtime);
    }

    @Test
    public void utimensSetsAccessAndModificationTimesSeparatelyWithNanoseconds() throws IOException {
        touch("/f");
        Timespec a = new Timespec(1_000_000_001L, 123_456_789);
        Timespec m = new Timespec(1_500_000_002L, 987_654_321);
        Timespec now = tick();
        fs.utimens("/f", a, m);
        Vattr va = fs.stat("/f");
        assertEquals(a, va.atime);
        assertEquals(m, va.mtime);
        assertEquals(now, va.ctime);
    }

    @Test
    public void utimensKeepsTimesBeforeTheEpoch() throws IOException {
        touch("/f");
        Timespec before = new Timespec(-86_400L * 365, 5);
        fs.utimens("/f", before, before);
        assertEquals(before, fs.stat("/f").atime);
        assertEquals(before, fs.stat("/f").mtime);
    }

    @Test
    public void utimeNowSetsATimeToTheClock() throws IOException {
        touch("/f");
        fs.utimens("/f", new Timespec(1, 1), new Timespec(2, 2));
        Timespec t = tick();
        fs.utimens("/f", PathFacade.UTIME_NOW, PathFacade.UTIME_OMIT);
        assertEquals(t, fs.stat("/f").atime);
        assertEquals(new Timespec(2, 2), fs.stat("/f").mtime);
    }

    @Test
    public void utimeOmitLeavesATimeAlone() throws IOException {
        touch("/f");
        fs.utimens("/f", new Timespec(10, 10), new Timespec(20, 20));
        fs.utimens("/f", PathFacade.UTIME_OMIT, new Timespec(30, 30));
        assertEquals(new Timespec(10, 10), fs.stat("/f").atime);
        assertEquals(new Timespec(30, 30), fs.stat("/f").mtime);
        fs.utimens("/f", PathFacade.UTIME_OMIT, PathFacade.UTIME_OMIT);
        assertEquals(new Timespec(10, 10), fs.stat("/f").atime);
        assertEquals(new Timespec(30, 30), fs.stat("/f").mtime);
    }

    @Test
    public void utimeNowForBothSetsBothToTheClock() throws IOException {
        touch("/f");
        fs.utimens("/f", new Timespec(1, 0), new Timespec(1, 0));
        Timespec t = tick();
        fs.utimens("/f", PathFacade.UTIME_NOW, PathFacade.UTIME_NOW);
        assertEquals(t, fs.stat("/f").atime);
        assertEquals(t, fs.stat("/f").mtime);
        assertEquals(t, fs.stat("/f").ctime);
    }

    @Test
    public void aNullTimeInUtimensLeavesThatTimeAlone() throws IOException {
        touch("/f");
        fs.utimens("/f", new Timespec(1, 0), new Timespec(2, 0));
        fs.utimens("/f", null, new Timespec(3, 0));
        assertEquals(new Timespec(1, 0), fs.stat("/f").atime);
        assertEquals(new Timespec(3, 0), fs.stat("/f").mtime);
    }

    @Test
    public void utimensOnASymlinkChangesItsTarget() throws IOException {
        touch("/f");
        fs.symlink("/f", "/l");
        Timespec linkMtime = fs.lstat("/l").mtime;
        fs.utimens("/l", new Timespec(77, 7), new Timespec(88, 8));
        assertEquals(new Timespec(88, 8), fs.stat("/f").mtime);
        assertEquals(linkMtime, fs.lstat("/l").mtime);
    }

    // ---------------------------------------------------------------- chmod and chown

    @Test
    public void chmodSetsThePermissionBitsAndKeepsTheType() throws IOException {
        touch("/f");
        fs.mkdir("/d", 0755);
        fs.chmod("/f", 0421);
        fs.chmod("/d", 01777);
        assertEquals(0421, fs.stat("/f").mode);
        assertEquals(VType.VREG, fs.stat("/f").type);
        assertEquals(01777, fs.stat("/d").mode);
        assertEquals(VType.VDIR, fs.stat("/d").type);
    }

    @Test
    public void rootMaySetSetuidAndSetgidBits() throws IOException {
        touch("/f");
        fs.chmod("/f", 06755);
        assertEquals(06755, fs.stat("/f").mode);
    }

    @Test
    public void chownChangesOwnerAndGroup() throws IOException {
        touch("/f");
        fs.chown("/f", 1234, 5678);
        assertEquals(1234, fs.stat("/f").uid);
        assertEquals(5678, fs.stat("/f").gid);
    }

    @Test
    public void chownWithNoValueLeavesThatFieldAlone() throws IOException {
        touch("/f");
        fs.chown("/f", 1234, 5678);
        fs.chown("/f", Vattr.VNOVAL, 99);
        assertEquals(1234, fs.stat("/f").uid);
        assertEquals(99, fs.stat("/f").gid);
        fs.chown("/f", 77, Vattr.VNOVAL);
        assertEquals(77, fs.stat("/f").uid);
        assertEquals(99, fs.stat("/f").gid);
    }

    @Test
    public void idsAreUnsigned32BitNumbers() throws IOException {
        touch("/f");
        fs.chown("/f", 4_294_967_294L, 4_000_000_000L);
        assertEquals(4_294_967_294L, fs.stat("/f").uid);
        assertEquals(4_000_000_000L, fs.stat("/f").gid);
    }

    // ---------------------------------------------------------------- permissions

    @Test
    public void readingAFileWithModeZeroFailsWithEACCESForItsOwner() throws IOException {
        PathFacade alice = aliceHome();
        put(alice, "/u/f", utf8("secret"));
        alice.chmod("/u/f", 0000);
        assertErrno(EACCES, () -> alice.open("/u/f", O_RDONLY, 0));
        assertErrno(EACCES, () -> alice.open("/u/f", O_WRONLY, 0));
        assertErrno(EACCES, () -> alice.readAll("/u/f"));
    }

    @Test
    public void rootReadsAndWritesFilesWithModeZero() throws IOException {
        PathFacade alice = aliceHome();
        put(alice, "/u/f", utf8("secret"));
        alice.chmod("/u/f", 0000);
        assertEquals("secret", text("/u/f"));
        fs.open("/u/f", O_WRONLY, 0).close();
    }

    @Test
    public void theOwnerClassDecidesForTheOwnerEvenIfGroupOrOthersMayDoMore() throws IOException {
        PathFacade alice = aliceHome();
        put(alice, "/u/f", utf8("x"));
        alice.chmod("/u/f", 0077);
        assertErrno(EACCES, () -> alice.open("/u/f", O_RDONLY, 0));
        fs.as(CAROL).open("/u/f", O_RDWR, 0).close();
        fs.as(BOB).open("/u/f", O_RDWR, 0).close();
    }

    @Test
    public void theGroupClassDecidesForGroupMembers() throws IOException {
        PathFacade alice = aliceHome();
        put(alice, "/u/f", utf8("x"));
        alice.chmod("/u/f", 0647);
        assertErrno(EACCES, () -> fs.as(DAVE).open("/u/f", O_WRONLY, 0));
        fs.as(BOB).open("/u/f", O_RDWR, 0).close();
    }

    @Test
    public void supplementaryGroupsGrantGroupAccess() throws IOException {
        PathFacade alice = aliceHome();
        put(alice, "/u/f", utf8("group"));
        alice.chmod("/u/f", 0640);
        assertEquals("group", new String(fs.as(CAROL).readAll("/u/f"), StandardCharsets.UTF_8));
        assertErrno(EACCES, () -> fs.as(BOB).readAll("/u/f"));
    }

    @Test
    public void otherUsersNeedTheOtherBits() throws IOException {
        PathFacade alice = aliceHome();
        put(alice, "/u/f", utf8("x"));
        alice.chmod("/u/f", 0660);
        assertErrno(EACCES, () -> fs.as(BOB).open("/u/f", O_RDONLY, 0));
        alice.chmod("/u/f", 0664);
        fs.as(BOB).open("/u/f", O_RDONLY, 0).close();
        assertErrno(EACCES, () -> fs.as(BOB).open("/u/f", O_WRONLY, 0));
    }

    @Test
    public void lookupThroughADirectoryWithoutSearchPermissionFailsWithEACCES() throws IOException {
        PathFacade alice = aliceHome();
        alice.mkdir("/u/d", 0755);
        put(alice, "/u/d/f", utf8("x"));
        alice.chmod("/u/d", 0666);
        assertErrno(EACCES, () -> alice.stat("/u/d/f"));
        assertErrno(EACCES, () -> alice.open("/u/d/f", O_RDONLY, 0));
        assertEquals(Set.of("f"), names(alice, "/u/d"));
    }

    @Test
    public void listingADirectoryNeedsReadPermissionButLookupDoesNot() throws IOException {
        PathFacade alice = aliceHome();
        alice.mkdir("/u/d", 0755);
        put(alice, "/u/d/f", utf8("x"));
        alice.chmod("/u/d", 0311);
        assertErrno(EACCES, () -> alice.readdir("/u/d"));
        assertEquals(1, alice.stat("/u/d/f").size);
    }

    @Test
    public void rootSearchesDirectoriesWithNoPermissionBits() throws IOException {
        PathFacade alice = aliceHome();
        alice.mkdir("/u/d", 0755);
        put(alice, "/u/d/f", utf8("x"));
        alice.chmod("/u/d", 0000);
        assertEquals(1, fs.stat("/u/d/f").size);
        assertEquals(Set.of("f"), names("/u/d"));
        fs.access("/u/d", Access.VEXEC);
    }

    @Test
    public void rootMayExecuteOnlyFilesWithAtLeastOneExecuteBit() throws IOException {
        touch("/f");
        fs.chmod("/f", 0644);
        assertErrno(EACCES, () -> fs.access("/f", Access.VEXEC));
        fs.access("/f", Access.VREAD | Access.VWRITE);
        fs.chmod("/f", 0001);
        fs.access("/f", Access.VEXEC);
    }

    @Test
    public void accessReportsWhatTheCallerMayDo() throws IOException {
        PathFacade alice = aliceHome();
        put(alice, "/u/f", utf8("x"));
        alice.chmod("/u/f", 0500);
        alice.access("/u/f", Access.VREAD | Access.VEXEC);
        assertErrno(EACCES, () -> alice.access("/u/f", Access.VWRITE));
        assertErrno(EACCES, () -> fs.as(BOB).access("/u/f", Access.VREAD));
    }

    @Test
    public void creatingAFileNeedsWritePermissionOnItsDirectory() throws IOException {
        PathFacade alice = aliceHome();
        alice.chmod("/u", 0555);
        assertErrno(EACCES, () -> alice.open("/u/f", O_RDWR | O_CREAT, 0644));
        assertErrno(EACCES, () -> alice.mkdir("/u/d", 0755));
        assertErrno(EACCES, () -> alice.symlink("x", "/u/l"));
        assertErrno(EACCES, () -> fs.as(BOB).open("/u/g", O_RDWR | O_CREAT, 0644));
    }

    @Test
    public void removingAFileNeedsWritePermissionOnItsDirectoryNotOnTheFile() throws IOException {
        PathFacade alice = aliceHome();
        put(alice, "/u/f", utf8("x"));
        alice.chmod("/u/f", 0000);
        alice.chmod("/u", 0555);
        assertErrno(EACCES, () -> alice.unlink("/u/f"));
        alice.chmod("/u", 0755);
        alice.unlink("/u/f");
    }

    @Test
    public void removingADirectoryNeedsWritePermissionOnItsParent() throws IOException {
        PathFacade alice = aliceHome();
        alice.mkdir("/u/d", 0755);
        alice.chmod("/u", 0555);
        assertErrno(EACCES, () -> alice.rmdir("/u/d"));
    }

    @Test
    public void renameNeedsWritePermissionOnBothDirectories() throws IOException {
        PathFacade alice = aliceHome();
        alice.mkdir("/u/from", 0755);
        alice.mkdir("/u/to", 0755);
        put(alice, "/u/from/f", utf8("x"));
        alice.chmod("/u/to", 0555);
        assertErrno(EACCES, () -> alice.rename("/u/from/f", "/u/to/f"));
        alice.chmod("/u/to", 0755);
        alice.chmod("/u/from", 0555);
        assertErrno(EACCES, () -> alice.rename("/u/from/f", "/u/to/f"));
        alice.chmod("/u/from", 0755);
        alice.rename("/u/from/f", "/u/to/f");
    }

    @Test
    public void movingADirectoryToAnotherParentNeedsWritePermissionOnItToRewriteDotDot() throws IOException {
        PathFacade alice = aliceHome();
        alice.mkdir("/u/a", 0755);
        alice.mkdir("/u/b", 0755);
        alice.mkdir("/u/a/d", 0555);
        assertErrno(EACCES, () -> alice.rename("/u/a/d", "/u/b/d"));
        alice.rename("/u/a/d", "/u/a/e");
    }

    @Test
    public void linkNeedsWritePermissionOnTheTargetDirectory() throws IOException {
        Assumptions.assumeTrue(supportsHardLinks());
        PathFacade alice = aliceHome();
        touch("/f");
        fs.chmod("/f", 0644);
        alice.mkdir("/u/ro", 0555);
        assertErrno(EACCES, () -> alice.link("/f", "/u/ro/g"));
        alice.link("/f", "/u/g");
    }

    @Test
    public void inAStickyDirectoryOthersMayNotRemoveOrRenameYourFiles() throws IOException {
        fs.mkdir("/tmp", 01777);
        PathFacade alice = fs.as(ALICE);
        PathFacade bob = fs.as(BOB);
        put(alice, "/tmp/a", utf8("alice's"));
        assertErrno(EPERM, () -> bob.unlink("/tmp/a"));
        assertErrno(EPERM, () -> bob.rename("/tmp/a", "/tmp/b"));
        put(bob, "/tmp/bobs", utf8("bob's"));
        assertErrno(EPERM, () -> bob.rename("/tmp/bobs", "/tmp/a"), "replacing another user's file");
        assertEquals("alice's", text("/tmp/a"));
    }

    @Test
    public void inAStickyDirectoryTheFilesOwnerTheDirectorysOwnerAndRootMayRemove() throws IOException {
        fs.mkdir("/tmp", 01777);
        fs.chown("/tmp", BOB.uid(), BOB.gid());
        PathFacade alice = fs.as(ALICE);
        put(alice, "/tmp/a1", utf8("1"));
        put(alice, "/tmp/a2", utf8("2"));
        put(alice, "/tmp/a3", utf8("3"));
        alice.unlink("/tmp/a1");
        fs.as(BOB).unlink("/tmp/a2");
        fs.unlink("/tmp/a3");
        assertEquals(Set.of(), names("/tmp"));
    }

    @Test
    public void inAStickyDirectoryOthersMayNotRemoveYourDirectories() throws IOException {
        fs.mkdir("/tmp", 01777);
        fs.as(ALICE).mkdir("/tmp/d", 0777);
        assertErrno(EPERM, () -> fs.as(BOB).rmdir("/tmp/d"));
        fs.as(ALICE).rmdir("/tmp/d");
    }

    @Test
    public void chmodByAnyoneButTheOwnerOrRootFailsWithEPERM() throws IOException {
        PathFacade alice = aliceHome();
        put(alice, "/u/f", utf8("x"));
        alice.chmod("/u/f", 0666);
        assertErrno(EPERM, () -> fs.as(BOB).chmod("/u/f", 0777));
        assertErrno(EPERM, () -> fs.as(CAROL).chmod("/u/f", 0777));
        fs.chmod("/u/f", 0600);
        assertEquals(0600, fs.stat("/u/f").mode);
    }

    @Test
    public void chownToAnotherUserByAnOrdinaryUserFailsWithEPERM() throws IOException {
        PathFacade alice = aliceHome();
        put(alice, "/u/f", utf8("x"));
        assertErrno(EPERM, () -> alice.chown("/u/f", BOB.uid(), Vattr.VNOVAL));
        assertErrno(EPERM, () -> fs.as(BOB).chown("/u/f", BOB.uid(), Vattr.VNOVAL));
        assertEquals(ALICE.uid(), fs.stat("/u/f").uid);
    }

    @Test
    public void chgrpToAGroupTheOwnerIsNotInFailsWithEPERM() throws IOException {
        PathFacade alice = aliceHome();
        put(alice, "/u/f", utf8("x"));
        assertErrno(EPERM, () -> alice.chown("/u/f", Vattr.VNOVAL, 1001));
        assertEquals(1000, fs.stat("/u/f").gid);
    }

    @Test
    public void chgrpToASupplementaryGroupByTheOwnerIsAllowed() throws IOException {
        fs.mkdir("/c", 0777);
        PathFacade carol = fs.as(CAROL);
        put(carol, "/c/f", utf8("x"));
        carol.chown("/c/f", Vattr.VNOVAL, 1000);
        carol.chown("/c/f", CAROL.uid(), 1002);
        assertEquals(1002, fs.stat("/c/f").gid);
    }

    @Test
    public void anOrdinaryUserCannotSetSetgidOnAFileOfAGroupSheIsNotIn() throws IOException {
        touch("/f");
        fs.chown("/f", ALICE.uid(), 0);
        // NetBSD refuses with EPERM; POSIX (and Linux) clear the bit instead. Either way the
        // file must not end up set-group-ID for a group its owner is not in.
        Errno e = null;
        try {
            fs.as(ALICE).chmod("/f", 02755);
        } catch (VfsException x) {
            e = x.errno();
        }
        assertTrue(e == null || e == EPERM, "chmod g+s failed with " + e);
        assertEquals(0, fs.stat("/f").mode & 02000, "set-group-ID bit was set");
        fs.as(ALICE).chmod("/f", 04755);
        assertEquals(04755, fs.stat("/f").mode);
    }

    @Test
    public void anOrdinaryUserMaySetTheStickyBitOnHerDirectory() throws IOException {
        PathFacade alice = aliceHome();
        alice.mkdir("/u/d", 0755);
        alice.chmod("/u/d", 01777);
        assertEquals(01777, fs.stat("/u/d").mode);
    }

    @Test
    public void fchmodFchownAndFutimensWorkThroughAHandle() throws IOException {
        touch("/f");
        try (FileHandle h = fs.open("/f", O_RDWR, 0)) {
            h.chmod(0600);
            h.chown(5, 6);
            h.utimens(new Timespec(3, 4), new Timespec(5, 6));
            Vattr va = h.getattr();
            assertEquals(0600, va.mode);
            assertEquals(5, va.uid);
            assertEquals(6, va.gid);
            assertEquals(new Timespec(3, 4), va.atime);
            assertEquals(new Timespec(5, 6), va.mtime);
        }
    }

    @Test
    public void aWriteByAnotherUserClearsSetuidAndSetgid() throws IOException {
        PathFacade alice = aliceHome();
        put(alice, "/u/f", utf8("prog"));
        alice.chmod("/u/f", 06777);
        try (FileHandle h = fs.as(BOB).open("/u/f", O_WRONLY, 0)) {
            writeAt(h, 0, utf8("evil"));
        }
        assertEquals(0777, fs.stat("/u/f").mode);
    }

    @Test
    public void anOpenHandleKeepsItsAccessAfterChmodToZero() throws IOException {
        PathFacade alice = aliceHome();
        put(alice, "/u/f", utf8("before"));
        try (FileHandle h = alice.open("/u/f", O_RDWR, 0)) {
            alice.chmod("/u/f", 0000);
            assertErrno(EACCES, () -> alice.open("/u/f", O_RDONLY, 0));
            assertEquals("before", new String(readAt(h, 0, 100), StandardCharsets.US_ASCII));
            writeAt(h, 0, utf8("AFTER!"));
        }
        assertEquals("AFTER!", text("/u/f"));
    }

    @Test
    public void truncateNeedsWritePermission() throws IOException {
        PathFacade alice = aliceHome();
        put(alice, "/u/f", utf8("keep"));
        alice.chmod("/u/f", 0644);
        assertErrno(EACCES, () -> fs.as(BOB).truncate("/u/f", 0));
        assertErrno(EACCES, () -> fs.as(BOB).open("/u/f", O_RDONLY | O_TRUNC, 0));
        assertEquals("keep", text("/u/f"));
    }

    @Test
    public void setTimesToNowNeedsOnlyWritePermissionButExplicitTimesNeedOwnership() throws IOException {
        PathFacade alice = aliceHome();
        put(alice, "/u/f", utf8("x"));
        alice.chmod("/u/f", 0666);
        PathFacade bob = fs.as(BOB);
        bob.utimens("/u/f", PathFacade.UTIME_NOW, PathFacade.UTIME_NOW);
        assertErrno(EPERM, () -> bob.utimens("/u/f", new Timespec(5, 0), new Timespec(5, 0)));
        alice.chmod("/u/f", 0644);
        assertErrno(EACCES, () -> bob.utimens("/u/f", PathFacade.UTIME_NOW, PathFacade.UTIME_NOW));
        alice.utimens("/u/f", new Timespec(5, 0), new Timespec(6, 0));
        assertEquals(new Timespec(6, 0), fs.stat("/u/f").mtime);
    }

    // ---------------------------------------------------------------- statvfs, space, sync

    @Test
    public void statvfsReportsNameMax255AndSaneCounts() throws IOException {
        StatVfs s = fs.statvfs();
        assertEquals(255, s.nameMax());
        assertTrue(s.blocks() > 0, "blocks " + s.blocks());
        assertTrue(s.blocksFree() <= s.blocks(), s.toString());
        assertTrue(s.blocksAvailable() <= s.blocksFree(), s.toString());
        assertTrue(s.fragmentSize() > 0 && s.blockSize() > 0, s.toString());
        assertFalse(s.readOnly());
    }

    @Test
    public void freeBlocksDropAfterAWriteAndRecoverAfterDelete() throws IOException {
        StatVfs before = fs.statvfs();
        int size = 2 << 20;
        put("/f", pattern(size, 5));
        fs.sync();
        StatVfs during = fs.statvfs();
        long used = (before.blocksFree() - during.blocksFree()) * during.fragmentSize();
        assertTrue(used >= size * 9L / 10, "2 MiB written but free space fell by only " + used + " bytes");
        fs.unlink("/f");
        fs.sync();
        StatVfs after = fs.statvfs();
        long slack = Math.max(8, 65536 / after.fragmentSize());
        assertTrue(after.blocksFree() >= before.blocksFree() - slack,
                "free blocks " + before.blocksFree() + " -> " + after.blocksFree() + " after delete");
    }

    @Test
    public void freeFileSlotsDropWhenFilesAreMade() throws IOException {
        StatVfs before = fs.statvfs();
        Assumptions.assumeTrue(before.files() > 0, "file system has no file count");
        for (int i = 0; i < 10; i++) {
            touch("/f" + i);
        }
        assertTrue(fs.statvfs().filesFree() <= before.filesFree() - 10, "free inodes did not drop");
    }

    @Test
    public void fillingASmallFileSystemFailsWithENOSPCAndDeletingRecovers() throws IOException {
        Assumptions.assumeTrue(hasSpaceLimit(), "driver cannot make a small file system");
        Mount small = mountSmall(kernel, 512 * 1024);
        PathFacade sfs = new PathFacade(small, Credentials.ROOT);
        byte[] chunk = pattern(64 * 1024, 1);
        boolean full = false;
        try (FileHandle h = sfs.open("/big", O_WRONLY | O_CREAT, 0644)) {
            long off = 0;
            for (int i = 0; i < 64 && !full; i++) {
                try {
                    int n = h.write(off, ByteBuffer.wrap(chunk));
                    off += n;
                    if (n < chunk.length) {
                        long at = off;
                        assertErrno(ENOSPC, () -> h.write(at, ByteBuffer.wrap(chunk)), "write after a short write");
                        full = true;
                    }
                } catch (VfsException e) {
                    assertEquals(ENOSPC, e.errno(), e.getMessage());
                    full = true;
                }
            }
            assertTrue(full, "wrote 4 MiB to a 512 KiB file system without ENOSPC");
        }
        sfs.unlink("/big");
        put(sfs, "/after", pattern(32 * 1024, 2));
        assertArrayEquals(pattern(32 * 1024, 2), sfs.readAll("/after"));
    }

    @Test
    public void syncAndFsyncSucceed() throws IOException {
        put("/f", pattern(100_000, 1));
        fs.fsync("/f");
        try (FileHandle h = fs.open("/f", O_RDWR, 0)) {
            h.fsync(true);
            h.fsync(false);
        }
        fs.mkdir("/d", 0755);
        fs.fsync("/d");
        fs.sync();
        assertArrayEquals(pattern(100_000, 1), contents("/f"));
    }

    // ---------------------------------------------------------------- read-only mounts

    @Test
    public void aReadOnlyMountRefusesToCreateAnythingWithEROFS() throws IOException {
        Mount ro = mountEmptyReadOnly(kernel);
        PathFacade r = new PathFacade(ro, Credentials.ROOT);
        assertTrue(r.statvfs().readOnly());
        assertErrno(EROFS, () -> r.open("/f", O_RDWR | O_CREAT, 0644), "create");
        assertErrno(EROFS, () -> r.mkdir("/d", 0755), "mkdir");
        assertErrno(EROFS, () -> r.symlink("x", "/l"), "symlink");
        assertErrno(EROFS, () -> r.mknod("/p", VType.VFIFO, 0644, 0), "mknod");
        assertErrno(EROFS, () -> r.chmod("/", 0700), "chmod");
        assertErrno(EROFS, () -> r.chown("/", 5, 5), "chown");
        assertErrno(EROFS, () -> r.utimens("/", PathFacade.UTIME_NOW, PathFacade.UTIME_NOW), "utimens");
        assertErrno(EROFS, () -> r.access("/", Access.VWRITE), "access for writing");
        assertEquals(Set.of(), names(r, "/"));
    }

    @Test
    public void aReadOnlyMountRefusesEveryChangeToExistingFilesWithEROFS() throws IOException {
        fs.mkdir("/d", 0755);
        fs.mkdir("/e", 0755);
        put("/f", "data");
        fs.symlink("f", "/l");
        Mount ro = remountReadOnly(kernel, mount);
        Assumptions.assumeTrue(ro != null, "driver cannot remount read-only");
        PathFacade r = new PathFacade(ro, Credentials.ROOT);
        assertEquals("data", new String(r.readAll("/f"), StandardCharsets.UTF_8));
        assertErrno(EROFS, () -> r.open("/f", O_WRONLY, 0), "open for writing");
        assertErrno(EROFS, () -> r.open("/f", O_RDONLY | O_TRUNC, 0), "O_TRUNC");
        assertErrno(EROFS, () -> r.truncate("/f", 0), "truncate");
        assertErrno(EROFS, () -> r.write("/f", 0, ByteBuffer.wrap(utf8("x"))), "write");
        assertErrno(EROFS, () -> r.unlink("/f"), "unlink");
        assertErrno(EROFS, () -> r.unlink("/l"), "unlink symlink");
        assertErrno(EROFS, () -> r.rmdir("/e"), "rmdir");
        assertErrno(EROFS, () -> r.rename("/f", "/g"), "rename");
        assertErrno(EROFS, () -> r.rename("/d", "/e"), "rename dir");
        assertErrno(EROFS, () -> r.link("/f", "/g"), "link");
        assertErrno(EROFS, () -> r.chmod("/f", 0600), "chmod");
        assertErrno(EROFS, () -> r.chown("/f", 1, 1), "chown");
        assertErrno(EROFS, () -> r.lchown("/l", 1, 1), "lchown");
        assertErrno(EROFS, () -> r.utimens("/f", new Timespec(1, 1), new Timespec(1, 1)), "utimens");
        assertEquals("data", new String(r.readAll("/f"), StandardCharsets.UTF_8));
        assertEquals(Set.of("d", "e", "f", "l"), names(r, "/"));
    }

    // ---------------------------------------------------------------- file flags (chflags)
    //
    // NetBSD's rules (ufs_vnops.c, tmpfs_vnops.c, genfs_rename.c), the same for every driver:
    // an immutable file takes no change and keeps its names, an append-only file grows only at
    // its end and keeps its names, an immutable directory neither gains nor loses entries, an
    // append-only one gains but never loses them. The owner changes the owner flags (UF_*),
    // only root the system flags (SF_*); root is bound by the flags like anyone but may clear
    // them (NetBSD at securelevel 0).

    private static final long UF_NODUMP = FileFlags.UF_NODUMP;
    private static final long UF_IMMUTABLE = FileFlags.UF_IMMUTABLE;
    private static final long UF_APPEND = FileFlags.UF_APPEND;
    private static final long UF_OPAQUE = FileFlags.UF_OPAQUE;
    private static final long SF_ARCHIVED = FileFlags.SF_ARCHIVED;
    private static final long SF_IMMUTABLE = FileFlags.SF_IMMUTABLE;
    private static final long SF_APPEND = FileFlags.SF_APPEND;

    protected long flagsOf(String path) throws IOException {
        return FileFlags.of(fs.lstat(path));
    }

    @Test
    public void chflagsStoresTheFlagsAndChangesOnlyTheChangeTime() throws IOException {
        put("/f", "data");
        Vattr before = fs.stat("/f");
        Timespec t = tick();
        fs.chflags("/f", UF_NODUMP | UF_OPAQUE | SF_ARCHIVED);
        Vattr va = fs.stat("/f");
        assertEquals(UF_NODUMP | UF_OPAQUE | SF_ARCHIVED, FileFlags.of(va));
        assertEquals(t, va.ctime);
        assertEquals(before.mtime, va.mtime);
        assertEquals(before.mode, va.mode);
        fs.chflags("/f", 0);
        assertEquals(0, flagsOf("/f"));
    }

    @Test
    public void flagsWithoutAMeaningForAccessLeaveAFileFreeToChange() throws IOException {
        put("/f", "data");
        fs.mkdir("/d", 0755);
        fs.chflags("/f", UF_NODUMP | UF_OPAQUE | SF_ARCHIVED);
        fs.chflags("/d", UF_NODUMP | UF_OPAQUE | SF_ARCHIVED);
        put("/f", "more data");
        fs.chmod("/f", 0600);
        fs.rename("/f", "/d/g");
        fs.unlink("/d/g");
        fs.rmdir("/d");
        assertEquals(Set.of(), names("/"));
    }

    @Test
    public void anImmutableFileCanBeReadButNotWrittenTruncatedOrChanged() throws IOException {
        put("/f", "fixed");
        fs.chflags("/f", UF_IMMUTABLE);
        assertEquals("fixed", text("/f"));
        assertErrno(EPERM, () -> fs.open("/f", O_WRONLY, 0), "open for writing");
        assertErrno(EPERM, () -> fs.open("/f", O_RDWR, 0), "open for reading and writing");
        assertErrno(EPERM, () -> fs.open("/f", O_WRONLY | O_APPEND, 0), "open for appending");
        assertErrno(EPERM, () -> fs.open("/f", O_RDONLY | O_TRUNC, 0), "O_TRUNC");
        assertErrno(EPERM, () -> fs.open("/f", O_WRONLY | O_CREAT, 0644), "O_CREAT of the existing file");
        assertErrno(EPERM, () -> fs.truncate("/f", 0), "truncate");
        assertErrno(EPERM, () -> fs.access("/f", Access.VWRITE), "access for writing");
        fs.access("/f", Access.VREAD);
        assertErrno(EPERM, () -> fs.chmod("/f", 0600), "chmod");
        assertErrno(EPERM, () -> fs.chown("/f", 5, 5), "chown");
        assertErrno(EPERM, () -> fs.utimens("/f", new Timespec(1, 0), new Timespec(2, 0)), "utimes");
        assertErrno(EPERM, () -> fs.utimens("/f", PathFacade.UTIME_NOW, PathFacade.UTIME_NOW), "utimes to now");
        Vattr va = fs.stat("/f");
        assertEquals(5, va.size);
        assertEquals(0644, va.mode);
        assertEquals(0, va.uid);
        assertEquals("fixed", text("/f"));
    }

    @Test
    public void anImmutableFileKeepsItsNames() throws IOException {
        fs.mkdir("/d", 0755);
        put("/d/f", "fixed");
        put("/other", "x");
        fs.chflags("/d/f", SF_IMMUTABLE);
        assertErrno(EPERM, () -> fs.unlink("/d/f"), "unlink");
        assertErrno(EPERM, () -> fs.rename("/d/f", "/d/g"), "rename in its directory");
        assertErrno(EPERM, () -> fs.rename("/d/f", "/g"), "rename to another directory");
        assertErrno(EPERM, () -> fs.rename("/other", "/d/f"), "rename over it");
        if (supportsHardLinks()) {
            assertErrno(EPERM, () -> fs.link("/d/f", "/h"), "link");
        }
        assertEquals(Set.of("f"), names("/d"));
        assertEquals(Set.of("d", "other"), names("/"));
        assertEquals(1, fs.stat("/d/f").nlink);
    }

    @Test
    public void rootIsBoundByTheImmutableFlagsButMayClearThem() throws IOException {
        put("/f", "fixed");
        fs.chflags("/f", SF_IMMUTABLE | UF_IMMUTABLE | UF_NODUMP);
        assertErrno(EPERM, () -> put("/f", "changed"), "root writing");
        assertErrno(EPERM, () -> fs.unlink("/f"), "root removing");
        fs.chflags("/f", UF_NODUMP);
        put("/f", "changed");
        fs.rename("/f", "/g");
        assertEquals("changed", text("/g"));
        assertEquals(UF_NODUMP, flagsOf("/g"));
    }

    @Test
    public void aHandleOpenedBeforeTheFileBecameImmutableChangesNothing() throws IOException {
        put("/f", "fixed");
        try (FileHandle h = fs.open("/f", O_RDWR, 0)) {
            fs.chflags("/f", UF_IMMUTABLE);
            assertErrno(EPERM, () -> h.write(0, ByteBuffer.wrap(utf8("X"))), "write");
            assertErrno(EPERM, () -> h.write(5, ByteBuffer.wrap(utf8("X"))), "write at the end");
            assertErrno(EPERM, () -> h.truncate(0), "ftruncate");
            assertErrno(EPERM, () -> h.chmod(0600), "fchmod");
            assertEquals("fixed", new String(readAt(h, 0, 100), StandardCharsets.UTF_8));
        }
        assertEquals("fixed", text("/f"));
    }

    @Test
    public void anAppendOnlyFileOpensForWritingOnlyWithAppend() throws IOException {
        put("/log", "one\n");
        fs.chflags("/log", UF_APPEND);
        assertErrno(EPERM, () -> fs.open("/log", O_WRONLY, 0), "O_WRONLY");
        assertErrno(EPERM, () -> fs.open("/log", O_RDWR, 0), "O_RDWR");
        assertErrno(EPERM, () -> fs.open("/log", O_WRONLY | O_APPEND | O_TRUNC, 0), "O_APPEND with O_TRUNC");
        try (FileHandle h = fs.open("/log", O_WRONLY | O_APPEND, 0)) {
            writeAt(h, 0, utf8("two\n"));
            writeAt(h, 1, utf8("three\n"));
        }
        try (FileHandle h = fs.open("/log", O_RDWR | O_APPEND, 0)) {
            assertEquals("one\ntwo\nthree\n", new String(readAt(h, 0, 100), StandardCharsets.UTF_8));
        }
        fs.access("/log", Access.VWRITE);
        assertEquals("one\ntwo\nthree\n", text("/log"));
    }

    @Test
    public void anEmptyAppendOnlyFileIsStillNotTruncated() throws IOException {
        touch("/log");
        fs.chflags("/log", SF_APPEND);
        assertErrno(EPERM, () -> fs.open("/log", O_WRONLY | O_APPEND | O_TRUNC, 0), "O_TRUNC");
        assertErrno(EPERM, () -> fs.truncate("/log", 0), "truncate to its size");
        fs.open("/log", O_WRONLY | O_APPEND, 0).close();
    }

    @Test
    public void anAppendOnlyFileIsNeitherTruncatedNorChangedNorRenamedNorRemoved() throws IOException {
        put("/log", "one\n");
        put("/other", "x");
        fs.chflags("/log", UF_APPEND);
        assertErrno(EPERM, () -> fs.truncate("/log", 0), "truncate");
        assertErrno(EPERM, () -> fs.truncate("/log", 100), "extend");
        assertErrno(EPERM, () -> fs.chmod("/log", 0600), "chmod");
        assertErrno(EPERM, () -> fs.chown("/log", 5, 5), "chown");
        assertErrno(EPERM, () -> fs.utimens("/log", new Timespec(1, 0), new Timespec(2, 0)), "utimes");
        assertErrno(EPERM, () -> fs.unlink("/log"), "unlink");
        assertErrno(EPERM, () -> fs.rename("/log", "/old"), "rename");
        assertErrno(EPERM, () -> fs.rename("/other", "/log"), "rename over it");
        if (supportsHardLinks()) {
            assertErrno(EPERM, () -> fs.link("/log", "/hard"), "link");
        }
        assertEquals("one\n", text("/log"));
        assertEquals(Set.of("log", "other"), names("/"));
    }

    @Test
    public void aHandleOpenedBeforeTheFileBecameAppendOnlyWritesOnlyAtItsEnd() throws IOException {
        put("/log", "one\n");
        try (FileHandle h = fs.open("/log", O_RDWR, 0)) {
            fs.chflags("/log", UF_APPEND);
            assertErrno(EPERM, () -> h.write(0, ByteBuffer.wrap(utf8("X"))), "write at the start");
            assertErrno(EPERM, () -> h.write(5, ByteBuffer.wrap(utf8("X"))), "write past the end");
            assertErrno(EPERM, () -> h.truncate(1), "ftruncate");
            writeAt(h, 4, utf8("two\n"));
        }
        assertEquals("one\ntwo\n", text("/log"));
    }

    @Test
    public void anAppendOnlySetIdFileWrittenByItsOwnerLosesTheSetIdBits() throws IOException {
        PathFacade alice = aliceHome();
        put(alice, "/u/prog", utf8("#!"));
        alice.chmod("/u/prog", 04755);
        alice.chflags("/u/prog", UF_APPEND);
        try (FileHandle h = alice.open("/u/prog", O_WRONLY | O_APPEND, 0)) {
            writeAt(h, 0, utf8("x"));
        }
        assertEquals(0755, fs.stat("/u/prog").mode);
        assertEquals("#!x", text("/u/prog"));
    }

    @Test
    public void anImmutableDirectoryNeitherGainsNorLosesEntries() throws IOException {
        fs.mkdir("/imm", 0755);
        put("/imm/in", "inside");
        fs.mkdir("/imm/sub", 0755);
        put("/outside", "x");
        fs.chflags("/imm", UF_IMMUTABLE);
        assertErrno(EPERM, () -> put("/imm/new", "n"), "create");
        assertErrno(EPERM, () -> fs.mkdir("/imm/dir", 0755), "mkdir");
        assertErrno(EPERM, () -> fs.symlink("x", "/imm/l"), "symlink");
        assertErrno(EPERM, () -> fs.mknod("/imm/p", VType.VFIFO, 0644, 0), "mknod");
        if (supportsHardLinks()) {
            assertErrno(EPERM, () -> fs.link("/outside", "/imm/hard"), "link into it");
        }
        assertErrno(EPERM, () -> fs.rename("/outside", "/imm/moved"), "rename into it");
        assertErrno(EPERM, () -> fs.unlink("/imm/in"), "unlink");
        assertErrno(EPERM, () -> fs.rmdir("/imm/sub"), "rmdir");
        assertErrno(EPERM, () -> fs.rename("/imm/in", "/in"), "rename out of it");
        assertErrno(EPERM, () -> fs.rename("/imm/in", "/imm/again"), "rename inside it");
        assertErrno(EPERM, () -> fs.chmod("/imm", 0700), "chmod");
        assertErrno(EPERM, () -> fs.rename("/imm", "/elsewhere"), "rename of the directory");
        assertEquals(Set.of("in", "sub"), names("/imm"));
        put("/imm/in", "what is inside stays writable");
        assertEquals("what is inside stays writable", text("/imm/in"));
        fs.chflags("/imm", 0);
        fs.unlink("/imm/in");
        fs.rmdir("/imm/sub");
        fs.rmdir("/imm");
    }

    @Test
    public void anEmptyImmutableOrAppendOnlyDirectoryIsNotRemoved() throws IOException {
        fs.mkdir("/imm", 0755);
        fs.mkdir("/app", 0755);
        fs.chflags("/imm", SF_IMMUTABLE);
        fs.chflags("/app", SF_APPEND);
        assertErrno(EPERM, () -> fs.rmdir("/imm"), "immutable");
        assertErrno(EPERM, () -> fs.rmdir("/app"), "append-only");
        assertEquals(Set.of("imm", "app"), names("/"));
        fs.chflags("/imm", 0);
        fs.chflags("/app", 0);
        fs.rmdir("/imm");
        fs.rmdir("/app");
    }

    @Test
    public void anAppendOnlyDirectoryGainsEntriesButLosesNone() throws IOException {
        fs.mkdir("/app", 0755);
        put("/app/old", "o");
        fs.mkdir("/app/sub", 0755);
        put("/outside", "x");
        fs.chflags("/app", UF_APPEND);
        put("/app/new", "n");
        fs.mkdir("/app/dir", 0755);
        fs.symlink("new", "/app/l");
        fs.mknod("/app/p", VType.VFIFO, 0644, 0);
        if (supportsHardLinks()) {
            fs.link("/outside", "/app/hard");
        }
        fs.rename("/outside", "/app/moved");
        assertErrno(EPERM, () -> fs.unlink("/app/old"), "unlink");
        assertErrno(EPERM, () -> fs.rmdir("/app/sub"), "rmdir");
        assertErrno(EPERM, () -> fs.rename("/app/old", "/old"), "rename out of it");
        assertErrno(EPERM, () -> fs.rename("/app/old", "/app/renamed"), "rename inside it");
        put("/elsewhere", "e");
        assertErrno(EPERM, () -> fs.rename("/elsewhere", "/app/old"), "rename over an entry");
        Set<String> expected = new TreeSet<>(List.of("old", "sub", "new", "dir", "l", "p", "moved"));
        if (supportsHardLinks()) {
            expected.add("hard");
        }
        assertEquals(expected, names("/app"));
        put("/app/old", "files inside stay writable");
        fs.chflags("/app", 0);
        for (String n : expected) {
            if (fs.lstat("/app/" + n).type == VType.VDIR) {
                fs.rmdir("/app/" + n);
            } else {
                fs.unlink("/app/" + n);
            }
        }
        fs.rmdir("/app");
        fs.unlink("/elsewhere");
    }

    @Test
    public void theOwnerChangesOwnerFlagsAndOnlyRootChangesSystemFlags() throws IOException {
        PathFacade alice = aliceHome();
        put(alice, "/u/f", utf8("f"));
        alice.chflags("/u/f", UF_NODUMP | UF_IMMUTABLE);
        assertEquals(UF_NODUMP | UF_IMMUTABLE, flagsOf("/u/f"));
        alice.chflags("/u/f", UF_NODUMP);
        assertErrno(EPERM, () -> alice.chflags("/u/f", SF_IMMUTABLE), "owner setting a system flag");
        assertErrno(EPERM, () -> alice.chflags("/u/f", SF_ARCHIVED), "owner setting SF_ARCHIVED");
        assertErrno(EPERM, () -> fs.as(BOB).chflags("/u/f", 0), "someone else");
        assertErrno(EPERM, () -> fs.as(CAROL).chflags("/u/f", UF_NODUMP), "a member of the file's group");
        assertEquals(UF_NODUMP, flagsOf("/u/f"));

        fs.chflags("/u/f", SF_APPEND | SF_ARCHIVED);
        assertErrno(EPERM, () -> alice.chflags("/u/f", 0), "owner clearing system flags");
        assertErrno(EPERM, () -> alice.chflags("/u/f", SF_APPEND), "owner clearing one of them");
        // As NetBSD: the owner may still change the owner flags, the system flags staying.
        alice.chflags("/u/f", SF_APPEND | SF_ARCHIVED | UF_NODUMP);
        assertEquals(SF_APPEND | SF_ARCHIVED | UF_NODUMP, flagsOf("/u/f"));
        assertErrno(EPERM, () -> alice.unlink("/u/f"), "the system append-only flag holds for the owner");
        fs.chflags("/u/f", 0);
        alice.unlink("/u/f");
    }

    @Test
    public void onlyRootChangesTheFlagsOfADeviceNode() throws IOException {
        PathFacade alice = aliceHome();
        fs.mknod("/u/tty", VType.VCHR, 0620, org.rumpmount.vfs.DeviceNumbers.linux(5, 0));
        fs.chown("/u/tty", ALICE.uid(), ALICE.gid());
        assertErrno(EPERM, () -> alice.chflags("/u/tty", UF_NODUMP), "the owner, not root");
        fs.chflags("/u/tty", UF_NODUMP);
        assertEquals(UF_NODUMP, flagsOf("/u/tty"));
        alice.mknod("/u/p", VType.VFIFO, 0644, 0);
        alice.chflags("/u/p", UF_NODUMP);
        assertEquals(UF_NODUMP, flagsOf("/u/p"));
    }

    @Test
    public void nobodySetsTheSnapshotFlag() throws IOException {
        put("/f", "data");
        assertErrno(EPERM, () -> fs.chflags("/f", FileFlags.SF_SNAPSHOT));
        assertEquals(0, flagsOf("/f"));
    }

    @Test
    public void lchflagsMarksASymbolicLinkAndNotItsTarget() throws IOException {
        put("/f", "data");
        fs.symlink("f", "/l");
        fs.lchflags("/l", UF_IMMUTABLE);
        assertEquals(UF_IMMUTABLE, flagsOf("/l"));
        assertEquals(0, flagsOf("/f"));
        assertErrno(EPERM, () -> fs.unlink("/l"), "the immutable link stays");
        put("/f", "changed through the link's target");
        fs.lchflags("/l", 0);
        fs.unlink("/l");
    }

    @Test
    public void flagsAreKeptWhenTheFileSystemIsMountedAgain() throws IOException {
        put("/f", "data");
        fs.mkdir("/d", 0755);
        fs.chflags("/f", SF_IMMUTABLE | UF_NODUMP);
        fs.chflags("/d", UF_APPEND | SF_ARCHIVED);
        Mount ro = remountReadOnly(kernel, mount);
        Assumptions.assumeTrue(ro != null, "driver cannot remount: its files live only as long as the mount");
        PathFacade r = new PathFacade(ro, Credentials.ROOT);
        assertEquals(SF_IMMUTABLE | UF_NODUMP, FileFlags.of(r.stat("/f")));
        assertEquals(UF_APPEND | SF_ARCHIVED, FileFlags.of(r.stat("/d")));
        assertErrno(EROFS, () -> r.chflags("/f", 0), "chflags on a read-only mount");
    }
}
