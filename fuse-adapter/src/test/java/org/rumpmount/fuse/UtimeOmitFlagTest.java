package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import org.junit.jupiter.api.Test;
import ru.serce.jnrfuse.struct.FuseOperations;

class UtimeOmitFlagTest {
    @Test
    void theFlagWordFollowsTheThirtyEightOperationPointers() {
        FuseOperations ops = new FuseOperations(Runtime.getSystemRuntime());
        long pointer = Runtime.getSystemRuntime().addressSize();
        assertEquals(38 * pointer, UtimeOmitFlag.wordOffset(ops));
        // libfuse 2.9's struct: 38 pointers, the word (padded to a pointer), then ioctl, poll,
        // write_buf, read_buf, flock and fallocate. jnr-fuse's struct must have the same size.
        assertEquals(38 * pointer + Math.max(4, pointer) + 6 * pointer, Struct.size(ops));
    }

    @Test
    void onlyTheThirdBitFieldIsSet() {
        FuseOperations ops = new FuseOperations(Runtime.getSystemRuntime());
        UtimeOmitFlag.set(ops);
        assertTrue(UtimeOmitFlag.isSet(ops));
        int word = Struct.getMemory(ops).getInt(UtimeOmitFlag.wordOffset(ops));
        int expected = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0b100 : 1 << 29;
        assertEquals(expected, word, "flag_nullpath_ok and flag_nopath must stay clear: paths are never null here");
    }

    @Test
    void everyAdapterSetsIt() throws Exception {
        try (org.rumpmount.vfs.Kernel k = org.rumpmount.vfs.Kernel.create()) {
            RumpFuseFs fs = new RumpFuseFs(new org.rumpmount.vfs.PathFacade(
                    k.mount("tmpfs", null, org.rumpmount.vfs.MountOptions.readWrite()), org.rumpmount.vfs.Credentials.ROOT));
            assertTrue(fs.utimeOmitOk());
        }
    }
}
