package org.rumpmount.fuse;

import org.rumpmount.vfs.StatVfs;
import ru.serce.jnrfuse.struct.Statvfs;

/** File system statistics into a Linux {@code struct statvfs}, field by field. */
final class StatfsMapper {
    /** statvfs f_flag: mounted read-only. */
    static final long ST_RDONLY = 1;

    private StatfsMapper() {
    }

    static void fill(StatVfs s, Statvfs st) {
        st.f_bsize.set(s.blockSize());
        st.f_frsize.set(s.fragmentSize());
        st.f_blocks.set(s.blocks());
        st.f_bfree.set(s.blocksFree());
        st.f_bavail.set(s.blocksAvailable());
        st.f_files.set(s.files());
        st.f_ffree.set(s.filesFree());
        st.f_favail.set(s.filesAvailable());
        st.f_fsid.set(s.fsid());
        st.f_flag.set(s.readOnly() ? ST_RDONLY : 0);
        st.f_namemax.set(s.nameMax());
    }
}
