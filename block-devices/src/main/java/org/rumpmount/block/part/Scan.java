package org.rumpmount.block.part;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rumpmount.block.BlockDevice;

/** What every table reader shares while one device is scanned: the device, its sector size, and the warnings so far. */
final class Scan {
    final BlockDevice device;
    final int sectorSize;
    final long sectors;
    final List<String> warnings;

    Scan(BlockDevice device, int sectorSize) {
        this(device, sectorSize, new ArrayList<>());
    }

    private Scan(BlockDevice device, int sectorSize, List<String> warnings) {
        this.device = device;
        this.sectorSize = sectorSize;
        this.sectors = device.size() / sectorSize;
        this.warnings = warnings;
    }

    /** The same scan counting in sectors of {@code size} bytes, sharing its warnings. */
    Scan withSectorSize(int size) {
        return size == sectorSize ? this : new Scan(device, size, warnings);
    }

    /** The device's name, for messages. */
    String name() {
        return device.name();
    }

    void warn(String message) {
        warnings.add(name() + ": " + message);
    }

    /** Whether {@code length} bytes at {@code offset} lie inside the device. */
    boolean fits(long offset, long length) {
        return offset >= 0 && length >= 0 && offset <= device.size() && length <= device.size() - offset;
    }

    /**
     * Reads {@code length} bytes at {@code offset} for the structure {@code what}; a range outside
     * the device or a failed read is a {@link PartitionTableException} naming that structure.
     */
    ByteBuffer read(long offset, int length, String what) throws PartitionTableException {
        if (!fits(offset, length)) {
            throw new PartitionTableException(name() + ": " + what + " (" + length + " bytes at offset " + offset
                    + ") lies outside the device (size " + device.size() + ")");
        }
        // A device that demands aligned transfers (a raw disk opened for direct access) is read in
        // whole device sectors around the wanted bytes.
        long start = offset;
        long end = offset + length;
        if (device.requiresAlignment()) {
            int s = device.sectorSize();
            start = Math.floorDiv(offset, s) * s;
            end = Math.min(device.size(), (end + s - 1) / s * s);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) (end - start));
        try {
            device.read(start, buf);
        } catch (IOException e) {
            throw new PartitionTableException(name() + ": reading the " + what + " (" + length + " bytes at offset "
                    + offset + ") failed: " + e.getMessage(), e);
        }
        return buf.position((int) (offset - start)).limit((int) (offset - start) + length).slice();
    }
}
