package org.rumpmount.fs.lfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.block.FaultInjectingBlockDevice;
import org.rumpmount.block.FaultPlan;
import org.rumpmount.block.ForwardingBlockDevice;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.fs.crash.CrashRuns;
import org.rumpmount.fs.crash.CrashWorkload;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.buf.BufferCache;
import org.rumpmount.vfs.contract.FakeClockHost;

/**
 * Crash safety of the LFS: a seeded {@link CrashWorkload} runs on a small file system made by
 * {@link NewfsLfs}, through the driver on a {@link FaultInjectingBlockDevice}, with the power cut
 * after a chosen number of writes (a third of them torn at a sector boundary). The file systems
 * are small, so the workload fills partial segments, crosses segment ends, takes checkpoints when
 * enough is pending, and makes the cleaner run. A first run without faults counts the writes
 * before each operation, so the cut points spread over the whole workload.
 *
 * <p>After each cut, three things must hold, with fsck run without repairs every time:
 * <ol>
 *   <li>The image as the cut left it is clean: the checkpoint a mount starts from (the older of
 *       the two superblock copies) describes a consistent file system, whatever was written
 *       after it.</li>
 *   <li>A writable mount rolls the log forward and writes a checkpoint; the image as that mount
 *       left it is clean, and every file whose fsync returned before the cut, and which no
 *       operation changed, renamed or removed before the cut, reads back at its path with its
 *       size and content exactly. The path too: the driver's fsync writes every pending change
 *       in one flush, directories included, and roll-forward replays whole flushes only.</li>
 *   <li>Every file and symbolic link of the tree can be read, and after unmounting the image is
 *       clean again.</li>
 * </ol>
 *
 * <p>The number of cut points is {@code rumpmount.crash.cuts} (default 300, shared by the
 * configurations), spread over {@code rumpmount.crash.workloads} workloads (default 1) made from
 * seeds counting up from {@code rumpmount.crash.seed}; with {@code rumpmount.crash.out} the
 * figures are also written to that file (bench/lfs-crash.sh runs thousands).
 */
class LfsCrashTest {
    /** After every this many operations the test calls sync(2): a checkpoint, alternating superblock copies. */
    private static final int SYNC_EVERY = 100;

    /**
     * A geometry for the image, how many operations its workload has (enough for the cleaner to
     * copy live blocks), and whether the workload reaches the double indirect block.
     */
    record Config(String name, boolean is64, ByteOrder order, int bsize, int fsize, int ssize, int mib, int ops,
            boolean bigFile) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Config> configs() {
        return List.of(new Config("lfs32-le-4k", false, ByteOrder.LITTLE_ENDIAN, 4096, 1024, 64 << 10, 6, 1100, false),
                new Config("lfs64-be-8k", true, ByteOrder.BIG_ENDIAN, 8192, 1024, 64 << 10, 6, 700, true),
                new Config("lfs32-be-4k-512", false, ByteOrder.BIG_ENDIAN, 4096, 512, 64 << 10, 6, 1100, false));
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
            CrashWorkload w = new CrashWorkload(seed, c.ops(), c.bsize(), (c.mib() << 20) / 2, c.bigFile());
            Counted counted = countWrites(w, c.ops(), fresh);
            long[] marks = counted.marks;
            long total = marks[c.ops()];
            assertTrue(total > 200, "the workload made only " + total + " writes");
            int share = CrashRuns.share(cuts, workloads, n);
            CrashRuns.cut(seed, share, total, c.bsize(),
                    (at, torn) -> crashAt(c, w, fresh, marks, at, torn, tally, lost));
            runs.append(runs.length() == 0 ? "" : ";\n  ").append("workload seed ").append(seed).append(": ").append(share).append(" cuts over ").append(total)
                    .append(" writes (").append(w.durables.size()).append(" fsyncs, ").append(counted.checkpoints)
                    .append(" superblock writes, cleaner: ").append(counted.cleaner).append(")");
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        String figures = c + " (" + (c.is64() ? "lfs64" : "32-bit") + ", " + c.order() + ", " + c.bsize() + "/"
                + c.fsize() + ", " + (c.ssize() >> 10) + " KiB segments, " + c.mib() + " MiB): " + cuts
                + " cut points, " + workloads + " workload(s) of " + c.ops() + " operations from seed " + CrashRuns.seed() + ":\n  "
                + runs + "; " + ms + " ms\n" + tally.render(lost);
        System.out.println(figures);
        FIGURES.put(c.name(), figures);
        assertTrue(lost.isEmpty(), () -> lost.size() + " problems after a crash:\n"
                + String.join("\n", lost.subList(0, Math.min(20, lost.size()))));
    }

    /**
     * Cuts that once went wrong, kept whatever the count of cut points: the configuration, the
     * workload's number (its seed counts up from the default), the write after which the power
     * fails, and the sectors of the next write kept.
     */
    @ParameterizedTest(name = "{0} workload {1} cut after write {2} torn to {3}")
    @CsvSource({
        // The checkpoint after roll-forward filled its segment exactly: its offset lay in the next
        // segment, which fsck took for the current one and left unchecked.
        "lfs32-le-4k, 2, 1965, 0",
    })
    void cutsThatOnceFailed(String name, int workload, long at, int torn) throws Exception {
        Config c = configs().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        byte[] fresh = newfs(c);
        long seed = (20261125L + workload) ^ c.name().hashCode();
        CrashWorkload w = new CrashWorkload(seed, c.ops(), c.bsize(), (c.mib() << 20) / 2, c.bigFile());
        long[] marks = countWrites(w, c.ops(), fresh).marks;
        List<String> lost = new ArrayList<>();
        crashAt(c, w, fresh, marks, at, torn, new Tally(), lost);
        assertEquals(List.of(), lost);
    }

    /** The fault-free run's write counts, and what the log did in it. */
    private record Counted(long[] marks, long checkpoints, SegmentCleaner.Totals cleaner) {
    }

    /** The run without faults: how many writes precede each operation (and all of them, last). */
    private static Counted countWrites(CrashWorkload w, int ops, byte[] fresh) throws IOException {
        MemoryBlockDevice medium = MemoryBlockDevice.of(fresh.clone(), 512, false, false);
        Superblock sb = LfsFileSystem.open(medium).sb;
        SuperblockWrites watched = new SuperblockWrites(medium, sb.byteOffset(sb.sboffs[0]), sb.byteOffset(sb.sboffs[1]));
        FaultInjectingBlockDevice counting = FaultInjectingBlockDevice.wrap(watched, FaultPlan.NONE);
        try (Kernel k = kernel()) {
            Mount mp = k.mount("lfs", counting, MountOptions.readWrite());
            long atMount = watched.count;
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            long[] marks = new long[ops + 1];
            for (int i = 0; i < ops; i++) {
                marks[i] = counting.writes();
                step(w, i, p);
            }
            marks[ops] = counting.writes();
            SegmentCleaner.Totals cleaner = ((LfsMount) mp.vfsOps()).cleaner.totals();
            long checkpoints = watched.count - atMount;
            k.unmount(mp, false);
            return new Counted(marks, checkpoints, cleaner);
        }
    }

    /** Counts the writes that reach either superblock copy: one per checkpoint during the workload. */
    private static final class SuperblockWrites extends ForwardingBlockDevice {
        private final long first;
        private final long second;
        long count;

        SuperblockWrites(BlockDevice inner, long first, long second) {
            super(inner);
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(long offset, ByteBuffer src) throws IOException {
            long end = offset + src.remaining();
            if (first >= offset && first < end || second >= offset && second < end) {
                count++;
            }
            inner.write(offset, src);
        }
    }

    @AfterAll
    static void writeFigures() throws IOException {
        CrashRuns.writeFigures(FIGURES);
    }

    /** Replays the workload with the power cut after {@code at} writes, then recovers and checks. */
    private void crashAt(Config c, CrashWorkload w, byte[] fresh, long[] marks, long at, int torn, Tally tally,
            List<String> lost) throws Exception {
        MemoryBlockDevice medium = MemoryBlockDevice.of(fresh.clone(), 512, false, false);
        FaultInjectingBlockDevice dev = FaultInjectingBlockDevice.wrap(medium,
                FaultPlan.builder().powerCutAfterWrites(at, torn).build());
        String where = c + " cut after write " + at + (torn > 0 ? " torn to " + torn + " sectors" : "");
        int reached = runUntilPowerFails(w, dev, marks, where);
        String stop = where + " (stopped in op " + reached + ")";
        // The machine is dead: its kernel and cache are dropped without unmounting.
        byte[] crashed = medium.snapshot();
        long serialBefore = serial(crashed);
        List<String> atCut = fsck(crashed);
        if (!atCut.isEmpty()) {
            lost.add(stop + ": the checkpoint mounted from is not clean:\n  " + String.join("\n  ", atCut));
            return;
        }
        List<CrashWorkload.Durable> expected = w.intactAfter(marks, at);
        tally.checked += expected.size();
        MemoryBlockDevice disk = MemoryBlockDevice.of(crashed.clone(), 512, false, false);
        try (Kernel k = kernel()) {
            Mount mp;
            try {
                mp = k.mount("lfs", disk, MountOptions.builder().readOnly(false).force(true).build());
            } catch (IOException e) {
                lost.add(stop + ": the roll-forward mount failed: " + e);
                return;
            }
            byte[] rolled = disk.snapshot();
            if (serial(rolled) != serialBefore) {
                tally.rolledForward++;
            }
            List<String> afterRoll = fsck(rolled);
            if (!afterRoll.isEmpty()) {
                lost.add(stop + ": not clean after roll-forward:\n  " + String.join("\n  ", afterRoll));
            }
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            for (CrashWorkload.Durable d : expected) {
                String why = d.damage(p);
                if (why != null) {
                    lost.add(stop + ": " + d.path + " fsynced at op " + d.op + ": " + why);
                }
            }
            String unreadable = readEverything(p, "/");
            if (unreadable != null) {
                lost.add(stop + ": after roll-forward " + unreadable);
            }
            k.unmount(mp, false);
        }
        List<String> afterUnmount = fsck(disk.snapshot());
        if (!afterUnmount.isEmpty()) {
            lost.add(stop + ": not clean after unmounting:\n  " + String.join("\n  ", afterUnmount));
        }
    }

    /** Runs the workload until the power has failed; returns the operation it failed in. */
    private static int runUntilPowerFails(CrashWorkload w, FaultInjectingBlockDevice dev, long[] marks, String where)
            throws Exception {
        Kernel k = kernel();
        Mount mp = k.mount("lfs", dev, MountOptions.readWrite());
        return w.replayUntilPowerFails(new PathFacade(mp, Credentials.ROOT), dev, marks, where, (i, q) -> step(w, i, q));
    }

    /** Operation {@code i} of the workload, then a sync when one is due. */
    private static void step(CrashWorkload w, int i, PathFacade p) throws IOException {
        w.run(i, p);
        if (i % SYNC_EVERY == SYNC_EVERY - 1) {
            p.sync();
        }
    }

    /** LfsFsck without repairs: the problems it finds, as lines. */
    private static List<String> fsck(byte[] image) throws IOException {
        List<String> out = new ArrayList<>();
        LfsFsck.Report r = LfsFsck.check(MemoryBlockDevice.of(image, 512, false, true), false, line -> { });
        for (LfsFsck.Problem pr : r.problems()) {
            out.add(pr.toString());
        }
        return out;
    }

    private static long serial(byte[] image) throws IOException {
        return LfsFileSystem.open(MemoryBlockDevice.of(image, 512, false, true)).sb.serial;
    }

    /** Reads every file and link under {@code dir}; says what failed, or null. */
    private static String readEverything(PathFacade p, String dir) {
        try {
            for (Dirent e : p.readdir(dir)) {
                String name = e.name().toString();
                if (name.equals(".") || name.equals("..")) {
                    continue;
                }
                String path = dir.equals("/") ? "/" + name : dir + "/" + name;
                Vattr va = p.lstat(path);
                if (va.type == VType.VDIR) {
                    String why = readEverything(p, path);
                    if (why != null) {
                        return why;
                    }
                } else if (va.type == VType.VLNK) {
                    p.readlink(path);
                } else if (p.readAll(path).length != va.size) {
                    return path + ": read fewer than its " + va.size + " bytes";
                }
            }
            return null;
        } catch (IOException e) {
            return dir + ": " + e;
        }
    }

    private static Kernel kernel() {
        DriverRegistry registry = new DriverRegistry();
        registry.register(new LfsDriver());
        // A small cache, so that reads after the cut also come from the medium.
        return new Kernel(new FakeClockHost(), registry, new BufferCache(256 << 10));
    }

    private static byte[] newfs(Config c) throws IOException {
        MemoryBlockDevice dev = MemoryBlockDevice.create(c.mib() << 20);
        NewfsLfs.format(dev, new NewfsLfs.Options(c.mib() << 20, c.bsize(), c.fsize(), c.ssize(), c.is64(), c.order(),
                10, 0, 0, 0x5eed1e55, 1_700_000_000L));
        return dev.snapshot();
    }

    /** What happened over all cuts. */
    private static final class Tally {
        long checked;
        long rolledForward;

        String render(List<String> lost) {
            return "cuts after which roll-forward replayed partial segments: " + rolledForward
                    + "; fsynced files checked: " + checked + "; problems: " + lost.size() + "\n";
        }
    }
}
