package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rumpmount.block.part.DiskTools;

/**
 * The README's examples of whole disks are what the commands print: each disk is built as the
 * README describes it, each {@code $ rumpmount ...} line is run, and its output (standard error,
 * then standard output, as a terminal shows these) must be the lines the README shows under it.
 */
class ReadmeExamplesTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path tmp;

    @Test
    void theWholeDiskExamplesPrintWhatTheReadmeShows() throws Exception {
        buildDisk();
        buildGpt();
        WholeDisks.Disk netbsd = WholeDisks.build(WholeDisks.Kind.NETBSD_IN_MBR, tmp.resolve("netbsd"));
        Files.move(netbsd.image(), tmp.resolve("netbsd.img"));

        List<String> readme = Files.readAllLines(DaemonFixture.repoRoot().resolve("README.md"));
        int checked = 0;
        for (String command : List.of("probe disk.img", "probe gpt.img", "probe netbsd.img", "ls disk.img /",
                "ls disk.img@2 /")) {
            List<String> shown = example(readme, "    $ rumpmount " + command);
            String[] args = command.split(" ");
            args[1] = tmp + "/" + args[1]; // the image, with its @N if any
            CliRun r = CliRun.run(args);
            String printed = (r.stderr() + r.out()).replace(tmp + "/", "");
            assertEquals(String.join("\n", shown) + "\n", printed, "rumpmount " + command);
            checked++;
        }
        assertEquals(5, checked);
    }

    /** The lines under {@code prompt} in an indented block, up to the next prompt or the block's end. */
    private static List<String> example(List<String> readme, String prompt) {
        int at = readme.indexOf(prompt);
        assertFalse(at < 0, "the README has no example '" + prompt.strip() + "'");
        List<String> out = new ArrayList<>();
        for (int i = at + 1; i < readme.size() && readme.get(i).startsWith("    ") && !readme.get(i).startsWith("    $ "); i++) {
            out.add(readme.get(i).substring(4));
        }
        return out;
    }

    /** 36 MiB: MBR partition 1 (0xa9) holding FFSv2, partition 2 (0x83) a big-endian FFSv1 holding /etc. */
    private void buildDisk() throws Exception {
        Path disk = DiskTools.blank(tmp.resolve("disk.img"), 36 * MIB);
        DiskTools.run("label: dos\nstart=2048, size=32768, type=a9\nstart=34816, size=32768, type=83\n",
                DiskTools.require("sfdisk", "fdisk"), "-q", disk.toString());
        Path p1 = tmp.resolve("p1.img");
        Path p2 = tmp.resolve("p2.img");
        assertEquals(0, CliRun.run("newfs", "-s", "16m", p1.toString()).exit());
        assertEquals(0, CliRun.run("newfs", "-O", "1", "-B", "be", "-s", "16m", p2.toString()).exit());
        assertEquals(0, CliRun.run("mkdir", p2.toString(), "/etc").exit());
        DiskTools.copyInto(p1, disk, MIB);
        DiskTools.copyInto(p2, disk, 17 * MIB);
    }

    /** 18 MiB: one GPT partition "nbroot" of type NetBSD FFS at 1 MiB, 16 MiB, holding FFSv2. */
    private void buildGpt() throws Exception {
        Path disk = DiskTools.blank(tmp.resolve("gpt.img"), 18 * MIB);
        DiskTools.run(null, DiskTools.require("sgdisk", "gdisk"), "-o", "-n", "1:2048:34815", "-t", "1:a902",
                "-c", "1:nbroot", disk.toString());
        Path fs = tmp.resolve("g1.img");
        assertEquals(0, CliRun.run("newfs", "-s", "16m", fs.toString()).exit());
        DiskTools.copyInto(fs, disk, MIB);
    }
}
