package org.rumpmount.cli;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The mount daemon's heap bound: its buffer cache plus {@link #BESIDE_CACHE}. Without a maximum
 * the JVM lets its heap grow towards a quarter of the host's memory before collecting, whatever
 * the cache size (bench/results/fuse-*.md measured 1.7 GiB resident for a 32 MiB cache).
 *
 * <p>Every daemon gets it: the background mode's child from {@link Daemonizer}, and a foreground
 * daemon ({@code mount -f}, as the systemd units run it) from its launcher, which cannot know the
 * cache size without parsing the options and so asks this class's {@link #main} for the flag
 * before starting the daemon's JVM. A maximum the user names in the environment
 * (JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS, which every JVM reads) or on the JVM's command line wins.
 */
public final class HeapLimit {
    /**
     * Room in the heap beside the buffer cache: the cylinder group maps and directory indexes the
     * FFS driver keeps (each bounded by a share of the cache size), vnodes, FUSE's request
     * buffers, and the collector's headroom.
     */
    static final long BESIDE_CACHE = 256L << 20;

    private static final List<String> ENV_OPTIONS = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

    private HeapLimit() {
    }

    /** The -Xmx flag for a daemon with {@code cacheBytes} of cache; empty when {@code env} names a maximum. */
    static Optional<String> flag(long cacheBytes, Map<String, String> env) {
        for (String var : ENV_OPTIONS) {
            if (namesMaximum(env.get(var))) {
                return Optional.empty();
            }
        }
        long mib = (cacheBytes + BESIDE_CACHE + (1 << 20) - 1) >> 20;
        return Optional.of("-Xmx" + mib + "m");
    }

    private static boolean namesMaximum(String options) {
        return options != null && (options.contains("-Xmx") || options.contains("MaxHeapSize"));
    }

    /**
     * The flag a launcher adds for the rumpmount command line {@code args}: only a foreground
     * mount gets one (a background mount bounds the daemon it starts itself; other commands are
     * short). Empty too when the options do not parse: the mount itself then says what is wrong.
     */
    static Optional<String> forCommandLine(Set<String> commands, String[] args, Map<String, String> env) {
        String[] argv = MountHelperForm.rewrite(commands, args);
        if (argv.length == 0 || !argv[0].equals("mount")) {
            return Optional.empty();
        }
        boolean foreground = false;
        List<String> options = new ArrayList<>();
        for (int i = 1; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--")) {
                break;
            } else if (a.equals("-f")) {
                foreground = true;
            } else if (a.equals("-o") && i + 1 < argv.length) {
                options.add(argv[++i]);
            } else if (a.startsWith("-o") && a.length() > 2) {
                options.add(a.substring(2));
            }
        }
        if (!foreground) {
            return Optional.empty();
        }
        DaemonOptions o;
        try {
            o = MountOptionsParser.parse(String.join(",", options));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return flag(o.cacheBytes(), env);
    }

    /** Whether the running JVM was given a heap maximum, on its command line or through the environment. */
    static boolean jvmHasMaximum() {
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (namesMaximum(a)) {
                return true;
            }
        }
        return false;
    }

    /**
     * For launchers: prints the -Xmx flag the rumpmount command line {@code args} should run
     * with, or nothing, and exits 0.
     */
    public static void main(String[] args) {
        ArgvBytes.recover(args);
        Set<String> commands = Cli.commandNames(Io.system(), java.time.ZoneId.systemDefault());
        forCommandLine(commands, args, System.getenv()).ifPresent(System.out::println);
    }
}
