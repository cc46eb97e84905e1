package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line itself: version, help, usage errors and failures before any file system is read. */
class CommandLineTest {
    @TempDir
    Path tmp;

    @Test
    void versionComesFromTheBuild() {
        CliRun r = CliRun.run("--version");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(Pattern.matches("rumpmount \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n", r.out()), r.out());
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        CliRun r = CliRun.run("--help");
        assertEquals(0, r.exit(), r.toString());
        for (String cmd : new String[] {"ls", "cat", "stat", "find", "du", "df", "mkdir", "rmdir", "rm", "mv", "cp",
            "ln", "chmod", "chown", "chflags", "touch", "mkfifo", "mknod", "write", "get", "put", "shell", "drivers"}) {
            assertTrue(Pattern.compile("(?m)^  " + cmd + " ").matcher(r.out()).find(), cmd + " missing from\n" + r.out());
        }
        assertTrue(r.out().contains("Exit codes:"), r.out());
        assertTrue(Pattern.compile("(?m)^\\s+1\\s+the operation failed").matcher(r.out()).find(), r.out());
        assertTrue(Pattern.compile("(?m)^\\s+2\\s+usage error").matcher(r.out()).find(), r.out());
    }

    @Test
    void subcommandHelpShowsImageFirstThenOwnOperands() {
        CliRun r = CliRun.run("mv", "--help");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("Usage: rumpmount mv [--help] [-o=OPTIONS] [-t=TYPE] IMAGE SOURCE... DEST\n"), r.out());
        assertTrue(r.out().contains("Exit codes:"), r.out());
    }

    @Test
    void shellAndDriversHaveHelpToo() {
        CliRun r = CliRun.run("shell", "--help");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("Usage: rumpmount shell [--help] [-o=OPTIONS] [-t=TYPE] IMAGE"), r.out());
        assertTrue(r.out().contains("Exit codes:"), r.out());
        assertEquals(0, CliRun.run("drivers", "--help").exit());
    }

    @Test
    void aFailingStdoutIsAWriteErrorNotACrash() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.OutputStream closed = new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("Broken pipe");
            }
        };
        Io io = new Io(java.io.InputStream.nullInputStream(), closed, err, false);
        int rc = Cli.run(io, java.time.ZoneOffset.UTC, "--help");
        assertEquals(1, rc);
        assertEquals("rumpmount: write error: Broken pipe\n", err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun r = CliRun.run();
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().startsWith("rumpmount: missing command\n"), r.stderr());
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun r = CliRun.run("ls", "-Z", "x.img");
        assertEquals(2, r.exit(), r.toString());
        assertEquals("rumpmount: ls: Unknown option: '-Z'\nTry 'rumpmount ls --help' for more information.\n", r.stderr());
    }

    @Test
    void missingImageArgumentIsAUsageError() {
        CliRun r = CliRun.run("ls");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().startsWith("rumpmount: ls: Missing required parameter: 'IMAGE'\n"), r.stderr());
    }

    @Test
    void missingOperandsAreUsageErrors() {
        assertEquals(2, CliRun.run("mv", "x.img", "/a").exit());
        assertEquals(2, CliRun.run("get", "x.img", "/a").exit());
        assertEquals(2, CliRun.run("chmod", "x.img", "755").exit());
    }

    @Test
    void missingImageFileFailsWithItsName() {
        String img = tmp.resolve("nope.img").toString();
        CliRun r = CliRun.run("ls", img, "/");
        assertEquals(1, r.exit(), r.toString());
        assertEquals("rumpmount: ls: " + img + ": No such file or directory\n", r.stderr());
        assertEquals("", r.out());
    }

    @Test
    void directoryAsImageFails() {
        CliRun r = CliRun.run("cat", tmp.toString(), "/x");
        assertEquals(1, r.exit(), r.toString());
        assertEquals("rumpmount: cat: " + tmp + ": Is a directory\n", r.stderr());
    }

    @Test
    void imageWithNoKnownFileSystemFails() throws Exception {
        Path img = tmp.resolve("zeros.img");
        Files.write(img, new byte[64 * 1024]);
        CliRun r = CliRun.run("ls", img.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.stderr().startsWith("rumpmount: ls: " + img + ": no known file system found"), r.stderr());
    }

    @Test
    void unknownTypeNamesTheKnownOnes() throws Exception {
        Path img = tmp.resolve("x.img");
        Files.write(img, new byte[4096]);
        CliRun r = CliRun.run("ls", "-t", "xfs", img.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.stderr().startsWith("rumpmount: ls: unknown file system type 'xfs'; known types: "), r.stderr());
    }

    @Test
    void badMountOptionFailsBeforeMounting() throws Exception {
        Path img = tmp.resolve("x.img");
        Files.write(img, new byte[4096]);
        CliRun r = CliRun.run("ls", "-o", "=1", img.toString());
        assertEquals(1, r.exit(), r.toString());
        assertEquals("rumpmount: ls: mount option without a name: '=1'\n", r.stderr());
    }

    @Test
    void driversListsEachWithItsDeviceNeed() {
        CliRun r = CliRun.run("drivers");
        assertEquals(0, r.exit(), r.toString());
        for (org.rumpmount.vfs.FileSystemDriver d : org.rumpmount.vfs.DriverRegistry.load().all()) {
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(d.name()) + " +needs ").matcher(r.out()).find(), r.out());
        }
        assertEquals(org.rumpmount.vfs.DriverRegistry.load().all().size(), r.out().lines().count(), r.out());
    }
}
