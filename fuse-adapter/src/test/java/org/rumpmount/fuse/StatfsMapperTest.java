package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.StatVfs;
import ru.serce.jnrfuse.struct.Statvfs;

class StatfsMapperTest {
    @Test
    void everyFieldLandsWhereGlibcReadsIt() {
        Pointer mem = Runtime.getSystemRuntime().getMemoryManager().allocateDirect(128, true);
        Statvfs st = Statvfs.of(mem);
        StatfsMapper.fill(new StatVfs(16384, 2048, 1_000_001, 500_002, 400_003, 70_004, 60_005, 50_006,
                0x1234_5678L, 255, true), st);
        assertEquals(16384, st.f_bsize.longValue());
        assertEquals(2048, st.f_frsize.longValue());
        assertEquals(1_000_001, st.f_blocks.longValue());
        assertEquals(500_002, st.f_bfree.longValue());
        assertEquals(400_003, st.f_bavail.longValue());
        assertEquals(70_004, st.f_files.longValue());
        assertEquals(60_005, st.f_ffree.longValue());
        assertEquals(50_006, st.f_favail.longValue());
        assertEquals(0x1234_5678L, st.f_fsid.longValue());
        assertEquals(StatfsMapper.ST_RDONLY, st.f_flag.longValue());
        assertEquals(255, st.f_namemax.longValue());
        if (System.getProperty("os.arch").matches("amd64|x86_64")) {
            // struct statvfs on x86-64 glibc: eight 8-byte counts, then fsid, flag, namemax.
            long[] want = {16384, 2048, 1_000_001, 500_002, 400_003, 70_004, 60_005, 50_006, 0x1234_5678L, 1, 255};
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], mem.getLong(i * 8L), "field at offset " + i * 8);
            }
        }
    }

    @Test
    void readWriteHasNoReadOnlyFlag() {
        Pointer mem = Runtime.getSystemRuntime().getMemoryManager().allocateDirect(128, true);
        Statvfs st = Statvfs.of(mem);
        StatfsMapper.fill(new StatVfs(4096, 4096, 1, 1, 1, 1, 1, 1, 1, 255, false), st);
        assertEquals(0, st.f_flag.longValue());
    }
}
