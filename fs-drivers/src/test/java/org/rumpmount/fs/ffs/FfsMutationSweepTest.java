package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.Vnode;
import org.rumpmount.vfs.VnodeOps;

/**
 * Thousands of seeded mutations of the metadata of reference images: superblock, cylinder group
 * headers, inode table entries, indirect blocks and directory blocks, each found from the decoded
 * structures. Every run ends within its time bound, and every entry the mutation could not have
 * reached (its inode, its indirect blocks and every directory on its path untouched, and the
 * superblock intact) either reads exactly as the manifest says or fails with a VfsException.
 * The count per image is {@code rumpmount.mutations} (default 2000 over the three images).
 */
class FfsMutationSweepTest {
    private static final Map<String, Integer> DEFAULT_RUNS = Map.of("ufs1-small", 800, "ufs2-full", 800,
            "nb-ffs2", 400);
    /** A file larger than this is checked by size and mode only, to keep each run short. */
    private static final long HASH_LIMIT = 256 * 1024;
    private static final int SAMPLES = 8;
    private static ExecutorService runner;

    @BeforeAll
    static void start() {
        runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mutation-run");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stop() {
        runner.shutdownNow();
    }

    /** The byte ranges an entry's reading depends on, and its manifest entry. */
    record Target(byte[] path, Map<String, Object> entry, List<long[]> ranges) {
    }

    private static int runs(String image) {
        String total = System.getProperty("rumpmount.mutations");
        if (total == null || total.isBlank()) {
            return DEFAULT_RUNS.get(image);
        }
        return (int) ((long) Integer.parseInt(total.trim()) * DEFAULT_RUNS.get(image) / 2000);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ufs1-small", "ufs2-full", "nb-ffs2"})
    @SuppressWarnings("unchecked")
    void mutatedMetadataEndsInTheTruthOrAVfsException(String image) throws Exception {
        byte[] clean = FfsDriverTest.bytes(image);
        FfsCorruptionTest.Metadata md = FfsCorruptionTest.map(clean);
        Map<String, Map<String, Object>> manifest = new HashMap<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) TestImages.manifest(image).get("entries")) {
            manifest.put((String) e.get("path_hex"), e);
        }
        List<Target> targets = targets(clean, manifest);
        int runs = runs(image);
        TreeMap<String, Integer> outcomes = new TreeMap<>();
        long[] samples = new long[3]; // read exactly, refused with a VfsException, skipped (superblock hit)
        long started = System.nanoTime();
        for (int seed = 1; seed <= runs; seed++) {
            Random r = new Random(seed * 7919L + image.hashCode());
            byte[] img = clean.clone();
            List<Long> hits = new ArrayList<>();
            boolean superblockHit = mutate(r, img, md, hits);
            List<Target> chosen = new ArrayList<>();
            for (int i = 0; i < SAMPLES; i++) {
                chosen.add(targets.get(r.nextInt(targets.size())));
            }
            final int s = seed;
            Future<String> f = runner.submit(() -> run(img, chosen, hits, superblockHit, samples));
            String outcome;
            try {
                outcome = f.get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                throw new AssertionError(image + " seed " + s + " (mutated bytes at " + hits + "): no end within 10 s");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError(image + " seed " + s + " (mutated bytes at " + hits + "): " + e.getCause(),
                        e.getCause());
            }
            outcomes.merge(outcome, 1, Integer::sum);
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.println(image + ": " + runs + " mutated images in " + ms + " ms; outcomes " + outcomes
                + "; untouched entries read exactly " + samples[0] + ", refused with VfsException " + samples[1]
                + ", not checked (superblock mutated) " + samples[2]);
        assertEquals(runs, outcomes.values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(samples[0] > 0, "no untouched entry was ever read back");
    }

    /** Mutates 1 to 6 bytes of metadata; returns whether any landed in the superblock. */
    private static boolean mutate(Random r, byte[] img, FfsCorruptionTest.Metadata md, List<Long> hits) {
        boolean superblock = false;
        int count = 1 + r.nextInt(6);
        for (int i = 0; i < count; i++) {
            int pick = r.nextInt(100);
            List<long[]> regions = pick < 10 ? md.superblock : pick < 20 ? md.groups : pick < 55 ? md.inodes
                    : pick < 85 ? md.directories : md.indirects;
            if (regions.isEmpty()) {
                regions = md.inodes;
            }
            long[] region = regions.get(r.nextInt(regions.size()));
            int off = (int) (region[0] + r.nextInt((int) region[1]));
            superblock |= regions == md.superblock;
            img[off] = switch (r.nextInt(4)) {
                case 0 -> (byte) r.nextInt(256);
                case 1 -> (byte) (img[off] ^ (1 << r.nextInt(8)));
                case 2 -> (byte) 0xff;
                default -> 0;
            };
            hits.add((long) off);
        }
        return superblock;
    }

    private static String run(byte[] img, List<Target> chosen, List<Long> hits, boolean superblockHit, long[] samples)
            throws IOException {
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp;
            try {
                mp = k.mount("ffs", FfsDriverTest.device(img, true), MountOptions.readOnly());
            } catch (VfsException e) {
                return "mount refused " + e.errno();
            }
            String walk = "walked";
            try {
                new TreeWalker(mp, 64 * 1024, 300).walk();
            } catch (VfsException e) {
                walk = "walk stopped " + e.errno();
            }
            for (Target t : chosen) {
                if (superblockHit) {
                    samples[2]++;
                    continue;
                }
                if (touched(t, hits)) {
                    continue;
                }
                try {
                    String wrong = check(mp, t);
                    if (wrong != null) {
                        throw new AssertionError(new String(t.path()) + " (untouched) " + wrong + "; mutated bytes at "
                                + hits);
                    }
                    samples[0]++;
                } catch (VfsException e) {
                    samples[1]++;
                }
            }
            return walk;
        }
    }

    private static boolean touched(Target t, List<Long> hits) {
        for (long h : hits) {
            for (long[] range : t.ranges()) {
                if (h >= range[0] && h < range[0] + range[1]) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Null when the entry reads as the manifest says, else what differs. */
    private static String check(Mount mp, Target t) throws IOException {
        VnodeOps ops = mp.vnodeOps();
        Vnode vp = mp.vfsOps().root();
        int start = 1;
        byte[] p = t.path();
        while (start < p.length) {
            int end = start;
            while (end < p.length && p[end] != '/') {
                end++;
            }
            Vnode next;
            try (Vnode dir = vp; Vnode.Locked l = dir.lock(Vnode.LockMode.SHARED)) {
                next = ops.lookup(dir, Name.of(p, start, end - start));
            }
            vp = next;
            start = end + 1;
        }
        try (Vnode found = vp) {
            Vattr va;
            try (Vnode.Locked l = vp.lock(Vnode.LockMode.SHARED)) {
                va = ops.getattr(vp);
            }
            Map<String, Object> e = t.entry();
            String type = FfsGoldenTest.manifestType(va.type);
            StringBuilder wrong = new StringBuilder();
            differ(wrong, "type", e.get("type"), type);
            differ(wrong, "mode", Integer.parseInt((String) e.get("mode"), 8), va.mode);
            differ(wrong, "uid", num(e, "uid"), va.uid);
            differ(wrong, "gid", num(e, "gid"), va.gid);
            differ(wrong, "nlink", num(e, "nlink"), va.nlink);
            differ(wrong, "mtime", num(e, "mtime"), va.mtime.sec());
            if (e.get("size") != null) {
                differ(wrong, "size", num(e, "size"), va.size);
            }
            if (va.type == VType.VREG && va.size <= HASH_LIMIT) {
                differ(wrong, "sha256", e.get("sha256"), sha256(ops, vp, va.size));
            }
            if (va.type == VType.VLNK) {
                byte[] target;
                try (Vnode.Locked l = vp.lock(Vnode.LockMode.SHARED)) {
                    target = ops.readlink(vp);
                }
                differ(wrong, "target", e.get("target_hex"), HexFormat.of().formatHex(target));
            }
            return wrong.length() == 0 ? null : wrong.toString();
        }
    }

    private static String sha256(VnodeOps ops, Vnode vp, long size) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long off = 0;
            while (off < size) {
                buf.clear();
                int n;
                try (Vnode.Locked l = vp.lock(Vnode.LockMode.SHARED)) {
                    n = ops.read(vp, off, buf, 0, Credentials.ROOT);
                }
                if (n <= 0) {
                    break;
                }
                md.update(buf.array(), 0, n);
                off += n;
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void differ(StringBuilder wrong, String what, Object want, Object got) {
        if (!String.valueOf(want).equals(String.valueOf(got))) {
            wrong.append(what).append(" expected ").append(want).append(", got ").append(got).append("; ");
        }
    }

    private static long num(Map<String, Object> e, String k) {
        return ((Number) e.get(k)).longValue();
    }

    /**
     * Every entry with the byte ranges its reading depends on: its own inode and indirect blocks,
     * and the inode, directory blocks and indirect blocks of every directory from the root down.
     */
    private static List<Target> targets(byte[] clean, Map<String, Map<String, Object>> manifest) throws IOException {
        Map<String, List<long[]>> own = new HashMap<>();
        Map<String, List<long[]>> dirBlocks = new HashMap<>();
        List<TreeWalker.Node> nodes;
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", FfsDriverTest.device(clean, true), MountOptions.readOnly());
            FfsFileSystem fs = ((FfsVfsOps) mp.vfsOps()).fileSystem();
            Superblock sb = fs.sb;
            TreeWalker w = new TreeWalker(mp, 0, Integer.MAX_VALUE);
            w.walk();
            nodes = new ArrayList<>(w.nodes.values());
            for (TreeWalker.Node n : nodes) {
                long ino = n.va().fileid;
                List<long[]> ranges = new ArrayList<>();
                ranges.add(new long[] {sb.inoToFsba(ino) * sb.fsize + sb.inoToFsbo(ino), sb.dinodeSize()});
                Inode ip = fs.loadInode(ino);
                for (long addr : ip.din.ib) {
                    if (addr != 0) {
                        ranges.add(new long[] {addr * sb.fsize, sb.bsize});
                    }
                }
                String key = TreeWalker.hex(n.path());
                own.put(key, ranges);
                if (n.va().type == VType.VDIR) {
                    List<long[]> blocks = new ArrayList<>();
                    BlockMap map = new BlockMap(fs.io, sb, ip);
                    for (long lbn = 0; lbn << sb.bshift < ip.size(); lbn++) {
                        long frag = map.fragAddr(lbn);
                        if (frag != 0) {
                            blocks.add(new long[] {frag * sb.fsize, sb.blksize(ip.size(), lbn)});
                        }
                    }
                    dirBlocks.put(key, blocks);
                }
            }
        }
        List<Target> targets = new ArrayList<>();
        for (TreeWalker.Node n : nodes) {
            String key = TreeWalker.hex(n.path());
            Map<String, Object> entry = manifest.get(key);
            if (entry == null) {
                continue;
            }
            List<long[]> ranges = new ArrayList<>(own.get(key));
            byte[] p = n.path();
            // Every directory above: "/" (key "2f"), then each prefix ending before a '/'.
            List<String> ancestors = new ArrayList<>();
            ancestors.add("2f");
            for (int i = 1; i < p.length; i++) {
                if (p[i] == '/') {
                    ancestors.add(TreeWalker.hex(java.util.Arrays.copyOf(p, i)));
                }
            }
            if (p.length > 1) {
                for (String a : ancestors) {
                    ranges.addAll(own.get(a));
                    ranges.addAll(dirBlocks.get(a));
                }
            }
            targets.add(new Target(p, entry, ranges));
        }
        return targets;
    }
}
