package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.rumpmount.vfs.DeviceNumbers;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;

/**
 * The everyday shell tools on a mount, each run as a real process: copies in and out with
 * {@code cp -a} and {@code tar}, compared with {@code diff -r} and with a listing of every
 * attribute {@code find} can print; {@code ls -lR}, {@code stat}, {@code touch} with each time
 * on its own, {@code ln}, {@code ln -s}, {@code mkfifo} and {@code mknod}. The tests run as root
 * (CI does), which cp -a and tar need to keep owners and mknod needs at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
abstract class ShellTools {
    private FuseFixture f;
    private Path d;
    private String k;
    /** A folder on the host's own file system for this test. */
    private Path host;

    abstract FuseFixture.Backing backing();

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
    void ownDirectories(TestInfo info) throws IOException {
        String name = info.getTestMethod().orElseThrow().getName();
        d = Files.createDirectory(f.path(name));
        k = "/" + name;
        host = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it-host").toAbsolutePath()), name + "-");
    }

    @AfterEach
    void removeHostFolder() {
        Sh.run(host.getParent(), "rm", "-rf", host.toString()).ok();
    }

    /**
     * A tree on the host with what copies must keep: nested directories, empty and multi-block
     * files, modes with setuid, setgid and sticky bits and 0000, other owners, hard links,
     * relative, absolute and dangling symbolic links, times with nanoseconds and before 1970.
     */
    private Path hostTree() {
        Path src = host.resolve("src");
        Sh.run(host, "sh", "-c", String.join("\n",
                "set -e",
                "mkdir -p src/a/b/c/d/e/f/g/h/i src/empty-dir src/big",
                "cd src",
                "printf hello > a/hello.txt",
                ": > a/empty",
                "head -c 300000 /dev/urandom > big/random.bin",
                "head -c 70000 /dev/zero | tr '\\0' x > big/xs",
                "printf deep > a/b/c/d/e/f/g/h/i/leaf",
                "i=0; while [ $i -lt 400 ]; do : > big/n$i; i=$((i+1)); done",
                "ln a/hello.txt a/hard-link",
                "ln -s hello.txt a/rel-link",
                "ln -s /etc/hostname a/abs-link",
                "ln -s nowhere/at/all a/dangling",
                "chmod 4755 a/hello.txt",
                "chmod 2710 a/b",
                "chmod 1777 empty-dir",
                "chmod 0000 a/empty",
                "chown 1234:5678 big/xs",
                "chown -h 4321:8765 a/rel-link",
                "touch -d '2001-02-03 04:05:06.123456789 UTC' big/xs",
                "touch -d '1960-07-08 09:10:11.5 UTC' a/b/c/d/e/f/g/h/i/leaf",
                "touch -h -d '2005-05-05 05:05:05.000000555 UTC' a/abs-link",
                "touch -d '2010-10-10 10:10:10.101010101 UTC' a/b")).ok();
        return src;
    }

    /**
     * Every entry below {@code dir} with type, mode, owner, link count, size (not for
     * directories, whose size is the file system's business), mtime in nanoseconds and link
     * target, sorted.
     */
    private static List<String> listing(Path dir) {
        String out = Sh.run(dir, "find", ".", "-mindepth", "1", "-printf", "%P %y %m %U:%G %n %s %T@ %l\\n").ok().out();
        List<String> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] p = line.split(" ", -1);
            if (p[1].equals("d")) {
                p[5] = "-";
            }
            lines.add(String.join(" ", p));
        }
        lines.sort(null);
        return lines;
    }

    private void assertSameTree(Path expected, Path actual) {
        Sh.run(host, "diff", "-r", "--no-dereference", expected.toString(), actual.toString()).ok();
        assertEquals(String.join("\n", listing(expected)), String.join("\n", listing(actual)),
                "attributes of " + actual + " against " + expected);
    }

    // ---------------------------------------------------------------- copies in and out

    @Test
    void cpArchiveCopiesATreeInAndOutUnchanged() {
        Path src = hostTree();
        Sh.run(host, "cp", "-a", src.toString(), d.resolve("tree").toString()).ok();
        assertSameTree(src, d.resolve("tree"));
        Sh.run(host, "cp", "-a", d.resolve("tree").toString(), host.resolve("back").toString()).ok();
        assertSameTree(src, host.resolve("back"));
    }

    @Test
    void tarPipesATreeInAndOutUnchanged() {
        Path src = hostTree();
        Sh.run(host, "mkdir", d.resolve("tree").toString(), "back").ok();
        // tar exits 1 with "file changed as we read it" when stat answers differ between its
        // reads, so a clean exit also says that attributes are stable. The POSIX (pax) format
        // keeps nanoseconds; tar's default format keeps whole seconds.
        Sh.run(host, "sh", "-c", "tar --format=posix -C src -cf - . | tar -C " + d.resolve("tree") + " -xpf -").ok();
        assertSameTree(src, d.resolve("tree"));
        Sh.run(host, "sh", "-c", "tar --format=posix -C " + d.resolve("tree") + " -cf - . | tar -C back -xpf -").ok();
        assertSameTree(src, host.resolve("back"));
    }

    @Test
    void lsRecursiveListsTheCopyAsItListsTheOriginal() {
        Path src = hostTree();
        Sh.run(host, "cp", "-a", src.toString(), d.resolve("tree").toString()).ok();
        assertEquals(lsLR(src), lsLR(d.resolve("tree")));
        String one = Sh.run(d, "ls", "-ln", "--time-style=+%s.%N", "tree/big/xs").ok().out();
        assertEquals("-rw-r--r-- 1 1234 5678 70000 981173106.123456789 tree/big/xs\n", one);
    }

    /** ls -lRn with full times, without "total" lines and directory sizes (which differ between file systems). */
    private static String lsLR(Path dir) {
        String out = Sh.run(dir, "ls", "-lRn", "--time-style=+%s.%N", ".").ok().out();
        StringBuilder sb = new StringBuilder();
        for (String line : out.split("\n")) {
            if (line.startsWith("total ")) {
                continue;
            }
            String[] p = line.split(" +");
            if (line.startsWith("d") && p.length > 4) {
                p[4] = "-";
            }
            sb.append(String.join(" ", p)).append('\n');
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- stat and touch

    @Test
    void statShowsWhatTheKernelHolds() throws IOException {
        Sh.run(d, "sh", "-c", "printf 12345 > f && chmod 640 f && chown 77:88 f && touch -d @1234567890.5 f").ok();
        String s = Sh.run(d, "stat", "-c", "%F|%a|%u|%g|%h|%s|%X|%Y|%i", "f").ok().out().trim();
        Vattr va = f.facade.stat(k + "/f");
        assertEquals("regular file|640|77|88|1|5|1234567890|1234567890|" + va.fileid, s);
        assertEquals(500_000_000, va.mtime.nsec());
        Sh.assertOk(Sh.run(d, "stat", "-c", "%y", "f"), "2009-02-13 23:31:30.500000000 +0000\n");
    }

    @Test
    void touchWithADateSetsBothTimesToTheNanosecond() throws IOException {
        Sh.run(d, "touch", "-d", "2001-02-03 04:05:06.123456789 UTC", "f").ok();
        Sh.assertOk(Sh.run(d, "stat", "-c", "%x|%y", "f"),
                "2001-02-03 04:05:06.123456789 +0000|2001-02-03 04:05:06.123456789 +0000\n");
        Vattr va = f.facade.stat(k + "/f");
        assertEquals(981173106L, va.atime.sec());
        assertEquals(123456789, va.atime.nsec());
        assertEquals(981173106L, va.mtime.sec());
        assertEquals(123456789, va.mtime.nsec());
    }

    /** utimensat with UTIME_OMIT for the other time must set one time and leave the other exactly as it was. */
    @Test
    void touchOfOneTimeLeavesTheOtherAlone() throws IOException {
        Sh.run(d, "touch", "-d", "2001-02-03 04:05:06.123456789 UTC", "f").ok();
        Sh.run(d, "touch", "-m", "-d", "2011-11-11 11:11:11.111111111 UTC", "f").ok();
        Sh.assertOk(Sh.run(d, "stat", "-c", "%x|%y", "f"),
                "2001-02-03 04:05:06.123456789 +0000|2011-11-11 11:11:11.111111111 +0000\n");
        Sh.run(d, "touch", "-a", "-d", "1999-09-09 09:09:09.999999999 UTC", "f").ok();
        Sh.assertOk(Sh.run(d, "stat", "-c", "%x|%y", "f"),
                "1999-09-09 09:09:09.999999999 +0000|2011-11-11 11:11:11.111111111 +0000\n");
        Vattr va = f.facade.stat(k + "/f");
        assertEquals(936868149L, va.atime.sec());
        assertEquals(999999999, va.atime.nsec());
        assertEquals(1321009871L, va.mtime.sec());
        assertEquals(111111111, va.mtime.nsec());
        // Without a date the one time becomes now (UTIME_NOW) and the other still stays.
        long before = System.currentTimeMillis() / 1000 - 2;
        Sh.run(d, "touch", "-m", "f").ok();
        va = f.facade.stat(k + "/f");
        assertTrue(va.mtime.sec() >= before, "mtime " + va.mtime + " is now");
        assertEquals(936868149L, va.atime.sec());
        assertEquals(999999999, va.atime.nsec());
        Sh.run(d, "touch", "-a", "f").ok();
        Vattr after = f.facade.stat(k + "/f");
        assertTrue(after.atime.sec() >= before, "atime " + after.atime + " is now");
        assertEquals(va.mtime, after.mtime);
    }

    @Test
    void touchOfASymbolicLinkItselfLeavesItsTargetAlone() throws IOException {
        Sh.run(d, "touch", "-d", "@981173106", "target").ok();
        Sh.run(d, "ln", "-s", "target", "link").ok();
        Sh.run(d, "touch", "-h", "-m", "-d", "@1262304000.25", "link").ok();
        Sh.assertOk(Sh.run(d, "stat", "-c", "%Y", "target"), "981173106\n");
        Vattr link = f.facade.lstat(k + "/link");
        assertEquals(1262304000L, link.mtime.sec());
        assertEquals(250_000_000, link.mtime.nsec());
    }

    // ---------------------------------------------------------------- names and special files

    @Test
    void lnMakesHardLinksAndLnSMakesSymbolicOnes() throws IOException {
        Sh.run(d, "sh", "-c", "printf shared > orig").ok();
        Sh.run(d, "ln", "orig", "alias").ok();
        Sh.run(d, "ln", "-s", "orig", "sym").ok();
        Sh.run(d, "ln", "-sf", "alias", "sym").ok();
        String s = Sh.run(d, "stat", "-c", "%i %h", "orig", "alias").ok().out();
        String[] lines = s.split("\n");
        assertEquals(lines[0], lines[1]);
        assertTrue(lines[0].endsWith(" 2"), s);
        Sh.assertOk(Sh.run(d, "readlink", "sym"), "alias\n");
        Sh.assertOk(Sh.run(d, "cat", "sym"), "shared");
        Sh.run(d, "ln", "orig", "alias").fails("File exists");
        Sh.run(d, "mkdir", "dir").ok();
        Sh.run(d, "ln", "dir", "dir-link").fails("hard link not allowed for directory");
        assertEquals(2, f.facade.stat(k + "/orig").nlink);
        assertEquals(VType.VLNK, f.facade.lstat(k + "/sym").type);
    }

    @Test
    void mkfifoMakesAPipeThatCarriesData() throws IOException {
        Sh.run(d, "mkfifo", "-m", "640", "pipe").ok();
        Sh.assertOk(Sh.run(d, "stat", "-c", "%F %a", "pipe"), "fifo 640\n");
        assertEquals(VType.VFIFO, f.facade.lstat(k + "/pipe").type);
        // The pipe itself lives in the Linux kernel; the file system only names it.
        Sh.assertOk(Sh.run(d, "sh", "-c", "printf 'through the pipe' > pipe & cat pipe; wait"), "through the pipe");
        Sh.run(d, "mkfifo", "pipe").fails("File exists");
    }

    @Test
    void mknodMakesDevicesWithTheirNumbers() throws IOException {
        Sh.run(d, "mknod", "-m", "600", "chr", "c", "1", "3").ok();
        Sh.run(d, "mknod", "blk", "b", "259", "65536").ok();
        Sh.run(d, "mknod", "fifo", "p").ok();
        Sh.assertOk(Sh.run(d, "stat", "-c", "%F %a %Hr:%Lr", "chr", "blk", "fifo"),
                "character special file 600 1:3\nblock special file 644 259:65536\nfifo 644 0:0\n");
        Vattr chr = f.facade.lstat(k + "/chr");
        assertEquals(VType.VCHR, chr.type);
        assertEquals(DeviceNumbers.linux(1, 3), chr.rdev);
        Vattr blk = f.facade.lstat(k + "/blk");
        assertEquals(VType.VBLK, blk.type);
        assertEquals(DeviceNumbers.linux(259, 65536), blk.rdev);
        // FUSE mounts are nodev (fusermount adds it): the node is a name, never a way to the device.
        Sh.run(d, "cat", "chr").fails("Permission denied");
    }
}
