package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.DeviceNumbers;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import ru.serce.jnrfuse.struct.FileStat;

/**
 * Every field of struct stat, one test each. The sample gives every field a different value so
 * that copying one field into another shows. Where the machine is x86-64 Linux the raw bytes are
 * also read at glibc's offsets, so a wrong struct layout in the binding would show too.
 */
class AttrMapperTest {
    private static final boolean AMD64 = System.getProperty("os.arch").matches("amd64|x86_64");

    private Pointer mem;
    private FileStat st;

    @BeforeEach
    void setUp() {
        mem = Runtime.getSystemRuntime().getMemoryManager().allocateDirect(256, true);
        st = FileStat.of(mem);
    }

    private static Vattr sample() {
        Vattr va = new Vattr();
        va.type = VType.VREG;
        va.mode = 04755;
        va.nlink = 3;
        va.uid = 4_294_967_294L;
        va.gid = 1234;
        va.fileid = 987_654_321_012L;
        va.size = 10_000;
        va.bytes = 12_288;
        va.blocksize = 8192;
        va.atime = new Timespec(1_000_000_001L, 111_111_111);
        va.mtime = new Timespec(2_000_000_002L, 222_222_222);
        va.ctime = new Timespec(3_000_000_003L, 333_333_333);
        va.birthtime = new Timespec(4_000_000_004L, 444_444_444);
        va.rdev = DeviceNumbers.linux(8, 17);
        return va;
    }

    private void fill(Vattr va) {
        AttrMapper.fill(va, st);
    }

    @Test
    void modeCarriesTypeBitsAndPermissions() {
        fill(sample());
        assertEquals(0104755, st.st_mode.intValue());
        if (AMD64) {
            assertEquals(0104755, mem.getInt(24));
        }
    }

    @Test
    void modeTypeBitsForEveryType() {
        int[][] cases = {
            {VType.VDIR.ordinal(), 0040755}, {VType.VLNK.ordinal(), 0120777}, {VType.VCHR.ordinal(), 0020620},
            {VType.VBLK.ordinal(), 0060660}, {VType.VFIFO.ordinal(), 0010644}, {VType.VSOCK.ordinal(), 0140755},
        };
        for (int[] c : cases) {
            Vattr va = sample();
            va.type = VType.values()[c[0]];
            va.mode = c[1] & 07777;
            fill(va);
            assertEquals(c[1], st.st_mode.intValue(), va.type.toString());
        }
    }

    @Test
    void nlink() {
        fill(sample());
        assertEquals(3, st.st_nlink.longValue());
        if (AMD64) {
            assertEquals(3, mem.getLong(16));
        }
    }

    @Test
    void uidKeepsAll32Bits() {
        fill(sample());
        assertEquals(4_294_967_294L, st.st_uid.longValue() & 0xffff_ffffL);
        if (AMD64) {
            assertEquals(0xffff_fffe, mem.getInt(28));
        }
    }

    @Test
    void gid() {
        fill(sample());
        assertEquals(1234, st.st_gid.longValue());
        if (AMD64) {
            assertEquals(1234, mem.getInt(32));
        }
    }

    @Test
    void size() {
        fill(sample());
        assertEquals(10_000, st.st_size.longValue());
        if (AMD64) {
            assertEquals(10_000, mem.getLong(48));
        }
    }

    @Test
    void blocksAreBytesIn512ByteUnits() {
        fill(sample());
        assertEquals(24, st.st_blocks.longValue());
        if (AMD64) {
            assertEquals(24, mem.getLong(64));
        }
    }

    @Test
    void blocksRoundUp() {
        assertEquals(0, AttrMapper.blocks(0));
        assertEquals(1, AttrMapper.blocks(1));
        assertEquals(1, AttrMapper.blocks(512));
        assertEquals(2, AttrMapper.blocks(513));
        assertEquals(0, AttrMapper.blocks(Vattr.VNOVAL));
    }

    @Test
    void blksize() {
        fill(sample());
        assertEquals(8192, st.st_blksize.longValue());
        if (AMD64) {
            assertEquals(8192, mem.getLong(56));
        }
    }

    @Test
    void atimeWithNanoseconds() {
        fill(sample());
        assertEquals(1_000_000_001L, st.st_atim.tv_sec.get());
        assertEquals(111_111_111, st.st_atim.tv_nsec.longValue());
        if (AMD64) {
            assertEquals(1_000_000_001L, mem.getLong(72));
            assertEquals(111_111_111, mem.getLong(80));
        }
    }

    @Test
    void mtimeWithNanoseconds() {
        fill(sample());
        assertEquals(2_000_000_002L, st.st_mtim.tv_sec.get());
        assertEquals(222_222_222, st.st_mtim.tv_nsec.longValue());
        if (AMD64) {
            assertEquals(2_000_000_002L, mem.getLong(88));
            assertEquals(222_222_222, mem.getLong(96));
        }
    }

    @Test
    void ctimeWithNanoseconds() {
        fill(sample());
        assertEquals(3_000_000_003L, st.st_ctim.tv_sec.get());
        assertEquals(333_333_333, st.st_ctim.tv_nsec.longValue());
        if (AMD64) {
            assertEquals(3_000_000_003L, mem.getLong(104));
            assertEquals(333_333_333, mem.getLong(112));
        }
    }

    @Test
    void rdevInLinuxEncoding() {
        fill(sample());
        assertEquals(DeviceNumbers.linux(8, 17), st.st_rdev.longValue());
        assertEquals(0x811, st.st_rdev.longValue());
        if (AMD64) {
            assertEquals(0x811, mem.getLong(40));
        }
    }

    @Test
    void inoIsTheFileId() {
        fill(sample());
        assertEquals(987_654_321_012L, st.st_ino.longValue());
        if (AMD64) {
            assertEquals(987_654_321_012L, mem.getLong(8));
        }
    }

    @Test
    void unsetFieldsBecomeZeroAndBlksizeADefault() {
        Vattr va = new Vattr();
        va.type = VType.VREG;
        va.mode = 0600;
        mem.setMemory(0, 256, (byte) 0x5a);
        fill(va);
        assertEquals(0100600, st.st_mode.intValue());
        assertEquals(0, st.st_nlink.longValue());
        assertEquals(0, st.st_uid.longValue());
        assertEquals(0, st.st_gid.longValue());
        assertEquals(0, st.st_size.longValue());
        assertEquals(0, st.st_blocks.longValue());
        assertEquals(AttrMapper.DEFAULT_BLKSIZE, st.st_blksize.longValue());
        assertEquals(0, st.st_ino.longValue());
        assertEquals(0, st.st_rdev.longValue());
        assertEquals(0, st.st_atim.tv_sec.get());
        assertEquals(0, st.st_mtim.tv_nsec.longValue());
        assertEquals(0, st.st_ctim.tv_sec.get());
    }
}
