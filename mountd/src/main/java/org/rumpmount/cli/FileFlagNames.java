package org.rumpmount.cli;

import java.util.ArrayList;
import java.util.List;
import org.rumpmount.vfs.FileFlags;

/**
 * File flags by NetBSD's names (chflags(1), ls -o): parsing a FLAGS argument and showing a flags
 * word. The bits are NetBSD's sys/stat.h ({@link FileFlags}), which FFS and LFS store in di_flags.
 */
final class FileFlagNames {
    static final long UF_NODUMP = FileFlags.UF_NODUMP;
    static final long UF_IMMUTABLE = FileFlags.UF_IMMUTABLE;
    static final long UF_APPEND = FileFlags.UF_APPEND;
    static final long UF_OPAQUE = FileFlags.UF_OPAQUE;
    static final long SF_ARCHIVED = FileFlags.SF_ARCHIVED;
    static final long SF_IMMUTABLE = FileFlags.SF_IMMUTABLE;
    static final long SF_APPEND = FileFlags.SF_APPEND;
    static final long SF_SNAPSHOT = FileFlags.SF_SNAPSHOT;

    private record Name(String name, long bit) {
    }

    /** In ls -o's order; the first name of a bit is how it is shown. */
    private static final List<Name> SHOWN = List.of(
            new Name("uappnd", UF_APPEND), new Name("uchg", UF_IMMUTABLE), new Name("nodump", UF_NODUMP),
            new Name("opaque", UF_OPAQUE), new Name("sappnd", SF_APPEND), new Name("arch", SF_ARCHIVED),
            new Name("schg", SF_IMMUTABLE), new Name("snap", SF_SNAPSHOT));

    /** Every name chflags(1) accepts, with its long forms. "snap" is only shown: no one sets it. */
    private static final List<Name> ACCEPTED = List.of(
            new Name("arch", SF_ARCHIVED), new Name("archived", SF_ARCHIVED),
            new Name("opaque", UF_OPAQUE),
            new Name("sappnd", SF_APPEND), new Name("sappend", SF_APPEND),
            new Name("schg", SF_IMMUTABLE), new Name("schange", SF_IMMUTABLE), new Name("simmutable", SF_IMMUTABLE),
            new Name("uappnd", UF_APPEND), new Name("uappend", UF_APPEND),
            new Name("uchg", UF_IMMUTABLE), new Name("uchange", UF_IMMUTABLE), new Name("uimmutable", UF_IMMUTABLE));

    /** What a FLAGS argument does to a file's flags: set and clear these bits, or set exactly (octal). */
    record Change(long set, long clear, boolean absolute) {
        long apply(long old) {
            return absolute ? set : (old | set) & ~clear;
        }
    }

    private FileFlagNames() {
    }

    /**
     * Parses chflags(1)'s FLAGS: an octal number (the new flags exactly), or names separated by
     * commas, each setting a flag, or clearing it with "no" in front ("nouchg"); "dump" clears
     * nodump. IllegalArgumentException naming the bad word otherwise.
     */
    static Change parse(String s) {
        if (!s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '7')) {
            long v;
            try {
                v = Long.parseLong(s, 8);
            } catch (NumberFormatException e) {
                v = -1;
            }
            if (v < 0 || v > 0xffffffffL) {
                throw new IllegalArgumentException("invalid flags: '" + s + "' is beyond 32 bits");
            }
            return new Change(v, 0, true);
        }
        long set = 0;
        long clear = 0;
        boolean any = false;
        for (String word : s.split("[\t ,]", -1)) {
            if (word.isEmpty()) {
                continue;
            }
            // As NetBSD's string_to_flags: a leading "no" clears, and "dump" is itself the
            // negation of nodump, so "nodump" sets UF_NODUMP and "dump" clears it.
            boolean off = false;
            String w = word;
            if (w.startsWith("no")) {
                off = true;
                w = w.substring(2);
            }
            long bit;
            if (w.equals("dump")) {
                off = !off;
                bit = UF_NODUMP;
            } else if (w.equals("nodump")) {
                bit = UF_NODUMP;
            } else {
                bit = bitOf(w);
            }
            if (bit == 0) {
                throw new IllegalArgumentException("invalid flag: '" + word + "'");
            }
            if (off) {
                clear |= bit;
                set &= ~bit;
            } else {
                set |= bit;
                clear &= ~bit;
            }
            any = true;
        }
        if (!any) {
            throw new IllegalArgumentException("invalid flags: '" + s + "'");
        }
        return new Change(set, clear, false);
    }

    private static long bitOf(String word) {
        for (Name n : ACCEPTED) {
            if (n.name.equals(word)) {
                return n.bit;
            }
        }
        return 0;
    }

    /** The flags as ls -o shows them: names joined by commas, "-" for none, unknown bits in octal. */
    static String show(long flags) {
        List<String> out = new ArrayList<>();
        long rest = flags;
        for (Name n : SHOWN) {
            if ((flags & n.bit) != 0) {
                out.add(n.name);
                rest &= ~n.bit;
            }
        }
        if (rest != 0) {
            out.add("0" + Long.toOctalString(rest));
        }
        return out.isEmpty() ? "-" : String.join(",", out);
    }
}
