package org.rumpmount.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's mount table, /proc/self/mountinfo, asked whether a directory has a mount on it. */
final class HostMounts {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private HostMounts() {
    }

    /** Whether {@code dir} (absolute, normalised) is a mount point now. */
    static boolean isMountPoint(Path dir) {
        byte[] want = dir.toString().getBytes(RawText.HOST);
        try {
            for (String line : Files.readAllLines(MOUNTINFO, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                String[] f = line.split(" ");
                if (f.length > 4 && java.util.Arrays.equals(unescape(f[4]), want)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            // Without a mount table there is nothing to wait for.
            return false;
        }
    }

    /** mountinfo writes space, tab, newline and backslash as \ooo octal escapes. */
    static byte[] unescape(String field) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.write(Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
