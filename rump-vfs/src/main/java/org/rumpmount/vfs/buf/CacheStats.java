package org.rumpmount.vfs.buf;

/**
 * A snapshot of a {@link BufferCache}'s counters.
 *
 * @param hits requests answered from the cache
 * @param misses requests that had to make a new buffer
 * @param evictions buffers dropped to stay under the cap
 * @param reads device reads done to fill buffers
 * @param writes device writes done (bwrite, write-back on sync, eviction or size change)
 * @param waits times a thread slept because the buffer it wanted was busy
 * @param buffers buffers held now, busy or not
 * @param cachedBytes bytes held now in those buffers
 * @param dirtyBytes bytes of delayed writes not yet on a device
 */
public record CacheStats(long hits, long misses, long evictions, long reads, long writes, long waits,
        int buffers, long cachedBytes, long dirtyBytes) {
}
