package org.rumpmount.block;

/**
 * What a {@link FaultInjectingBlockDevice} does wrong, and when. Immutable; made by a
 * {@link Builder}. Reads, writes and flushes are numbered from 1 in the order they reach the
 * device; a transfer refused by the ordinary checks (bounds, alignment, read-only) gets no number.
 *
 * <p>The faults:
 * <ul>
 *   <li>{@link Builder#failWrite}, {@link Builder#failWritesFrom}: the given write (or it and every
 *       later one) fails and changes nothing.</li>
 *   <li>{@link Builder#failFlush}, {@link Builder#failFlushesFrom}: likewise for flushes.</li>
 *   <li>{@link Builder#failRandomly}: each read and write fails with a probability, drawn from a
 *       generator seeded by the caller, so the same sequence of calls fails the same way every run.</li>
 *   <li>{@link Builder#powerCutAfterWrites}, {@link Builder#powerCutAfterBytes}: a power cut. Writes
 *       before the cut persist; from the cut on, every write is dropped but reported as success,
 *       and flushes succeed without effect, as on a machine whose power failed: the software never
 *       learns. The write at the cut may be torn, leaving a prefix that ends on a sector boundary.</li>
 * </ul>
 */
public final class FaultPlan {
    /** No faults: the device behaves as the one it wraps, and only counts. */
    public static final FaultPlan NONE = builder().build();

    static final long NEVER = -1;

    final long failWrite;
    final boolean failLaterWrites;
    final long failFlush;
    final boolean failLaterFlushes;
    final double failureProbability;
    final long seed;
    final long cutAfterWrites;
    final int tornSectors;
    final long cutAfterBytes;
    final boolean tornAtByteCut;

    private FaultPlan(Builder b) {
        this.failWrite = b.failWrite;
        this.failLaterWrites = b.failLaterWrites;
        this.failFlush = b.failFlush;
        this.failLaterFlushes = b.failLaterFlushes;
        this.failureProbability = b.failureProbability;
        this.seed = b.seed;
        this.cutAfterWrites = b.cutAfterWrites;
        this.tornSectors = b.tornSectors;
        this.cutAfterBytes = b.cutAfterBytes;
        this.tornAtByteCut = b.tornAtByteCut;
    }

    public static Builder builder() {
        return new Builder();
    }

    boolean failsWrite(long number) {
        return matches(number, failWrite, failLaterWrites);
    }

    boolean failsFlush(long number) {
        return matches(number, failFlush, failLaterFlushes);
    }

    private static boolean matches(long number, long first, boolean later) {
        return first != NEVER && (number == first || (later && number > first));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("FaultPlan[");
        if (failWrite != NEVER) {
            s.append(" fail write #").append(failWrite).append(failLaterWrites ? " and later" : "");
        }
        if (failFlush != NEVER) {
            s.append(" fail flush #").append(failFlush).append(failLaterFlushes ? " and later" : "");
        }
        if (failureProbability > 0) {
            s.append(" fail reads/writes with p=").append(failureProbability).append(" seed=").append(seed);
        }
        if (cutAfterWrites != NEVER) {
            s.append(" power cut after ").append(cutAfterWrites).append(" writes, torn to ").append(tornSectors)
                    .append(" sectors");
        }
        if (cutAfterBytes != NEVER) {
            s.append(" power cut after ").append(cutAfterBytes).append(" bytes").append(tornAtByteCut ? ", torn" : "");
        }
        return s.append(" ]").toString();
    }

    /** Collects faults; each setter replaces an earlier setting of the same fault. */
    public static final class Builder {
        private long failWrite = NEVER;
        private boolean failLaterWrites;
        private long failFlush = NEVER;
        private boolean failLaterFlushes;
        private double failureProbability;
        private long seed;
        private long cutAfterWrites = NEVER;
        private int tornSectors;
        private long cutAfterBytes = NEVER;
        private boolean tornAtByteCut;

        private Builder() {
        }

        /** Write number {@code n} (from 1) fails. */
        public Builder failWrite(long n) {
            failWrite = positive("write number", n);
            failLaterWrites = false;
            return this;
        }

        /** Write number {@code n} (from 1) and every later write fail. */
        public Builder failWritesFrom(long n) {
            failWrite = positive("write number", n);
            failLaterWrites = true;
            return this;
        }

        /** Flush number {@code n} (from 1) fails. */
        public Builder failFlush(long n) {
            failFlush = positive("flush number", n);
            failLaterFlushes = false;
            return this;
        }

        /** Flush number {@code n} (from 1) and every later flush fail. */
        public Builder failFlushesFrom(long n) {
            failFlush = positive("flush number", n);
            failLaterFlushes = true;
            return this;
        }

        /** Each read and each write fails with {@code probability}, drawn from a generator seeded with {@code seed}. */
        public Builder failRandomly(double probability, long seed) {
            if (!(probability >= 0 && probability <= 1)) {
                throw new IllegalArgumentException("failure probability must be in [0, 1], got " + probability);
            }
            this.failureProbability = probability;
            this.seed = seed;
            return this;
        }

        /** Power fails after {@code n} writes: write {@code n + 1} and every later one is lost. */
        public Builder powerCutAfterWrites(long n) {
            return powerCutAfterWrites(n, 0);
        }

        /**
         * Power fails after {@code n} writes; write {@code n + 1} is torn, keeping its bytes up to the
         * {@code tornSectors}-th sector boundary inside it (fewer if it has fewer; never all of it),
         * and every later write is lost.
         */
        public Builder powerCutAfterWrites(long n, int tornSectors) {
            if (n < 0 || tornSectors < 0) {
                throw new IllegalArgumentException("power cut needs n >= 0 and tornSectors >= 0, got n=" + n
                        + " tornSectors=" + tornSectors);
            }
            cutAfterWrites = n;
            this.tornSectors = tornSectors;
            cutAfterBytes = NEVER;
            return this;
        }

        /** Power fails once {@code n} bytes have been written: the write that would pass it is lost whole, and every later one. */
        public Builder powerCutAfterBytes(long n) {
            return powerCutAfterBytes(n, false);
        }

        /**
         * Power fails once {@code n} bytes have been written. If {@code torn}, the write that passes
         * the cut keeps its bytes before the cut, rounded down to a sector boundary of the device;
         * otherwise it is lost whole. Every later write is lost.
         */
        public Builder powerCutAfterBytes(long n, boolean torn) {
            if (n < 0) {
                throw new IllegalArgumentException("power cut needs n >= 0 bytes, got " + n);
            }
            cutAfterBytes = n;
            tornAtByteCut = torn;
            cutAfterWrites = NEVER;
            return this;
        }

        public FaultPlan build() {
            return new FaultPlan(this);
        }

        private static long positive(String what, long n) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " counts from 1, got " + n);
            }
            return n;
        }
    }
}
