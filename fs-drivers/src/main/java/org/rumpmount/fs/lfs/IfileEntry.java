package org.rumpmount.fs.lfs;

import java.nio.ByteBuffer;

/**
 * One IFILE entry (struct ifile32 / struct ifile64): where inode {@code ino}'s latest copy lives
 * ({@code daddr}, 0 when the inode is free), its version, the free-list link and, in format
 * version 2, the access time that NetBSD reports instead of the dinode's.
 */
record IfileEntry(long version, long daddr, long nextfree, long atimeSec, int atimeNsec) {
    /** An unused inode's address (LFS_UNUSED_DADDR). */
    static final long UNUSED_DADDR = 0;

    static IfileEntry decode(LfsLayout l, ByteBuffer b, int off) {
        if (l.is64()) {
            return new IfileEntry(b.getInt(off) & 0xffffffffL, b.getLong(off + 16), b.getLong(off + 24),
                    b.getLong(off + 8), b.getInt(off + 4));
        }
        // The 32-bit seconds are copied into the signed 32-bit dinode field by the kernel,
        // so they read back signed.
        return new IfileEntry(b.getInt(off) & 0xffffffffL, b.getInt(off + 4), b.getInt(off + 8) & 0xffffffffL,
                b.getInt(off + 12), b.getInt(off + 16));
    }

    /** Writes this entry at byte {@code off} of {@code b} (in the file system's byte order). */
    void encode(LfsLayout l, ByteBuffer b, int off) {
        if (l.is64()) {
            b.putInt(off, (int) version).putInt(off + 4, atimeNsec).putLong(off + 8, atimeSec)
                    .putLong(off + 16, daddr).putLong(off + 24, nextfree);
        } else {
            b.putInt(off, (int) version).putInt(off + 4, (int) daddr).putInt(off + 8, (int) nextfree)
                    .putInt(off + 12, (int) atimeSec).putInt(off + 16, atimeNsec);
        }
    }

    IfileEntry withDaddr(long d) {
        return new IfileEntry(version, d, nextfree, atimeSec, atimeNsec);
    }

    boolean isAllocated() {
        return daddr != UNUSED_DADDR;
    }
}
