package org.rumpmount.vfs;

/**
 * A time as seconds since the epoch (negative before 1970) and nanoseconds (0..999,999,999).
 */
public record Timespec(long sec, int nsec) implements Comparable<Timespec> {
    public static final Timespec EPOCH = new Timespec(0, 0);

    public Timespec {
        if (nsec < 0 || nsec > 999_999_999) {
            throw new IllegalArgumentException("nanoseconds out of range: " + nsec);
        }
    }

    public static Timespec ofSeconds(long sec) {
        return new Timespec(sec, 0);
    }

    @Override
    public int compareTo(Timespec o) {
        int c = Long.compare(sec, o.sec);
        return c != 0 ? c : Integer.compare(nsec, o.nsec);
    }

    @Override
    public String toString() {
        return sec + "." + String.format("%09d", nsec);
    }
}
