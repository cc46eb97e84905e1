package org.rumpmount.fuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The Sleuth Kit (Debian package "sleuthkit") as an independent reader of an FFS image: fls lists
 * the tree, icat and tsk_recover give file contents, istat a symbolic link's target. None of it
 * shares code with our driver.
 */
final class Sleuthkit {
    static final List<String> TOOLS = List.of("fls", "icat", "istat", "tsk_recover");

    /** One allocated name fls lists: its type ("r", "d", "l"), inode, mtime in seconds, size and owner. */
    record Entry(String type, long inode, long mtime, long size, long uid, long gid) {
    }

    private final Path image;

    Sleuthkit(Path image) {
        this.image = image;
    }

    static boolean installed() {
        return TOOLS.stream().allMatch(t -> Files.isExecutable(Paths.get("/usr/bin", t)));
    }

    /**
     * fls -r -p -l: every allocated name by path. Names left in free directory space ("r/r *")
     * and the virtual $OrphanFiles directory are not part of the tree.
     */
    Map<String, Entry> list() throws IOException {
        Map<String, Entry> out = new TreeMap<>();
        String text = new String(run(List.of("fls", "-r", "-p", "-l", "-f", "ufs", image.toString())), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            // "r/r 5:\tdoc/a\t<mtime>\t<atime>\t<ctime>\t<crtime>\t<size>\t<uid>\t<gid>", times "2025-10-07 12:34:56 (UTC)"
            if (line.isEmpty() || line.startsWith("V/V") || line.length() > 4 && line.charAt(4) == '*') {
                continue;
            }
            String[] f = line.split("\t");
            int colon = f[0].indexOf(':');
            String type = f[0].substring(2, 3); // the inode's type, after the entry's
            long inode = Long.parseLong(f[0].substring(4, colon).trim());
            String mtime = f[2].replace(" (UTC)", "").replace(' ', 'T');
            long secs = java.time.LocalDateTime.parse(mtime).toEpochSecond(java.time.ZoneOffset.UTC);
            out.put(f[1], new Entry(type, inode, secs, Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8])));
        }
        return out;
    }

    /** icat: the content of an inode. */
    byte[] icat(long inode) throws IOException {
        return run(List.of("icat", "-f", "ufs", image.toString(), Long.toString(inode)));
    }

    /** istat's "symbolic link to:" line. */
    String linkTarget(long inode) throws IOException {
        String text = new String(run(List.of("istat", "-f", "ufs", image.toString(), Long.toString(inode))),
                StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.startsWith("symbolic link to: ")) {
                return line.substring("symbolic link to: ".length());
            }
        }
        throw new IOException("istat of inode " + inode + " shows no link target:\n" + text);
    }

    /** tsk_recover -a: every allocated file written under {@code dir} by its path. */
    void recoverAll(Path dir) throws IOException {
        run(List.of("tsk_recover", "-a", "-f", "ufs", image.toString(), dir.toString()));
    }

    private static byte[] run(List<String> cmd) throws IOException {
        List<String> full = new ArrayList<>(cmd);
        ProcessBuilder pb = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.PIPE);
        pb.environment().put("TZ", "UTC");
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd + " did not finish in 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(cmd + " interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(cmd + " failed with status " + p.exitValue() + ": " + err.join());
        }
        return out;
    }
}
