package org.rumpmount.vfs;

import java.util.Arrays;

/**
 * Who is asking: effective uid, gid and supplementary groups (kauth_cred_t in NetBSD).
 * uid 0 is the superuser. Ids are unsigned 32-bit values held in longs.
 */
public final class Credentials {
    public static final Credentials ROOT = new Credentials(0, 0);

    private final long uid;
    private final long gid;
    private final long[] groups;

    public Credentials(long uid, long gid, long... groups) {
        this.uid = uid;
        this.gid = gid;
        this.groups = groups.clone();
    }

    public long uid() {
        return uid;
    }

    public long gid() {
        return gid;
    }

    public long[] groups() {
        return groups.clone();
    }

    public boolean isRoot() {
        return uid == 0;
    }

    /** Whether {@code g} is the effective gid or one of the supplementary groups. */
    public boolean isMember(long g) {
        if (g == gid) {
            return true;
        }
        for (long x : groups) {
            if (x == g) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials c && c.uid == uid && c.gid == gid && Arrays.equals(c.groups, groups);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(uid) * 31 + Long.hashCode(gid);
    }

    @Override
    public String toString() {
        return "uid=" + uid + " gid=" + gid + (groups.length == 0 ? "" : " groups=" + Arrays.toString(groups));
    }
}
