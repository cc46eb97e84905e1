package org.rumpmount.cli;

import java.time.Duration;
import java.util.Optional;

/**
 * What {@code rumpmount mount -o ...} asked for, after parsing: the kernel's side (type, ro,
 * force, cache size, partition) and the FUSE side (allow_other, default_permissions, names, and
 * the owner, group and mode mask every file is reported with: -1, -1 and 0 for "as stored"; the
 * threads serving FUSE requests at the start, 1 for single-threaded; the kernel's cache times,
 * empty for the adapter's defaults).
 */
record DaemonOptions(boolean readOnly, String type, boolean force, long cacheBytes, Optional<String> partition,
        boolean allowOther, boolean defaultPermissions, String fsName, String subtype, boolean debug,
        Duration syncInterval, long uid, long gid, int umask, int threads, Optional<Duration> attrTimeout,
        Optional<Duration> entryTimeout, Optional<Duration> negativeTimeout) {

    static final long DEFAULT_CACHE_BYTES = 64L << 20;
    static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(5);
    static final int DEFAULT_THREADS = 2;
    /** The most threads a mount grows to while all are busy, unless threads= asks for more from the start. */
    static final int MAX_THREADS = 16;
}
