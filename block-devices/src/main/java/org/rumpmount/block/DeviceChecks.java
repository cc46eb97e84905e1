package org.rumpmount.block;

import static org.rumpmount.block.BlockDeviceException.Kind.MISALIGNED;
import static org.rumpmount.block.BlockDeviceException.Kind.OUT_OF_BOUNDS;
import static org.rumpmount.block.BlockDeviceException.Kind.READ_ONLY;

/** The range, alignment and read-only checks every device applies before a transfer. */
final class DeviceChecks {
    private DeviceChecks() {
    }

    static void checkRead(BlockDevice dev, long offset, int length) throws BlockDeviceException {
        checkRange(dev, "read", offset, length);
    }

    static void checkWrite(BlockDevice dev, long offset, int length) throws BlockDeviceException {
        if (dev.isReadOnly()) {
            throw new BlockDeviceException(READ_ONLY, dev.name() + ": write of " + length + " bytes at offset "
                    + offset + " refused: device is read-only");
        }
        checkRange(dev, "write", offset, length);
    }

    private static void checkRange(BlockDevice dev, String op, long offset, int length) throws BlockDeviceException {
        long size = dev.size();
        if (offset < 0 || offset > size || length > size - offset) {
            throw new BlockDeviceException(OUT_OF_BOUNDS, dev.name() + ": " + op + " of " + length
                    + " bytes at offset " + offset + " is outside the device (size " + size + ")");
        }
        if (dev.requiresAlignment()) {
            int s = dev.sectorSize();
            if (offset % s != 0 || length % s != 0) {
                throw new BlockDeviceException(MISALIGNED, dev.name() + ": " + op + " of " + length
                        + " bytes at offset " + offset + " is not aligned to the sector size " + s);
            }
        }
    }
}
