package org.rumpmount.vfs;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** The host as it really is: the system clock and randomness. */
final class SystemHost implements Host {
    static final SystemHost INSTANCE = new SystemHost();

    private final ThreadLocal<SplittableRandom> random =
            ThreadLocal.withInitial(() -> new SplittableRandom(new SecureRandom().nextLong()));

    private SystemHost() {
    }

    @Override
    public Timespec now() {
        Instant i = Instant.now();
        return new Timespec(i.getEpochSecond(), i.getNano());
    }

    @Override
    public RandomGenerator random() {
        return random.get();
    }
}
