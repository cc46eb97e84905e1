package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon's JVM really runs with the heap bound of its cache size in every way it is started:
 * a foreground mount through the checkout's launcher, the background mode and mount(8)'s helper
 * form, and the systemd unit's command line through the launcher install.sh puts in place; and
 * a maximum in the environment is left to win.
 */
class DaemonHeapIT extends DaemonPerTest {
    private Path image;

    @BeforeEach
    void newfs() throws Exception {
        image = fx.dir.resolve("ffs.img");
        CliRun newfs = CliRun.run("newfs", "-s", "32m", image.toString());
        assertEquals(0, newfs.exit(), newfs.toString());
    }

    private static List<String> arguments(ProcessHandle h) {
        return List.of(h.info().arguments().orElseThrow(() -> new AssertionError("no command line for " + h.pid())));
    }

    private Process start(List<String> cmd, java.util.Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(fx.log().toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(fx.log().toFile()));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().putAll(env);
        return pb.start();
    }

    /**
     * Checks that the daemon {@code p} serves {@code mp}, then unmounts it and waits for the daemon
     * to end. Its exit status is not checked: a foreground daemon has no readiness signal here,
     * and one unmounted before it has itself seen the mount appear reports the mount as failed
     * (MountDaemonIT covers the status of a clean unmount).
     */
    private void unmount(Path mp, Process p) throws Exception {
        Path f = mp.resolve("heap-check");
        Files.writeString(f, "served");
        assertEquals("served", Files.readString(f));
        fx.ok("fusermount3", "-u", mp.toString());
        assertTrue(p.waitFor(DaemonFixture.TIMEOUT_SECONDS, TimeUnit.SECONDS), "the daemon outlives its mount");
    }

    @Test
    void aForegroundMountThroughTheLauncherRunsWithTheBound() throws Exception {
        Path mp = fx.mountPoint("mp");
        Process p = start(List.of(fx.launcher().toString(), "mount", "-f", "-o", "rw,cache_size=32m",
                image.toString(), mp.toString()), java.util.Map.of());
        fx.awaitMounted(mp, p);
        // The launcher execs the JVM: the process started is the daemon.
        List<String> args = arguments(p.toHandle());
        assertTrue(args.contains("-Xmx288m"), args.toString());
        assertFalse(fx.logText().contains("no heap maximum"), fx.logText());
        unmount(mp, p);
    }

    @Test
    void aMaximumInTheEnvironmentWins() throws Exception {
        Path mp = fx.mountPoint("mp");
        Process p = start(List.of(fx.launcher().toString(), "mount", "-f", "-o", "rw,cache_size=32m",
                image.toString(), mp.toString()), java.util.Map.of("JAVA_TOOL_OPTIONS", "-Xmx200m"));
        fx.awaitMounted(mp, p);
        List<String> args = arguments(p.toHandle());
        assertTrue(args.stream().noneMatch(a -> a.startsWith("-Xmx")), args.toString());
        assertFalse(fx.logText().contains("no heap maximum"), fx.logText());
        unmount(mp, p);
    }

    @Test
    void theMount8HelperFormStartsABoundedDaemon() throws Exception {
        Path mp = fx.mountPoint("mp");
        DaemonFixture.Result r = fx.run(fx.launcher().toString(), image.toString(), mp.toString(), "-o", "rw,cache_size=32m");
        assertEquals(0, r.exit(), r + "\n" + fx.logText());
        ProcessHandle d = fx.daemonOn(mp).orElseThrow(() -> new AssertionError("no daemon on " + mp));
        assertTrue(arguments(d).contains("-Xmx288m"), arguments(d).toString());
        fx.ok("fusermount3", "-u", mp.toString());
        DaemonFixture.awaitExit(d);
    }

    @Test
    void theSystemdUnitsCommandLineRunsWithTheBound() throws Exception {
        Path prefix = fx.dir.resolve("prefix");
        fx.ok("sh", fx.root.resolve("systemd/install.sh").toString(), "--prefix", prefix.toString(),
                "--unit-dir", prefix.resolve("units").toString());
        String exec = Files.readAllLines(prefix.resolve("units/rumpmount@.service")).stream()
                .filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow().substring("ExecStart=".length());
        Path mp = fx.mountPoint("mp");
        List<String> cmd = new ArrayList<>();
        for (String w : exec.trim().split("\\s+")) {
            cmd.add(w.replace("${OPTIONS}", "rw,cache_size=32m").replace("${IMAGE}", image.toString())
                    .replace("${MOUNTPOINT}", mp.toString()));
        }
        assertTrue(cmd.contains("-f"), "the unit runs a foreground daemon: " + cmd);
        Process p = start(cmd, java.util.Map.of());
        fx.awaitMounted(mp, p);
        List<String> args = arguments(p.toHandle());
        assertTrue(args.contains("-Xmx288m"), args.toString());
        unmount(mp, p);
    }
}
