package org.rumpmount.fs.ffs.fsck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rumpmount.block.FaultInjectingBlockDevice;
import org.rumpmount.block.FaultPlan;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.fs.crash.CrashRuns;
import org.rumpmount.fs.crash.CrashWorkload;
import org.rumpmount.fs.ffs.FfsChecker;
import org.rumpmount.fs.ffs.FfsDriver;
import org.rumpmount.fs.ffs.newfs.Newfs;
import org.rumpmount.fs.ffs.newfs.NewfsOptions;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.buf.BufferCache;
import org.rumpmount.vfs.contract.FakeClockHost;

/**
 * Crash safety: a seeded {@link CrashWorkload} runs on a fresh image made by our newfs, through
 * the driver on a {@link FaultInjectingBlockDevice}, with the power cut after a chosen number of
 * writes (some of them torn at a sector boundary). The cut points are spread over the whole
 * workload: a first run without faults counts the writes before each operation.
 *
 * <p>After each cut, the bytes that reached the medium must recover: {@code fsck -f -y} ends
 * with exit 0 or 1, a second {@code fsck -f -n} finds the file system clean (exit 0), an
 * independent checker agrees, and a read-write mount shows every file whose fsync returned
 * before the cut, and which no operation changed, renamed or removed before the cut, at its path
 * with its size and content exactly. The path, not just the inode: the driver's fsync writes
 * every delayed buffer, directory blocks included, as NetBSD's does for a file system without
 * soft dependencies or a log (ufs_direnter writes the directory block at once there), so the
 * names leading to an fsynced file are on the medium when fsync returns. A file found only in
 * lost+found therefore counts as lost.
 *
 * <p>One repair must never be needed: a name for a free inode ("UNALLOCATED"). The driver
 * writes a directory entry's removal or rewrite before the inode it named can be freed, so a
 * crash leaves at worst a leaked inode or a link count too high, which fsck lowers.
 *
 * <p>The number of cut points is {@code rumpmount.crash.cuts} (default 300, shared by the
 * configurations), spread over {@code rumpmount.crash.workloads} workloads (default 1) made
 * from seeds counting up from {@code rumpmount.crash.seed}; with {@code rumpmount.crash.out}
 * the figures are also written to that file (bench/ffs-crash.sh runs thousands).
 */
class FfsCrashTest {
    private static final int OPS = 420;

    /** A geometry for the image, and whether its workload reaches the double indirect block. */
    record Config(String name, int version, ByteOrder order, int bsize, int fsize, int mib, boolean bigFile) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Config> configs() {
        return List.of(new Config("ufs2-le-4k", 2, ByteOrder.LITTLE_ENDIAN, 4096, 512, 8, true),
                new Config("ufs1-be-8k", 1, ByteOrder.BIG_ENDIAN, 8192, 1024, 8, false));
    }

    private static final Map<String, String> FIGURES = new LinkedHashMap<>();

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void fsyncedFilesSurviveEveryCut(Config c) throws Exception {
        long started = System.nanoTime();
        int workloads = CrashRuns.workloads();
        int cuts = CrashRuns.cutsPerConfig(configs().size());
        byte[] fresh = newfs(c);
        Tally tally = new Tally();
        List<String> lost = new ArrayList<>();
        StringBuilder runs = new StringBuilder();
        for (int n = 0; n < workloads; n++) {
            long seed = CrashRuns.workloadSeed(n, c.name());
            CrashWorkload w = new CrashWorkload(seed, OPS, c.bsize(), (c.mib() << 20) / 3, c.bigFile());
            long[] marks = countWrites(w, fresh);
            long total = marks[OPS];
            assertTrue(total > 200, "the workload made only " + total + " writes");
            int share = CrashRuns.share(cuts, workloads, n);
            CrashRuns.cut(seed, share, total, c.bsize(),
                    (at, torn) -> crashAt(c, w, fresh, marks, at, torn, tally, lost));
            runs.append(runs.length() == 0 ? "" : "; ").append(share).append(" cuts over ").append(total)
                    .append(" writes (").append(w.durables.size()).append(" fsyncs)");
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        String figures = c + ": " + cuts + " cut points, " + workloads + " workload(s) of " + OPS
                + " operations from seed " + CrashRuns.seed() + ": " + runs + "; " + ms + " ms\n" + tally.render(lost);
        System.out.println(figures);
        FIGURES.put(c.name(), figures);
        assertTrue(lost.isEmpty(), () -> lost.size() + " fsynced files not intact after a crash:\n"
                + String.join("\n", lost.subList(0, Math.min(20, lost.size()))));
    }

    /** The run without faults: how many writes precede each operation (and all of them, last). */
    private static long[] countWrites(CrashWorkload w, byte[] fresh) throws IOException {
        FaultInjectingBlockDevice counting = FaultInjectingBlockDevice.wrap(
                MemoryBlockDevice.of(fresh, 512, false, false), FaultPlan.NONE);
        try (Kernel k = kernel()) {
            Mount mp = k.mount("ffs", counting, MountOptions.readWrite());
            long[] marks = CrashWorkload.marks(w, new PathFacade(mp, Credentials.ROOT), counting);
            k.unmount(mp, false);
            return marks;
        }
    }

    @AfterAll
    static void writeFigures() throws IOException {
        CrashRuns.writeFigures(FIGURES);
    }

    /** Replays the workload with the power cut after {@code at} writes, then recovers and checks. */
    private void crashAt(Config c, CrashWorkload w, byte[] fresh, long[] marks, long at, int torn, Tally tally,
            List<String> lost) throws Exception {
        MemoryBlockDevice medium = MemoryBlockDevice.of(fresh, 512, false, false);
        FaultInjectingBlockDevice dev = FaultInjectingBlockDevice.wrap(medium,
                FaultPlan.builder().powerCutAfterWrites(at, torn).build());
        String where = c + " cut after write " + at + (torn > 0 ? " torn to " + torn + " sectors" : "");
        int reached = runUntilPowerFails(w, dev, marks, where);
        // The machine is dead: its kernel and cache are dropped without unmounting, and fsck
        // gets the medium itself (the dead kernel's writes stop at the fault injector above it).
        byte[] crashed = medium.snapshot();
        MemoryBlockDevice disk = medium;
        FsckReport y = FfsFsck.check(disk, FsckOptions.yes(true));
        assertTrue(y.exitCode() == FsckReport.EXIT_CLEAN || y.exitCode() == FsckReport.EXIT_CORRECTED,
                () -> where + " (stopped in op " + reached + "): fsck -y\n" + y);
        FsckReport n = FfsFsck.check(disk, FsckOptions.checkOnly(true));
        assertEquals(FsckReport.EXIT_CLEAN, n.exitCode(), () -> where + ": after fsck -y\n" + y + "\nfsck -n\n" + n);
        List<String> problems = FfsChecker.check(disk.snapshot());
        assertTrue(problems.isEmpty(), () -> where + ": fsck -y left\n" + String.join("\n", problems) + "\n" + y);
        assertTrue(!y.said("UNALLOCATED"), () -> where + ": an entry outlived its inode\n" + y);
        tally.add(y);

        List<CrashWorkload.Durable> expected = w.intactAfter(marks, at);
        tally.checked += expected.size();
        try (Kernel k = kernel()) {
            Mount mp = k.mount("ffs", disk, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            for (CrashWorkload.Durable d : expected) {
                String why = d.damage(p);
                if (why != null) {
                    lost.add(where + ", stopped in op " + reached + ": " + d.path + " fsynced at op " + d.op + ": " + why
                            + "; before fsck: " + beforeFsck(crashed, d) + "\n" + y);
                }
            }
            k.unmount(mp, false);
        }
    }

    /** Runs the workload until the power has failed; returns the operation it failed in. */
    private static int runUntilPowerFails(CrashWorkload w, FaultInjectingBlockDevice dev, long[] marks, String where)
            throws Exception {
        Kernel k = kernel();
        Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
        return w.replayUntilPowerFails(new PathFacade(mp, Credentials.ROOT), dev, marks, where, w::run);
    }

    /** Whether the file was intact on the crashed image before fsck, read through a read-only mount. */
    private static String beforeFsck(byte[] crashed, CrashWorkload.Durable d) {
        try (Kernel k = kernel()) {
            Mount mp = k.mount("ffs", MemoryBlockDevice.of(crashed, 512, false, true), MountOptions.readOnly());
            String why = d.damage(new PathFacade(mp, Credentials.ROOT));
            return why == null ? "intact" : why;
        } catch (IOException e) {
            return "not mountable: " + e;
        }
    }

    private static Kernel kernel() {
        DriverRegistry registry = new DriverRegistry();
        registry.register(new FfsDriver());
        // A small cache, so that buffers are also written when evicted, not only by fsync.
        return new Kernel(new FakeClockHost(), registry, new BufferCache(256 << 10));
    }

    private static byte[] newfs(Config c) throws IOException {
        MemoryBlockDevice dev = MemoryBlockDevice.create(c.mib() << 20);
        Newfs.format(dev, NewfsOptions.builder().version(c.version()).blockSize(c.bsize()).fragmentSize(c.fsize())
                .bytesPerInode(4 * c.bsize()).byteOrder(c.order()).build(), new FakeClockHost());
        return dev.snapshot();
    }

    /** What fsck -y did over all cuts: exit codes, and how often each kind of message came up. */
    private static final class Tally {
        final Map<Integer, Integer> exits = new TreeMap<>();
        final Map<String, Integer> kinds = new TreeMap<>();
        long checked;

        void add(FsckReport y) {
            exits.merge(y.exitCode(), 1, Integer::sum);
            java.util.Set<String> seen = new java.util.TreeSet<>();
            for (String m : y.messages()) {
                if (m.startsWith("**") || m.contains("files,") || m.isBlank()) {
                    continue;
                }
                seen.add(m.replaceAll("[0-9]+", "N").replaceAll("=\\S+", "=").replaceAll("\\s+", " ").trim());
            }
            seen.forEach(s -> kinds.merge(s, 1, Integer::sum));
        }

        String render(List<String> lost) {
            StringBuilder s = new StringBuilder();
            s.append("fsck -y exit codes: ").append(exits).append("; fsynced files checked: ").append(checked)
                    .append(", lost: ").append(lost.size()).append('\n');
            s.append("fsck -y findings (cut points where each came up):\n");
            kinds.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                    .forEach(e -> s.append(String.format("  %6d  %s%n", e.getValue(), e.getKey())));
            return s.toString();
        }
    }
}
