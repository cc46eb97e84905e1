package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rumpmount.vfs.FileHandle;
import org.rumpmount.vfs.OpenFlags;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.Vattr;

/**
 * What the host kernel keeps between calls, and the requests it no longer sends, change nothing
 * a program sees: names it caches for an hour (entry_timeout) appear and go exactly when they are
 * made, removed and renamed; close(2) succeeds and leaves the data in the file system without a
 * FLUSH request (the adapter registers no flush, so the kernel stops sending it); a write error is
 * still reported, by the write; and with attribute caching turned on ({@code attr_timeout=}),
 * every change through a name shows at once in the attributes of that name.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KernelCacheIT {
    /** One line: the attributes a program sees, in the order {@link #truth} gives them. */
    private static final String STAT = "import os,sys\nst=os.stat(sys.argv[1], follow_symlinks=False)\n"
            + "print(st.st_mode, st.st_nlink, st.st_size, st.st_blocks, st.st_atime_ns, st.st_mtime_ns, st.st_ctime_ns)";

    private FuseFixture f;

    @BeforeAll
    static void fuse() throws IOException {
        FuseFixture.requireFuse();
    }

    @AfterEach
    void unmount() throws IOException {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void theDefaultsCacheNamesForAnHourAndAttributesNotAtAll() throws IOException {
        f = FuseFixture.mount(FuseFixture.Backing.FFS);
        assertEquals(Duration.ofHours(1), f.fuse.options().entryTimeout());
        assertEquals(Duration.ZERO, f.fuse.options().negativeTimeout());
        assertEquals(Duration.ZERO, f.fuse.options().attrTimeout());
        assertTrue(f.fuse.options().optionList().endsWith(",attr_timeout=0,entry_timeout=3600,negative_timeout=0"),
                f.fuse.options().optionList());
    }

    /**
     * Every name is looked up (and so cached) before it changes; each change shows at once,
     * through the mount and in the file system itself.
     */
    @Test
    void namesMadeRemovedAndRenamedShowAtOnceThoughTheKernelCachesNames() throws IOException {
        f = FuseFixture.mount(FuseFixture.Backing.FFS);
        String script = String.join("\n",
                "import os",
                "def absent(p):",
                "    try:",
                "        os.stat(p)",
                "    except FileNotFoundError:",
                "        return True",
                "    return False",
                "def read(p):",
                "    with open(p) as fh:",
                "        return fh.read()",
                "with open('a', 'w') as fh: fh.write('1')",
                "os.stat('a')",
                "assert absent('b')",
                "os.rename('a', 'b')",
                "assert absent('a'), 'a after rename'",
                "assert read('b') == '1'",
                "os.mkdir('a')",
                "assert os.path.isdir('a'), 'a made a directory'",
                "os.rmdir('a')",
                "assert absent('a'), 'a after rmdir'",
                "os.close(os.open('a', os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))",
                "assert os.stat('a').st_size == 0",
                "os.unlink('a')",
                "assert absent('a'), 'a after unlink'",
                "os.link('b', 'c')",
                "os.unlink('b')",
                "assert absent('b'), 'b after unlink of one of two links'",
                "assert read('c') == '1'",
                "with open('d', 'w') as fh: fh.write('2')",
                "os.stat('d')",
                "os.rename('c', 'd')",
                "assert absent('c'), 'c after rename over d'",
                "assert read('d') == '1', 'd after rename over it'",
                "os.mkdir('x')",
                "with open('x/y', 'w') as fh: fh.write('3')",
                "os.stat('x/y')",
                "os.rename('x', 'z')",
                "assert absent('x/y'), 'x/y after its directory was renamed'",
                "assert read('z/y') == '3'",
                "os.symlink('z/y', 'x')",
                "assert read('x') == '3', 'a symbolic link where a directory was'",
                "print(sorted(os.listdir('.')))");
        Sh.assertOk(Sh.python(f.dir, script), "['d', 'x', 'z']\n");
        assertEquals("1", read("/d"));
        assertEquals("3", read("/z/y"));
        assertEquals("z/y", new String(f.facade.readlink("/x"), StandardCharsets.ISO_8859_1));
    }

    @Test
    void closeSucceedsAndLeavesTheDataInTheFileSystem() throws Exception {
        f = FuseFixture.mount(FuseFixture.Backing.FFS);
        String script = String.join("\n",
                "import os",
                "fd = os.open('f', os.O_CREAT | os.O_WRONLY, 0o644)",
                "two = os.dup(fd)",
                "os.write(fd, b'written before close')",
                "os.close(fd)",
                // The other descriptor of the same open file is still good, and closes too.
                "os.write(two, b'!')",
                "os.close(two)",
                "try:",
                "    os.close(two)",
                "except OSError as e:",
                "    print(e.errno)");
        Sh.assertOk(Sh.python(f.dir, script), "9\n");
        assertEquals("written before close!", read("/f"));
        awaitAllReleased();
    }

    /** As before: the daemon buffers nothing, so an error surfaces at the write that meets it. */
    @Test
    void aWriteThatFailsSaysSoItselfAndCloseThenSucceeds() throws Exception {
        f = FuseFixture.mount(FuseFixture.Backing.FFS);
        String script = String.join("\n",
                "import os",
                "fd = os.open('big', os.O_CREAT | os.O_WRONLY, 0o644)",
                "chunk = b'x' * (1 << 20)",
                "err = None",
                "for _ in range(2 * 64):",
                "    try:",
                "        os.write(fd, chunk)",
                "    except OSError as e:",
                "        err = e.errno",
                "        break",
                "os.close(fd)",
                "print(err)");
        Sh.assertOk(Sh.python(f.dir, script), "28\n");
        awaitAllReleased();
    }

    /**
     * Pages written through a shared mapping are written back by close(2) itself, before the
     * kernel would have sent FLUSH: checked in the file system while the writer still runs.
     */
    @Test
    void pagesWrittenThroughASharedMappingAreInTheFileSystemWhenCloseReturns() throws Exception {
        f = FuseFixture.mount(FuseFixture.Backing.FFS);
        String script = String.join("\n",
                "import mmap, os, sys",
                "fd = os.open('m', os.O_CREAT | os.O_RDWR, 0o644)",
                "os.ftruncate(fd, 4096)",
                "m = mmap.mmap(fd, 4096)",
                "m[0:6] = b'mapped'",
                "os.close(fd)",
                "print('closed', flush=True)",
                "sys.stdin.readline()",
                "m.close()");
        Process p = Sh.start(f.dir, "python3", "-c", script);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             OutputStream in = p.getOutputStream()) {
            assertEquals("closed", out.readLine());
            byte[] head = new byte[6];
            try (FileHandle h = f.facade.open("/m", OpenFlags.O_RDONLY, 0)) {
                ByteBuffer b = ByteBuffer.wrap(head);
                h.read(0, b);
            }
            assertArrayEquals("mapped".getBytes(StandardCharsets.US_ASCII), head);
            in.write('\n');
        } finally {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python did not finish");
        }
        assertEquals(0, p.exitValue());
    }

    /**
     * With attr_timeout set (not the default), each change through a name shows in that name's
     * attributes at once: the Linux kernel drops what it cached after every change it makes to
     * that name. Each step stats first, so that the kernel holds attributes that the change makes
     * old. The exceptions, why attr_timeout stays 0 by default: the other names of a file with
     * several, and the name a link(2) was made from (both keep their cached link count and ctime).
     */
    @Test
    void withAttributeCachingEveryChangeShowsAtOnceThroughTheNameChanged() throws Exception {
        f = FuseFixture.mount(FuseFixture.Backing.FFS, b -> b.attrTimeout(Duration.ofSeconds(60)));
        Path file = f.path("f");
        Files.writeString(file, "abc");
        fresh("f");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        fresh("f");

        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel writer = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            writer.write(ByteBuffer.wrap(new byte[100_000]));
            fresh("f");
            Sh.python(f.dir, "import os\nos.truncate('f', 10)").ok();
            fresh("f");
            writer.write(ByteBuffer.wrap(new byte[40_000]));
            fresh("f");
            reader.read(ByteBuffer.allocate(4096), 0);
            fresh("f");
        }

        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L));
        fresh("f");

        // Not the source of a link: libfuse 2 gives the new name a kernel inode of its own, and
        // the kernel leaves the link count and ctime it cached for the old one as they were.
        Files.createLink(f.path("g"), file);
        fresh("g");
        Files.move(f.path("g"), f.path("h"));
        fresh("h");
        fresh(".");
        Files.delete(f.path("h"));
        fresh(".");

        Files.createDirectory(f.path("d"));
        fresh(".");
        fresh("d");
        Files.writeString(f.path("d/e"), "e");
        fresh("d");
        Files.delete(f.path("d/e"));
        fresh("d");
        Files.delete(f.path("d"));
        fresh(".");
    }

    /** The Linux kernel sends RELEASE after close(2) has returned: wait for it, a while. */
    private void awaitAllReleased() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (f.fuse.openFiles() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, f.fuse.openFiles(), "files still open in the daemon after their last close");
    }

    /** Stats {@code name} through the mount and checks what it shows against the file system. */
    private void fresh(String name) throws IOException {
        assertEquals(truth(name), seen(name), name);
    }

    private String seen(String name) {
        return Sh.python(f.dir, STAT, name).ok().out().trim();
    }

    private String truth(String name) throws IOException {
        Vattr va = f.facade.lstat(name.equals(".") ? "/" : "/" + name);
        return va.statMode() + " " + va.nlink + " " + va.size + " " + AttrMapper.blocks(va.bytes) + " " + ns(va.atime)
                + " " + ns(va.mtime) + " " + ns(va.ctime);
    }

    private static long ns(Timespec t) {
        return t.sec() * 1_000_000_000L + t.nsec();
    }

    private String read(String path) throws IOException {
        try (FileHandle h = f.facade.open(path, OpenFlags.O_RDONLY, 0)) {
            ByteBuffer b = ByteBuffer.allocate(4096);
            h.read(0, b);
            return new String(b.array(), 0, b.position(), StandardCharsets.ISO_8859_1);
        }
    }
}
