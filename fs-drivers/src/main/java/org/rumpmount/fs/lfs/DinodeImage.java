package org.rumpmount.fs.lfs;

import java.nio.ByteBuffer;

/**
 * A dinode being changed: the on-disk bytes (struct lfs32_dinode / lfs64_dinode) in the file
 * system's byte order, with setters at the offsets {@link Dinode} reads from. Keeping the bytes
 * rather than fields means the fields the driver does not model (modrev, extended attribute
 * pointers, spares) survive a rewrite unchanged.
 */
final class DinodeImage {
    private final LfsLayout l;
    private final ByteBuffer b;

    DinodeImage(LfsLayout l, ByteBuffer src, int off) {
        this.l = l;
        byte[] raw = new byte[l.dinodeSize()];
        src.duplicate().position(off).get(raw);
        this.b = ByteBuffer.wrap(raw).order(l.order());
    }

    /** A zeroed dinode for inode {@code ino}. */
    static DinodeImage fresh(LfsLayout l, long ino) {
        DinodeImage d = new DinodeImage(l, ByteBuffer.allocate(l.dinodeSize()), 0);
        d.setInumber(ino);
        return d;
    }

    Dinode decode() {
        return Dinode.decode(l, b, 0);
    }

    /** Copies the bytes to {@code dst} at {@code off}. */
    void encode(ByteBuffer dst, int off) {
        dst.duplicate().position(off).put(b.duplicate().clear());
    }

    void setMode(int mode) {
        b.putShort(0, (short) mode);
    }

    void setNlink(int n) {
        b.putShort(2, (short) n);
    }

    void setInumber(long ino) {
        if (l.is64()) {
            b.putLong(240, ino);
        } else {
            b.putInt(4, (int) ino);
        }
    }

    void setSize(long size) {
        b.putLong(l.is64() ? 16 : 8, size);
    }

    /** Fragments held, indirect blocks included. */
    void setBlocks(long frags) {
        if (l.is64()) {
            b.putLong(24, frags);
        } else {
            b.putInt(104, (int) frags);
        }
    }

    void setUid(long uid) {
        b.putInt(l.is64() ? 4 : 112, (int) uid);
    }

    void setGid(long gid) {
        b.putInt(l.is64() ? 8 : 116, (int) gid);
    }

    void setFlags(long flags) {
        b.putInt(l.is64() ? 88 : 100, (int) flags);
    }

    void setGen(long gen) {
        b.putInt(l.is64() ? 80 : 108, (int) gen);
    }

    void setAtime(long sec, int nsec) {
        if (l.is64()) {
            b.putLong(32, sec).putInt(68, nsec);
        } else {
            b.putInt(16, (int) sec).putInt(20, nsec);
        }
    }

    void setMtime(long sec, int nsec) {
        if (l.is64()) {
            b.putLong(40, sec).putInt(64, nsec);
        } else {
            b.putInt(24, (int) sec).putInt(28, nsec);
        }
    }

    void setCtime(long sec, int nsec) {
        if (l.is64()) {
            b.putLong(48, sec).putInt(72, nsec);
        } else {
            b.putInt(32, (int) sec).putInt(36, nsec);
        }
    }

    /** Birth time; a 32-bit dinode has no room for one and ignores it. */
    void setBirthtime(long sec, int nsec) {
        if (l.is64()) {
            b.putLong(56, sec).putInt(76, nsec);
        }
    }

    void setDb(int i, long daddr) {
        putAddr((l.is64() ? 112 : 40) + i * l.daddrSize(), daddr);
    }

    void setIb(int i, long daddr) {
        putAddr((l.is64() ? 208 : 88) + i * l.daddrSize(), daddr);
    }

    /** Overwrites the block-pointer area (fast symlink target or device number), zero-filled. */
    void setInlineArea(byte[] bytes) {
        int start = l.is64() ? 112 : 40;
        int cap = l.inlineSymlinkCapacity();
        if (bytes.length > cap) {
            throw new IllegalArgumentException(bytes.length + " bytes do not fit in the " + cap + "-byte block-pointer area");
        }
        for (int i = 0; i < cap; i++) {
            b.put(start + i, i < bytes.length ? bytes[i] : 0);
        }
    }

    private void putAddr(int off, long daddr) {
        if (l.is64()) {
            b.putLong(off, daddr);
        } else {
            b.putInt(off, (int) daddr);
        }
    }
}
