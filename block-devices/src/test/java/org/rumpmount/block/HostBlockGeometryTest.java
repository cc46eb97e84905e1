package org.rumpmount.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a host block device's size and sector size from sysfs. */
final class HostBlockGeometryTest {
    @TempDir
    Path sysfs;

    /** glibc's makedev: the inverse of the decoding under test. */
    static long makedev(long major, long minor) {
        return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    }

    @Test
    void decodesMajorAndMinorOfLinuxDeviceNumbers() {
        assertEquals(1792, makedev(7, 0), "/dev/loop0 as stat reports it");
        long[][] cases = {{7, 0}, {8, 1}, {259, 65540}, {4096, 256}, {0xfffff, 0xfffff}, {254, 0}};
        for (long[] c : cases) {
            long dev = makedev(c[0], c[1]);
            assertEquals(c[0], HostBlockGeometry.major(dev), "major of " + c[0] + ":" + c[1]);
            assertEquals(c[1], HostBlockGeometry.minor(dev), "minor of " + c[0] + ":" + c[1]);
        }
    }

    @Test
    void readsSizeInSysfsUnitsOf512BytesAndTheLogicalBlockSize() throws IOException {
        Path disk = Files.createDirectories(sysfs.resolve("dev/block/8:0/queue"));
        Files.writeString(disk.resolve("../size"), "2048\n");
        Files.writeString(disk.resolve("logical_block_size"), "4096\n");
        HostBlockGeometry g = HostBlockGeometry.read(sysfs, Path.of("/dev/sda"), makedev(8, 0));
        assertEquals(new HostBlockGeometry(1 << 20, 4096, false), g);
        Files.writeString(disk.resolve("../ro"), "1\n");
        assertTrue(HostBlockGeometry.read(sysfs, Path.of("/dev/sda"), makedev(8, 0)).readOnly());
    }

    @Test
    void aPartitionTakesItsSectorSizeFromItsDisk() throws IOException {
        Path sda = Files.createDirectories(sysfs.resolve("devices/pci/block/sda"));
        Files.createDirectories(sda.resolve("queue"));
        Files.writeString(sda.resolve("queue/logical_block_size"), "4096\n");
        Files.createDirectories(sda.resolve("sda1"));
        Files.writeString(sda.resolve("sda1/size"), "8\n");
        Files.writeString(sda.resolve("sda1/ro"), "0\n");
        Files.createDirectories(sysfs.resolve("dev/block"));
        Files.createSymbolicLink(sysfs.resolve("dev/block/8:1"), Path.of("../../devices/pci/block/sda/sda1"));
        assertEquals(new HostBlockGeometry(4096, 4096, false),
                HostBlockGeometry.read(sysfs, Path.of("/dev/sda1"), makedev(8, 1)));
    }

    @Test
    void badOrMissingSysfsEntriesGiveClearErrors() throws IOException {
        BlockDeviceException missing = assertThrows(BlockDeviceException.class,
                () -> HostBlockGeometry.read(sysfs, Path.of("/dev/vdz"), makedev(254, 9)));
        assertTrue(missing.getMessage().startsWith("/dev/vdz: cannot find its size: "), missing.getMessage());
        assertTrue(missing.getMessage().contains("dev/block/254:9 does not exist"), missing.getMessage());

        Path dir = Files.createDirectories(sysfs.resolve("dev/block/8:0/queue"));
        Files.writeString(dir.resolve("../size"), "lots\n");
        Files.writeString(dir.resolve("logical_block_size"), "512\n");
        BlockDeviceException garbage = assertThrows(BlockDeviceException.class,
                () -> HostBlockGeometry.read(sysfs, Path.of("/dev/sda"), makedev(8, 0)));
        assertTrue(garbage.getMessage().contains("holds \"lots\", not a number"), garbage.getMessage());

        Files.writeString(dir.resolve("../size"), "8\n");
        Files.writeString(dir.resolve("logical_block_size"), "520\n");
        BlockDeviceException odd = assertThrows(BlockDeviceException.class,
                () -> HostBlockGeometry.read(sysfs, Path.of("/dev/sda"), makedev(8, 0)));
        assertTrue(odd.getMessage().contains("logical block size 520"), odd.getMessage());
    }

    /** Cross-checks the real sysfs against /proc/partitions, which counts 1 KiB blocks. */
    @Test
    void agreesWithProcPartitionsOnThisHost() throws IOException {
        Path partitions = Path.of("/proc/partitions");
        assumeTrue(Files.isReadable(partitions) && Files.isDirectory(Path.of("/sys/dev/block")), "no Linux sysfs");
        List<String> lines = Files.readAllLines(partitions);
        int checked = 0;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 4 || !f[0].matches("\\d+")) {
                continue;
            }
            long dev = makedev(Long.parseLong(f[0]), Long.parseLong(f[1]));
            HostBlockGeometry g = HostBlockGeometry.read(HostBlockGeometry.SYSFS, Path.of("/dev", f[3]), dev);
            assertEquals(Long.parseLong(f[2]) * 1024, g.size(), f[3]);
            assertTrue(Integer.bitCount(g.sectorSize()) == 1 && g.sectorSize() >= 512, f[3] + " sector " + g.sectorSize());
            checked++;
        }
        assumeTrue(checked > 0, "no block devices listed");
        assertFalse(lines.isEmpty());
    }
}
