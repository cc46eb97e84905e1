package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every form of the mount daemon gets a heap bounded by its cache size unless the user bounds
 * it: the background mode's child, a foreground mount (the launchers ask {@link HeapLimit} for
 * the flag), mount(8)'s helper form, and the command lines the systemd units run.
 */
final class DaemonHeapTest {
    private static final Set<String> COMMANDS = Cli.commandNames(Io.system(), ZoneId.of("UTC"));

    private static Optional<String> launcherFlag(Map<String, String> env, String... args) {
        return HeapLimit.forCommandLine(COMMANDS, args, env);
    }

    @Test
    void theDefaultCacheGivesAHeapOfTheCachePlusRoomBesideIt() {
        assertEquals(Optional.of("-Xmx320m"), HeapLimit.flag(DaemonOptions.DEFAULT_CACHE_BYTES, Map.of()));
    }

    @Test
    void aLargerCacheRaisesTheLimitByAsMuch() {
        assertEquals(Optional.of("-Xmx2304m"), HeapLimit.flag(2L << 30, Map.of()));
    }

    @Test
    void aCacheSizeThatIsNotWholeMebibytesRoundsUp() {
        assertEquals(Optional.of("-Xmx257m"), HeapLimit.flag(1000, Map.of()));
    }

    @Test
    void aLimitInTheEnvironmentIsLeftToTheJvm() {
        assertEquals(Optional.empty(), HeapLimit.flag(64L << 20, Map.of("JAVA_TOOL_OPTIONS", "-Xmx1g")));
        assertEquals(Optional.empty(), HeapLimit.flag(64L << 20, Map.of("JDK_JAVA_OPTIONS", "-XX:MaxHeapSize=512m")));
        assertEquals(Optional.of("-Xmx320m"), HeapLimit.flag(64L << 20, Map.of("JAVA_TOOL_OPTIONS", "-Xss1m")));
    }

    @Test
    void theBackgroundDaemonIsStartedWithTheBound() {
        List<String> cmd = Daemonizer.command(MountOptionsParser.parse("rw,cache_size=32m"), "rw,cache_size=32m",
                "disk.img", Path.of("/mnt/x"), Map.of());
        assertTrue(cmd.contains("-Xmx288m"), cmd.toString());
        assertTrue(cmd.indexOf("-Xmx288m") < cmd.indexOf(Main.class.getName()), "a JVM option, before the main class: " + cmd);
        List<String> user = Daemonizer.command(MountOptionsParser.parse("cache_size=32m"), "cache_size=32m",
                "disk.img", Path.of("/mnt/x"), Map.of("JAVA_TOOL_OPTIONS", "-Xmx100m"));
        assertTrue(user.stream().noneMatch(a -> a.startsWith("-Xmx")), user.toString());
    }

    @Test
    void aForegroundMountGetsTheBoundFromItsOptions() {
        assertEquals(Optional.of("-Xmx288m"), launcherFlag(Map.of(), "mount", "-f", "-o", "rw,cache_size=32m", "a.img", "/mnt/x"));
        assertEquals(Optional.of("-Xmx288m"), launcherFlag(Map.of(), "mount", "-o", "ro", "-ocache_size=32m", "-f", "a.img", "/mnt/x"));
        assertEquals(Optional.of("-Xmx320m"), launcherFlag(Map.of(), "mount", "-f", "a.img", "/mnt/x"));
        assertEquals(Optional.of("-Xmx1280m"), launcherFlag(Map.of(), "mount", "-f", "-o", "cache_size=1g", "a.img", "/mnt/x"));
    }

    @Test
    void aForegroundMountLeavesAMaximumInTheEnvironmentAlone() {
        assertEquals(Optional.empty(), launcherFlag(Map.of("JAVA_TOOL_OPTIONS", "-Xmx2g"), "mount", "-f", "a.img", "/mnt/x"));
    }

    @Test
    void theHelperFormOfMount8IsBoundedLikeTheCommandItStandsFor() {
        // mount -t fuse.rumpmount IMAGE DIR -o OPTS runs "rumpmount IMAGE DIR -o OPTS": the background
        // mode, whose child gets the bound; with -f added it is a foreground mount.
        String[] helper = {"a.img", "/mnt/x", "-o", "rw,nosuid,nodev,cache_size=32m"};
        assertEquals(Optional.empty(), launcherFlag(Map.of(), helper));
        String[] argv = MountHelperForm.rewrite(COMMANDS, helper);
        assertEquals("mount", argv[0]);
        List<String> cmd = Daemonizer.command(MountOptionsParser.parse(argv[4]), argv[4], argv[1], Path.of(argv[2]), Map.of());
        assertTrue(cmd.contains("-Xmx288m"), cmd.toString());
        assertEquals(Optional.of("-Xmx288m"), launcherFlag(Map.of(), "a.img", "/mnt/x", "-f", "-o", "cache_size=32m"));
    }

    @Test
    void otherCommandsGetNoBound() {
        assertEquals(Optional.empty(), launcherFlag(Map.of(), "fsck", "-f", "a.img"));
        assertEquals(Optional.empty(), launcherFlag(Map.of(), "rm", "-f", "a.img", "/x"));
        assertEquals(Optional.empty(), launcherFlag(Map.of(), "mount", "-f", "-o", "no_such_option", "a.img", "/mnt/x"));
    }

    @Test
    void theSystemdUnitsCommandLinesAreForegroundMountsThatGetTheBound() throws Exception {
        Path root = DaemonFixture.repoRoot();
        Map<String, String> conf = new HashMap<>();
        for (String line : Files.readAllLines(root.resolve("systemd/example.conf"))) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                conf.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        for (String unit : List.of("rumpmount@.service", "rumpmount-user@.service")) {
            String exec = Files.readAllLines(root.resolve("systemd").resolve(unit)).stream()
                    .filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow().substring("ExecStart=".length());
            for (Map.Entry<String, String> e : conf.entrySet()) {
                exec = exec.replace("${" + e.getKey() + "}", e.getValue());
            }
            String[] words = exec.trim().split("\\s+");
            assertTrue(words[0].endsWith("/bin/rumpmount"), unit + ": " + exec);
            String[] args = java.util.Arrays.copyOfRange(words, 1, words.length);
            assertEquals(Optional.of("-Xmx320m"), launcherFlag(Map.of(), args), unit + ": " + exec);
            String[] smallCache = exec.replace(conf.get("OPTIONS"), conf.get("OPTIONS") + ",cache_size=16m")
                    .trim().split("\\s+");
            assertEquals(Optional.of("-Xmx272m"),
                    launcherFlag(Map.of(), java.util.Arrays.copyOfRange(smallCache, 1, smallCache.length)), unit);
        }
    }
}
