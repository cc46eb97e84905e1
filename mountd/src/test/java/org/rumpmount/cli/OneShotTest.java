package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One-shot commands mount, run and unmount; on tmpfs each run starts empty. */
class OneShotTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void needsTmpfs() {
        TmpfsPresent.assume();
    }

    @Test
    void anEmptyTmpfsListsNothing() {
        CliRun r = CliRun.run("ls", "-t", "tmpfs", "none", "/");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.out());
    }

    @Test
    void writingCommandsMountReadWrite() {
        CliRun r = CliRun.run("mkdir", "-t", "tmpfs", "none", "-p", "/a/b");
        assertEquals(0, r.exit(), r.toString());
    }

    @Test
    void readOnlyOptionWins() {
        CliRun r = CliRun.run("mkdir", "-t", "tmpfs", "-o", "ro", "none", "/a");
        assertEquals(1, r.exit(), r.toString());
        assertEquals("rumpmount: mkdir: /a: Read-only file system\n", r.stderr());
    }

    @Test
    void missingFileFailsNamingIt() {
        CliRun r = CliRun.run("cat", "-t", "tmpfs", "none", "/x", "/y");
        assertEquals(1, r.exit(), r.toString());
        assertEquals("rumpmount: cat: /x: No such file or directory\nrumpmount: cat: /y: No such file or directory\n", r.stderr());
    }

    @Test
    void tmpfsTakesNoImage() throws Exception {
        Path img = tmp.resolve("x.img");
        Files.write(img, new byte[512]);
        CliRun r = CliRun.run("ls", "-t", "tmpfs", img.toString());
        assertEquals(1, r.exit(), r.toString());
        assertEquals("rumpmount: ls: tmpfs needs no image: give 'none' instead of '" + img + "'\n", r.stderr());
    }

    @Test
    void autoNeedsAnImage() {
        CliRun r = CliRun.run("ls", "none");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.stderr().startsWith("rumpmount: ls: none: No such file or directory"), r.stderr());
    }

    @Test
    void dfNamesTheFileSystem() {
        CliRun r = CliRun.run("df", "-t", "tmpfs", "none");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().split("\n")[1].startsWith("tmpfs "), r.out());
    }
}
