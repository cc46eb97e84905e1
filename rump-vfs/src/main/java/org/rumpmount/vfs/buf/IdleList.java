package org.rumpmount.vfs.buf;

/**
 * The blocks nobody holds, least recently released first: the order eviction takes them in.
 * Intrusive (the links live in the blocks), so every operation is constant time. Guarded by
 * the cache's lock.
 */
final class IdleList {
    private CachedBlock oldest;
    private CachedBlock newest;

    /** Appends {@code b} as the most recently used. */
    void addNewest(CachedBlock b) {
        if (b.idle) {
            throw new IllegalStateException(b + " is already idle");
        }
        b.idle = true;
        b.older = newest;
        b.newer = null;
        if (newest == null) {
            oldest = b;
        } else {
            newest.newer = b;
        }
        newest = b;
    }

    void remove(CachedBlock b) {
        if (!b.idle) {
            throw new IllegalStateException(b + " is not idle");
        }
        if (b.older == null) {
            oldest = b.newer;
        } else {
            b.older.newer = b.newer;
        }
        if (b.newer == null) {
            newest = b.older;
        } else {
            b.newer.older = b.older;
        }
        b.older = null;
        b.newer = null;
        b.idle = false;
    }

    /** The least recently used idle block, or null if every block is busy. */
    CachedBlock oldest() {
        return oldest;
    }
}
