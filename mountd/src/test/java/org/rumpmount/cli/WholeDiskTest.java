package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rumpmount.block.part.DiskTools;

/**
 * Every kind of partition table with an FFS inside, read through the command line: the file
 * system's tree and bytes are what makefs was given, whether the partition is named with
 * IMAGE@SEL, with -o part=SEL, or found alone; probe shows it where the table puts it, and where
 * Debian's disktype (an independent reader of MBR, GPT and little-endian BSD disklabels) puts it.
 */
class WholeDiskTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(WholeDisks.Kind.class)
    void theFileSystemInsideReadsBackByEverySelector(WholeDisks.Kind kind) throws Exception {
        WholeDisks.Disk disk = WholeDisks.build(kind, tmp);
        String img = disk.image().toString();
        String warnings = expectedWarnings(disk);
        for (String sel : disk.selectors()) {
            CliRun at = ok(CliRun.run("ls", img + "@" + sel, "/"));
            assertEquals("data\nhello.txt\n", at.out(), at.toString());
            assertEquals(warnings.replace("CMD", "ls"), at.stderr());
            CliRun opt = ok(CliRun.run("ls", "-o", "ro,part=" + sel, img, "/data"));
            assertEquals("blob.bin\n", opt.out(), opt.toString());
            for (Map.Entry<String, byte[]> f : disk.files().entrySet()) {
                CliRun cat = ok(CliRun.run("cat", img + "@" + sel, "/" + f.getKey()));
                assertArrayEquals(f.getValue(), cat.stdout(), f.getKey() + " through " + sel);
                assertEquals(warnings.replace("CMD", "cat"), cat.stderr());
            }
        }
        // One file system on the disk: no selector needed.
        CliRun alone = ok(CliRun.run("cat", img, "/hello.txt"));
        assertArrayEquals(disk.files().get("hello.txt"), alone.stdout());
    }

    @ParameterizedTest
    @EnumSource(WholeDisks.Kind.class)
    void probeShowsThePartitionWhereDisktypeFindsIt(WholeDisks.Kind kind) throws Exception {
        WholeDisks.Disk disk = WholeDisks.build(kind, tmp);
        String probe = ok(CliRun.run("probe", disk.image().toString())).out();
        String ffs = kind == WholeDisks.Kind.NETBSD_BARE ? "ffs (FFSv1 (UFS1), big-endian, superblock at "
                : kind == WholeDisks.Kind.OPENBSD_IN_MBR ? "ffs (FFSv1 (UFS1), little-endian, superblock at "
                : "ffs (FFSv2 (UFS2), little-endian, superblock at ";
        Pattern row = Pattern.compile("(?m)^ +\\d+  +" + Pattern.quote(disk.entry()) + " .* " + disk.offset()
                + " +4194304  " + Pattern.quote(ffs) + ".*, clean\\)$");
        assertTrue(row.matcher(probe).find(), row + " in\n" + probe);
        assertEquals(1, probe.lines().filter(l -> l.contains(" ffs (")).count(), probe);
        if (kind == WholeDisks.Kind.NETBSD_BARE) {
            return; // disktype reads little-endian disklabels only
        }
        String disktype = DiskTools.run(null, DiskTools.require("disktype", "disktype"), disk.image().toString());
        if (kind == WholeDisks.Kind.NETBSD_IN_MBR || kind == WholeDisks.Kind.FREEBSD_IN_MBR
                || kind == WholeDisks.Kind.OPENBSD_IN_MBR) {
            assertTrue(disktype.contains("BSD disklabel"), disktype);
        }
        // Every partition disktype lists (but the GPT's protective MBR entry) is one probe lists at
        // the same bytes.
        Matcher m = Pattern.compile("Partition (\\w+): .*\\((\\d+) bytes, \\d+ sectors from (\\d+)(?:\\+(\\d+))?\\)\\n"
                + " *Type ([^\\n]*)").matcher(disktype);
        int seen = 0;
        while (m.find()) {
            if (m.group(5).startsWith("0xEE")) {
                continue;
            }
            long offset = (Long.parseLong(m.group(3)) + (m.group(4) == null ? 0 : Long.parseLong(m.group(4)))) * 512;
            if (kind == WholeDisks.Kind.FREEBSD_IN_MBR && Character.isLetter(m.group(1).charAt(0))) {
                offset += 2048 * 512; // disktype shows a bsdlabel's offsets as stored, from the slice
            }
            Pattern same = Pattern.compile("(?m)^ +\\d+  +\\S.* " + offset + " +" + m.group(2) + "  ");
            assertTrue(same.matcher(probe).find(), "disktype's partition " + m.group(1) + " at byte " + offset + ", "
                    + m.group(2) + " bytes, is not in probe's listing:\n" + probe + "\ndisktype:\n" + disktype);
            seen++;
        }
        assertTrue(seen >= 2, disktype);
        assertTrue(disktype.contains("UFS"), "disktype finds the FFS too:\n" + disktype);
    }

    /** The warnings each command prints for the disk, with CMD for the command's name. */
    private static String expectedWarnings(WholeDisks.Disk disk) {
        String img = disk.image().toString();
        return switch (disk.kind()) {
            // The NetBSD partition holds the file system directly, where NetBSD's fdisk would have put a disklabel.
            case MBR -> "rumpmount: CMD: warning: " + img + ": MBR partition 2 (NetBSD) holds no NetBSD disklabel\n";
            case MBR_LOGICAL -> "rumpmount: CMD: warning: " + img + ": MBR partition 6 (NetBSD) holds no NetBSD disklabel\n";
            default -> "";
        };
    }

    private static CliRun ok(CliRun r) {
        assertEquals(0, r.exit(), r.toString());
        return r;
    }
}
