package org.rumpmount.fuse;

import java.nio.ByteOrder;
import jnr.ffi.Pointer;
import jnr.ffi.Struct;
import ru.serce.jnrfuse.struct.FuseOperations;

/**
 * Sets {@code flag_utime_omit_ok} in libfuse 2's {@code struct fuse_operations}, which jnr-fuse
 * declares but never sets.
 *
 * <p>Without the flag, libfuse 2.9 calls utimens only when the kernel sets both times at once:
 * a setattr that carries one time alone (touch -m, touch -a, tar extracting a file, which leaves
 * atime as UTIME_OMIT) is answered with success and dropped. With it, libfuse passes the omitted
 * time as UTIME_OMIT and a time to set to now as UTIME_NOW, which {@link Utimes} understands.
 *
 * <p>The flags are C bit-fields sharing one {@code unsigned int} after the {@code bmap} pointer:
 * flag_nullpath_ok, flag_nopath, flag_utime_omit_ok, flag_reserved:29, right after the 38
 * operation pointers getattr .. bmap (jnr-fuse maps the word as four padding bytes and hides their
 * offsets). The third bit-field is bit 2 of that word (allocated from the low end on
 * little-endian ABIs, from the high end on big-endian ones).
 */
final class UtimeOmitFlag {
    /** getattr, readlink, getdir, ..., utimens, bmap: the pointers before the flag word. */
    static final int POINTERS_BEFORE_FLAGS = 38;

    private UtimeOmitFlag() {
    }

    /** Where the flag word starts in the struct. */
    static long wordOffset(FuseOperations ops) {
        return (long) POINTERS_BEFORE_FLAGS * ops.getRuntime().addressSize();
    }

    /** The byte offset in the flag word and the bit in that byte that hold flag_utime_omit_ok. */
    static int byteInWord(ByteOrder order) {
        return order == ByteOrder.LITTLE_ENDIAN ? 0 : 3;
    }

    static int bitMask(ByteOrder order) {
        return order == ByteOrder.LITTLE_ENDIAN ? 1 << 2 : 1 << 5;
    }

    /** Sets the flag in {@code ops}, leaving the other flags as they are. */
    static void set(FuseOperations ops) {
        ByteOrder order = ByteOrder.nativeOrder();
        Pointer mem = Struct.getMemory(ops);
        long at = wordOffset(ops) + byteInWord(order);
        mem.putByte(at, (byte) (mem.getByte(at) | bitMask(order)));
    }

    /** Whether the flag is set in {@code ops}. */
    static boolean isSet(FuseOperations ops) {
        ByteOrder order = ByteOrder.nativeOrder();
        Pointer mem = Struct.getMemory(ops);
        return (mem.getByte(wordOffset(ops) + byteInWord(order)) & bitMask(order)) != 0;
    }
}
