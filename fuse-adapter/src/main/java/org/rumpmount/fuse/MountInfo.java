package org.rumpmount.fuse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mount table as {@code /proc/self/mountinfo} shows it: how a FUSE mount is known to have
 * appeared or gone (libfuse's own calls do not say).
 */
final class MountInfo {
    /** One line: mount point, type ("fuse.rumpmount"), source (the fsname) and options. */
    record Entry(String mountPoint, String fsType, String source, String options) {
    }

    private MountInfo() {
    }

    /** The entries of this process's mount table. */
    static List<Entry> read() throws IOException {
        return parse(Files.readString(Path.of("/proc/self/mountinfo"), Charset.forName("ISO-8859-1")), pathCharset());
    }

    /** The entry mounted last on {@code mountPoint} (absolute, normalised), if any. */
    static Optional<Entry> find(Path mountPoint) throws IOException {
        String want = mountPoint.toString();
        Entry found = null;
        for (Entry e : read()) {
            if (e.mountPoint().equals(want)) {
                found = e;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * Parses mountinfo text read as ISO-8859-1 (so each char is one byte). Fields: id, parent,
     * dev, root, mount point, options, optional fields up to "-", type, source, super options.
     * Paths carry octal escapes (\040 for space); they are decoded to bytes, then to text with
     * {@code cs}, the charset host paths use.
     */
    static List<Entry> parse(String text, Charset cs) {
        List<Entry> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(" ");
            int dash = -1;
            for (int i = 6; i < f.length; i++) {
                if (f[i].equals("-")) {
                    dash = i;
                    break;
                }
            }
            if (f.length < 6 || dash < 0 || dash + 2 >= f.length) {
                continue;
            }
            out.add(new Entry(unescape(f[4], cs), unescape(f[dash + 1], cs), unescape(f[dash + 2], cs), f[5]));
        }
        return out;
    }

    static String unescape(String s, Charset cs) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                b.write(Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.write(c);
            }
        }
        return new String(b.toByteArray(), cs);
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }

    /** The charset the JVM uses for host file names. */
    static Charset pathCharset() {
        String jnu = System.getProperty("sun.jnu.encoding");
        try {
            return jnu == null ? Charset.defaultCharset() : Charset.forName(jnu);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }
}
