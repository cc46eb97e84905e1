package org.rumpmount.vfs;

/**
 * Device numbers. Inside the kernel a device number is kept in Linux's dev_t encoding (what
 * stat(2) on the host reports); drivers convert from their on-disk form with these helpers.
 */
public final class DeviceNumbers {
    private DeviceNumbers() {
    }

    /** Linux's makedev: major in bits 8-19 and 32-43, minor in bits 0-7 and 20-39. */
    public static long linux(long major, long minor) {
        return ((major & 0xfffL) << 8) | ((major & ~0xfffL) << 32)
                | (minor & 0xffL) | ((minor & ~0xffL) << 12);
    }

    public static long linuxMajor(long dev) {
        return ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & 0xfffff000L);
    }

    public static long linuxMinor(long dev) {
        // Only bits 20-43 hold the minor's high part; bits 44-63 belong to the major.
        return (dev & 0xffL) | ((dev >>> 12) & 0xffffff00L);
    }

    /** NetBSD's 32-bit dev_t: major in bits 8-19, minor in bits 0-7 and 20-31. */
    public static long netbsd(long major, long minor) {
        return ((major << 8) & 0x000fff00L) | ((minor << 12) & 0xfff00000L) | (minor & 0xffL);
    }

    public static long netbsdMajor(long dev) {
        return (dev & 0x000fff00L) >>> 8;
    }

    public static long netbsdMinor(long dev) {
        return ((dev & 0xfff00000L) >>> 12) | (dev & 0xffL);
    }
}
