package org.rumpmount.vfs;

import java.util.random.RandomGenerator;

/**
 * What the kernel asks of its host, in one narrow interface (rumpuser(3) in spirit): the clock
 * and randomness. Tests inject a fake host to control time.
 */
public interface Host {

    /** The current wall-clock time. */
    Timespec now();

    /** A source of randomness (inode generation numbers, seeds). */
    RandomGenerator random();

    /** The real clock and a secure-seeded generator. */
    static Host system() {
        return SystemHost.INSTANCE;
    }
}
