package org.rumpmount.fs.tmpfs;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Timespec;

/** A host whose clock moves only when a test moves it, with seeded randomness. */
final class ManualHost implements Host {
    private final SplittableRandom random = new SplittableRandom(20261125L);
    private Timespec now = new Timespec(1_700_000_000L, 123_456_789);

    @Override
    public synchronized Timespec now() {
        return now;
    }

    synchronized void set(Timespec t) {
        now = t;
    }

    /** Moves the clock forward by one second and one nanosecond; returns the new time. */
    synchronized Timespec tick() {
        long nsec = now.nsec() + 1L;
        now = new Timespec(now.sec() + 1 + nsec / 1_000_000_000L, (int) (nsec % 1_000_000_000L));
        return now;
    }

    @Override
    public RandomGenerator random() {
        return () -> {
            synchronized (this) {
                return random.nextLong();
            }
        };
    }
}
