package org.rumpmount.vfs;

/** Access modes for permission checks (NetBSD's VREAD, VWRITE, VEXEC, VAPPEND as bits). */
public final class Access {
    private Access() {
    }

    public static final int VEXEC = 1;
    public static final int VWRITE = 2;
    public static final int VREAD = 4;
    /** Write at end only (O_APPEND); satisfied by write permission. */
    public static final int VAPPEND = 8;
}
