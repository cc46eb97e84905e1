package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Eight processes (not threads: each its own python3) read and write through one read-write
 * mount of a new FFS image at the same time, for a bounded time, each checking everything it
 * wrote. Then the mount ends; the daemon's log holds no error, the image is clean by our fsck,
 * and every file the processes left behind has, read from the unmounted image, the content
 * they last wrote.
 */
class ConcurrentProcessesIT {
    private static final int PROCESSES = 8;
    private static final int SECONDS = 20;
    /** Not a multiple of any block size, so neighbouring slots share blocks of the shared file. */
    private static final int SLOT = 40_000;
    private static final int PATTERN_BYTES = 3 << 20;
    /** What the daemon writes to its log when something went wrong (JUL levels, our own prefix). */
    private static final Pattern ERROR_LINE = Pattern.compile("(?i).*(severe|error|warning|exception|failed|rumpmount:).*");

    private DaemonFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new DaemonFixture("concurrent");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.cleanUp();
        }
    }

    @Test
    void eightProcessesReadAndWriteOwnAndSharedFilesAndTheImageEndsClean() throws Exception {
        assumeTrue(onPath("python3"), "python3 is missing (Debian: apt-get install python3): concurrency test skipped");
        Path script = fx.dir.resolve("churn.py");
        try (InputStream in = ConcurrentProcessesIT.class.getResourceAsStream("churn.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Path img = fx.dir.resolve("churn.img");
        CliRun newfs = CliRun.run("newfs", "-s", "256m", img.toString());
        assertEquals(0, newfs.exit(), newfs.toString());
        Path mp = fx.mountPoint("mnt");
        DaemonFixture.Result r = fx.run(fx.launcher().toString(), "mount", img.toString(), mp.toString());
        assertEquals(0, r.exit(), r + fx.logText());
        ProcessHandle daemon = fx.daemonOn(mp).orElseThrow();

        Files.createDirectories(mp.resolve("shared/dir"));
        Files.write(mp.resolve("shared/data"), new byte[PROCESSES * SLOT]);
        byte[] pattern = pattern(PATTERN_BYTES);
        Files.write(mp.resolve("shared/pattern"), pattern);

        List<Process> workers = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            Path out = fx.dir.resolve("worker" + i + ".out");
            outs.add(out);
            workers.add(new ProcessBuilder("python3", script.toString(), mp.toString(), String.valueOf(i),
                    String.valueOf(SECONDS), String.valueOf(SLOT))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start());
        }
        List<String> keep = new ArrayList<>();
        List<String> slots = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            Process w = workers.get(i);
            if (!w.waitFor(SECONDS + 120, TimeUnit.SECONDS)) {
                workers.forEach(Process::destroyForcibly);
                fail("process " + i + " still running " + (SECONDS + 120) + " s after it was started; log:\n" + fx.logText());
            }
            String out = Files.readString(outs.get(i), StandardCharsets.UTF_8);
            assertEquals(0, w.exitValue(), "process " + i + ":\n" + out + "\ndaemon log:\n" + fx.logText());
            List<String> lines = out.lines().toList();
            String done = lines.get(lines.size() - 1);
            assertTrue(done.matches("done " + i + " \\d+"), out);
            assertTrue(Long.parseLong(done.split(" ")[2]) >= 10, "process " + i + " hardly got any work done: " + done);
            lines.stream().filter(l -> l.startsWith("keep ")).forEach(keep::add);
            lines.stream().filter(l -> l.startsWith("slot ")).forEach(slots::add);
        }
        assertEquals(PROCESSES, slots.size());

        fx.ok("fusermount3", "-u", mp.toString());
        DaemonFixture.awaitExit(daemon);
        assertFalse(HostMounts.isMountPoint(mp));
        List<String> errors = fx.logText().lines().filter(l -> ERROR_LINE.matcher(l).matches()).toList();
        assertEquals(List.of(), errors, "the daemon logged errors; whole log:\n" + fx.logText());

        CliRun fsck = CliRun.run("fsck", "-f", "-n", img.toString());
        assertEquals(0, fsck.exit(), fsck.toString());

        // What the processes left, read back from the unmounted image by our own command.
        for (String line : keep) {
            String[] f = line.split(" ");
            CliRun cat = CliRun.run("cat", img.toString(), "/" + f[1]);
            assertEquals(0, cat.exit(), line + ": " + cat);
            assertEquals(Long.parseLong(f[2]), cat.stdout().length, line);
            assertEquals(f[3], SharedImages.sha256(cat.stdout()), line);
        }
        byte[] data = CliRun.run("cat", img.toString(), "/shared/data").stdout();
        assertEquals(PROCESSES * SLOT, data.length);
        for (String line : slots) {
            String[] f = line.split(" ");
            int i = Integer.parseInt(f[1]);
            assertEquals(f[2], SharedImages.sha256(java.util.Arrays.copyOfRange(data, i * SLOT, (i + 1) * SLOT)), "slot " + i);
        }
        assertEquals(SharedImages.sha256(pattern), SharedImages.sha256(CliRun.run("cat", img.toString(), "/shared/pattern").stdout()));
    }

    private static boolean onPath(String program) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, program)));
    }

    /** As churn.py's pattern_bytes: the SHA-256 of each 32-byte chunk's index in decimal. */
    private static byte[] pattern(int size) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] b = new byte[size];
        for (int c = 0; c * 32 < size; c++) {
            byte[] d = md.digest(String.valueOf(c).getBytes(StandardCharsets.US_ASCII));
            System.arraycopy(d, 0, b, c * 32, Math.min(32, size - c * 32));
        }
        return b;
    }
}
