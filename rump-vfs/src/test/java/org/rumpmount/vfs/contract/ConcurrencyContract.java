package org.rumpmount.vfs.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.rumpmount.vfs.Errno.EEXIST;
import static org.rumpmount.vfs.Errno.EINVAL;
import static org.rumpmount.vfs.Errno.EISDIR;
import static org.rumpmount.vfs.Errno.ENOENT;
import static org.rumpmount.vfs.Errno.ENOTDIR;
import static org.rumpmount.vfs.Errno.ENOTEMPTY;
import static org.rumpmount.vfs.Errno.EPERM;
import static org.rumpmount.vfs.OpenFlags.O_APPEND;
import static org.rumpmount.vfs.OpenFlags.O_CREAT;
import static org.rumpmount.vfs.OpenFlags.O_RDONLY;
import static org.rumpmount.vfs.OpenFlags.O_RDWR;
import static org.rumpmount.vfs.OpenFlags.O_WRONLY;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.FileHandle;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;

/**
 * The concurrency contract: many threads racing on one tree through the path facade, as
 * NetBSD's t_renamerace and t_rmdirrace do, with a stricter account afterwards. A racing POSIX
 * program may see ENOENT, EEXIST, ENOTEMPTY, ENOTDIR, EISDIR, EINVAL (a rename into its own
 * subtree) and, for unlink or link of what turned out to be a directory, EPERM; anything else
 * is a failure. No worker may hang; no write may be lost; afterwards the tree must pass the
 * audit and no vnode may stay referenced.
 */
public abstract class ConcurrencyContract extends ContractBase {
    private static final Set<Errno> RACE_ERRORS = EnumSet.of(ENOENT, EEXIST, ENOTEMPTY, ENOTDIR, EISDIR, EINVAL, EPERM);
    private static final String[] NAMES = {"a", "b", "c", "d"};
    private static final int RECORD = 16;
    private static final int COUNTERS = 4;
    private static final int PRIVATE_FILES = 3;

    /** Racing threads. */
    protected int workers() {
        return 8;
    }

    /** How long the main hammer runs. */
    protected Duration hammerTime() {
        return Duration.ofSeconds(3);
    }

    /**
     * The most steps each worker takes in the main hammer. Renames there push whole subtrees
     * below the three levels the workers can name, where no unlink or rmdir reaches them, so the
     * tree only grows with the number of steps: a file system of fixed size bounds the steps,
     * not only the time, or a fast machine fills it (ENOSPC, which no racing program expects).
     */
    protected long hammerSteps() {
        return Long.MAX_VALUE;
    }

    /** How long the shorter races run. */
    protected Duration raceTime() {
        return Duration.ofMillis(1500);
    }

    /** How long past the deadline a worker may take before the test calls it hung. */
    protected Duration hangBound() {
        return Duration.ofSeconds(60);
    }

    private void assertOutcome(RaceRunner.Outcome o) {
        if (o.hung()) {
            abandonMount = true;
        }
        if (!o.ok()) {
            fail(o.describe());
        }
        assertTrue(o.iterations() > 0, "no worker completed a step");
    }

    /** Runs {@code call}, accepting only the errors a racing program can see. */
    @FunctionalInterface
    private interface Call {
        void run() throws IOException;
    }

    private static void racing(String what, Call call) throws IOException {
        try {
            call.run();
        } catch (VfsException e) {
            if (!RACE_ERRORS.contains(e.errno())) {
                throw new AssertionError(what + ": an error no racing program should see", e);
            }
            if ((e.errno() == EPERM && !what.startsWith("unlink") && !what.startsWith("link"))
                    || (e.errno() == EINVAL && !what.startsWith("rename"))) {
                throw new AssertionError(what + ": " + e.errno() + " is not a race outcome of this call", e);
            }
        }
    }

    private static String randomPath(SplittableRandom r) {
        StringBuilder sb = new StringBuilder("/t");
        int depth = 1 + r.nextInt(3);
        for (int i = 0; i < depth; i++) {
            sb.append('/').append(NAMES[r.nextInt(NAMES.length)]);
        }
        return sb.toString();
    }

    /** An in-memory model of one private file: what it must hold. */
    private static final class Model {
        byte[] data = new byte[0];

        void write(long off, byte[] b) {
            int end = (int) off + b.length;
            if (end > data.length) {
                data = Arrays.copyOf(data, end);
            }
            System.arraycopy(b, 0, data, (int) off, b.length);
        }

        void truncate(int size) {
            data = Arrays.copyOf(data, size);
        }
    }

    @Test
    public void threadsHammeringOneTreeSeeOnlyRaceErrorsLoseNothingAndLeaveItConsistent() throws Exception {
        int n = workers();
        fs.mkdir("/t", 0755);
        fs.mkdir("/counters", 0755);
        for (int c = 0; c < COUNTERS; c++) {
            fs.open("/counters/c" + c, O_RDWR | O_CREAT, 0644).close();
        }
        Model[][] models = new Model[n][PRIVATE_FILES];
        for (int w = 0; w < n; w++) {
            fs.mkdir("/p" + w, 0755);
            for (int k = 0; k < PRIVATE_FILES; k++) {
                models[w][k] = new Model();
                fs.open("/p" + w + "/f" + k, O_RDWR | O_CREAT, 0644).close();
            }
        }
        AtomicLongArray appends = new AtomicLongArray(COUNTERS);
        long[][] seqs = new long[n][COUNTERS];

        RaceRunner.Outcome o = RaceRunner.run("hammer", n, hammerTime(), hammerSteps(), hangBound(), 1, (w, r, i) -> {
            int op = r.nextInt(16);
            String p = randomPath(r);
            switch (op) {
                case 0 -> racing("create " + p, () -> {
                    try (FileHandle h = fs.open(p, O_RDWR | O_CREAT, 0644)) {
                        h.write(r.nextInt(20_000), ByteBuffer.wrap(bytes(r, 1 + r.nextInt(5000))));
                    }
                });
                case 1 -> racing("write " + p, () -> {
                    try (FileHandle h = fs.open(p, O_WRONLY, 0)) {
                        h.write(r.nextInt(20_000), ByteBuffer.wrap(bytes(r, 1 + r.nextInt(5000))));
                    }
                });
                case 2 -> racing("read " + p, () -> {
                    try (FileHandle h = fs.open(p, O_RDONLY, 0)) {
                        h.read(r.nextInt(20_000), ByteBuffer.allocate(4096));
                    }
                });
                case 3, 4 -> {
                    String q = randomPath(r);
                    racing("rename " + p + " -> " + q, () -> fs.rename(p, q));
                }
                case 5 -> racing("unlink " + p, () -> fs.unlink(p));
                case 6, 7 -> racing("mkdir " + p, () -> fs.mkdir(p, 0755));
                case 8 -> racing("rmdir " + p, () -> fs.rmdir(p));
                case 9 -> {
                    String q = randomPath(r);
                    racing("link " + p + " -> " + q, () -> fs.link(p, q));
                }
                case 10 -> racing("readdir " + p, () -> {
                    for (var d : fs.readdir(p)) {
                        if (d.name().length() == 0) {
                            throw new AssertionError("empty name listed in " + p);
                        }
                    }
                });
                case 11 -> racing("stat " + p, () -> {
                    Vattr va = fs.stat(p);
                    if (va.type != VType.VREG && va.type != VType.VDIR) {
                        throw new AssertionError(p + " has type " + va.type);
                    }
                });
                case 12 -> racing("truncate " + p, () -> fs.truncate(p, r.nextInt(30_000)));
                case 13 -> {
                    int c = r.nextInt(COUNTERS);
                    ByteBuffer rec = ByteBuffer.allocate(RECORD).order(ByteOrder.LITTLE_ENDIAN);
                    rec.putLong(w).putLong(seqs[w][c]).flip();
                    try (FileHandle h = fs.open("/counters/c" + c, O_WRONLY | O_APPEND, 0)) {
                        assertEquals(RECORD, h.write(0, rec));
                    }
                    seqs[w][c]++;
                    appends.incrementAndGet(c);
                }
                default -> {
                    int k = r.nextInt(PRIVATE_FILES);
                    String f = "/p" + w + "/f" + k;
                    Model m = models[w][k];
                    if (r.nextInt(8) == 0) {
                        int size = r.nextInt(40_000);
                        fs.truncate(f, size);
                        m.truncate(size);
                    } else if (r.nextInt(4) == 0) {
                        assertArrayEquals(m.data, fs.readAll(f), f + " lost an update");
                    } else {
                        long off = r.nextInt(40_000);
                        byte[] b = bytes(r, 1 + r.nextInt(9000));
                        try (FileHandle h = fs.open(f, O_RDWR, 0)) {
                            assertEquals(b.length, h.write(off, ByteBuffer.wrap(b)));
                        }
                        m.write(off, b);
                    }
                }
            }
        });
        assertOutcome(o);

        for (int w = 0; w < n; w++) {
            for (int k = 0; k < PRIVATE_FILES; k++) {
                String f = "/p" + w + "/f" + k;
                assertArrayEquals(models[w][k].data, fs.readAll(f), f + " does not hold what its owner wrote");
            }
        }
        for (int c = 0; c < COUNTERS; c++) {
            byte[] all = fs.readAll("/counters/c" + c);
            assertEquals(appends.get(c) * RECORD, all.length, "appends to c" + c + " lost or torn");
            long[] next = new long[n];
            ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                int w = (int) b.getLong();
                long seq = b.getLong();
                assertTrue(w >= 0 && w < n, "torn record in c" + c + ": worker " + w);
                assertEquals(next[w], seq, "records of worker " + w + " in c" + c + " out of order or lost");
                next[w]++;
            }
        }
        assertConsistentNow();
    }

    @Test
    public void rmdirRacingWithCreatesAndLookupsNeverOrphansAFile() throws Exception {
        fs.mkdir("/rr", 0755);
        RaceRunner.Outcome o = RaceRunner.run("rmdir-race", workers(), raceTime(), Long.MAX_VALUE, hangBound(), 2, (w, r, i) -> {
            switch (w % 4) {
                case 0 -> {
                    racing("mkdir", () -> fs.mkdir("/rr/d", 0755));
                    racing("rmdir", () -> fs.rmdir("/rr/d"));
                }
                case 1 -> racing("create in d", () -> {
                    fs.open("/rr/d/f" + w, O_RDWR | O_CREAT, 0644).close();
                    racing("unlink in d", () -> fs.unlink("/rr/d/f" + w));
                });
                case 2 -> racing("stat d/..", () -> assertEquals(fs.stat("/rr").fileid, fs.stat("/rr/d/..").fileid));
                default -> racing("mkdir in d", () -> {
                    fs.mkdir("/rr/d/s" + w, 0755);
                    racing("rmdir in d", () -> fs.rmdir("/rr/d/s" + w));
                });
            }
        });
        assertOutcome(o);
        assertConsistentNow();
    }

    @Test
    public void directoriesRenamedIntoEachOtherNeverDeadlockOrFormALoop() throws Exception {
        fs.mkdir("/rn", 0755);
        fs.mkdir("/rn/x", 0755);
        fs.mkdir("/rn/y", 0755);
        fs.open("/rn/f", O_RDWR | O_CREAT, 0644).close();
        RaceRunner.Outcome o = RaceRunner.run("rename-race", workers(), raceTime(), Long.MAX_VALUE, hangBound(), 3, (w, r, i) -> {
            switch (w % 4) {
                case 0 -> {
                    racing("rename x into y", () -> fs.rename("/rn/x", "/rn/y/x"));
                    racing("rename x back", () -> fs.rename("/rn/y/x", "/rn/x"));
                }
                case 1 -> {
                    racing("rename y into x", () -> fs.rename("/rn/y", "/rn/x/y"));
                    racing("rename y back", () -> fs.rename("/rn/x/y", "/rn/y"));
                }
                case 2 -> {
                    racing("rename f to g", () -> fs.rename("/rn/f", "/rn/g"));
                    racing("rename g to f", () -> fs.rename("/rn/g", "/rn/f"));
                }
                default -> {
                    String p = List.of("/rn/x/y/..", "/rn/y/x/..", "/rn/x", "/rn/y", "/rn/f", "/rn/g").get(r.nextInt(6));
                    racing("stat " + p, () -> fs.stat(p));
                    racing("readdir", () -> fs.readdir("/rn"));
                }
            }
        });
        assertOutcome(o);
        // Whatever the interleaving, x and y are somewhere below /rn and f is f or g.
        Set<String> top = new java.util.TreeSet<>();
        for (var d : fs.readdir("/rn")) {
            top.add(d.name().toString());
        }
        assertTrue(top.contains("f") ^ top.contains("g"), "the file is lost or doubled: " + top);
        assertTrue(top.contains("x") || top.contains("y"), "both directories vanished from /rn: " + top);
        assertConsistentNow();
    }

    @Test
    public void concurrentAppendsToOneFileAreNeverLostOrInterleavedWithinARecord() throws Exception {
        fs.open("/log", O_RDWR | O_CREAT, 0644).close();
        int n = workers();
        long perWorker = 4000;
        // One handle per worker, kept open, so that appends (not opens) are what races.
        FileHandle[] handles = new FileHandle[n];
        for (int w = 0; w < n; w++) {
            handles[w] = fs.open("/log", O_WRONLY | O_APPEND, 0);
        }
        RaceRunner.Outcome o;
        try {
            o = RaceRunner.run("append", n, Duration.ofSeconds(30), perWorker, hangBound(), 4, (w, r, i) -> {
                byte[] rec = new byte[RECORD];
                Arrays.fill(rec, (byte) ('A' + w));
                assertEquals(rec.length, handles[w].write(0, ByteBuffer.wrap(rec)));
            });
        } finally {
            for (FileHandle h : handles) {
                h.close();
            }
        }
        assertOutcome(o);
        byte[] all = fs.readAll("/log");
        assertEquals(o.iterations() * RECORD, all.length, "appended bytes lost");
        int[] perWriter = new int[n];
        for (int at = 0; at < all.length; at += RECORD) {
            for (int j = 1; j < RECORD; j++) {
                if (all[at + j] != all[at]) {
                    fail("record at " + at + " is interleaved with another");
                }
            }
            perWriter[all[at] - 'A']++;
        }
        for (int w = 0; w < n; w++) {
            assertEquals(perWorker, perWriter[w], "records of worker " + w);
        }
    }

    @Test
    public void writersOfDisjointStripesOfOneGrowingFileLoseNoStripe() throws Exception {
        int n = workers();
        int stripe = 3000;
        int rounds = 60;
        fs.open("/shared", O_RDWR | O_CREAT, 0644).close();
        RaceRunner.Outcome o = RaceRunner.run("stripes", n, Duration.ofSeconds(30), rounds, hangBound(), 5, (w, r, i) -> {
            // Stripe (i, w) sits at ((i * n) + w) * stripe: every worker extends the file in turn.
            long off = ((i * n) + w) * (long) stripe;
            try (FileHandle h = fs.open("/shared", O_WRONLY, 0)) {
                assertEquals(stripe, h.write(off, ByteBuffer.wrap(stripeBytes(w, i, stripe))));
            }
        });
        assertOutcome(o);
        byte[] all = fs.readAll("/shared");
        assertEquals((long) rounds * n * stripe, all.length);
        for (int i = 0; i < rounds; i++) {
            for (int w = 0; w < n; w++) {
                int off = ((i * n) + w) * stripe;
                assertArrayEquals(stripeBytes(w, i, stripe), Arrays.copyOfRange(all, off, off + stripe),
                        "stripe of worker " + w + " round " + i + " at " + off);
            }
        }
    }

    private static byte[] stripeBytes(int w, long i, int len) {
        byte[] b = new byte[len];
        SplittableRandom r = new SplittableRandom(w * 1_000_003L + i);
        r.nextBytes(b);
        return b;
    }

    @Test
    public void listingsWhileOthersCreateAndRemoveReturnEveryStableEntryExactlyOnce() throws Exception {
        fs.mkdir("/rd", 0755);
        int stable = 150;
        for (int k = 0; k < stable; k++) {
            fs.open("/rd/keep" + k, O_RDWR | O_CREAT, 0644).close();
        }
        RaceRunner.Outcome o = RaceRunner.run("readdir-race", workers(), raceTime(), Long.MAX_VALUE, hangBound(), 6, (w, r, i) -> {
            if (w % 2 == 0) {
                String p = "/rd/churn" + w + "-" + r.nextInt(200);
                racing("create", () -> fs.open(p, O_RDWR | O_CREAT | org.rumpmount.vfs.OpenFlags.O_EXCL, 0644).close());
                racing("unlink", () -> fs.unlink("/rd/churn" + w + "-" + r.nextInt(200)));
                if (r.nextInt(4) == 0) {
                    racing("mkdir", () -> fs.mkdir("/rd/dir" + w + "-" + r.nextInt(20), 0755));
                    racing("rmdir", () -> fs.rmdir("/rd/dir" + w + "-" + r.nextInt(20)));
                }
                return;
            }
            java.util.Map<String, Integer> seen = new java.util.HashMap<>();
            long[] cookie = {0};
            int chunk = 1 + r.nextInt(9);
            while (true) {
                int[] taken = {0};
                fs.readdir("/rd", cookie[0], d -> {
                    if (taken[0] == chunk) {
                        return false;
                    }
                    taken[0]++;
                    seen.merge(d.name().toString(), 1, Integer::sum);
                    cookie[0] = d.nextCookie();
                    return true;
                });
                if (taken[0] == 0) {
                    break;
                }
            }
            for (int k = 0; k < stable; k++) {
                Integer c = seen.get("keep" + k);
                if (c == null || c != 1) {
                    throw new AssertionError("keep" + k + " listed " + (c == null ? 0 : c) + " times in one listing");
                }
            }
            if (seen.getOrDefault(".", 0) != 1 || seen.getOrDefault("..", 0) != 1) {
                throw new AssertionError("'.' or '..' not listed exactly once: " + seen.get(".") + ", " + seen.get(".."));
            }
        });
        assertOutcome(o);
        assertConsistentNow();
    }

    private void assertConsistentNow() throws IOException {
        List<String> problems = TreeAudit.audit(fs);
        if (!problems.isEmpty()) {
            fail("tree inconsistent after the race:\n  " + String.join("\n  ", problems));
        }
        assertEquals(0, mount.vnodes().referenced(), "vnodes still referenced after every worker finished");
    }

    private static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
