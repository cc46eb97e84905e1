package org.rumpmount.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.rumpmount.vfs.Timespec;

/** Times as ls -l and stat print them, in a given zone (the host's by default, from TZ). */
final class TimeFormats {
    /** Half of a Gregorian year: GNU ls's line between "recent" and "old". */
    static final long SIX_MONTHS_SECONDS = 31_556_952L / 2;

    private static final DateTimeFormatter RECENT = DateTimeFormatter.ofPattern("MMM ppd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter OLD = DateTimeFormatter.ofPattern("MMM ppd ", Locale.ROOT);
    private static final DateTimeFormatter STAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xx", Locale.ROOT);

    private TimeFormats() {
    }

    /**
     * ls -l's time column: "Nov 25 16:38" when the time lies in the six months before
     * {@code now}, else "Nov 25  2025" (the year right-aligned in five places), as GNU ls does
     * for times in the future too.
     */
    static String listing(Timespec t, Timespec now, ZoneId zone) {
        ZonedDateTime z = zoned(t, zone);
        boolean recent = t.compareTo(now) <= 0 && now.sec() - t.sec() < SIX_MONTHS_SECONDS;
        if (recent) {
            return RECENT.format(z);
        }
        return OLD.format(z) + String.format(Locale.ROOT, "%5d", z.getYear());
    }

    /** stat's form: "2025-11-25 16:38:00.123456789 +0000". */
    static String stat(Timespec t, ZoneId zone) {
        ZonedDateTime z = zoned(t, zone);
        return STAT.format(z) + String.format(Locale.ROOT, ".%09d ", t.nsec()) + OFFSET.format(z);
    }

    private static ZonedDateTime zoned(Timespec t, ZoneId zone) {
        return Instant.ofEpochSecond(t.sec(), t.nsec()).atZone(zone);
    }
}
