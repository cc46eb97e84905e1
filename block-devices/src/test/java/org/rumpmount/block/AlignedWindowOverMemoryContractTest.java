package org.rumpmount.block;

import java.io.IOException;

/** The contract for a window of a memory device that demands 4 KiB-aligned transfers; read-only comes from the parent. */
final class AlignedWindowOverMemoryContractTest extends BlockDeviceContract {
    static final int BEFORE = 2 * 4096;
    static final int AFTER = 4096;

    @Override
    protected BlockDevice open(byte[] contents, boolean readOnly) throws IOException {
        byte[] disk = pattern(BEFORE + contents.length + AFTER, 98);
        System.arraycopy(contents, 0, disk, BEFORE, contents.length);
        MemoryBlockDevice parent = track(MemoryBlockDevice.of(disk, 4096, true, readOnly));
        return WindowBlockDevice.of(parent, BEFORE, contents.length);
    }
}
