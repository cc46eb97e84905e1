package org.rumpmount.vfs;

/**
 * Vnode attributes, as NetBSD's struct vattr: what getattr reports and what setattr changes.
 *
 * <p>A plain record of fields, deliberately mutable like its C original: getattr fills every field;
 * for setattr, fields left at {@link #VNOVAL} (numbers) or {@code null} (type, times) are not
 * changed. {@link #forSetattr()} starts with every field unset.
 *
 * <p>Ids are unsigned 32-bit values held in longs (0..4294967295), so uid 4294967294 is just a
 * number. {@code mode} holds only the permission bits (07777); the file type is {@link #type}.
 */
public final class Vattr {
    /** "No value": a field setattr must leave alone. */
    public static final long VNOVAL = -1;

    /** vaflags: the caller asked for "now" (utimes(path, NULL)), so write permission suffices. */
    public static final int VA_UTIMES_NULL = 0x01;

    public VType type;
    public int mode = (int) VNOVAL;
    public long nlink = VNOVAL;
    public long uid = VNOVAL;
    public long gid = VNOVAL;
    public long fsid = VNOVAL;
    public long fileid = VNOVAL;
    public long size = VNOVAL;
    public long blocksize = VNOVAL;
    public Timespec atime;
    public Timespec mtime;
    public Timespec ctime;
    public Timespec birthtime;
    public long gen = VNOVAL;
    /** File flags (chflags(2): UF_* and SF_* bits). */
    public long flags = VNOVAL;
    /** Device number in Linux's encoding (major, minor via {@link DeviceNumbers}). */
    public long rdev = VNOVAL;
    /** Bytes of storage held, including indirect blocks. */
    public long bytes = VNOVAL;
    public int vaflags;

    /** A Vattr with every field unset, for setattr. */
    public static Vattr forSetattr() {
        return new Vattr();
    }

    /** The mode with its type bits, as st_mode. */
    public int statMode() {
        return (type == null ? 0 : type.ifmt()) | (mode & 07777);
    }

    public Vattr copy() {
        Vattr v = new Vattr();
        v.type = type;
        v.mode = mode;
        v.nlink = nlink;
        v.uid = uid;
        v.gid = gid;
        v.fsid = fsid;
        v.fileid = fileid;
        v.size = size;
        v.blocksize = blocksize;
        v.atime = atime;
        v.mtime = mtime;
        v.ctime = ctime;
        v.birthtime = birthtime;
        v.gen = gen;
        v.flags = flags;
        v.rdev = rdev;
        v.bytes = bytes;
        v.vaflags = vaflags;
        return v;
    }

    @Override
    public String toString() {
        return "Vattr{type=" + type + ", mode=0" + Integer.toOctalString(mode) + ", nlink=" + nlink
                + ", uid=" + uid + ", gid=" + gid + ", fileid=" + fileid + ", size=" + size
                + ", bytes=" + bytes + ", atime=" + atime + ", mtime=" + mtime + ", ctime=" + ctime
                + ", birthtime=" + birthtime + ", gen=" + gen + ", flags=0x" + Long.toHexString(flags)
                + ", rdev=" + rdev + "}";
    }
}
