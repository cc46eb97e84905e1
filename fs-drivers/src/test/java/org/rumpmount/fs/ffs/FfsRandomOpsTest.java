package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.FileHandle;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.OpenFlags;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;

/**
 * A seeded random sequence of create, write at random offsets, truncate, rename, link, unlink,
 * mkdir and rmdir, each step checked against an in-memory model; then unmount, the checker,
 * a read-only remount, and the whole tree compared with the model.
 */
class FfsRandomOpsTest {
    private static final long BUDGET_NANOS = 4_000_000_000L;
    private static final int MAX_STEPS = 4000;

    /** A file of the model; names share one when hard-linked. */
    static final class MFile {
        byte[] data = new byte[0];
    }

    /** A directory of the model: name to MFile or MDir. */
    static final class MDir {
        final TreeMap<String, Object> entries = new TreeMap<>();
    }

    static List<FreshImages.Config> configs() {
        return FreshImages.ALL;
    }

    private final MDir root = new MDir();
    private Random rnd;
    private FreshImages.Config cfg;

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void randomOperationsMatchTheModel(FreshImages.Config c) throws Exception {
        cfg = c;
        rnd = new Random(c.name().hashCode());
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        int steps = 0;
        try (Kernel k = FfsGoldenTest.kernel(1L << 20)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            long end = System.nanoTime() + BUDGET_NANOS;
            while (steps < MAX_STEPS && System.nanoTime() < end) {
                step(p, steps);
                steps++;
                if (steps % 250 == 0) {
                    compareTree(p, "/", root);
                }
            }
            compareTree(p, "/", root);
            k.unmount(mp, false);
        }
        assertTrue(steps >= 500, "only " + steps + " steps ran in the time budget");
        System.out.println(c + ": " + steps + " random steps");
        List<String> problems = FfsChecker.check(dev.snapshot());
        assertTrue(problems.isEmpty(), "after " + steps + " steps: " + String.join("\n", problems));
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", MemoryBlockDevice.of(dev.snapshot(), 512, false, true), MountOptions.readOnly());
            compareTree(new PathFacade(mp, Credentials.ROOT), "/", root);
            k.unmount(mp, false);
        }
    }

    private record Place(String path, MDir dir, String name) {
    }

    /** A random directory of the model with its path. */
    private List<Object[]> dirs(String path, MDir d, List<Object[]> out) {
        out.add(new Object[] {path, d});
        for (Map.Entry<String, Object> e : d.entries.entrySet()) {
            if (e.getValue() instanceof MDir sub) {
                dirs(path + e.getKey() + "/", sub, out);
            }
        }
        return out;
    }

    private Place randomPlace() {
        List<Object[]> ds = dirs("/", root, new ArrayList<>());
        Object[] d = ds.get(rnd.nextInt(ds.size()));
        String name = (rnd.nextInt(4) == 0 ? "d" : "f") + rnd.nextInt(6)
                + (rnd.nextInt(8) == 0 ? "-" + "n".repeat(rnd.nextInt(200)) : "");
        return new Place(d[0] + name, (MDir) d[1], name);
    }

    private Errno errno(ThrowingRunnable r) throws Exception {
        try {
            r.run();
            return null;
        } catch (VfsException e) {
            return e.errno();
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static boolean isAncestor(MDir a, MDir b) {
        if (a == b) {
            return true;
        }
        for (Object o : a.entries.values()) {
            if (o instanceof MDir sub && isAncestor(sub, b)) {
                return true;
            }
        }
        return false;
    }

    private void step(PathFacade p, int step) throws Exception {
        Place a = randomPlace();
        Object cur = a.dir().entries.get(a.name());
        String what = "step " + step + " on " + a.path();
        switch (rnd.nextInt(10)) {
            case 0, 1, 2 -> { // write at a random offset, creating if absent
                if (cur instanceof MDir) {
                    return;
                }
                MFile f = cur == null ? new MFile() : (MFile) cur;
                long off = rnd.nextInt(5) == 0 ? 12L * cfg.bsize() + rnd.nextInt(3 * cfg.bsize()) : rnd.nextInt(3 * cfg.bsize());
                byte[] data = new byte[rnd.nextInt(2 * cfg.bsize())];
                rnd.nextBytes(data);
                try (FileHandle fh = p.open(a.path(), OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644)) {
                    assertEquals(data.length, fh.write(off, ByteBuffer.wrap(data)), what);
                }
                if (f.data.length < off + data.length) {
                    f.data = Arrays.copyOf(f.data, (int) (off + data.length));
                }
                System.arraycopy(data, 0, f.data, (int) off, data.length);
                a.dir().entries.put(a.name(), f);
                assertArrayEquals(f.data, p.readAll(a.path()), what);
            }
            case 3 -> { // truncate
                if (!(cur instanceof MFile f)) {
                    return;
                }
                int size = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(14 * cfg.bsize());
                p.truncate(a.path(), size);
                f.data = Arrays.copyOf(f.data, size);
                assertArrayEquals(f.data, p.readAll(a.path()), what);
            }
            case 4 -> { // unlink
                Errno e = errno(() -> p.unlink(a.path()));
                if (cur instanceof MFile) {
                    assertEquals(null, e, what);
                    a.dir().entries.remove(a.name());
                } else {
                    assertEquals(cur == null ? Errno.ENOENT : Errno.EPERM, e, what);
                }
            }
            case 5 -> { // mkdir
                Errno e = errno(() -> p.mkdir(a.path(), 0755));
                assertEquals(cur == null ? null : Errno.EEXIST, e, what);
                if (cur == null) {
                    a.dir().entries.put(a.name(), new MDir());
                }
            }
            case 6 -> { // rmdir
                Errno e = errno(() -> p.rmdir(a.path()));
                if (cur instanceof MDir d) {
                    assertEquals(d.entries.isEmpty() ? null : Errno.ENOTEMPTY, e, what);
                    if (d.entries.isEmpty()) {
                        a.dir().entries.remove(a.name());
                    }
                } else {
                    assertEquals(cur == null ? Errno.ENOENT : Errno.ENOTDIR, e, what);
                }
            }
            case 7 -> { // link
                Place b = randomPlace();
                Object dst = b.dir().entries.get(b.name());
                Errno e = errno(() -> p.link(a.path(), b.path()));
                if (cur instanceof MFile f && dst == null) {
                    assertEquals(null, e, what + " -> " + b.path());
                    b.dir().entries.put(b.name(), f);
                } else {
                    assertTrue(e != null, what + " -> " + b.path() + " should fail");
                }
            }
            default -> { // rename
                Place b = randomPlace();
                Object dst = b.dir().entries.get(b.name());
                Errno e = errno(() -> p.rename(a.path(), b.path()));
                if (cur == null) {
                    assertEquals(Errno.ENOENT, e, what);
                    return;
                }
                boolean ok;
                if (cur == dst) {
                    ok = true;
                } else if (cur instanceof MDir cd) {
                    ok = !isAncestor(cd, b.dir()) && (dst == null || (dst instanceof MDir dd && dd.entries.isEmpty()));
                } else {
                    ok = !(dst instanceof MDir);
                }
                if (!ok) {
                    assertTrue(e != null, what + " -> " + b.path() + " should fail");
                    return;
                }
                assertEquals(null, e, what + " -> " + b.path());
                if (cur != dst) {
                    a.dir().entries.remove(a.name());
                    b.dir().entries.put(b.name(), cur);
                }
            }
        }
    }

    private int links(MFile f) {
        int[] n = {0};
        count(root, f, n);
        return n[0];
    }

    private void count(MDir d, MFile f, int[] n) {
        for (Object o : d.entries.values()) {
            if (o == f) {
                n[0]++;
            } else if (o instanceof MDir sub) {
                count(sub, f, n);
            }
        }
    }

    private void compareTree(PathFacade p, String path, MDir d) throws Exception {
        List<String> names = new ArrayList<>();
        for (Dirent e : p.readdir(path)) {
            String n = new String(e.name().bytes(), StandardCharsets.UTF_8);
            if (!n.equals(".") && !n.equals("..")) {
                names.add(n);
            }
        }
        names.sort(null);
        assertEquals(new ArrayList<>(d.entries.keySet()), names, "entries of " + path);
        int subdirs = 0;
        for (Map.Entry<String, Object> e : d.entries.entrySet()) {
            String child = path + e.getKey();
            Vattr va = p.lstat(child);
            if (e.getValue() instanceof MDir sub) {
                subdirs++;
                assertEquals(VType.VDIR, va.type, child);
                compareTree(p, child + "/", sub);
            } else if (e.getValue() instanceof MFile f) {
                assertEquals(VType.VREG, va.type, child);
                assertEquals(f.data.length, va.size, child);
                assertEquals(links(f), va.nlink, "links of " + child);
                assertArrayEquals(f.data, p.readAll(child), child);
            } else {
                fail("unknown model node at " + child);
            }
        }
        assertEquals(2 + subdirs, p.lstat(path).nlink, "links of directory " + path);
    }
}
