package org.rumpmount.fuse;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * Unmounting FUSE mounts with the setuid helper, {@code fusermount3 -u} (fuse3 package) or
 * {@code fusermount -u} (fuse 2, or fuse3's compatibility link): it works for root and for
 * the user who mounted, which umount(8) does not.
 */
final class Fusermount {
    private static final List<String> NAMES = List.of("fusermount3", "fusermount");
    private static final long TIMEOUT_SECONDS = 30;

    private Fusermount() {
    }

    /** The helper found on PATH (or in /bin, /usr/bin), fusermount3 preferred. */
    static Optional<Path> find() {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) {
                if (!d.isEmpty()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        dirs.add(Path.of("/usr/bin"));
        dirs.add(Path.of("/bin"));
        for (String n : NAMES) {
            for (Path d : dirs) {
                Path p = d.resolve(n);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code fusermount -u [-z] mountPoint} and waits for it. EBUSY when the helper says
     * the mount is busy, EIO with its message for any other failure.
     */
    static void unmount(Path mountPoint, boolean lazy) throws IOException {
        Path helper = find().orElseThrow(() -> new VfsException(Errno.ENOENT,
                "neither fusermount3 nor fusermount is installed (Debian: apt-get install fuse3)"));
        List<String> cmd = new ArrayList<>(List.of(helper.toString(), "-u"));
        if (lazy) {
            cmd.add("-z");
        }
        cmd.add(mountPoint.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                Path.of("/dev/null").toFile())).start();
        boolean done;
        try {
            done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new VfsException(Errno.EINTR, String.join(" ", cmd) + ": interrupted");
        }
        if (!done) {
            p.destroyForcibly();
            throw new VfsException(Errno.ETIMEDOUT, String.join(" ", cmd) + ": no answer in " + TIMEOUT_SECONDS + " s");
        }
        String out = new String(p.getInputStream().readAllBytes(), Charset.defaultCharset()).trim();
        if (p.exitValue() != 0) {
            Errno e = out.contains("busy") ? Errno.EBUSY : Errno.EIO;
            throw new VfsException(e, String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + out);
        }
    }
}
