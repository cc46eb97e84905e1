package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.vfs.DeviceNumbers;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.StatVfs;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * Every reference image, mounted read-only and walked through vnode operations, must hold
 * exactly what its manifest says: every entry's attributes, content hash, symlink target,
 * device number and hard-link group, and no path the manifest lacks.
 */
class FfsGoldenTest {
    static Kernel kernel() {
        return kernel(Kernel.DEFAULT_CACHE_BYTES);
    }

    static Kernel kernel(long cacheBytes) {
        DriverRegistry registry = new DriverRegistry();
        registry.register(new FfsDriver());
        return new Kernel(Host.system(), registry, new BufferCache(cacheBytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ufs1-le", "ufs1-small", "ufs2-le", "ufs2-be", "ufs2-full", "nb-ffs2"})
    @SuppressWarnings("unchecked")
    void imageMatchesItsManifest(String name) throws IOException {
        Path img = TestImages.image(name);
        Map<String, Object> manifest = TestImages.manifest(name);
        List<Map<String, Object>> entries = (List<Map<String, Object>>) manifest.get("entries");
        try (Kernel k = kernel(); FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            TreeWalker w = new TreeWalker(mp, Long.MAX_VALUE, Integer.MAX_VALUE);
            w.walk();
            assertEquals(List.of(), w.problems, name + ": tree consistency");

            List<String> failures = new ArrayList<>();
            Map<String, Long> fileidOfPath = new HashMap<>();
            Set<String> expectedPaths = new HashSet<>();
            int checked = 0;
            for (Map<String, Object> e : entries) {
                String ph = (String) e.get("path_hex");
                expectedPaths.add(ph);
                TreeWalker.Node n = w.nodes.get(ph);
                String p = (String) e.get("path");
                if (n == null) {
                    failures.add(p + ": missing from the image");
                    continue;
                }
                compare(p, e, n, failures);
                fileidOfPath.put(ph, n.va().fileid);
                checked++;
            }
            // link_group names the group's first path in display form; map it to that entry's bytes.
            Map<String, String> hexOfPath = new HashMap<>();
            for (Map<String, Object> e : entries) {
                hexOfPath.putIfAbsent((String) e.get("path"), (String) e.get("path_hex"));
            }
            for (Map<String, Object> e : entries) {
                Object group = e.get("link_group");
                if (group != null) {
                    Long leader = fileidOfPath.get(hexOfPath.get((String) group));
                    Long member = fileidOfPath.get((String) e.get("path_hex"));
                    if (leader == null || !leader.equals(member)) {
                        failures.add(e.get("path") + ": link group " + group + " has fileid " + leader
                                + ", this name " + member);
                    }
                }
            }
            // And no two names share an inode unless the inode counts them all.
            Map<Long, Integer> names = new HashMap<>();
            for (TreeWalker.Node n : w.nodes.values()) {
                if (n.va().type != VType.VDIR) {
                    names.merge(n.va().fileid, 1, Integer::sum);
                }
            }
            for (TreeWalker.Node n : w.nodes.values()) {
                if (n.va().type != VType.VDIR && names.get(n.va().fileid) != n.va().nlink) {
                    failures.add(TreeWalker.hex(n.path()) + ": nlink " + n.va().nlink + " but "
                            + names.get(n.va().fileid) + " names found");
                }
            }
            Set<String> extra = new TreeSet<>(w.nodes.keySet());
            extra.removeAll(expectedPaths);
            for (String x : extra) {
                failures.add(new String(TestImages.hex(x), java.nio.charset.StandardCharsets.UTF_8)
                        + ": in the image but not in the manifest");
            }
            assertEquals(List.of(), failures.subList(0, Math.min(40, failures.size())), name + ": "
                    + failures.size() + " mismatches");
            assertEquals(entries.size(), checked);
            assertEquals(entries.size(), w.nodes.size());
            System.out.println("golden " + name + ": " + checked + " entries checked");
            k.unmount(mp, false);
        }
    }

    /** A file type as the manifests name it ("file", "dir", ...); a type they do not name, as its own name. */
    static String manifestType(VType t) {
        return switch (t) {
            case VREG -> "file";
            case VDIR -> "dir";
            case VLNK -> "symlink";
            case VFIFO -> "fifo";
            case VCHR -> "chr";
            case VBLK -> "blk";
            default -> String.valueOf(t);
        };
    }

    private static void compare(String p, Map<String, Object> e, TreeWalker.Node n, List<String> failures) {
        Vattr va = n.va();
        String type = (String) e.get("type");
        VType want = switch (type) {
            case "file" -> VType.VREG;
            case "dir" -> VType.VDIR;
            case "symlink" -> VType.VLNK;
            case "fifo" -> VType.VFIFO;
            case "chr" -> VType.VCHR;
            case "blk" -> VType.VBLK;
            case "socket" -> VType.VSOCK;
            default -> VType.VBAD;
        };
        check(failures, p, "type", want, va.type);
        if (!"/".equals(p)) {
            check(failures, p, "readdir d_type", want, n.direntType());
        }
        check(failures, p, "mode", Integer.parseInt((String) e.get("mode"), 8), va.mode);
        check(failures, p, "st_mode", Integer.parseInt((String) e.get("ifmt_mode"), 8), va.statMode());
        check(failures, p, "uid", num(e, "uid"), va.uid);
        check(failures, p, "gid", num(e, "gid"), va.gid);
        check(failures, p, "nlink", num(e, "nlink"), va.nlink);
        if (e.get("size") != null) {
            check(failures, p, "size", num(e, "size"), va.size);
        }
        check(failures, p, "mtime", num(e, "mtime"), va.mtime.sec());
        check(failures, p, "atime", num(e, "atime"), va.atime.sec());
        long mns = e.containsKey("mtime_nsec") ? num(e, "mtime_nsec") : 0;
        long ans = e.containsKey("atime_nsec") ? num(e, "atime_nsec") : 0;
        check(failures, p, "mtime nsec", mns, (long) va.mtime.nsec());
        check(failures, p, "atime nsec", ans, (long) va.atime.nsec());
        if (e.containsKey("ino")) {
            check(failures, p, "ino", num(e, "ino"), va.fileid);
        }
        if (e.containsKey("blocks")) {
            check(failures, p, "blocks", num(e, "blocks"), va.bytes / 512);
        }
        // The manifests' "gen" is st_gen, which NetBSD's stat always reports as 0 (vn_stat hides
        // va_gen); the inode's real generation is what getattr returns, so it is not compared.
        if (e.get("birthtime") != null) {
            check(failures, p, "birthtime", num(e, "birthtime"), va.birthtime.sec());
        }
        if (e.containsKey("flags")) {
            check(failures, p, "flags", num(e, "flags"), va.flags);
        } else {
            check(failures, p, "flags", 0L, va.flags);
        }
        if (want == VType.VREG) {
            check(failures, p, "sha256", e.get("sha256"), n.sha256());
        }
        if (want == VType.VLNK) {
            check(failures, p, "target", e.get("target_hex"), TreeWalker.hex(n.target()));
            if (e.get("symlink_inline") != null) {
                check(failures, p, "symlink inline (no blocks)", e.get("symlink_inline"), va.bytes == 0);
            }
        }
        if (want == VType.VCHR || want == VType.VBLK) {
            check(failures, p, "rdev major", num(e, "rdev_major"), DeviceNumbers.linuxMajor(va.rdev));
            check(failures, p, "rdev minor", num(e, "rdev_minor"), DeviceNumbers.linuxMinor(va.rdev));
        }
    }

    private static long num(Map<String, Object> e, String k) {
        return ((Number) e.get(k)).longValue();
    }

    private static void check(List<String> failures, String p, String what, Object want, Object got) {
        if (!String.valueOf(want).equals(String.valueOf(got))) {
            failures.add(p + ": " + what + " expected " + want + ", got " + got);
        }
    }

    /**
     * A cache of a few blocks evicts all the time: the tree read through it is the same, the
     * device is read only through the cache, and nothing is written.
     */
    @Test
    void aTinyCacheReadsTheSameTree() throws IOException {
        Map<String, TreeWalker.Node> big;
        try (Kernel k = kernel(); FileBlockDevice dev = FileBlockDevice.open(TestImages.image("ufs2-be"), true)) {
            TreeWalker w = new TreeWalker(k.mount("ffs", dev, MountOptions.readOnly()), Long.MAX_VALUE, Integer.MAX_VALUE);
            w.walk();
            big = w.nodes;
            assertTrue(k.bufferCache().stats().hits() > 0, k.bufferCache().stats().toString());
        }
        try (Kernel k = kernel(64 * 1024); FileBlockDevice dev = FileBlockDevice.open(TestImages.image("ufs2-be"), true)) {
            TreeWalker w = new TreeWalker(k.mount("ffs", dev, MountOptions.readOnly()), Long.MAX_VALUE, Integer.MAX_VALUE);
            w.walk();
            assertEquals(big.keySet(), w.nodes.keySet());
            for (Map.Entry<String, TreeWalker.Node> e : big.entrySet()) {
                TreeWalker.Node n = w.nodes.get(e.getKey());
                assertEquals(e.getValue().va().toString(), n.va().toString(), e.getKey());
                assertEquals(e.getValue().sha256(), n.sha256(), e.getKey());
            }
            org.rumpmount.vfs.buf.CacheStats st = k.bufferCache().stats();
            assertTrue(st.evictions() > 0 && st.cachedBytes() <= 64 * 1024 && st.writes() == 0, st.toString());
        }
    }

    /** The summary figures NetBSD's fsck and dumpfs printed for nb-ffs2. */
    @Test
    void statvfsMatchesNetbsdFigures() throws IOException {
        try (Kernel k = kernel(); FileBlockDevice dev = FileBlockDevice.open(TestImages.image("nb-ffs2"), true)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            StatVfs s = mp.vfsOps().statvfs();
            assertEquals(8192, s.blockSize());
            assertEquals(1024, s.fragmentSize());
            assertEquals(61527, s.blocks());
            assertEquals(5450 * 8 + 25, s.blocksFree());
            assertEquals(5450 * 8 + 25 - 61527 * 5 / 100, s.blocksAvailable());
            assertEquals(4 * 3872 - 2, s.files());
            assertEquals(12316, s.filesFree());
            assertEquals(255, s.nameMax());
            assertTrue(s.readOnly());
        }
    }
}
