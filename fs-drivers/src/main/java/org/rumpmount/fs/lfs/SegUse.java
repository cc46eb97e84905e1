package org.rumpmount.fs.lfs;

import java.nio.ByteBuffer;

/** One segment usage table entry (struct segusage, 24 bytes in both widths). */
record SegUse(long nbytes, long olastmod, int nsums, int ninos, int flags, long lastmod) {
    static final int ACTIVE = 0x01;
    static final int DIRTY = 0x02;
    static final int SUPERBLOCK = 0x04;
    static final int ERROR = 0x08;
    static final int EMPTY = 0x10;
    static final int INVAL = 0x20;

    static SegUse decode(ByteBuffer b, int off) {
        return new SegUse(b.getInt(off) & 0xffffffffL, b.getInt(off + 4) & 0xffffffffL, b.getShort(off + 8) & 0xffff,
                b.getShort(off + 10) & 0xffff, b.getInt(off + 12), b.getLong(off + 16));
    }

    /** Writes this entry at byte {@code off} of {@code b} (in the file system's byte order). */
    void encode(ByteBuffer b, int off) {
        b.putInt(off, (int) nbytes).putInt(off + 4, (int) olastmod).putShort(off + 8, (short) nsums)
                .putShort(off + 10, (short) ninos).putInt(off + 12, flags).putLong(off + 16, lastmod);
    }

    /** This entry with EMPTY saying whether it claims no bytes (LFS_WRITESEGENTRY's rule). */
    SegUse withEmptyFlag() {
        int f = nbytes == 0 ? flags | EMPTY : flags & ~EMPTY;
        return f == flags ? this : new SegUse(nbytes, olastmod, nsums, ninos, f, lastmod);
    }

    boolean isDirty() {
        return (flags & DIRTY) != 0;
    }
}
