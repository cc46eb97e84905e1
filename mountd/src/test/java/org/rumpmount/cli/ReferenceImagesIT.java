package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every reference image in the shared folder (FFS and LFS alike), mounted read-only through FUSE
 * by the daemon, seen by the host as any program sees it: lstat(2), readlink(2) and read(2) from
 * a walk in python3 with names as bytes. Each manifest entry must match field by field (type,
 * mode, owner, link count, size, times, content hash, link target, device numbers, and where the
 * manifest records them, nanoseconds, inode number and block count), names sharing an inode
 * must show one inode number, and the mount must hold no path the manifest lacks. Reading
 * everything must not change an access time: the mount is read-only.
 */
class ReferenceImagesIT {
    private DaemonFixture fx;

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.cleanUp();
        }
    }

    /** Every image with a manifest in the shared folder, so an image added there is covered here. */
    static Stream<String> images() throws IOException {
        try (Stream<Path> files = Files.list(SharedImages.sharedDir().resolve("images"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".manifest.json.xz"))
                    .map(n -> n.substring(0, n.length() - ".manifest.json.xz".length())).sorted().toList().stream();
        }
    }

    @Test
    void theSharedFolderHoldsFfsAndLfsImages() throws IOException {
        List<String> all = images().toList();
        assertTrue(all.containsAll(List.of("ufs1-le", "ufs1-small", "ufs2-le", "ufs2-be", "ufs2-full", "nb-ffs2",
                "nb-lfs-default", "nb-lfs-4k")), "images found: " + all);
    }

    /** One line of statwalk.py. */
    record Seen(String type, String mode, long uid, long gid, long nlink, long size, String mtimeNs, String atimeNs,
            long ino, long blocks, long rdevMajor, long rdevMinor, String sha256, String targetHex) {
        /** Times stay text: in nanoseconds, times past 2262 do not fit a long. */
        static Seen parse(String[] f) {
            return new Seen(f[1], f[2], Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]),
                    Long.parseLong(f[6]), f[7], f[8], Long.parseLong(f[9]),
                    Long.parseLong(f[10]), Long.parseLong(f[11]), Long.parseLong(f[12]), f[13], f[14]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void everyManifestEntryIsWhatTheHostSeesThroughAReadOnlyMount(String name) throws Exception {
        fx = new DaemonFixture("image-" + name);
        Path img = SharedImages.image(name);
        Path mp = fx.mountPoint("mnt");
        DaemonFixture.Result r = fx.run(fx.launcher().toString(), "mount", "-o", "ro", img.toString(), mp.toString());
        assertEquals(0, r.exit(), r + fx.logText());
        Map<String, Seen> seen;
        Map<String, Seen> again;
        try {
            assertTrue(fx.ok("findmnt", "-n", "-o", "OPTIONS", mp.toString()).out().startsWith("ro"));
            seen = walk(mp, true);
            again = walk(mp, false);
        } finally {
            fx.ok("fusermount3", "-u", mp.toString());
        }

        List<SharedImages.Entry> manifest = SharedImages.manifest(name);
        List<String> failures = new ArrayList<>();
        Map<String, String> hexOfPath = new HashMap<>();
        for (SharedImages.Entry e : manifest) {
            hexOfPath.putIfAbsent(e.get("path"), e.get("path_hex"));
        }
        for (SharedImages.Entry e : manifest) {
            Seen s = seen.get(e.get("path_hex"));
            if (s == null) {
                failures.add(e.get("path") + ": missing from the mount");
                continue;
            }
            compare(e, s, failures);
            String group = e.get("link_group");
            if (group != null) {
                Seen first = seen.get(hexOfPath.get(group));
                if (first == null || first.ino() != s.ino()) {
                    failures.add(e.get("path") + ": inode " + s.ino() + ", but its link group " + group + " has "
                            + (first == null ? "no entry" : "inode " + first.ino()));
                }
            }
            Seen later = again.get(e.get("path_hex"));
            if (later == null || !later.atimeNs().equals(s.atimeNs())) {
                failures.add(e.get("path") + ": access time changed by reading a read-only mount");
            }
        }
        TreeSet<String> extra = new TreeSet<>(seen.keySet());
        manifest.forEach(e -> extra.remove(e.get("path_hex")));
        for (String hex : extra) {
            failures.add(new String(java.util.HexFormat.of().parseHex(hex), StandardCharsets.ISO_8859_1)
                    + ": on the mount but not in the manifest");
        }
        assertEquals(manifest.size(), seen.size(), name + ": entries on the mount");
        assertEquals(List.of(), failures.subList(0, Math.min(40, failures.size())),
                name + ": " + failures.size() + " mismatches (first 40 shown)");
        assertFalse(fx.logText().contains("Exception"), fx.logText());
    }

    private static void compare(SharedImages.Entry e, Seen s, List<String> failures) {
        String p = e.get("path");
        check(failures, p, "type", e.type(), s.type());
        check(failures, p, "mode", Integer.toOctalString(Integer.parseInt(e.get("mode"), 8)), s.mode());
        check(failures, p, "uid", e.get("uid"), Long.toString(s.uid()));
        check(failures, p, "gid", e.get("gid"), Long.toString(s.gid()));
        check(failures, p, "nlink", e.get("nlink"), Long.toString(s.nlink()));
        if (e.get("size") != null) {
            check(failures, p, "size", e.get("size"), Long.toString(s.size()));
        }
        check(failures, p, "mtime", nanos(e, "mtime"), s.mtimeNs());
        check(failures, p, "atime", nanos(e, "atime"), s.atimeNs());
        if (e.get("ino") != null) {
            check(failures, p, "ino", e.get("ino"), Long.toString(s.ino()));
        }
        if (e.get("blocks") != null) {
            check(failures, p, "blocks", e.get("blocks"), Long.toString(s.blocks()));
        }
        switch (e.type()) {
            case "file" -> check(failures, p, "sha256", e.get("sha256"), s.sha256());
            case "symlink" -> check(failures, p, "target", e.get("target_hex"), s.targetHex());
            case "chr", "blk" -> {
                check(failures, p, "rdev major", e.get("rdev_major"), Long.toString(s.rdevMajor()));
                check(failures, p, "rdev minor", e.get("rdev_minor"), Long.toString(s.rdevMinor()));
            }
            default -> {
            }
        }
    }

    /** A manifest time in nanoseconds: whole seconds, plus the nanoseconds where recorded (else 0). */
    private static String nanos(SharedImages.Entry e, String field) {
        String ns = e.get(field + "_nsec");
        return new BigInteger(e.get(field)).multiply(BigInteger.valueOf(1_000_000_000L))
                .add(new BigInteger(ns == null ? "0" : ns)).toString();
    }

    private static void check(List<String> failures, String path, String field, String expected, String actual) {
        if (!expected.equals(actual)) {
            failures.add(path + ": " + field + " " + actual + ", manifest says " + expected);
        }
    }

    /** statwalk.py over the mount: path_hex to what the host saw; file contents read only if {@code read}. */
    private Map<String, Seen> walk(Path mp, boolean read) throws IOException, InterruptedException {
        Path script = fx.dir.resolve("statwalk.py");
        if (!Files.exists(script)) {
            try (InputStream in = ReferenceImagesIT.class.getResourceAsStream("statwalk.py")) {
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        DaemonFixture.Result r = read ? fx.ok("python3", script.toString(), mp.toString())
                : fx.ok("python3", script.toString(), "--no-read", mp.toString());
        Map<String, Seen> out = new HashMap<>();
        for (String line : r.out().split("\n")) {
            String[] f = line.split("\t");
            out.put(f[0], Seen.parse(f));
        }
        return out;
    }
}
