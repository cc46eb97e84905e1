package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * systemd/install.sh into a scratch prefix, then systemd-analyze verify on every unit it
 * installs (a template through an instance of it). verify checks the files only: it needs no
 * running systemd, but it does check that ExecStart's program exists.
 */
class SystemdUnitsIT {
    private static final Path ROOT = root();

    private static Path root() {
        try {
            return DaemonFixture.repoRoot();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private record Run(int exit, String output) {
    }

    private static Run run(Path cwd, List<String> cmd) throws Exception {
        Path out = Files.createTempFile("systemd-it", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        Path xdg = Files.createTempDirectory("xdg");
        pb.environment().put("XDG_RUNTIME_DIR", xdg.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " hangs");
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        return new Run(p.exitValue(), text);
    }

    private static boolean have(String tool) {
        for (String d : new String[] {"/usr/bin", "/bin", "/usr/sbin", "/sbin"}) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private List<Path> install(boolean user) throws Exception {
        Path base = Files.createDirectories(Path.of("target", "it-systemd").toAbsolutePath());
        Path prefix = Files.createTempDirectory(base, user ? "user-" : "system-");
        Path units = prefix.resolve("units");
        List<String> cmd = new ArrayList<>(List.of("sh", ROOT.resolve("systemd/install.sh").toString(),
                "--prefix", prefix.toString(), "--unit-dir", units.toString()));
        if (user) {
            cmd.add("--user");
        }
        Run r = run(ROOT, cmd);
        assertEquals(0, r.exit(), r.output());
        assertTrue(Files.isExecutable(prefix.resolve("bin/rumpmount")));
        assertTrue(Files.isRegularFile(prefix.resolve("lib/rumpmount/rumpmount.jar")));
        Run version = run(ROOT, List.of(prefix.resolve("bin/rumpmount").toString(), "--version"));
        assertEquals(0, version.exit(), version.output());
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(units)) {
            s.sorted().forEach(out::add);
        }
        return out;
    }

    private static void verify(Path unit, boolean user) throws Exception {
        Path file = unit;
        String name = unit.getFileName().toString();
        if (name.contains("@.")) {
            // A template is verified through an instance of it.
            file = unit.resolveSibling(name.replace("@.", "@example."));
            Files.copy(unit, file);
        }
        String text = Files.readString(unit);
        assertFalse(text.contains("@PREFIX@"), name + " still has a placeholder");
        List<String> cmd = new ArrayList<>(List.of("systemd-analyze", "verify"));
        if (user) {
            cmd.add("--user");
        }
        cmd.add(file.toString());
        Run r = run(unit.getParent(), cmd);
        assertEquals(0, r.exit(), name + ": " + r.output());
        // verify only warns about unknown keys and bad values; here those count as failures too.
        assertFalse(r.output().contains(file.getFileName().toString()), name + ": " + r.output());
    }

    @Test
    void theSystemUnitsVerify() throws Exception {
        assumeTrue(have("systemd-analyze"), "systemd-analyze is missing (Debian: apt-get install systemd): unit checks skipped");
        List<Path> units = install(false);
        assertEquals(List.of("mnt-netbsd.mount", "rumpmount@.service"),
                units.stream().map(p -> p.getFileName().toString()).toList());
        for (Path u : units) {
            verify(u, false);
        }
    }

    @Test
    void theUserUnitVerifies() throws Exception {
        assumeTrue(have("systemd-analyze"), "systemd-analyze is missing (Debian: apt-get install systemd): unit checks skipped");
        List<Path> units = install(true);
        assertEquals(List.of("rumpmount-user@.service"), units.stream().map(p -> p.getFileName().toString()).toList());
        verify(units.get(0), true);
    }

    @Test
    void verifyCatchesAMissingProgram() throws Exception {
        assumeTrue(have("systemd-analyze"), "systemd-analyze is missing: unit checks skipped");
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it-systemd").toAbsolutePath()), "bad-");
        Path bad = dir.resolve("bad.service");
        Files.writeString(bad, "[Service]\nType=exec\nExecStart=" + dir.resolve("no-such-program") + "\n");
        Run r = run(dir, List.of("systemd-analyze", "verify", bad.toString()));
        assertTrue(r.exit() != 0, "verify accepted a unit whose program is missing: " + r.output());
    }
}
