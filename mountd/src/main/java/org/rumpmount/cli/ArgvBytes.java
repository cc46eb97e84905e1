package org.rumpmount.cli;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The exact bytes of the command-line arguments. The JVM hands main() Strings decoded with the
 * host charset, which loses bytes that charset cannot decode (a Latin-1 file name in a UTF-8
 * locale becomes U+FFFD). On Linux the kernel still holds the original bytes in
 * /proc/self/cmdline; the last arguments there are main's, and each is used only when it decodes
 * to exactly the String the JVM gave, so a mismatch (another launcher, an argument file) simply
 * falls back to re-encoding.
 */
final class ArgvBytes {
    private static volatile Map<String, String> recovered = Map.of();

    private ArgvBytes() {
    }

    /** Reads /proc/self/cmdline for {@code args}; call once from main. */
    static void recover(String[] args) {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
            recovered = match(args, cmdline, RawText.HOST);
        } catch (IOException | RuntimeException e) {
            recovered = Map.of(); // not Linux, or no /proc: arguments are re-encoded
        }
    }

    /** The raw form of {@code arg}: its original bytes when known, else its re-encoding. */
    static String raw(String arg) {
        String r = recovered.get(arg);
        return r != null ? r : RawText.ofHost(arg);
    }

    /**
     * Maps each argument String to the raw form of its original bytes, when the last
     * {@code args.length} NUL-terminated entries of {@code cmdline} decode to {@code args} in
     * order. Arguments whose String stands for two different byte sequences are left out.
     */
    static Map<String, String> match(String[] args, byte[] cmdline, Charset host) {
        List<byte[]> entries = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                entries.add(Arrays.copyOfRange(cmdline, start, i));
                start = i + 1;
            }
        }
        if (entries.size() < args.length) {
            return Map.of();
        }
        List<byte[]> mine = entries.subList(entries.size() - args.length, entries.size());
        Map<String, String> out = new HashMap<>();
        Set<String> ambiguous = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            if (!new String(mine.get(i), host).equals(args[i])) {
                return Map.of();
            }
            String raw = RawText.of(mine.get(i));
            String before = out.putIfAbsent(args[i], raw);
            if (before != null && !before.equals(raw)) {
                ambiguous.add(args[i]);
            }
        }
        out.keySet().removeAll(ambiguous);
        return Collections.unmodifiableMap(out);
    }
}
