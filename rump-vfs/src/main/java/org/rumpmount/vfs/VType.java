package org.rumpmount.vfs;

/** Vnode types, as NetBSD's enum vtype, with the S_IFMT bits of each. */
public enum VType {
    VNON(0),
    VREG(0100000),
    VDIR(0040000),
    VBLK(0060000),
    VCHR(0020000),
    VLNK(0120000),
    VSOCK(0140000),
    VFIFO(0010000),
    VBAD(0);

    /** The mask of the file-type bits in a mode. */
    public static final int S_IFMT = 0170000;

    private final int ifmt;

    VType(int ifmt) {
        this.ifmt = ifmt;
    }

    /** The S_IFMT bits of this type (0 for VNON and VBAD). */
    public int ifmt() {
        return ifmt;
    }

    /** The type whose S_IFMT bits {@code mode} carries; VBAD for none. */
    public static VType ofMode(int mode) {
        int f = mode & S_IFMT;
        for (VType t : values()) {
            if (t.ifmt == f && t.ifmt != 0) {
                return t;
            }
        }
        return VBAD;
    }
}
