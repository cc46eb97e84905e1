package org.rumpmount.fs.tmpfs;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The mount-wide budget of data pages and nodes. Shared by every file of a mount, so it uses
 * atomics rather than any vnode lock; it is the last thing taken in the lock order.
 */
final class TmpfsLimits {
    private final long maxPages;
    private final long maxNodes;
    private final AtomicLong usedPages = new AtomicLong();
    private final AtomicLong usedNodes = new AtomicLong();

    TmpfsLimits(long maxPages, long maxNodes) {
        this.maxPages = maxPages;
        this.maxNodes = maxNodes;
    }

    long maxPages() {
        return maxPages;
    }

    long maxNodes() {
        return maxNodes;
    }

    long usedPages() {
        return usedPages.get();
    }

    long usedNodes() {
        return usedNodes.get();
    }

    /** Takes {@code n} pages from the budget; false (taking none) when fewer are left. */
    boolean reservePages(long n) {
        return reserve(usedPages, maxPages, n);
    }

    void releasePages(long n) {
        release(usedPages, n, "pages");
    }

    /** Takes one node from the budget; false when none is left. */
    boolean reserveNode() {
        return reserve(usedNodes, maxNodes, 1);
    }

    void releaseNode() {
        release(usedNodes, 1, "nodes");
    }

    private static boolean reserve(AtomicLong used, long max, long n) {
        while (true) {
            long u = used.get();
            if (n > max - u) {
                return false;
            }
            if (used.compareAndSet(u, u + n)) {
                return true;
            }
        }
    }

    private static void release(AtomicLong used, long n, String what) {
        long after = used.addAndGet(-n);
        if (after < 0) {
            // A release without a reservation is a bug in the driver; refuse to hide it.
            throw new IllegalStateException("tmpfs released more " + what + " than it reserved (" + after + ")");
        }
    }
}
