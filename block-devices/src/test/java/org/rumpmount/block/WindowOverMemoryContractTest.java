package org.rumpmount.block;

import java.io.IOException;

/**
 * The contract for a window in the middle of a larger memory device, whose bytes around the
 * window hold other data; read-only is asked of the window, the parent stays writable.
 */
final class WindowOverMemoryContractTest extends BlockDeviceContract {
    static final int BEFORE = 3 * 512;
    static final int AFTER = 5 * 512;

    @Override
    protected BlockDevice open(byte[] contents, boolean readOnly) throws IOException {
        byte[] disk = pattern(BEFORE + contents.length + AFTER, 99);
        System.arraycopy(contents, 0, disk, BEFORE, contents.length);
        MemoryBlockDevice parent = track(MemoryBlockDevice.of(disk, 512, false, false));
        return WindowBlockDevice.of(parent, BEFORE, contents.length, readOnly);
    }
}
