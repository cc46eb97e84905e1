package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** chflags, mkfifo, mknod and write on fresh FFS and LFS images; fsck finds each image clean afterwards. */
class FlagsNodesWriteTest {
    @TempDir
    Path tmp;

    private String fresh(String... newfsOptions) {
        Path img = tmp.resolve("fs" + System.nanoTime() + ".img");
        String[] args = new String[newfsOptions.length + 4];
        args[0] = "newfs";
        System.arraycopy(newfsOptions, 0, args, 1, newfsOptions.length);
        args[newfsOptions.length + 1] = "-s";
        args[newfsOptions.length + 2] = "8m";
        args[newfsOptions.length + 3] = img.toString();
        CliRun r = CliRun.run(args);
        assertEquals(0, r.exit(), r.toString());
        return img.toString();
    }

    private static CliRun ok(String... args) {
        CliRun r = CliRun.run(args);
        assertEquals(0, r.exit(), String.join(" ", args) + "\n" + r);
        return r;
    }

    private static void assertClean(String img) {
        CliRun r = CliRun.run("fsck", "-f", "-n", img);
        assertEquals(0, r.exit(), r.toString());
    }

    @Test
    void chflagsSetsAndClearsNetbsdFlagsByNameAndTheImageHonoursThem() {
        String img = fresh("-O", "1", "-B", "be");
        ok("mkdir", img, "/d");
        CliRun.withInput("kept\n", "write", img, "/d/f");
        ok("chflags", img, "uchg,nodump", "/d/f");
        CliRun ls = ok("ls", "-lO", img, "/d/f");
        assertTrue(ls.out().startsWith("-rw-r--r-- 1 0 0 uchg,nodump 5 "), ls.out());

        CliRun w = CliRun.withInput("lost\n", "write", img, "/d/f");
        assertEquals(1, w.exit(), w.toString());
        assertEquals("rumpmount: write: /d/f: Operation not permitted\n", w.stderr());
        CliRun rm = CliRun.run("rm", img, "/d/f");
        assertEquals("rumpmount: rm: /d/f: Operation not permitted\n", rm.stderr());
        assertEquals(1, CliRun.run("mv", img, "/d/f", "/g").exit());
        assertEquals(1, CliRun.run("chmod", img, "0600", "/d/f").exit());

        ok("chflags", img, "nouchg", "/d/f");
        assertTrue(ok("ls", "-lO", img, "/d/f").out().startsWith("-rw-r--r-- 1 0 0 nodump 5 "));
        ok("chflags", img, "dump", "/d/f");
        assertTrue(ok("ls", "-lO", img, "/d/f").out().startsWith("-rw-r--r-- 1 0 0 - 5 "));

        // An octal number sets the flags exactly: 01000000 is SF_APPEND (sappnd), 04 UF_APPEND.
        ok("chflags", img, "1000004", "/d/f");
        assertTrue(ok("ls", "-lO", img, "/d/f").out().startsWith("-rw-r--r-- 1 0 0 uappnd,sappnd 5 "));
        assertEquals(0, CliRun.withInput("appended\n", "write", img, "-a", "/d/f").exit());
        assertEquals(1, CliRun.withInput("replaced\n", "write", img, "/d/f").exit(), "an append-only file is not truncated");
        assertEquals("kept\nappended\n", ok("cat", img, "/d/f").out());
        ok("chflags", img, "0", "/d/f");
        ok("rm", img, "/d/f");
        assertClean(img);
    }

    /** The same rules on LFS, whose driver stores the flags and leaves their meaning to the kernel. */
    @Test
    void chflagsOnAnLfsImageIsHonouredByEveryWriteCommand() {
        Path imgPath = tmp.resolve("lfs" + System.nanoTime() + ".img");
        ok("newfs", "-t", "lfs", "-s", "8m", imgPath.toString());
        String img = imgPath.toString();
        ok("mkdir", img, "/d");
        CliRun.withInput("kept\n", "write", img, "/d/f");
        ok("chflags", img, "schg,nodump", "/d/f");
        assertTrue(ok("ls", "-lO", img, "/d/f").out().startsWith("-rw-r--r-- 1 0 0 nodump,schg 5 "));
        CliRun w = CliRun.withInput("lost\n", "write", img, "/d/f");
        assertEquals(1, w.exit(), w.toString());
        assertEquals("rumpmount: write: /d/f: Operation not permitted\n", w.stderr());
        assertEquals(1, CliRun.withInput("lost\n", "write", img, "-a", "/d/f").exit(), "no appending either");
        assertEquals("rumpmount: rm: /d/f: Operation not permitted\n", CliRun.run("rm", img, "/d/f").stderr());
        assertEquals(1, CliRun.run("mv", img, "/d/f", "/g").exit(), "mv");
        assertEquals(1, CliRun.run("ln", img, "/d/f", "/h").exit(), "ln");
        assertEquals(1, CliRun.run("chmod", img, "0600", "/d/f").exit(), "chmod");
        assertEquals(1, CliRun.run("chown", img, "5:5", "/d/f").exit(), "chown");
        assertEquals(1, CliRun.run("touch", img, "/d/f").exit(), "touch");

        ok("chflags", img, "noschg", "/d/f");
        ok("chflags", img, "uappnd", "/d/f");
        assertEquals(1, CliRun.withInput("replaced\n", "write", img, "/d/f").exit(), "an append-only file is not truncated");
        assertEquals(0, CliRun.withInput("appended\n", "write", img, "-a", "/d/f").exit());
        assertEquals("kept\nappended\n", ok("cat", img, "/d/f").out());
        assertEquals(1, CliRun.run("rm", img, "/d/f").exit(), "an append-only file stays");

        ok("chflags", img, "sappnd", "/d");
        ok("touch", img, "/d/new");
        ok("mkdir", img, "/d/sub");
        assertEquals(1, CliRun.run("rm", img, "/d/new").exit(), "an append-only directory loses no entry");
        assertEquals(1, CliRun.run("rmdir", img, "/d/sub").exit(), "nor a subdirectory");
        ok("chflags", img, "nosappnd", "/d");
        ok("chflags", img, "0", "/d/f");
        ok("rm", "-r", img, "/d");
        assertEquals("", ok("ls", img, "/").out());
        CliRun fsck = CliRun.run("fsck", "-n", img);
        assertEquals(0, fsck.exit(), fsck.toString());
    }

    @Test
    void chflagsRecursiveChangesATreeAndMinusHTheLinkItself() {
        String img = fresh();
        ok("mkdir", "-p", img, "/t/a/b");
        ok("touch", img, "/t/a/b/f", "/t/g");
        ok("ln", "-s", img, "/t/g", "/t/a/l");
        ok("chflags", "-R", img, "uchg", "/t");
        CliRun ls = ok("ls", "-lOR", img, "/t");
        assertEquals(4, ls.out().split(" uchg ", -1).length - 1, "a, b, f and g:\n" + ls.out());
        assertTrue(ok("ls", "-dlO", img, "/t").out().contains(" uchg "), "and the directory named");
        assertTrue(ls.out().matches("(?s).*\nlrwxrwxrwx 1 0 0 - +4 [^\n]* l -> /t/g\n.*"),
                "the link is left alone without -h:\n" + ls.out());
        assertEquals(1, CliRun.run("touch", img, "/t/a/new").exit(), "an immutable directory takes no entry");
        ok("chflags", "-h", img, "opaque", "/t/a/l");
        assertTrue(ok("ls", "-lO", img, "/t/a/l").out().startsWith("lrwxrwxrwx 1 0 0 opaque 4 "));
        ok("chflags", "-R", "-h", img, "0", "/t");
        ok("rm", "-r", img, "/t");
        assertEquals("", ok("ls", img, "/").out());
        assertClean(img);
    }

    @Test
    void chflagsRefusesAFlagItDoesNotKnow() {
        String img = fresh();
        ok("touch", img, "/f");
        CliRun r = CliRun.run("chflags", img, "uchg,immortal", "/f");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().startsWith("rumpmount: chflags: invalid flag: 'immortal'\n"), r.stderr());
        assertTrue(ok("ls", "-lO", img, "/f").out().startsWith("-rw-r--r-- 1 0 0 - 0 "), "nothing changed");
    }

    @Test
    void mkfifoAndMknodMakeNodesWithNetbsdDeviceNumbers() {
        String img = fresh("-O", "2");
        ok("mkfifo", img, "/p1", "/p2");
        ok("mkfifo", "-m", "600", img, "/p3");
        ok("mknod", img, "/disk", "b", "4095", "1048575");
        ok("mknod", "-m", "0620", img, "/tty", "c", "0x5", "010");
        ok("mknod", img, "/p4", "p");
        CliRun ls = ok("ls", "-l", img, "/");
        assertEquals(String.join("\n",
                "total 0",
                "brw-r--r-- 1 0 0 4095, 1048575 DATE disk",
                "prw-r--r-- 1 0 0             0 DATE p1",
                "prw-r--r-- 1 0 0             0 DATE p2",
                "prw------- 1 0 0             0 DATE p3",
                "prw-r--r-- 1 0 0             0 DATE p4",
                "crw--w---- 1 0 0    5,       8 DATE tty", ""),
                ls.out().replaceAll("[A-Z][a-z]{2} [ 0-9]\\d [ 0-9]\\d:?\\d\\d", "DATE"));

        CliRun big = CliRun.run("mknod", img, "/x", "c", "4096", "0");
        assertEquals(1, big.exit(), "NetBSD's dev_t holds majors up to 4095: " + big);
        assertEquals("rumpmount: mknod: /x: Invalid argument\n", big.stderr());
        assertEquals(2, CliRun.run("mknod", img, "/x", "c", "1").exit(), "a device needs both numbers");
        assertEquals(2, CliRun.run("mknod", img, "/x", "p", "1", "2").exit(), "a FIFO takes none");
        assertEquals(2, CliRun.run("mknod", img, "/x", "q", "1", "2").exit(), "no such type");
        assertEquals(2, CliRun.run("mknod", img, "/x", "b", "-1", "2").exit(), "no negative numbers");
        assertEquals(1, CliRun.run("mkfifo", img, "/p1").exit(), "the name exists");
        assertClean(img);
    }

    @Test
    void writeStoresStandardInputByteForByteAndAppendsWithMinusA() {
        String img = fresh();
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        assertEquals(0, CliRun.withInput(data, "write", img, "/blob").exit());
        assertArrayEquals(data, ok("cat", img, "/blob").stdout());
        assertEquals(0, CliRun.withInput("tail", "write", img, "-a", "/blob").exit());
        byte[] both = ok("cat", img, "/blob").stdout();
        assertEquals(data.length + 4, both.length);
        assertEquals("tail", new String(both, data.length, 4, StandardCharsets.US_ASCII));
        assertEquals(0, CliRun.withInput("short", "write", img, "/blob").exit());
        assertEquals("short", ok("cat", img, "/blob").out(), "without -a the file is replaced");
        assertTrue(ok("ls", "-l", img, "/blob").out().startsWith("-rw-r--r-- 1 0 0 5 "));
        assertEquals(0, CliRun.withInput(new byte[0], "write", img, "/empty").exit());
        assertEquals("", ok("cat", img, "/empty").out());
        CliRun missing = CliRun.withInput("x", "write", img, "/no/such/dir/f");
        assertEquals(1, missing.exit());
        assertEquals("rumpmount: write: /no/such/dir/f: No such file or directory\n", missing.stderr());
        assertClean(img);
    }

    @Test
    void inTheShellWriteTakesTheRestOfTheInput() {
        String img = fresh();
        ByteArrayOutputStream script = new ByteArrayOutputStream();
        script.writeBytes("mkdir /d\nchflags nodump /d\ncd /d\nmkfifo fifo\nmknod dev c 2 3\nwrite f\n"
                .getBytes(StandardCharsets.US_ASCII));
        script.writeBytes("line one\nls -l /\n".getBytes(StandardCharsets.US_ASCII));
        CliRun r = CliRun.withInput(script.toByteArray(), "shell", img);
        assertEquals(0, r.exit(), r.toString());
        assertEquals("line one\nls -l /\n", ok("cat", img, "/d/f").out());
        assertTrue(ok("ls", "-dlO", img, "/d").out().startsWith("drwxr-xr-x 2 0 0 nodump 512 "));
        assertEquals("dev\nf\nfifo\n", ok("ls", img, "/d").out());
        assertClean(img);
    }
}
