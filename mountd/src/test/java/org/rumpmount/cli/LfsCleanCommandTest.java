package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rumpmount.vfs.DriverRegistry;

/** rumpmount lfs-clean on copies of the NetBSD-made LFS image: segments cleaned, contents unchanged. */
class LfsCleanCommandTest {
    private static final String NAME = "nb-lfs-4k";
    private static final Pattern REPORT = Pattern.compile(
            ".*: (\\d+) segments cleaned \\((\\d+) copied from, the rest already empty\\), (\\d+) bytes moved; (\\d+) of 383 segments clean\n");
    private static Path image;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws Exception {
        assumeTrue(DriverRegistry.load().get("lfs").isPresent(), "the lfs driver is not on the class path");
        image = SharedImages.image(NAME);
    }

    private Path copy() throws Exception {
        Path p = tmp.resolve(NAME + ".img");
        Files.copy(image, p);
        return p;
    }

    private static Matcher report(CliRun r) {
        assertEquals(0, r.exit(), r.toString());
        Matcher m = REPORT.matcher(r.out());
        assertTrue(m.matches(), r.out());
        return m;
    }

    @Test
    void cleaningMovesLiveBlocksAndLeavesTheTreeAsItWas() throws Exception {
        // NetBSD's own writing left dead blocks among the live ones in its segments.
        Path img = copy();
        CliRun before = CliRun.run("find", img.toString(), "/");
        assertEquals(0, before.exit(), before.toString());
        Matcher m = report(CliRun.run("lfs-clean", img.toString()));
        long cleaned = Long.parseLong(m.group(1));
        long copied = Long.parseLong(m.group(2));
        long moved = Long.parseLong(m.group(3));
        assertTrue(cleaned > 0 && copied > 0 && moved > 0, m.group());
        CliRun after = CliRun.run("find", img.toString(), "/");
        assertArrayEquals(before.stdout(), after.stdout());
        for (String p : new String[] {"/hello.txt", "/random-4099.bin", "/sizes/12bsize+1"}) {
            CliRun orig = CliRun.run("cat", image.toString(), p);
            CliRun now = CliRun.run("cat", img.toString(), p);
            assertEquals(0, now.exit(), now.toString());
            assertArrayEquals(orig.stdout(), now.stdout(), p);
        }
        // Whatever was worth cleaning is clean now: a second run copies nothing more of note.
        Matcher again = report(CliRun.run("lfs-clean", img.toString()));
        assertTrue(Long.parseLong(again.group(4)) >= Long.parseLong(m.group(4)), again.group());
    }

    @Test
    void dashNStopsAfterThatManySegments() throws Exception {
        Path img = copy();
        Matcher m = report(CliRun.run("lfs-clean", "-n", "2", img.toString()));
        long cleaned = Long.parseLong(m.group(1));
        assertTrue(cleaned >= 2 && cleaned < 40, m.group());
    }

    @Test
    void aNegativeCountIsAUsageError() throws Exception {
        CliRun r = CliRun.run("lfs-clean", "-n", "-1", copy().toString());
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
    }

    @Test
    void anFfsImageIsRefusedWithAMessage() throws Exception {
        Path ffs = tmp.resolve("ffs.img");
        Files.copy(SharedImages.image("ufs1-small"), ffs);
        CliRun r = CliRun.run("lfs-clean", ffs.toString());
        assertEquals(ExitCodes.FAILED, r.exit(), r.toString());
        assertTrue(r.stderr().contains("ffs.img"), r.stderr());
    }
}
