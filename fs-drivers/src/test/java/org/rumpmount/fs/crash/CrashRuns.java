package org.rumpmount.fs.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Random;

/**
 * How a power-cut test spends its cut points, the same for every file system: the system
 * properties that size a run ({@code rumpmount.crash.cuts}, {@code .workloads}, {@code .seed},
 * {@code .out}), each workload's seed, its share of the cuts, and where those cuts fall.
 */
public final class CrashRuns {
    private CrashRuns() {
    }

    /** The seed the workloads' seeds count up from. */
    public static long seed() {
        return Long.getLong("rumpmount.crash.seed", 20261125L);
    }

    /** Workloads per configuration, at least one. */
    public static int workloads() {
        return Math.max(1, Integer.getInteger("rumpmount.crash.workloads", 1));
    }

    /** Cut points for each of {@code configs} configurations: the run's count shared among them. */
    public static int cutsPerConfig(int configs) {
        return Math.max(workloads(), Integer.getInteger("rumpmount.crash.cuts", 300) / configs);
    }

    /** The seed of workload {@code n} of configuration {@code config}. */
    public static long workloadSeed(int n, String config) {
        return (seed() + n) ^ config.hashCode();
    }

    /** Workload {@code n}'s share of {@code cuts}: an even split, the remainder to the first ones. */
    public static int share(int cuts, int workloads, int n) {
        return cuts / workloads + (n < cuts % workloads ? 1 : 0);
    }

    /** One cut: the power fails after write {@code at}, keeping {@code torn} sectors of the next (0: none). */
    public interface Cut {
        void at(long at, int torn) throws Exception;
    }

    /**
     * Makes {@code count} cuts of a workload of {@code total} writes: spread evenly with jitter over
     * [0, total], a third of them torn within a block of {@code bsize} bytes.
     */
    public static void cut(long workloadSeed, int count, long total, int bsize, Cut cut) throws Exception {
        Random r = new Random(workloadSeed);
        for (int i = 0; i < count; i++) {
            long at = Math.min(total, (long) ((i + r.nextDouble()) * (total + 1) / count));
            int torn = r.nextInt(3) == 0 ? 1 + r.nextInt(bsize / 512 - 1) : 0;
            cut.at(at, torn);
        }
    }

    /** Writes the figures of every configuration run to {@code rumpmount.crash.out}, if it is set. */
    public static void writeFigures(Map<String, String> figures) throws IOException {
        String out = System.getProperty("rumpmount.crash.out");
        if (out != null && !figures.isEmpty()) {
            Path p = Paths.get(out);
            if (p.getParent() != null) {
                Files.createDirectories(p.getParent());
            }
            Files.writeString(p, String.join("\n", figures.values()));
        }
    }
}
