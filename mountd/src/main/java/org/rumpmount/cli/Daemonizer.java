package org.rumpmount.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The background mode of {@code rumpmount mount}: Java cannot fork, so the command runs itself
 * again in a new JVM, in the foreground there ({@code mount -f}), in a session of its own when
 * setsid(1) is at hand (a terminal's hangup or Ctrl-C then does not reach it). Its standard
 * input is /dev/null, its standard error goes to a log file, and its standard output is a pipe
 * on which it writes "warning MESSAGE" lines for the image's partition table, if any, then one
 * line (and nothing after it): "ready" once the host mount is live, or "error MESSAGE". This
 * process shows the warnings on its standard error and waits for the last line, so that
 * mount(8), which waits for its helper, returns only once the file system can be used.
 */
final class Daemonizer {
    static final String READY = "ready";
    static final String ERROR = "error ";
    static final String WARNING = "warning ";
    /** Starting a JVM and mounting, on a slow shared machine. */
    private static final long READY_TIMEOUT_SECONDS = 90;

    /**
     * The quick C1 compiler alone: the daemon's time goes to FUSE round trips and copies, where
     * C2's better code saves little, while C2's compiling took more CPU than the file system
     * itself over a new daemon's first gigabyte, and a new daemon made files faster without it
     * (bench/results/fuse-2026-11-25-2.md).
     */
    static final String DAEMON_JIT = "-XX:TieredStopAtLevel=1";

    private Daemonizer() {
    }

    /**
     * The daemon's command line: this JVM's java and class path, the heap bound of its cache size
     * ({@link HeapLimit}), and {@code mount -f --ready-line}.
     */
    static List<String> command(DaemonOptions o, String optionList, String image, Path mountPoint,
            java.util.Map<String, String> env) {
        List<String> cmd = new ArrayList<>();
        Path setsid = Path.of("/usr/bin/setsid");
        if (Files.isExecutable(setsid)) {
            cmd.add(setsid.toString());
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Names cross FUSE byte-exact only under ISO-8859-1 (see the fuse-adapter).
        cmd.add("-Dfile.encoding=ISO-8859-1");
        // C1 alone, as the launcher runs a foreground daemon: see DAEMON_JIT.
        cmd.add(DAEMON_JIT);
        HeapLimit.flag(o.cacheBytes(), env).ifPresent(cmd::add);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("mount");
        cmd.add("-f");
        cmd.add("--ready-line");
        if (!optionList.isEmpty()) {
            cmd.add("-o");
            cmd.add(optionList);
        }
        cmd.add(image);
        cmd.add(mountPoint.toString());
        return cmd;
    }

    /** Starts the daemon and waits for its line; 0 once it is ready, else its error and 1. */
    static int spawn(Io io, DaemonOptions o, String optionList, String image, Path mountPoint) throws CommandFailure {
        Path log = logFile();
        List<String> cmd = command(o, optionList, image, mountPoint, System.getenv());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new CommandFailure(RawText.ofHost("cannot start the mount daemon: " + HostErrors.detail(e)));
        }
        String line = readLine(p, w -> io.err("rumpmount: mount: warning: " + w + "\n"));
        if (READY.equals(line)) {
            return ExitCodes.OK;
        }
        if (line != null && line.startsWith(ERROR)) {
            waitQuietly(p);
            // The message is raw bytes already, as the child printed it; libfuse's own reason, if
            // any, went to the log.
            throw new CommandFailure(line.substring(ERROR.length()) + RawText.ofHost(" (log: " + log + ")"));
        }
        if (p.isAlive()) {
            p.destroy();
        }
        waitQuietly(p);
        throw new CommandFailure(RawText.ofHost("the mount daemon " + (line == null ? "exited with status "
                + exitStatus(p) : "said '" + line + "'") + " before the mount was ready; see " + log));
    }

    /**
     * The daemon's last line (null at end of output), after handing each warning line's message,
     * raw, to {@code warning}.
     */
    private static String readLine(Process p, Consumer<String> warning) {
        // A reader thread, so that a daemon that neither answers nor exits cannot hang us.
        BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.ISO_8859_1))) {
                String line;
                do {
                    line = r.readLine();
                    lines.add(Optional.ofNullable(line));
                } while (line != null && line.startsWith(WARNING));
            } catch (IOException e) {
                lines.add(Optional.empty());
            }
        }, "daemon readiness");
        t.setDaemon(true);
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS);
        try {
            while (true) {
                Optional<String> line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    return "nothing in " + READY_TIMEOUT_SECONDS + " s";
                }
                if (line.isEmpty() || !line.get().startsWith(WARNING)) {
                    return line.orElse(null);
                }
                warning.accept(line.get().substring(WARNING.length()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "nothing (interrupted)";
        }
    }

    private static void waitQuietly(Process p) {
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String exitStatus(Process p) {
        return p.isAlive() ? "(still running)" : String.valueOf(p.exitValue());
    }

    /** Where daemons log: $RUMPMOUNT_LOG, else rumpmount-USER.log in the runtime or temporary directory. */
    static Path logFile() {
        String env = System.getenv("RUMPMOUNT_LOG");
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        Path dir = runtime != null && Files.isDirectory(Path.of(runtime)) ? Path.of(runtime)
                : Path.of(System.getProperty("java.io.tmpdir"));
        return dir.resolve("rumpmount-" + System.getProperty("user.name") + ".log");
    }

    /** In the daemon: the mount is live; the waiting parent may return. */
    static void reportReady() {
        PrintStream out = System.out;
        out.print(READY + "\n");
        // Flushed, not closed: a closed descriptor 1 would be reused by the next file opened,
        // and anything later written to standard output would land in it.
        out.flush();
    }

    /** In the daemon, before {@link #reportReady}: the partition table's warning {@code rawMessage}. */
    static void reportWarning(String rawMessage) {
        PrintStream out = System.out;
        byte[] b = (WARNING + rawMessage.replace('\n', ' ') + "\n").getBytes(StandardCharsets.ISO_8859_1);
        out.write(b, 0, b.length);
        out.flush();
    }

    /** In the daemon: the mount failed with {@code rawMessage}. */
    static void reportFailure(String rawMessage) {
        PrintStream out = System.out;
        byte[] b = (ERROR + rawMessage.replace('\n', ' ') + "\n").getBytes(StandardCharsets.ISO_8859_1);
        out.write(b, 0, b.length);
        out.flush();
    }
}
