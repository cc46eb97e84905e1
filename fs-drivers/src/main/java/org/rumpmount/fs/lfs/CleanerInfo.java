package org.rumpmount.fs.lfs;

import java.nio.ByteBuffer;

/** The IFILE's first block: the kernel's summary for the cleaner (CLEANERINFO32 / CLEANERINFO64). */
record CleanerInfo(long clean, long dirty, long bfree, long avail, long freeHead, long freeTail, int flags) {

    static CleanerInfo decode(LfsLayout l, ByteBuffer b, int off) {
        long clean = b.getInt(off) & 0xffffffffL;
        long dirty = b.getInt(off + 4) & 0xffffffffL;
        if (l.is64()) {
            return new CleanerInfo(clean, dirty, b.getLong(off + 8), b.getLong(off + 16), b.getLong(off + 24),
                    b.getLong(off + 32), b.getInt(off + 40));
        }
        return new CleanerInfo(clean, dirty, b.getInt(off + 8), b.getInt(off + 12), b.getInt(off + 16) & 0xffffffffL,
                b.getInt(off + 20) & 0xffffffffL, b.getInt(off + 24));
    }

    /** Writes this summary at byte {@code off} of {@code b} (in the file system's byte order). */
    void encode(LfsLayout l, ByteBuffer b, int off) {
        b.putInt(off, (int) clean).putInt(off + 4, (int) dirty);
        if (l.is64()) {
            b.putLong(off + 8, bfree).putLong(off + 16, avail).putLong(off + 24, freeHead).putLong(off + 32, freeTail)
                    .putInt(off + 40, flags);
        } else {
            b.putInt(off + 8, (int) bfree).putInt(off + 12, (int) avail).putInt(off + 16, (int) freeHead)
                    .putInt(off + 20, (int) freeTail).putInt(off + 24, flags);
        }
    }
}
