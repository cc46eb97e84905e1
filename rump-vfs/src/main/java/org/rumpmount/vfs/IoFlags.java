package org.rumpmount.vfs;

/** ioflags for read and write (NetBSD's IO_*). */
public final class IoFlags {
    private IoFlags() {
    }

    /** Data and metadata durable before return (O_SYNC). */
    public static final int IO_SYNC = 0x04;
    /** Data durable before return (O_DSYNC). */
    public static final int IO_DSYNC = 0x10;
}
