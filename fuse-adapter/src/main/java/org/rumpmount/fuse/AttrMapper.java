package org.rumpmount.fuse;

import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.Vattr;
import ru.serce.jnrfuse.struct.FileStat;

/**
 * Vnode attributes into a Linux {@code struct stat}, field by field. Each field is copied on
 * its own line on purpose: a mix-up between two fields of the same type (atime for mtime) is the
 * classic bug of this boundary, and every field has its own test.
 *
 * <p>A field the driver left unset ({@link Vattr#VNOVAL} or null) becomes 0, except the block
 * size, which becomes {@link #DEFAULT_BLKSIZE}: programs size their buffers by st_blksize and
 * some misbehave on 0.
 */
final class AttrMapper {
    /** st_blocks counts 512-byte units whatever the file system's block size. */
    static final int STAT_BLOCK = 512;
    /** st_blksize when the driver gives none. */
    static final long DEFAULT_BLKSIZE = 4096;

    private AttrMapper() {
    }

    /** Fills every field of {@code st} from {@code va}. */
    static void fill(Vattr va, FileStat st) {
        st.st_mode.set(va.statMode());
        st.st_nlink.set(orZero(va.nlink));
        st.st_uid.set(orZero(va.uid));
        st.st_gid.set(orZero(va.gid));
        st.st_size.set(orZero(va.size));
        st.st_blocks.set(blocks(va.bytes));
        st.st_blksize.set(va.blocksize > 0 ? va.blocksize : DEFAULT_BLKSIZE);
        st.st_ino.set(orZero(va.fileid));
        st.st_rdev.set(orZero(va.rdev));
        setTime(st.st_atim, va.atime);
        setTime(st.st_mtim, va.mtime);
        setTime(st.st_ctim, va.ctime);
    }

    /** Storage held, in 512-byte units, rounded up. */
    static long blocks(long bytes) {
        return bytes <= 0 ? 0 : (bytes + STAT_BLOCK - 1) / STAT_BLOCK;
    }

    private static void setTime(ru.serce.jnrfuse.struct.Timespec dst, Timespec t) {
        dst.tv_sec.set(t == null ? 0 : t.sec());
        dst.tv_nsec.set(t == null ? 0 : t.nsec());
    }

    private static long orZero(long v) {
        return v == Vattr.VNOVAL ? 0 : v;
    }
}
