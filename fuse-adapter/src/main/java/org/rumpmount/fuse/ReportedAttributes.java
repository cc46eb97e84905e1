package org.rumpmount.fuse;

import ru.serce.jnrfuse.struct.FileStat;

/**
 * The mount options {@code uid=}, {@code gid=} and {@code umask=}, as vfat, ntfs-3g and libfuse's
 * own options of those names apply them: every file is reported as owned by {@code uid} and
 * {@code gid}, and with its permission bits (set-id and sticky bits included) masked by
 * {@code umask}. The file system itself is not changed.
 *
 * <p>Permission checks then follow what is reported: with these options the Linux kernel makes
 * every check ({@code default_permissions}, which they require) on the reported attributes, and
 * requests run in the rump kernel with full privileges, since its own checks would use the
 * stored owners and modes and refuse what the host has just allowed. New files are still
 * stored as owned by the user who made them. {@link #NONE} reports attributes as stored.
 */
final class ReportedAttributes {
    /** No override: owners and modes as the file system stores them. */
    static final ReportedAttributes NONE = new ReportedAttributes(-1, -1, 0);

    private final long uid;
    private final long gid;
    private final int umask;

    /** {@code uid} and {@code gid}: -1 for "as stored"; {@code umask}: bits to clear, 0 for none. */
    ReportedAttributes(long uid, long gid, int umask) {
        if (uid < -1 || uid > 0xffff_fffeL) {
            throw new IllegalArgumentException("uid " + uid + " is outside 0..4294967294");
        }
        if (gid < -1 || gid > 0xffff_fffeL) {
            throw new IllegalArgumentException("gid " + gid + " is outside 0..4294967294");
        }
        if (umask < 0 || umask > 07777) {
            throw new IllegalArgumentException("umask 0" + Integer.toOctalString(umask) + " is outside 0..07777");
        }
        this.uid = uid;
        this.gid = gid;
        this.umask = umask;
    }

    /** Whether anything is reported other than stored. */
    boolean overrides() {
        return uid >= 0 || gid >= 0 || umask != 0;
    }

    /** Rewrites the owner and mode of a filled {@code struct stat}. */
    void apply(FileStat st) {
        if (uid >= 0) {
            st.st_uid.set(uid);
        }
        if (gid >= 0) {
            st.st_gid.set(gid);
        }
        if (umask != 0) {
            st.st_mode.set(st.st_mode.intValue() & ~umask);
        }
    }

    @Override
    public String toString() {
        return overrides() ? "uid=" + uid + ",gid=" + gid + ",umask=0" + Integer.toOctalString(umask) : "as stored";
    }
}
