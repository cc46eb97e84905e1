package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rumpmount dumpfs on the NetBSD-made nb-lfs-4k image, checked against what NetBSD's own
 * dumplfs printed for it (nb-lfs-4k.dumplfs.txt beside the image).
 */
class DumpfsCommandTest {
    private static String netbsd(String text, String field) {
        Matcher m = Pattern.compile("\\b" + field + "\\s+(\\S+)").matcher(text);
        assertTrue(m.find(), field + " in NetBSD's dumplfs output");
        return m.group(1);
    }

    /** The line of the dump starting with {@code prefix} (after its indentation). */
    private static String line(String dump, String prefix) {
        return dump.lines().map(String::trim).filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with " + prefix + " in\n" + dump));
    }

    @Test
    void showsTheSuperblockBothCheckpointsAndTheSegmentTableAsNetbsdSawThem() throws Exception {
        Path image = SharedImages.image("nb-lfs-4k");
        String nb = Files.readString(SharedImages.sharedDir().resolve("images/nb-lfs-4k.dumplfs.txt"));
        CliRun r = CliRun.run("dumpfs", image.toString());
        assertEquals(0, r.exit(), r.toString());
        String dump = r.out();

        assertEquals("magic        0x70162", line(dump, "magic "));
        assertEquals("bsize        " + netbsd(nb, "bsize"), line(dump, "bsize "));
        assertEquals("fsize        " + netbsd(nb, "fsize"), line(dump, "fsize "));
        assertEquals("ssize        " + netbsd(nb, "ssize"), line(dump, "ssize "));
        assertEquals("nseg         " + netbsd(nb, "nseg"), line(dump, "nseg "));
        assertEquals("maxfilesize  " + netbsd(nb, "maxfilesize").toLowerCase(), line(dump, "maxfilesize "));
        assertTrue(line(dump, "sboffs ").startsWith("sboffs       0x10 0x4c00 0x9800"), line(dump, "sboffs "));

        // The checkpoint in the master superblock (sboffs[0]) is the one NetBSD's dumplfs showed.
        String cp0 = line(dump, "0    0x10 ");
        List<String> f = List.of(cp0.split("\\s+"));
        assertEquals(netbsd(nb, "serial"), f.get(2), cp0);
        assertEquals(netbsd(nb, "offset"), f.get(3), cp0);
        assertEquals(netbsd(nb, "curseg"), f.get(4), cp0);
        assertEquals(netbsd(nb, "nextseg"), f.get(5), cp0);
        assertEquals(netbsd(nb, "idaddr"), f.get(6), cp0);
        assertEquals(netbsd(nb, "nclean"), f.get(7), cp0);
        assertEquals(netbsd(nb, "nfiles"), f.get(8), cp0);
        Matcher ts = Pattern.compile("tstamp\\s+(.+)").matcher(nb);
        assertTrue(ts.find());
        assertTrue(cp0.contains(ts.group(1).trim()), cp0 + " has the time " + ts.group(1));
        String cp1 = line(dump, "1    0x4c00 ");
        long serial1 = Long.parseLong(cp1.split("\\s+")[2]);
        assertTrue(Math.abs(serial1 - Long.parseLong(netbsd(nb, "serial"))) <= 1,
                "the other copy holds the checkpoint before or the same one: " + cp1);
        assertTrue(cp0.endsWith("(mounted)") != cp1.endsWith("(mounted)"), "exactly one copy is marked mounted");

        assertEquals("clean        " + netbsd(nb, "clean"), line(dump, "clean "));
        assertEquals("free_head    " + netbsd(nb, "free_head"), line(dump, "free_head "));

        // One line per segment; the clean ones are as many as the cleaner info says.
        List<String> segs = dump.lines().map(String::trim).filter(l -> l.matches("\\d+\\s+[AD\\-SEeI]{6}\\s.*")).toList();
        assertEquals(383, segs.size());
        long clean = segs.stream().filter(l -> l.split("\\s+")[1].charAt(1) == '-').count();
        assertEquals(Long.parseLong(netbsd(nb, "clean")), clean);
        assertTrue(segs.get(0).matches("0\\s+-DS---\\s.*"), segs.get(0));
        // The segment being written is the active one, and holds live bytes.
        long cur = Long.decode(netbsd(nb, "curseg")) / (Long.parseLong(netbsd(nb, "ssize")) / Long.parseLong(netbsd(nb, "fsize")));
        String active = segs.get((int) cur);
        assertTrue(active.split("\\s+")[1].startsWith("AD"), active);
        assertTrue(Long.parseLong(active.split("\\s+")[2]) > 0, active);
    }

    @Test
    void refusesWhatIsNotAnLfsAndSaysWhatItHolds(@TempDir Path tmp) throws Exception {
        Path ffs = SharedImages.image("ufs2-le");
        CliRun r = CliRun.run("dumpfs", ffs.toString());
        assertEquals(ExitCodes.FAILED, r.exit(), r.toString());
        assertTrue(r.stderr().contains("ffs") && r.stderr().contains("LFS file systems only"), r.stderr());
        Path junk = tmp.resolve("zeros.img");
        Files.write(junk, new byte[1 << 20]);
        CliRun z = CliRun.run("dumpfs", junk.toString());
        assertEquals(ExitCodes.FAILED, z.exit(), z.toString());
        assertTrue(z.stderr().contains("no file system"), z.stderr());
    }
}
