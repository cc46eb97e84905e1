package org.rumpmount.fs.tmpfs;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.VfsException;

/**
 * The parsed mount options of one tmpfs (NetBSD's struct tmpfs_args): how many data pages and
 * nodes it may hold and who owns its root.
 */
record TmpfsArgs(long maxPages, long maxNodes, int rootMode, long rootUid, long rootGid) {

    /** Root directory mode when none is given: world-writable and sticky, like /tmp. */
    static final int DEFAULT_ROOT_MODE = 01777;

    private static final Set<String> KNOWN = Set.of("size", "inodes", "mode", "uid", "gid");
    private static final long MAX_ID = 0xffff_ffffL;

    /**
     * The data limit when size is not given: half the memory this JVM may use, since file data
     * lives on its heap.
     */
    static long defaultSizeBytes() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    static TmpfsArgs parse(MountOptions options, long defaultSizeBytes) throws VfsException {
        for (String key : options.extra().keySet()) {
            if (!KNOWN.contains(key)) {
                throw new VfsException(Errno.EINVAL, "tmpfs: unknown mount option '" + key
                        + "' (known: size, inodes, mode, uid, gid)");
            }
        }
        Map<String, String> o = options.extra();
        long sizeBytes = o.containsKey("size") ? parseSize(o.get("size")) : 0;
        if (sizeBytes == 0) {
            sizeBytes = defaultSizeBytes;
        }
        long maxPages = Math.max(1, (sizeBytes + TmpfsFileData.PAGE_SIZE - 1) / TmpfsFileData.PAGE_SIZE);
        long maxNodes = o.containsKey("inodes") ? parseNumber("inodes", o.get("inodes"), 0, Long.MAX_VALUE) : 0;
        if (maxNodes == 0) {
            // NetBSD's default: a node per KiB of memory allowed, plus a few.
            maxNodes = 3 + Math.min(maxPages, Long.MAX_VALUE / TmpfsFileData.PAGE_SIZE) * TmpfsFileData.PAGE_SIZE / 1024;
        }
        int mode = o.containsKey("mode") ? parseMode(o.get("mode")) : DEFAULT_ROOT_MODE;
        long uid = o.containsKey("uid") ? parseNumber("uid", o.get("uid"), 0, MAX_ID) : 0;
        long gid = o.containsKey("gid") ? parseNumber("gid", o.get("gid"), 0, MAX_ID) : 0;
        return new TmpfsArgs(maxPages, maxNodes, mode, uid, gid);
    }

    /** Bytes from "N" with an optional k, m, g or t suffix (powers of 1024). */
    static long parseSize(String value) throws VfsException {
        String v = value.trim().toLowerCase(Locale.ROOT);
        int shift = 0;
        if (!v.isEmpty()) {
            switch (v.charAt(v.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                case 't' -> shift = 40;
                default -> shift = 0;
            }
        }
        String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
        long n = parseNumber("size", digits, 0, Long.MAX_VALUE);
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new VfsException(Errno.EINVAL, "tmpfs: size=" + value + " is too large");
        }
        return n << shift;
    }

    private static int parseMode(String value) throws VfsException {
        try {
            int m = Integer.parseInt(value.trim(), 8);
            if (m < 0 || m > 07777) {
                throw new NumberFormatException();
            }
            return m;
        } catch (NumberFormatException e) {
            throw new VfsException(Errno.EINVAL, "tmpfs: mode=" + value + " is not an octal mode between 0 and 7777");
        }
    }

    private static long parseNumber(String key, String value, long min, long max) throws VfsException {
        try {
            long n = Long.parseLong(value.trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new VfsException(Errno.EINVAL, "tmpfs: " + key + "=" + value
                    + " is not a number between " + min + " and " + max);
        }
    }
}
