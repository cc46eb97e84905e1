package org.rumpmount.fuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.rumpmount.vfs.Credentials;

/**
 * The credentials of the process behind a FUSE request. FUSE gives the caller's fsuid, fsgid and
 * thread id but not its supplementary groups, so those are read, best effort, from the
 * {@code Groups:} line of {@code /proc/<pid>/status}. If the caller is gone or the file cannot be
 * read, the request runs with no supplementary groups: it can then only be refused more, never
 * allowed more. Root needs no groups (it passes every check), so its /proc read is skipped.
 */
final class CallerCredentials {
    private final Path procRoot;

    /** Reads groups under {@code procRoot} (normally /proc). */
    CallerCredentials(Path procRoot) {
        this.procRoot = procRoot;
    }

    CallerCredentials() {
        this(Path.of("/proc"));
    }

    /** The credentials of caller {@code pid} with ids {@code uid} and {@code gid}. */
    Credentials of(long uid, long gid, long pid) {
        if (uid == 0) {
            return new Credentials(0, gid);
        }
        return new Credentials(uid, gid, groups(pid));
    }

    /** The supplementary groups of {@code pid}; none when they cannot be read. */
    long[] groups(long pid) {
        if (pid <= 0) {
            return new long[0];
        }
        try {
            String status = Files.readString(procRoot.resolve(Long.toString(pid)).resolve("status"),
                    StandardCharsets.ISO_8859_1);
            return parseGroups(status);
        } catch (IOException | RuntimeException e) {
            return new long[0];
        }
    }

    /** The ids on the "Groups:" line of a /proc status text; none when the line is absent. */
    static long[] parseGroups(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Groups:")) {
                String rest = line.substring("Groups:".length()).trim();
                if (rest.isEmpty()) {
                    return new long[0];
                }
                return Arrays.stream(rest.split("\\s+")).mapToLong(Long::parseLong).toArray();
            }
        }
        return new long[0];
    }
}
