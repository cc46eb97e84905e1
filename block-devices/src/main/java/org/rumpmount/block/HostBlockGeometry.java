package org.rumpmount.block;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Size, logical sector size and read-only flag of a host (Linux) block device, read from sysfs.
 *
 * <p>Why sysfs: {@code fstat} reports size 0 for a block device, and so does
 * {@code FileChannel.size()} on JDKs that do not ask the kernel with {@code BLKGETSIZE64}; the
 * logical sector size is known only to the kernel's request queue. sysfs answers both without
 * native code: {@code /sys/dev/block/MAJ:MIN/size} counts 512-byte units whatever the sector size,
 * and {@code queue/logical_block_size} lives in the directory of the whole disk, which for a
 * partition is the parent of the partition's directory. The kernel's read-only flag ({@code ro},
 * set by {@code blockdev --setro} or {@code losetup --read-only}) matters because opening such a
 * device for writing succeeds and only each write then fails.
 *
 * @param size       the device size in bytes
 * @param sectorSize the logical sector size in bytes (a power of two)
 * @param readOnly   whether the kernel refuses writes to the device
 */
record HostBlockGeometry(long size, int sectorSize, boolean readOnly) {

    /** Where sysfs is mounted on a normal Linux host. */
    static final Path SYSFS = Path.of("/sys");

    /** sysfs reports sizes in these units, independent of the device's sector size. */
    private static final int SYSFS_SIZE_UNIT = 512;

    /**
     * Reads the geometry of the block device numbered {@code rdev} (a Linux {@code dev_t}) from the
     * sysfs tree at {@code sysfs}; {@code device} names the device node in messages.
     */
    static HostBlockGeometry read(Path sysfs, Path device, long rdev) throws IOException {
        Path dir = sysfs.resolve("dev/block/" + major(rdev) + ":" + minor(rdev));
        if (!Files.isDirectory(dir)) {
            throw new BlockDeviceException(BlockDeviceException.Kind.IO_ERROR, device + ": cannot find its size: "
                    + dir + " does not exist (is sysfs mounted?)");
        }
        long units = readNumber(device, dir.resolve("size"));
        if (units > Long.MAX_VALUE / SYSFS_SIZE_UNIT) {
            throw new BlockDeviceException(BlockDeviceException.Kind.IO_ERROR, device + ": size of " + units
                    + " sectors in " + dir.resolve("size") + " overflows");
        }
        Path lbs = dir.resolve("queue/logical_block_size");
        if (!Files.exists(lbs)) {
            // A partition has no queue of its own; its disk's directory holds it.
            lbs = dir.toRealPath().getParent().resolve("queue/logical_block_size");
        }
        long sector = readNumber(device, lbs);
        if (sector <= 0 || sector > (1 << 20) || Long.bitCount(sector) != 1) {
            throw new BlockDeviceException(BlockDeviceException.Kind.IO_ERROR, device + ": logical block size "
                    + sector + " in " + lbs + " is not a power of two up to 1 MiB");
        }
        Path ro = dir.resolve("ro");
        boolean readOnly = Files.exists(ro) && readNumber(device, ro) != 0;
        return new HostBlockGeometry(units * SYSFS_SIZE_UNIT, (int) sector, readOnly);
    }

    /** The major number of a Linux {@code dev_t}, as glibc's {@code gnu_dev_major} computes it. */
    static long major(long dev) {
        return ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & 0xfffff000L);
    }

    /** The minor number of a Linux {@code dev_t}, as glibc's {@code gnu_dev_minor} computes it. */
    static long minor(long dev) {
        return (dev & 0xffL) | ((dev >>> 12) & 0xffffff00L);
    }

    private static long readNumber(Path device, Path file) throws BlockDeviceException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new BlockDeviceException(BlockDeviceException.Kind.IO_ERROR, device + ": cannot read " + file
                    + ": " + e, e);
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BlockDeviceException(BlockDeviceException.Kind.IO_ERROR, device + ": " + file
                    + " holds \"" + text + "\", not a number", e);
        }
    }
}
