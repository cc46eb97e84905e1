package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell on an empty tmpfs: every command through the same implementations as one-shot runs. */
class ShellTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void needsTmpfs() {
        TmpfsPresent.assume();
    }

    private static CliRun shell(String script) {
        return CliRun.withInput(script, "shell", "-t", "tmpfs", "none");
    }

    private static void assertLines(String expected, CliRun r) {
        assertEquals(expected, r.out(), r.toString());
    }

    @Test
    void theReadmeExampleListsAndPrintsTheCopiedFile() throws Exception {
        Path readme = tmp.resolve("README.md");
        Files.writeString(readme, "hello\nworld\n");
        CliRun r = shell("mkdir /a\nput " + readme + " /a/r\nls -l /a\ncat /a/r\n");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.stderr(), "no prompt and no errors when piped");
        String[] lines = r.out().split("\n");
        assertEquals("total 4", lines[0].replaceAll("\\d+$", "4"), r.out());
        assertTrue(Pattern.matches("-rw-r--r-- 1 0 0 12 [A-Z][a-z]{2} [ \\d]\\d (\\d\\d:\\d\\d| \\d{4}) r", lines[1]), lines[1]);
        assertEquals("hello", lines[2]);
        assertEquals("world", lines[3]);
    }

    @Test
    void aFailingCommandPrintsItsErrorAndTheShellGoesOn() {
        CliRun r = shell("cat /nope\nmkdir /a\nls /\n");
        assertEquals("cat: /nope: No such file or directory\n", r.stderr());
        assertLines("a\n", r);
        assertEquals(1, r.exit(), "the last failure's status at end of input");
    }

    @Test
    void usageErrorsGiveStatusTwoAndExitNGivesN() {
        CliRun r = shell("chmod zz /\n");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().startsWith("chmod: invalid mode: 'zz'\n"), r.stderr());
        assertEquals(2, shell("nosuch\n").exit());
        assertEquals(7, shell("cat /nope\nexit 7\nmkdir /never\n").exit());
        assertEquals(1, shell("cat /nope\nexit\n").exit());
        assertEquals(0, shell("mkdir /a\n").exit());
    }

    @Test
    void relativePathsFollowTheWorkingDirectory() {
        CliRun r = shell("mkdir -p /a/b\ncd /a\npwd\nmkdir c\ncd b\npwd\ncd ..\nls\ncd /a/b/../..\npwd\ncd /a/b/nope\npwd\n");
        assertLines("/a\n/a/b\nb\nc\n/\n/\n", r);
        assertEquals("cd: /a/b/nope: No such file or directory\n", r.stderr());
    }

    @Test
    void namesAreBytesSortedByByteValue() {
        ByteArrayOutputStream script = new ByteArrayOutputStream();
        script.writeBytes("touch b a B \u00e9 ".getBytes(StandardCharsets.UTF_8));
        script.write(0xff);
        script.write(0xfe);
        script.writeBytes("\nls /\n".getBytes(StandardCharsets.UTF_8));
        CliRun r = CliRun.withInput(script.toByteArray(), "shell", "-t", "tmpfs", "none");
        assertEquals(0, r.exit(), r.toString());
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.writeBytes("B\na\nb\n\u00e9\n".getBytes(StandardCharsets.UTF_8));
        want.write(0xff);
        want.write(0xfe);
        want.write('\n');
        assertArrayEquals(want.toByteArray(), r.stdout(), r.out());
    }

    @Test
    void longListingShowsSpecialBitsOwnersLinksAndOldTimes() {
        CliRun r = shell("touch /f /g\nchmod 4755 /f\nchmod g+s,o-r /g\nchown 1000:100 /f\nln -s /f /l\n"
                + "touch -d '2020-01-02 03:04:05' /f\nmkdir -m 1777 /t\nln /g /h\nls -l /\n");
        assertEquals(0, r.exit(), r.toString());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("total "), r.out());
        assertTrue(Pattern.matches("-rwsr-xr-x 1 1000 100 0 Jan  2  2020 f", lines[1]), lines[1]);
        assertTrue(Pattern.matches("-rw-r-S--- 2    0   0 0 .{12} g", lines[2]), lines[2]);
        assertTrue(Pattern.matches("-rw-r-S--- 2    0   0 0 .{12} h", lines[3]), lines[3]);
        assertTrue(Pattern.matches("lrwxrwxrwx 1    0   0 2 .{12} l -> /f", lines[4]), lines[4]);
        assertTrue(Pattern.matches("drwxrwxrwt 2    0   0 +\\d+ .{12} t", lines[5]), lines[5]);
    }

    @Test
    void lsOptions() {
        CliRun r = shell("mkdir -p /d/e\ntouch /d/.hidden /d/e/x\nls /d\nls -a /d\nls -d /d\nls -R /d\nls -i /d/e/x\n");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(Pattern.matches("e\n\\.\n\\.\\.\n\\.hidden\ne\n/d\n/d:\ne\n\n/d/e:\nx\n *\\d+ /d/e/x\n", r.out()), r.out());
    }

    @Test
    void statReportsTheGnuFields() {
        CliRun r = shell("touch -d @1764088680.25 /f\nstat /f\n");
        assertEquals(0, r.exit(), r.toString());
        String[] lines = r.out().split("\n");
        assertEquals("  File: /f", lines[0]);
        assertTrue(lines[1].matches("  Size: 0 +\tBlocks: 0 +IO Block: \\d+ +regular empty file"), lines[1]);
        assertTrue(lines[2].matches("Device: [0-9a-f]+h/\\d+d\tInode: \\d+ +Links: 1"), lines[2]);
        assertEquals("Access: (0644/-rw-r--r--)  Uid: (    0)   Gid: (    0)", lines[3]);
        assertEquals("Access: 2025-11-25 16:38:00.250000000 +0000", lines[4]);
        assertEquals("Modify: 2025-11-25 16:38:00.250000000 +0000", lines[5]);
        assertTrue(lines[6].startsWith("Change: "), lines[6]);
        assertTrue(lines[7].startsWith(" Birth: "), lines[7]);
    }

    @Test
    void findWalksInByteOrderAndFilters() {
        CliRun r = shell("mkdir -p /a/b\ntouch /a/x.c /a/b/y.c /a/z.h\nln -s x.c /a/l\nfind /a\nfind /a -name '*.c'\n"
                + "find /a -type d\nfind /a -type l -print\ncd /a\nfind . -name 'y*'\nfind /a -type q\n");
        assertEquals("/a\n/a/b\n/a/b/y.c\n/a/l\n/a/x.c\n/a/z.h\n"
                + "/a/b/y.c\n/a/x.c\n"
                + "/a\n/a/b\n"
                + "/a/l\n"
                + "./b/y.c\n", r.out(), r.toString());
        assertEquals("find: unknown argument to -type: q\nTry 'find --help' for more information.\n", r.stderr());
    }

    @Test
    void removeMoveCopyAndLink() {
        CliRun r = shell("mkdir -p /a/b\ntouch /a/b/f\nrm /a\nrm -r /a/.\nrmdir /a\ncp -r /a /c\nmv /a /m\nln -s m/b /s\n"
                + "ln /m/b/f /hard\nrm -f /none\nrm -r /m\nfind /\n");
        assertEquals("rm: /a: Is a directory\n"
                + "rm: refusing to remove '.' or '..' directory: skipping '/a/.'\n"
                + "rmdir: /a: Directory not empty\n", r.stderr());
        assertEquals("/\n/c\n/c/b\n/c/b/f\n/hard\n/s\n", r.out(), r.toString());
        assertEquals(1, r.exit());
    }

    @Test
    void mvAndCpIntoADirectoryAndSeveralSourcesNeedOne() {
        CliRun r = shell("mkdir /d\ntouch /x /y\nmv /x /y /d\ncp /d/x /d/y /\nmv /x /y /z\nls / /d\n");
        assertEquals("mv: target '/z' is not a directory\n", r.stderr());
        assertEquals("/:\nd\nx\ny\n\n/d:\nx\ny\n", r.out());
    }

    @Test
    void duAndDf() {
        CliRun r = shell("mkdir -p /a/b\nput " + writeHost("f", 5000) + " /a/b/f\ndu /a\ndu -s /a\ndu -a -h /a\ndf\ndf -h\ndf -i\n");
        assertEquals(0, r.exit(), r.toString());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].matches("\\d+\t/a/b"), lines[0]);
        assertTrue(Integer.parseInt(lines[0].split("\t")[0]) >= 5, "5000 bytes take at least 5 KiB: " + lines[0]);
        assertTrue(lines[1].matches("\\d+\t/a"), lines[1]);
        assertTrue(lines[2].matches("\\d+\t/a"), lines[2]);
        assertTrue(lines[3].matches("\\d+(\\.\\d)?K\t/a/b/f"), lines[3]);
        assertTrue(lines[6].matches("Filesystem +1K-blocks +Used +Available +Use% Mounted on"), lines[6]);
        assertTrue(lines[7].matches("tmpfs +\\d+ +\\d+ +\\d+ +\\d+% /"), lines[7]);
        assertTrue(lines[8].matches("Filesystem +Size +Used +Avail +Use% Mounted on"), lines[8]);
        assertTrue(lines[10].matches("Filesystem +Inodes +IUsed +IFree +IUse% Mounted on"), lines[10]);
    }

    @Test
    void chmodSymbolicAndChown() {
        CliRun r = shell("touch /f\nchmod u+x,go-w /f\nstat /f\nchmod a=rX /f\nchown :7 /f\nchown 9 /f\nchown bob /f\nstat /f\n");
        String[] lines = r.out().split("\n");
        assertEquals("Access: (0744/-rwxr--r--)  Uid: (    0)   Gid: (    0)", lines[3]);
        assertEquals("Access: (0555/-r-xr-xr-x)  Uid: (    9)   Gid: (    7)", lines[11]);
        assertTrue(r.stderr().startsWith("chown: invalid user: 'bob'"), r.stderr());
        assertEquals(2, r.exit());
    }

    @Test
    void putAndGetRoundTripBytesAndTrees() throws Exception {
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + (i >> 8));
        }
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("sub"));
        Files.write(src.resolve("sub/data"), data);
        Files.writeString(src.resolve("top"), "top\n");
        Files.createSymbolicLink(src.resolve("link"), Path.of("top"));
        Path out = tmp.resolve("out");
        CliRun r = shell("put " + src + " /src\nput -r " + src + " /src\nmkdir /in\nput " + src.resolve("top") + " /in\n"
                + "get -r /src " + out + "\nget /src/sub/data " + tmp.resolve("data") + "\nget /src " + tmp.resolve("x") + "\nls -l /in\n");
        assertEquals("put: -r not specified; omitting directory '" + src + "'\n"
                + "get: -r not specified; omitting directory '/src'\n", r.stderr());
        assertArrayEquals(data, Files.readAllBytes(out.resolve("sub/data")));
        assertArrayEquals(data, Files.readAllBytes(tmp.resolve("data")));
        assertEquals("top\n", Files.readString(out.resolve("top")));
        assertEquals(Path.of("top"), Files.readSymbolicLink(out.resolve("link")));
        assertTrue(r.out().contains(" top\n"), r.out());
    }

    @Test
    void readOnlyShellRefusesChanges() {
        CliRun r = CliRun.withInput("mkdir /a\nls /\n", "shell", "-t", "tmpfs", "-o", "ro", "none");
        assertEquals("mkdir: /a: Read-only file system\n", r.stderr());
        assertEquals(1, r.exit());
    }

    @Test
    void helpListsEveryCommandAndShowsUsage() {
        CliRun r = shell("help\nhelp ls\n");
        assertEquals(0, r.exit(), r.toString());
        for (String c : new String[] {"ls", "cat", "stat", "find", "du", "df", "mkdir", "rmdir", "rm", "mv", "cp", "ln",
            "chmod", "chown", "chflags", "touch", "mkfifo", "mknod", "write", "get", "put", "cd", "pwd", "help", "exit"}) {
            assertTrue(Pattern.compile("(?m)^  " + c + " ").matcher(r.out()).find(), c + " missing\n" + r.out());
        }
        assertTrue(r.out().contains("Usage: ls [-adilnOR] [--help] [PATH...]"), r.out());
    }

    @Test
    void aClosedStdoutEndsTheShellWithAWriteError() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.OutputStream closed = new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("Broken pipe");
            }
        };
        byte[] script = ("mkdir /a\n" + "ls -la /\n".repeat(20_000) + "mkdir /b\n").getBytes(StandardCharsets.UTF_8);
        Io io = new Io(new java.io.ByteArrayInputStream(script), closed, err, false);
        int rc = Cli.run(io, java.time.ZoneOffset.UTC, "shell", "-t", "tmpfs", "none");
        assertEquals(1, rc);
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("ls: write error: Broken pipe\n"), e);
        assertEquals(1, e.lines().count(), e);
    }

    @Test
    void quotingKeepsBlanksInNames() {
        CliRun r = shell("touch 'a b' \"c d\" e\\ f\nls /\n");
        assertLines("a b\nc d\ne f\n", r);
    }

    private String writeHost(String name, int size) {
        try {
            Path p = tmp.resolve(name);
            Files.write(p, new byte[size]);
            return p.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
