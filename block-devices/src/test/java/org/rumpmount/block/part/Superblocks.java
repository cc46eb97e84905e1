package org.rumpmount.block.part;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.rumpmount.block.BlockDevice;

/**
 * Finds an FFS superblock the way NetBSD's ffs_mountfs tries its locations (SBLOCKSEARCH: 64 KiB for
 * UFS2, 8 KiB for UFS1, ...), by the magic at byte 1372 of the superblock in either byte order.
 */
final class Superblocks {
    static final int UFS1_MAGIC = 0x011954;
    static final int UFS2_MAGIC = 0x19540119;
    private static final int MAGIC_OFFSET = 1372;
    private static final long[] LOCATIONS = {65536, 8192, 0, 262144};

    record Found(long offset, int magic, ByteOrder order) {
    }

    private Superblocks() {
    }

    static Found find(BlockDevice dev) throws IOException {
        for (long at : LOCATIONS) {
            if (at + MAGIC_OFFSET + 4 > dev.size()) {
                continue;
            }
            ByteBuffer b = ByteBuffer.allocate(4);
            dev.read(at + MAGIC_OFFSET, b);
            for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                int magic = b.order(order).getInt(0);
                if (magic == UFS1_MAGIC || magic == UFS2_MAGIC) {
                    return new Found(at, magic, order);
                }
            }
        }
        throw new AssertionError("no FFS superblock magic in " + dev.name());
    }

    static byte[] bytes(BlockDevice dev, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        dev.read(offset, b);
        return b.array();
    }
}
