package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * sleuthkit (Debian package "sleuthkit") as an independent reader of an FFS image file: fls
 * lists the tree, icat extracts a file by inode number, fsstat describes the file system.
 */
public final class Sleuthkit {
    private Sleuthkit() {
    }

    /** Skips the calling test, saying why, when sleuthkit is not installed. */
    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(Paths.get("/usr/bin/fls")), "sleuthkit is not installed");
    }

    /** Runs a sleuthkit command: its output as text, or with {@code out} written there. */
    public static String run(List<String> cmd, Path out) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        if (out != null) {
            pb.redirectOutput(out.toFile());
        }
        Process p = pb.start();
        String s = out == null ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
        if (p.waitFor() != 0) {
            throw new IOException(cmd + " failed with status " + p.exitValue());
        }
        return s;
    }

    /**
     * Asserts that fls lists exactly the paths of {@code files} as the regular files of the image
     * {@code img}, and that icat gives each one's content; {@code out} takes icat's output.
     */
    public static void assertReads(Path img, Map<String, byte[]> files, Path out) throws IOException, InterruptedException {
        Map<String, Long> inodes = new TreeMap<>();
        for (String line : run(List.of("fls", "-r", "-p", "-f", "ufs", img.toString()), null).split("\n")) {
            // "r/r 5:\tdir/file1"; names left in free directory space show as "r/r * 11(realloc):".
            int colon = line.indexOf(':');
            int tab = line.indexOf('\t');
            if (line.startsWith("r/r ") && !line.startsWith("r/r *") && colon > 0 && tab > colon) {
                inodes.put("/" + line.substring(tab + 1), Long.parseLong(line.substring(4, colon).trim()));
            }
        }
        assertEquals(new TreeMap<>(files).keySet(), inodes.keySet(), "the regular files sleuthkit lists");
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            run(List.of("icat", "-f", "ufs", img.toString(), Long.toString(inodes.get(e.getKey()))), out);
            assertArrayEquals(e.getValue(), Files.readAllBytes(out), "icat of " + e.getKey());
        }
    }
}
