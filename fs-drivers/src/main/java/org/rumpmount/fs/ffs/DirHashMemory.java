package org.rumpmount.fs.ffs;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The memory the {@link DirHash} indexes of one mount may take, in the manner of NetBSD's
 * vfs.ufs.dirhash.maxmem: an index is built only for a directory whose index fits, and when the
 * indexes in memory come to more than the bound, those of the least recently used directories
 * are dropped (a later lookup there scans, or builds the index again if it fits then).
 *
 * <p>An index is charged by its directory's size, not counted entry by entry, so that the charge
 * is known before the index is built and follows the directory as it grows without the index
 * having to report each change. {@link #BYTES_PER_DIRECTORY_BYTE} makes the charge an upper
 * bound: a directory spends at least 12 bytes on a name (a record of a 1 to 3 byte name), and the
 * index about 150 bytes on each beside the name's bytes (two hash map entries, the boxed inode
 * number and chunk, the name).
 */
final class DirHashMemory {
    static final long BYTES_PER_DIRECTORY_BYTE = 13;
    /** The least bound, whatever the cache: indexes for a few directories of some thousands of names. */
    static final long MIN_BYTES = 4L << 20;

    private final long maxBytes;
    /** The charge of each directory whose index is in memory, least recently used first. */
    private final LinkedHashMap<Inode, Long> charged = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    DirHashMemory(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("directory index memory of " + maxBytes + " bytes");
        }
        this.maxBytes = maxBytes;
    }

    static long charge(long directorySize) {
        return directorySize * BYTES_PER_DIRECTORY_BYTE;
    }

    /** Whether an index of a directory of {@code directorySize} bytes may be built at all. */
    boolean fits(long directorySize) {
        return charge(directorySize) <= maxBytes;
    }

    /**
     * Notes that {@code dir}'s index is in use, charged at its size now, and drops the indexes of
     * the least recently used directories until the total is within the bound again: in the end
     * {@code dir}'s own, if it has outgrown the bound alone. The index the caller holds stays
     * valid for the operation under way.
     */
    synchronized void used(Inode dir) {
        long c = charge(dir.size());
        Long before = charged.put(dir, c);
        bytes += c - (before == null ? 0 : before);
        Iterator<Map.Entry<Inode, Long>> it = charged.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<Inode, Long> e = it.next();
            e.getKey().setDirhash(null);
            bytes -= e.getValue();
            it.remove();
        }
    }

    /** {@code dir}'s vnode is gone: its index goes with it. */
    synchronized void forget(Inode dir) {
        Long c = charged.remove(dir);
        if (c != null) {
            bytes -= c;
        }
    }

    /** The bytes charged now; never more than {@link #maxBytes} between calls. */
    synchronized long bytes() {
        return bytes;
    }

    synchronized int indexes() {
        return charged.size();
    }

    long maxBytes() {
        return maxBytes;
    }
}
