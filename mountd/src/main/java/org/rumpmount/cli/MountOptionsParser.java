package org.rumpmount.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Parses the -o list of {@code rumpmount mount} in the style of fuse2fs and lklfuse. The options
 * mount(8) and mount.fuse3 add on their own (dev, suid, exec, atime and their negations, and a
 * few more that concern the host's mount, not the file system) are accepted and left to the
 * host; anything else unknown is an error, so that a misspelt option is never silently dropped.
 */
final class MountOptionsParser {
    /** Options of the host's mount that libfuse or the kernel handle, or that do not apply. */
    private static final Set<String> HOST_OPTIONS = Set.of(
            "dev", "nodev", "suid", "nosuid", "exec", "noexec", "atime", "noatime", "relatime", "norelatime",
            "strictatime", "nodiratime", "diratime", "auto", "noauto", "user", "nouser", "users", "owner",
            "nofail", "_netdev", "defaults", "async", "lazytime", "nolazytime");

    private MountOptionsParser() {
    }

    /** Parses a comma-separated list (null or empty: all defaults). */
    static DaemonOptions parse(String list) {
        boolean readOnly = false;
        String type = "auto";
        boolean force = false;
        long cache = DaemonOptions.DEFAULT_CACHE_BYTES;
        Optional<String> part = Optional.empty();
        boolean allowOther = false;
        boolean defaultPermissions = true;
        String fsName = null;
        String subtype = "rumpmount";
        boolean debug = false;
        Duration sync = DaemonOptions.DEFAULT_SYNC_INTERVAL;
        long uid = -1;
        long gid = -1;
        int umask = 0;
        int threads = DaemonOptions.DEFAULT_THREADS;
        Optional<Duration> attrTimeout = Optional.empty();
        Optional<Duration> entryTimeout = Optional.empty();
        Optional<Duration> negativeTimeout = Optional.empty();
        if (list != null && !list.isEmpty()) {
            for (String o : list.split(",")) {
                if (o.isEmpty()) {
                    continue;
                }
                int eq = o.indexOf('=');
                String key = eq < 0 ? o : o.substring(0, eq);
                String value = eq < 0 ? null : o.substring(eq + 1);
                switch (key) {
                    case "ro" -> readOnly = flag(o, value, true);
                    case "rw" -> readOnly = !flag(o, value, true);
                    case "force" -> force = flag(o, value, true);
                    case "allow_other" -> allowOther = flag(o, value, true);
                    case "default_permissions" -> defaultPermissions = flag(o, value, true);
                    case "no_default_permissions" -> defaultPermissions = !flag(o, value, true);
                    case "debug" -> debug = flag(o, value, true);
                    case "type" -> type = required(o, value);
                    case "fsname" -> fsName = required(o, value);
                    case "subtype" -> subtype = required(o, value);
                    case "cache_size" -> cache = size(o, required(o, value));
                    case "sync_interval" -> sync = interval(o, required(o, value));
                    case "part" -> part = Optional.of(required(o, value));
                    case "uid" -> uid = id(o, required(o, value));
                    case "gid" -> gid = id(o, required(o, value));
                    case "umask" -> umask = umask(o, required(o, value));
                    case "threads" -> threads = threads(o, required(o, value));
                    case "attr_timeout" -> attrTimeout = Optional.of(seconds(o, required(o, value)));
                    case "entry_timeout" -> entryTimeout = Optional.of(seconds(o, required(o, value)));
                    case "negative_timeout" -> negativeTimeout = Optional.of(seconds(o, required(o, value)));
                    default -> {
                        if (!HOST_OPTIONS.contains(key) || value != null) {
                            throw new IllegalArgumentException("unknown mount option '" + o + "'");
                        }
                    }
                }
            }
        }
        if ((uid >= 0 || gid >= 0 || umask != 0) && !defaultPermissions) {
            throw new IllegalArgumentException("mount options uid=, gid= and umask= need default_permissions:"
                    + " the host kernel checks permissions against the owners and modes they report");
        }
        return new DaemonOptions(readOnly, type, force, cache, part, allowOther, defaultPermissions,
                fsName, subtype, debug, sync, uid, gid, umask, threads, attrTimeout, entryTimeout, negativeTimeout);
    }

    /** A numeric user or group id, 0..4294967294 (4294967295 is (uid_t) -1, "no id"). */
    static long id(String o, String v) {
        try {
            long n = Long.parseLong(v);
            if (n < 0 || n > 0xffff_fffeL) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mount option '" + o + "': not a numeric id from 0 to 4294967294");
        }
    }

    /** Octal permission bits to clear, as umask(1) takes them: 0 to 07777. */
    static int umask(String o, String v) {
        try {
            int n = Integer.parseInt(v, 8);
            if (n < 0 || n > 07777) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mount option '" + o + "': not an octal mask from 0 to 7777");
        }
    }

    /** Threads serving FUSE requests at the start: 1 to 256. */
    static int threads(String o, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n < 1 || n > 256) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mount option '" + o + "': not a number of threads from 1 to 256");
        }
    }

    private static boolean flag(String o, String value, boolean v) {
        if (value != null) {
            throw new IllegalArgumentException("mount option '" + o + "' takes no value");
        }
        return v;
    }

    private static String required(String o, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("mount option '" + o + "' needs a value, e.g. " + o + "=...");
        }
        return value;
    }

    /** Bytes with an optional k, m or g suffix (powers of 1024). */
    static long size(String o, String v) {
        try {
            return SizeArg.scaled(v, 1, "kmg");
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("mount option '" + o + "': not a positive size in bytes"
                    + " (k, m or g suffix allowed)");
        }
    }

    /** Seconds as libfuse's cache times take them: 0 or more, fractions allowed (1.5), at most a day. */
    static Duration seconds(String o, String v) {
        try {
            java.math.BigDecimal s = new java.math.BigDecimal(v);
            if (s.signum() < 0 || s.compareTo(java.math.BigDecimal.valueOf(86_400)) > 0) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos(s.movePointRight(9).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("mount option '" + o + "': not a number of seconds from 0 to 86400"
                    + " (fractions allowed, e.g. 1.5)");
        }
    }

    /** A duration: whole seconds, with an optional s, ms or m suffix; 0 turns the periodic sync off. */
    static Duration interval(String o, String v) {
        String s = v.toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (s.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            } else if (s.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            } else if (s.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(s));
            }
            if (d.isNegative()) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mount option '" + o + "': not a duration such as 5s, 500ms or 1m"
                    + " (0 turns the periodic sync off)");
        }
    }
}
