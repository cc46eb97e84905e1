package org.rumpmount.fuse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to mount through FUSE. Immutable; build with {@link #builder()}. The defaults are what a
 * file system mount should be: read-write, permissions checked by the Linux kernel
 * ({@code default_permissions}), inode numbers passed through ({@code use_ino}), 128 KiB writes
 * ({@code big_writes}) and reads ({@code max_read=131072}), multi-threaded.
 */
public final class FuseOptions {
    /** The largest read and write FUSE 2 negotiates: 128 KiB. */
    public static final int MAX_IO = 131072;

    private final boolean readOnly;
    private final boolean allowOther;
    private final boolean defaultPermissions;
    private final String fsName;
    private final String subtype;
    private final boolean bigWrites;
    private final int maxRead;
    private final boolean singleThreaded;
    private final int minWorkers;
    private final int maxWorkers;
    private final boolean debug;
    private final Duration timeout;
    private final Duration attrTimeout;
    private final Duration entryTimeout;
    private final Duration negativeTimeout;
    private final ReportedAttributes reported;
    private final long uid;
    private final long gid;
    private final int umask;

    private FuseOptions(Builder b) {
        this.readOnly = b.readOnly;
        this.allowOther = b.allowOther;
        this.defaultPermissions = b.defaultPermissions;
        this.fsName = checkValue("fsname", b.fsName);
        this.subtype = checkValue("subtype", b.subtype);
        this.bigWrites = b.bigWrites;
        if (b.maxRead < 4096 || b.maxRead > MAX_IO) {
            throw new IllegalArgumentException("max_read " + b.maxRead + " is outside 4096.." + MAX_IO);
        }
        this.maxRead = b.maxRead;
        this.singleThreaded = b.singleThreaded;
        if (b.minWorkers < 1 || b.maxWorkers < b.minWorkers) {
            throw new IllegalArgumentException("FUSE worker threads " + b.minWorkers + " to " + b.maxWorkers
                    + ": need at least 1, and no fewer at most than at first");
        }
        this.minWorkers = b.minWorkers;
        this.maxWorkers = b.maxWorkers;
        this.debug = b.debug;
        if (b.timeout.isNegative() || b.timeout.isZero()) {
            throw new IllegalArgumentException("mount timeout must be positive, not " + b.timeout);
        }
        this.timeout = b.timeout;
        if (b.attrTimeout.isNegative()) {
            throw new IllegalArgumentException("attribute cache time must not be negative, not " + b.attrTimeout);
        }
        this.attrTimeout = b.attrTimeout;
        this.entryTimeout = nonNegative("entry_timeout", b.entryTimeout);
        this.negativeTimeout = nonNegative("negative_timeout", b.negativeTimeout);
        this.uid = b.uid;
        this.gid = b.gid;
        this.umask = b.umask;
        this.reported = new ReportedAttributes(b.uid, b.gid, b.umask);
        if (reported.overrides() && !b.defaultPermissions) {
            throw new IllegalArgumentException("uid=, gid= and umask= need default_permissions: the Linux kernel"
                    + " then checks permissions against the owners and modes the mount reports");
        }
    }

    private static Duration nonNegative(String what, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, not " + d);
        }
        return d;
    }

    /** Option values go into a comma-separated -o list, so they may hold no comma, space or NUL. */
    private static String checkValue(String what, String v) {
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ',' || c == '\\' || c == 0 || Character.isWhitespace(c)) {
                throw new IllegalArgumentException(what + " '" + v + "' holds a character FUSE option lists cannot carry"
                        + " (at index " + i + ")");
            }
        }
        return v;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        return builder().readOnly(readOnly).allowOther(allowOther).defaultPermissions(defaultPermissions)
                .fsName(fsName).subtype(subtype).bigWrites(bigWrites).maxRead(maxRead)
                .singleThreaded(singleThreaded).workers(minWorkers, maxWorkers).debug(debug).timeout(timeout)
                .attrTimeout(attrTimeout).entryTimeout(entryTimeout).negativeTimeout(negativeTimeout)
                .uid(uid).gid(gid).umask(umask);
    }

    public static FuseOptions defaults() {
        return builder().build();
    }

    public boolean readOnly() {
        return readOnly;
    }

    public boolean allowOther() {
        return allowOther;
    }

    public boolean defaultPermissions() {
        return defaultPermissions;
    }

    public String fsName() {
        return fsName;
    }

    public String subtype() {
        return subtype;
    }

    public boolean bigWrites() {
        return bigWrites;
    }

    public int maxRead() {
        return maxRead;
    }

    public boolean singleThreaded() {
        return singleThreaded;
    }

    public boolean debug() {
        return debug;
    }

    /** How long to wait for the mount to appear and to go away. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * How long the Linux kernel may cache attributes. Zero by default: libfuse 2's path API gives
     * each name its own kernel inode, so after a change through one hard link the other names
     * would show stale attributes (the link count, for one) for as long as they are cached.
     */
    public Duration attrTimeout() {
        return attrTimeout;
    }

    /**
     * How long the Linux kernel may trust a name it has looked up (that it names the inode it
     * named) before asking again. An hour by default: the daemon holds the image exclusively, so
     * every name is made, removed and renamed through this kernel, which updates its own entries
     * as it does so (libfuse 2's default of 1 s made a stat of a name looked up more than a
     * second ago two round trips, LOOKUP and GETATTR, instead of one).
     */
    public Duration entryTimeout() {
        return entryTimeout;
    }

    /**
     * How long the Linux kernel may remember that a name does not exist. Zero by default, as in
     * libfuse: libfuse 2 itself renames a file unlinked while open to a hidden name
     * (.fuse_hidden...), a name this kernel does not learn of.
     */
    public Duration negativeTimeout() {
        return negativeTimeout;
    }

    /** The owner every file is reported with ({@code uid=}), or -1: as stored. */
    public long uid() {
        return uid;
    }

    /** The group every file is reported with ({@code gid=}), or -1: as stored. */
    public long gid() {
        return gid;
    }

    /** The permission bits cleared in every reported mode ({@code umask=}); 0 for none. */
    public int umask() {
        return umask;
    }

    /** How owners and modes are reported (see {@link ReportedAttributes}). */
    ReportedAttributes reported() {
        return reported;
    }

    /** The -o list, e.g. "rw,default_permissions,use_ino,fsname=x,subtype=rumpmount,big_writes,max_read=131072,attr_timeout=0,entry_timeout=3600,negative_timeout=0". */
    public String optionList() {
        List<String> o = new ArrayList<>();
        o.add(readOnly ? "ro" : "rw");
        if (allowOther) {
            o.add("allow_other");
        }
        if (defaultPermissions) {
            o.add("default_permissions");
        }
        // Without use_ino libfuse invents inode numbers; with it, st_ino and d_ino are the file system's.
        o.add("use_ino");
        o.add("fsname=" + fsName);
        o.add("subtype=" + subtype);
        if (bigWrites) {
            o.add("big_writes");
        }
        o.add("max_read=" + maxRead);
        o.add("attr_timeout=" + seconds(attrTimeout));
        o.add("entry_timeout=" + seconds(entryTimeout));
        o.add("negative_timeout=" + seconds(negativeTimeout));
        // uid=, gid= and umask= are applied by the adapter, not by libfuse, so they are not in the list.
        return String.join(",", o);
    }

    /**
     * Threads serving requests from the start (see {@link FuseSession}): 2 by default, 1 when
     * single-threaded.
     */
    public int minWorkers() {
        return singleThreaded ? 1 : minWorkers;
    }

    /**
     * The most threads serving requests: more are started, up to this, while every one is busy
     * inside the file system (16 by default, 1 when single-threaded).
     */
    public int maxWorkers() {
        return singleThreaded ? 1 : maxWorkers;
    }

    /** libfuse's arguments after the program name, "-f" and the mount point. */
    String[] sessionArgs() {
        String[] a = fuseArgs();
        if (!debug) {
            return a;
        }
        String[] d = new String[a.length + 1];
        d[0] = "-d";
        System.arraycopy(a, 0, d, 1, a.length);
        return d;
    }

    /** Seconds as libfuse's timeout options take them: "0", "1.5", "3600". */
    private static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
    }

    /** The arguments after jnr-fuse's own ("-f" and the mount point). */
    public String[] fuseArgs() {
        List<String> a = new ArrayList<>();
        if (singleThreaded) {
            a.add("-s");
        }
        a.add("-o");
        a.add(optionList());
        return a.toArray(new String[0]);
    }

    @Override
    public String toString() {
        return optionList() + (singleThreaded ? " -s" : " workers " + minWorkers + ".." + maxWorkers)
                + (reported.overrides() ? " reported " + reported : "");
    }

    public static final class Builder {
        private boolean readOnly;
        private boolean allowOther;
        private boolean defaultPermissions = true;
        private String fsName = "rumpmount";
        private String subtype = "rumpmount";
        private boolean bigWrites = true;
        private int maxRead = MAX_IO;
        private boolean singleThreaded;
        private int minWorkers = 2;
        private int maxWorkers = 16;
        private boolean debug;
        private Duration timeout = Duration.ofSeconds(15);
        private Duration attrTimeout = Duration.ZERO;
        private Duration entryTimeout = Duration.ofHours(1);
        private Duration negativeTimeout = Duration.ZERO;
        private long uid = -1;
        private long gid = -1;
        private int umask;

        public Builder readOnly(boolean v) {
            readOnly = v;
            return this;
        }

        public Builder allowOther(boolean v) {
            allowOther = v;
            return this;
        }

        public Builder defaultPermissions(boolean v) {
            defaultPermissions = v;
            return this;
        }

        public Builder fsName(String v) {
            fsName = v;
            return this;
        }

        public Builder subtype(String v) {
            subtype = v;
            return this;
        }

        public Builder bigWrites(boolean v) {
            bigWrites = v;
            return this;
        }

        public Builder maxRead(int v) {
            maxRead = v;
            return this;
        }

        public Builder singleThreaded(boolean v) {
            singleThreaded = v;
            return this;
        }

        /**
         * Starts {@code min} threads serving requests and lets them grow to {@code max} while
         * every one is busy (ignored when single-threaded).
         */
        public Builder workers(int min, int max) {
            minWorkers = min;
            maxWorkers = max;
            return this;
        }

        public Builder debug(boolean v) {
            debug = v;
            return this;
        }

        public Builder timeout(Duration v) {
            timeout = v;
            return this;
        }

        public Builder attrTimeout(Duration v) {
            attrTimeout = v;
            return this;
        }

        public Builder entryTimeout(Duration v) {
            entryTimeout = v;
            return this;
        }

        public Builder negativeTimeout(Duration v) {
            negativeTimeout = v;
            return this;
        }

        /** Reports every file as owned by {@code v} (-1: as stored). */
        public Builder uid(long v) {
            uid = v;
            return this;
        }

        /** Reports every file as of group {@code v} (-1: as stored). */
        public Builder gid(long v) {
            gid = v;
            return this;
        }

        /** Clears these permission bits in every reported mode (0: none). */
        public Builder umask(int v) {
            umask = v;
            return this;
        }

        public FuseOptions build() {
            return new FuseOptions(this);
        }
    }
}
