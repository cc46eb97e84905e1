package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.OpenFlags;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.NotImplemented;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;

/**
 * The callbacks called directly, as libfuse would, on a real tmpfs: what FUSE sees in the
 * replies and in the structures, without a mount.
 */
class RumpFuseFsTest {
    private final Runtime rt = Runtime.getSystemRuntime();
    private Kernel kernel;
    private PathFacade fs;
    private RumpFuseFs fuse;
    private Credentials caller = Credentials.ROOT;

    @BeforeEach
    void setUp() throws IOException {
        kernel = Kernel.create();
        fs = new PathFacade(kernel.mount("tmpfs", null, MountOptions.readWrite()), Credentials.ROOT);
        fuse = new RumpFuseFs(fs, () -> caller);
    }

    @AfterEach
    void tearDown() throws IOException {
        fuse.closeAllHandles();
        kernel.close();
    }

    private Pointer mem(int size) {
        return rt.getMemoryManager().allocateDirect(size, true);
    }

    private FuseFileInfo fileInfo(int flags) {
        FuseFileInfo fi = FuseFileInfo.of(mem(64));
        fi.flags.set(flags);
        return fi;
    }

    private FileStat stat(String path) {
        FileStat st = FileStat.of(mem(256));
        assertEquals(0, fuse.getattr(path, st), "getattr " + path);
        return st;
    }

    /** A filler that takes {@code room} entries per call, as a FUSE reply buffer of that size would. */
    private static final class Filler implements FuseFillDir {
        final int room;
        final List<String> names = new ArrayList<>();
        final Map<String, Long> inos = new HashMap<>();
        final Map<String, Integer> modes = new HashMap<>();
        int taken;
        long lastOffset;

        Filler(int room) {
            this.room = room;
        }

        @Override
        public int apply(Pointer buf, ByteBuffer name, Pointer stbuf, long off) {
            if (taken == room) {
                return 1;
            }
            byte[] b = new byte[name.remaining()];
            name.duplicate().get(b);
            assertEquals(0, b[b.length - 1], "names go out NUL-terminated");
            String n = new String(b, 0, b.length - 1, StandardCharsets.ISO_8859_1);
            FileStat st = FileStat.of(stbuf);
            names.add(n);
            inos.put(n, st.st_ino.longValue());
            modes.put(n, st.st_mode.intValue());
            taken++;
            lastOffset = off;
            return 0;
        }
    }

    /** Lists {@code path} the way libfuse does: call after call, each from the last offset taken. */
    private List<String> listInSteps(String path, int room, Runnable betweenCalls) {
        List<String> all = new ArrayList<>();
        long offset = 0;
        while (true) {
            Filler f = new Filler(room);
            assertEquals(0, fuse.readdir(path, null, f, offset, fileInfo(0)));
            all.addAll(f.names);
            if (f.taken < room) {
                return all;
            }
            offset = f.lastOffset;
            betweenCalls.run();
        }
    }

    @Test
    void getattrOfAMissingFileIsEnoent() {
        assertEquals(-2, fuse.getattr("/missing", FileStat.of(mem(256))));
    }

    @Test
    void anExceptionInACallbackNeverEscapes() {
        // A null struct makes the mapper throw NullPointerException: FUSE gets EIO.
        assertEquals(-5, fuse.getattr("/", null));
        assertEquals(-5, fuse.read("/f", null, 10, 0, null));
    }

    @Test
    void createWriteReadRelease() throws IOException {
        FuseFileInfo fi = fileInfo(OpenFlags.O_RDWR | 0100000 /* O_LARGEFILE, which FUSE adds */);
        assertEquals(0, fuse.create("/f", 0100644, fi));
        long fh = fi.fh.get();
        assertTrue(fh != 0);
        Pointer data = mem(16);
        data.put(0, "hello".getBytes(StandardCharsets.US_ASCII), 0, 5);
        assertEquals(5, fuse.write("/f", data, 5, 0, fi));
        Pointer back = mem(16);
        assertEquals(5, fuse.read("/f", back, 16, 0, fi));
        byte[] b = new byte[5];
        back.get(0, b, 0, 5);
        assertEquals("hello", new String(b, StandardCharsets.US_ASCII));
        assertEquals(0, fuse.read("/f", back, 16, 5, fi), "at end of file");
        assertEquals(1, fuse.openHandles());
        assertEquals(0, fuse.release("/f", fi));
        assertEquals(0, fuse.openHandles());
        assertEquals(-9, fuse.read("/f", back, 16, 0, fi), "EBADF after release");
        assertEquals(0644, fs.stat("/f").mode);
    }

    @Test
    void readFillsTheWholeRequestAcrossTheFile() throws IOException {
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        fs.writeAll("/big", content);
        FuseFileInfo fi = fileInfo(OpenFlags.O_RDONLY);
        assertEquals(0, fuse.open("/big", fi));
        Pointer buf = mem(131072);
        assertEquals(131072, fuse.read("/big", buf, 131072, 100_000, fi));
        byte[] got = new byte[131072];
        buf.get(0, got, 0, got.length);
        assertArrayEquals(java.util.Arrays.copyOfRange(content, 100_000, 231_072), got);
        assertEquals(300_000 - 231_072, fuse.read("/big", buf, 131072, 231_072, fi));
        assertEquals(0, fuse.release("/big", fi));
    }

    @Test
    void readdirResumesFromCookiesAndGivesInodeAndType() throws IOException {
        for (int i = 0; i < 100; i++) {
            fs.writeAll("/f" + i, new byte[0]);
        }
        fs.mkdir("/sub", 0755);
        List<String> names = listInSteps("/", 7, () -> { });
        assertEquals(103, names.size());
        assertEquals(103, new java.util.HashSet<>(names).size(), "no entry twice");
        assertTrue(names.contains(".") && names.contains("..") && names.contains("f99"));
        Filler one = new Filler(1000);
        fuse.readdir("/", null, one, 0, fileInfo(0));
        assertEquals(fs.stat("/f5").fileid, one.inos.get("f5"));
        assertEquals(VType.VREG.ifmt(), one.modes.get("f5"));
        assertEquals(VType.VDIR.ifmt(), one.modes.get("sub"));
    }

    @Test
    void entriesPresentThroughoutAListingAppearOnceWhileOthersGo() throws IOException {
        for (int i = 0; i < 60; i++) {
            fs.writeAll("/k" + i, new byte[0]);
        }
        int[] removed = {0};
        List<String> names = listInSteps("/", 5, () -> {
            // Between two calls, remove two even-numbered files and add one new file.
            for (int k = 0; k < 2 && removed[0] < 60; k++, removed[0] += 2) {
                try {
                    fs.unlink("/k" + removed[0]);
                    fs.writeAll("/new" + removed[0], new byte[0]);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        });
        for (int i = 1; i < 60; i += 2) {
            String n = "k" + i;
            assertEquals(1, names.stream().filter(n::equals).count(), n + " in " + names);
        }
    }

    @Test
    void readlinkCutsToTheBufferAndTerminates() throws IOException {
        fs.symlink("0123456789", "/l");
        Pointer buf = mem(8);
        assertEquals(0, fuse.readlink("/l", buf, 6));
        assertEquals("01234", buf.getString(0, 6, StandardCharsets.US_ASCII));
        assertEquals(0, buf.getByte(5));
        assertEquals(-22, fuse.readlink("/", mem(8), 8), "EINVAL: not a link");
    }

    @Test
    void mknodMakesFifosDevicesAndPlainFiles() throws IOException {
        assertEquals(0, fuse.mknod("/p", 0010640, 0));
        assertEquals(0, fuse.mknod("/c", 0020600, org.rumpmount.vfs.DeviceNumbers.linux(1, 3)));
        assertEquals(0, fuse.mknod("/r", 0100600, 0));
        assertEquals(VType.VFIFO, fs.lstat("/p").type);
        assertEquals(0640, fs.lstat("/p").mode);
        Vattr c = fs.lstat("/c");
        assertEquals(VType.VCHR, c.type);
        assertEquals(org.rumpmount.vfs.DeviceNumbers.linux(1, 3), c.rdev);
        assertEquals(VType.VREG, fs.lstat("/r").type);
        assertEquals(-17, fuse.mknod("/r", 0100600, 0), "EEXIST");
        assertEquals(-22, fuse.mknod("/d", 0040755, 0), "EINVAL: directories come from mkdir");
    }

    @Test
    void chownMinusOneLeavesAnIdAlone() throws IOException {
        fs.writeAll("/o", new byte[0]);
        assertEquals(0, fuse.chown("/o", 500, 600));
        assertEquals(0, fuse.chown("/o", 0xffff_ffffL, 700));
        assertEquals(0, fuse.chown("/o", 800, -1));
        Vattr va = fs.stat("/o");
        assertEquals(800, va.uid);
        assertEquals(700, va.gid);
    }

    @Test
    void utimensOmitAndExplicitTimesAreKeptApart() throws IOException {
        fs.writeAll("/t", new byte[0]);
        ru.serce.jnrfuse.struct.Timespec[] ts = timespecs(111, 222_222_222, 333, 444_444_444);
        assertEquals(0, fuse.utimens("/t", ts));
        Vattr va = fs.stat("/t");
        assertEquals(new Timespec(111, 222_222_222), va.atime);
        assertEquals(new Timespec(333, 444_444_444), va.mtime);
        assertEquals(0, fuse.utimens("/t", timespecs(0, Utimes.UTIME_OMIT, 555, 1)));
        va = fs.stat("/t");
        assertEquals(new Timespec(111, 222_222_222), va.atime);
        assertEquals(new Timespec(555, 1), va.mtime);
        assertEquals(0, fuse.utimens("/t", timespecs(0, Utimes.UTIME_NOW, 0, Utimes.UTIME_OMIT)));
        va = fs.stat("/t");
        assertTrue(va.atime.sec() > 1_600_000_000L, "atime now: " + va.atime);
        assertEquals(new Timespec(555, 1), va.mtime);
    }

    private ru.serce.jnrfuse.struct.Timespec[] timespecs(long as, long ans, long ms, long mns) {
        Pointer p = mem(32);
        p.putLong(0, as);
        p.putLong(8, ans);
        p.putLong(16, ms);
        p.putLong(24, mns);
        return new ru.serce.jnrfuse.struct.Timespec[] {
            ru.serce.jnrfuse.struct.Timespec.of(p), ru.serce.jnrfuse.struct.Timespec.of(p.slice(16))};
    }

    @Test
    void permissionsAreCheckedAsTheCaller() throws IOException {
        fs.mkdir("/private", 0700);
        caller = new Credentials(1000, 1000);
        assertEquals(-13, fuse.mkdir("/private/x", 0755), "EACCES");
        assertEquals(-13, fuse.create("/private/f", 0100644, fileInfo(OpenFlags.O_WRONLY)));
        assertEquals(0, fuse.mkdir("/mine", 0755));
        assertEquals(1000, fs.stat("/mine").uid);
    }

    @Test
    void truncationByPathAndByHandle() throws IOException {
        fs.writeAll("/t", new byte[10_240]);
        FuseFileInfo fi = fileInfo(OpenFlags.O_WRONLY);
        assertEquals(0, fuse.open("/t", fi));
        assertEquals(0, fuse.ftruncate("/t", 3, fi));
        assertEquals(3, fs.stat("/t").size);
        assertEquals(0, fuse.truncate("/t", 0));
        assertEquals(0, fs.stat("/t").size);
        assertEquals(0, fuse.release("/t", fi));
        // O_RDONLY|O_TRUNC: the kernel truncates through a read-only handle.
        fs.writeAll("/t", new byte[100]);
        FuseFileInfo ro = fileInfo(OpenFlags.O_RDONLY);
        assertEquals(0, fuse.open("/t", ro));
        assertEquals(0, fuse.ftruncate("/t", 0, ro));
        assertEquals(0, fs.stat("/t").size);
        assertEquals(0, fuse.release("/t", ro));
    }

    @Test
    void unsupportedOperationsAnswerWithTheirErrno() throws IOException {
        fs.writeAll("/f", new byte[0]);
        assertEquals(-95, fuse.fallocate("/f", 0, 0, 4096, fileInfo(OpenFlags.O_RDWR)));
    }

    @Test
    void extendedAttributeCallsAreLeftToLibfuse() throws NoSuchMethodException {
        // Unregistered, libfuse answers ENOSYS and the Linux kernel stops asking (DataIT shows
        // ENOTSUP reaching programs); registered, every write cost a GETXATTR round trip.
        for (String op : new String[] {"getxattr", "setxattr", "listxattr", "removexattr"}) {
            Method m = Arrays.stream(RumpFuseFs.class.getMethods())
                    .filter(x -> x.getName().equals(op)).findFirst().orElseThrow();
            assertTrue(m.isAnnotationPresent(NotImplemented.class), op + " must stay unregistered");
        }
    }

    @Test
    void statfsReportsTheFileSystem() {
        ru.serce.jnrfuse.struct.Statvfs st = ru.serce.jnrfuse.struct.Statvfs.of(mem(128));
        assertEquals(0, fuse.statfs("/", st));
        assertEquals(255, st.f_namemax.longValue());
        assertTrue(st.f_blocks.longValue() > 0);
    }

    @Test
    void namesAreBytesWhenTheCharsetIsLatin1() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(FuseNames.isByteExact(), "JVM runs with file.encoding ISO-8859-1");
        String path = new String(new byte[] {'/', (byte) 0xff, (byte) 0xe9}, StandardCharsets.ISO_8859_1);
        assertEquals(0, fuse.mkdir(path, 0755));
        assertEquals(0040755, stat(path).st_mode.intValue());
        Filler f = new Filler(100);
        fuse.readdir("/", null, f, 0, fileInfo(0));
        assertTrue(f.names.contains(path.substring(1)), f.names.toString());
        assertTrue(fs.readdir("/").stream().anyMatch(d -> java.util.Arrays.equals(d.name().bytes(),
                new byte[] {(byte) 0xff, (byte) 0xe9})));
    }
}
