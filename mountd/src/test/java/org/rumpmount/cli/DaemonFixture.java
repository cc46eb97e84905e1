package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.rumpmount.fuse.FuseMount;

/**
 * The mount daemon run as the user runs it: the launcher {@code ./rumpmount} (or the packaged
 * jar) as a subprocess, host tools on the mount. Remembers every mount point it hands out and
 * every daemon it starts, so that {@link #cleanUp} leaves neither a mount nor a process behind.
 */
final class DaemonFixture {
    static final long TIMEOUT_SECONDS = 120;

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    final Path root;
    final Path dir;
    private final List<Path> mountPoints = new ArrayList<>();
    private final List<Process> foreground = new ArrayList<>();

    DaemonFixture(String name) throws IOException {
        assumeTrue(FuseMount.deviceAvailable(), "/dev/fuse is missing: no FUSE here, mount tests skipped");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/fusermount3")) || Files.isExecutable(Path.of("/bin/fusermount3")),
                "fusermount3 is missing (Debian: apt-get install fuse3): mount tests skipped");
        this.root = repoRoot();
        Path base = Path.of("target", "it-daemon").toAbsolutePath();
        Files.createDirectories(base);
        this.dir = Files.createTempDirectory(base, name + "-");
        if (!Files.isRegularFile(jar())) {
            fail("the packaged command is missing: " + jar() + " (run the integration tests through mvn verify)");
        }
    }

    /** The directory holding the parent pom (rumpmount-parent). */
    static Path repoRoot() throws IOException {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path pom = d.resolve("pom.xml");
            if (Files.isRegularFile(pom)) {
                String text = Files.readString(pom);
                if (text.contains("<artifactId>rumpmount-parent</artifactId>") && !text.contains("<parent>")) {
                    return d;
                }
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }

    Path launcher() {
        return root.resolve("rumpmount");
    }

    Path jar() {
        return root.resolve("mountd/target/rumpmount.jar");
    }

    Path log() {
        return dir.resolve("daemon.log");
    }

    /** A new empty directory to mount on; cleaned up whatever happens. */
    Path mountPoint(String name) throws IOException {
        Path mp = Files.createDirectories(dir.resolve(name));
        mountPoints.add(mp);
        return mp;
    }

    /** A copy of reference image {@code name} from the shared folder. */
    Path referenceImage(String name) throws IOException {
        Path copy = dir.resolve(name + ".img");
        Files.copy(SharedImages.image(name), copy);
        return copy;
    }

    /** Runs a command to completion, with the daemons' log in this test's folder. */
    Result run(String... cmd) throws IOException, InterruptedException {
        return run(Map.of(), cmd);
    }

    Result run(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("RUMPMOUNT_LOG", log().toString());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
    }

    Result ok(String... cmd) throws IOException, InterruptedException {
        Result r = run(cmd);
        if (r.exit() != 0) {
            fail(String.join(" ", cmd) + " failed: " + r);
        }
        return r;
    }

    /** {@code rumpmount mount -f ...} as a child of this test, standard error to the log. */
    Process foreground(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(launcher().toString(), "mount", "-f"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        foreground.add(p);
        return p;
    }

    /** Waits until {@code mp} is a mount point (or {@code p} has ended: then fails with the log). */
    void awaitMounted(Path mp, Process p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!HostMounts.isMountPoint(mp)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                fail("no mount on " + mp + (p.isAlive() ? " in time" : ", daemon exited " + p.exitValue()) + "; log:\n" + logText());
            }
            Thread.sleep(50);
        }
    }

    String logText() throws IOException {
        return Files.exists(log()) ? Files.readString(log(), StandardCharsets.ISO_8859_1) : "(no log)";
    }

    /** The background daemon serving {@code mp}, found by its command line. */
    Optional<ProcessHandle> daemonOn(Path mp) {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().arguments().map(a -> List.of(a).contains("--ready-line")
                        && List.of(a).contains(mp.toString())).orElse(false))
                .findFirst();
    }

    /** Waits for a process to end. */
    static void awaitExit(ProcessHandle h) throws Exception {
        h.onExit().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Unmounts what is still mounted and ends the daemons, whatever the test left behind. */
    void cleanUp() throws IOException, InterruptedException {
        for (Path mp : mountPoints) {
            Optional<ProcessHandle> d = daemonOn(mp);
            if (HostMounts.isMountPoint(mp)) {
                run("fusermount3", "-u", "-z", mp.toString());
            }
            d.ifPresent(ProcessHandle::destroy);
        }
        for (Process p : foreground) {
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
