package org.rumpmount.vfs.contract;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Timespec;

/**
 * A host whose clock stands still until a test moves it, so that timestamp rules can be checked
 * exactly ("mtime is now") rather than approximately. Randomness is seeded, one stream per thread.
 */
public final class FakeClockHost implements Host {
    /** 2026-01-01T00:00:00.123456789Z: a start with nanoseconds, to catch code that drops them. */
    public static final Timespec DEFAULT_START = new Timespec(1_767_225_600L, 123_456_789);

    private volatile Timespec now;
    private final AtomicLong seeds;
    private final ThreadLocal<SplittableRandom> random;

    public FakeClockHost() {
        this(DEFAULT_START, 0x5eed_f00dL);
    }

    public FakeClockHost(Timespec start, long seed) {
        this.now = start;
        this.seeds = new AtomicLong(seed);
        this.random = ThreadLocal.withInitial(() -> new SplittableRandom(seeds.getAndIncrement()));
    }

    @Override
    public Timespec now() {
        return now;
    }

    @Override
    public RandomGenerator random() {
        return random.get();
    }

    /** Sets the clock. */
    public void set(Timespec t) {
        this.now = t;
    }

    /** Moves the clock forward by {@code d} and returns the new time. */
    public synchronized Timespec advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("the clock only moves forward here: " + d);
        }
        long nanos = (long) now.nsec() + d.getNano();
        Timespec next = new Timespec(now.sec() + d.getSeconds() + nanos / 1_000_000_000L, (int) (nanos % 1_000_000_000L));
        this.now = next;
        return next;
    }
}
