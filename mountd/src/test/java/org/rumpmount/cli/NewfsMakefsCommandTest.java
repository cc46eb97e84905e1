package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rumpmount newfs and makefs make images that our fsck finds clean and our commands read. */
class NewfsMakefsCommandTest {
    @TempDir
    Path tmp;

    @Test
    void newfsCreatesAnImageOfTheAskedSizeThatChecksCleanAndTakesFiles() throws Exception {
        Path img = tmp.resolve("new.img");
        CliRun r = CliRun.run("newfs", "-O", "2", "-B", "be", "-b", "8192", "-f", "1024", "-s", "16m", img.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals(16L << 20, Files.size(img));
        assertTrue(r.out().contains("block size 8192, fragment size 1024"), r.toString());
        assertEquals(0, CliRun.run("fsck", "-f", "-n", img.toString()).exit());
        assertEquals(0, CliRun.run("mkdir", img.toString(), "/d").exit());
        CliRun ls = CliRun.run("ls", img.toString(), "/");
        assertEquals("d\n", ls.out(), ls.toString());
        assertEquals(0, CliRun.run("fsck", "-f", "-n", img.toString()).exit());
    }

    @Test
    void newfsOfAMissingImageWithoutASizeIsAUsageError() {
        CliRun r = CliRun.run("newfs", tmp.resolve("absent.img").toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().contains("-s"), r.toString());
    }

    @Test
    void newfsRefusesAFragmentSizeTooSmallForTheBlockSize() {
        CliRun r = CliRun.run("newfs", "-b", "32768", "-f", "512", "-s", "16m", tmp.resolve("x.img").toString());
        assertEquals(2, r.exit(), r.toString());
    }

    @Test
    void makefsCopiesATreeThatReadsBackAndChecksClean() throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("a/b"));
        Files.writeString(src.resolve("a/b/hello.txt"), "hello, world\n");
        Files.createSymbolicLink(src.resolve("a/link"), Path.of("b/hello.txt"));
        Path img = tmp.resolve("tree.img");
        CliRun r = CliRun.run("makefs", "-o", "version=1,bsize=4096,fsize=512", img.toString(), src.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals(0, CliRun.run("fsck", "-f", "-n", img.toString()).exit());
        CliRun cat = CliRun.run("cat", img.toString(), "/a/link");
        assertEquals("hello, world\n", new String(cat.stdout(), StandardCharsets.UTF_8), cat.toString());
    }

    @Test
    void makefsWithASizeTooSmallSaysWhatItNeeds() throws Exception {
        Path src = tmp.resolve("big");
        Files.createDirectories(src);
        Files.write(src.resolve("f"), new byte[3 << 20]);
        CliRun r = CliRun.run("makefs", "-s", "1m", tmp.resolve("small.img").toString(), src.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.stderr().contains("needs"), r.toString());
    }
}
