package org.rumpmount.vfs;

/** Open flags in Linux's numbering, as open(2) and FUSE pass them. */
public final class OpenFlags {
    private OpenFlags() {
    }

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_ACCMODE = 3;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_DSYNC = 010000;
    public static final int O_SYNC = 04010000;

    public static boolean readable(int flags) {
        int a = flags & O_ACCMODE;
        return a == O_RDONLY || a == O_RDWR;
    }

    public static boolean writable(int flags) {
        int a = flags & O_ACCMODE;
        return a == O_WRONLY || a == O_RDWR;
    }
}
