package org.rumpmount.cli;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.rumpmount.block.part.DiskTools;
import org.rumpmount.block.part.LabelWriter;
import org.rumpmount.block.part.LabelWriter.Part;

/**
 * Whole disks as users meet them, one per kind of partition table, each holding an FFS that
 * Debian's makefs built from a small tree: MBR (sfdisk), MBR with logical partitions (sfdisk),
 * GPT (sgdisk), a bare NetBSD disklabel (big-endian, as on sparc64), a NetBSD disklabel in an MBR
 * partition of type 0xa9, a FreeBSD bsdlabel in an MBR slice of type 0xa5, and an OpenBSD disklabel
 * (version 1, 48-bit) in an MBR partition of type 0xa6. The disklabels are
 * written from their on-disk definition, since Debian has no tool that writes one.
 */
final class WholeDisks {
    private static final long SECTOR = 512;
    /** The file system every disk holds: 4 MiB, 8192 sectors. */
    private static final long FS_SECTORS = 8192;
    private static final long DISK_SECTORS = 32768;

    /** The kinds of disk, as tests name them. */
    enum Kind { MBR, MBR_LOGICAL, GPT, NETBSD_BARE, NETBSD_IN_MBR, FREEBSD_IN_MBR, OPENBSD_IN_MBR }

    /**
     * A disk of {@code kind} at {@code image}; {@code selectors} name the partition holding the
     * file system (the first is what a mount is given), {@code entry} is how probe shows it, and
     * {@code files} are the tree's regular files, by path inside the file system.
     */
    record Disk(Kind kind, Path image, List<String> selectors, String entry, long offset,
            Map<String, byte[]> files) {
        String selector() {
            return selectors.get(0);
        }
    }

    private WholeDisks() {
    }

    /** Builds a disk of {@code kind} in {@code dir}; skips the test, saying why, when a Debian tool is missing. */
    static Disk build(Kind kind, Path dir) throws Exception {
        Files.createDirectories(dir);
        Map<String, byte[]> files = contents(kind);
        Path disk = DiskTools.blank(dir.resolve(kind.name().toLowerCase() + ".img"), DISK_SECTORS * SECTOR);
        return switch (kind) {
            case MBR -> {
                // An empty FAT partition, then the NetBSD one (no disklabel in it: the FFS fills it).
                sfdisk(disk, "start=2048, size=4096, type=c\nstart=6144, size=8192, type=a9\n");
                yield place(kind, disk, ffs(dir, kind, files, "2", "le"), 6144, files, List.of("2"), "mbr2");
            }
            case MBR_LOGICAL -> {
                // Primary 1, extended 2 holding logical 5 (empty) and logical 6 (the FFS), listed as 1, 2, 3, 4.
                sfdisk(disk, "start=2048, size=4096, type=c\nstart=6144, size=26624, type=5\n"
                        + "start=8192, size=2048, type=83\nstart=12288, size=8192, type=a9\n");
                yield place(kind, disk, ffs(dir, kind, files, "2", "le"), 12288, files, List.of("4"), "mbr6");
            }
            case GPT -> {
                String sgdisk = DiskTools.require("sgdisk", "gdisk");
                DiskTools.run(null, sgdisk, "-o", "-n", "1:2048:6143", "-t", "1:ef00", "-c", "1:efi",
                        "-n", "2:6144:14335", "-t", "2:a902", "-c", "2:nbroot", disk.toString());
                yield place(kind, disk, ffs(dir, kind, files, "2", "le"), 6144, files, List.of("nbroot", "2"),
                        "gpt2 \"nbroot\"");
            }
            case NETBSD_BARE -> {
                // As on a big-endian port: the label in sector 1, inside a's boot area; the FFS in e.
                DiskTools.copyInto(ffs(dir, kind, files, "1", "be"), disk, 16384 * SECTOR);
                DiskTools.patch(disk, SECTOR, LabelWriter.label(ByteOrder.BIG_ENDIAN, 512, DISK_SECTORS, 16,
                        new Part('a', 8192, 0, 7), new Part('b', 8192, 8192, 1), new Part('c', DISK_SECTORS, 0, 0),
                        new Part('e', FS_SECTORS, 16384, 7)));
                yield new Disk(kind, disk, List.of("e"), "e", 16384 * SECTOR, files);
            }
            case NETBSD_IN_MBR -> {
                // NetBSD/amd64 as its installer leaves it: the label in sector 1 of the 0xa9 partition,
                // inside the boot area of a, which starts there; offsets count from the disk; c is the
                // NetBSD partition, d the whole disk.
                sfdisk(disk, "start=2048, size=16384, type=a9, bootable\n");
                DiskTools.copyInto(ffs(dir, kind, files, "2", "le"), disk, 2048 * SECTOR);
                DiskTools.patch(disk, 2049 * SECTOR, LabelWriter.label(ByteOrder.LITTLE_ENDIAN, 512, DISK_SECTORS, 16,
                        new Part('a', FS_SECTORS, 2048, 7), new Part('b', 8192, 10240, 1), new Part('c', 16384, 2048, 0),
                        new Part('d', DISK_SECTORS, 0, 0)));
                yield new Disk(kind, disk, List.of("a"), "a", 2048 * SECTOR, files);
            }
            case FREEBSD_IN_MBR -> {
                // FreeBSD's bsdlabel in sector 1 of its slice, offsets relative to the slice (c at 0);
                // a after the 8 KiB boot area.
                sfdisk(disk, "start=2048, size=16384, type=a5, bootable\n");
                DiskTools.patch(disk, 2049 * SECTOR, LabelWriter.label(ByteOrder.LITTLE_ENDIAN, 512, 16384, 8,
                        new Part('a', FS_SECTORS, 16, 7), new Part('b', 4096, 16 + FS_SECTORS, 1),
                        new Part('c', 16384, 0, 0)));
                yield place(kind, disk, ffs(dir, kind, files, "2", "le"), 2048 + 16, files, List.of("a"), "a");
            }
            case OPENBSD_IN_MBR -> {
                // As OpenBSD's installer leaves a disk: the label in sector 1 of the 0xa6 partition, inside
                // the boot area of a (UFS1 here), which starts there; offsets count from the disk; c is the disk.
                sfdisk(disk, "start=2048, size=16384, type=a6, bootable\n");
                DiskTools.copyInto(ffs(dir, kind, files, "1", "le"), disk, 2048 * SECTOR);
                DiskTools.patch(disk, 2049 * SECTOR, LabelWriter.openbsd(ByteOrder.LITTLE_ENDIAN, 512, DISK_SECTORS,
                        new Part('a', FS_SECTORS, 2048, 7), new Part('b', 8192, 10240, 1),
                        new Part('c', DISK_SECTORS, 0, 0)));
                yield new Disk(kind, disk, List.of("a"), "a", 2048 * SECTOR, files);
            }
        };
    }

    private static Disk place(Kind kind, Path disk, Path fs, long sector, Map<String, byte[]> files,
            List<String> selectors, String entry) throws IOException {
        DiskTools.copyInto(fs, disk, sector * SECTOR);
        return new Disk(kind, disk, selectors, entry, sector * SECTOR, files);
    }

    /** A small tree per kind: a text file naming the disk and a binary file spanning many blocks. */
    private static Map<String, byte[]> contents(Kind kind) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("hello.txt", ("hello from the " + kind.name().toLowerCase() + " disk\n").getBytes(StandardCharsets.US_ASCII));
        byte[] blob = new byte[150_000];
        new Random(kind.ordinal()).nextBytes(blob);
        files.put("data/blob.bin", blob);
        return files;
    }

    /** makefs's FFS (version 1 or 2, byte order "le" or "be") of the tree, 4 MiB. */
    private static Path ffs(Path dir, Kind kind, Map<String, byte[]> files, String version, String endian)
            throws Exception {
        String makefs = DiskTools.require("makefs", "makefs");
        Path tree = dir.resolve(kind.name().toLowerCase() + "-tree");
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = tree.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
        Path img = dir.resolve(kind.name().toLowerCase() + "-ffs.img");
        DiskTools.run(null, makefs, "-t", "ffs", "-B", endian, "-s", String.valueOf(FS_SECTORS * SECTOR),
                "-o", "version=" + version, img.toString(), tree.toString());
        return img;
    }

    private static void sfdisk(Path disk, String partitions) throws Exception {
        String sfdisk = DiskTools.require("sfdisk", "fdisk");
        DiskTools.run("label: dos\nunit: sectors\n\n" + partitions, sfdisk, "-q", disk.toString());
    }
}
