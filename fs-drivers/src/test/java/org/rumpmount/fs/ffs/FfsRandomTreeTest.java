package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;

/**
 * Seeded random trees, built on the host at test time and turned into images by Debian's makefs
 * (a formatter that is not ours), for both UFS versions, both byte orders and several block and
 * fragment sizes: every entry read through the driver is what the host tree holds, name bytes,
 * type, mode, owner, size, mtime, content, symlink target and hard-link groups alike.
 *
 * <p>The tree is made and described by a small Python script, because names that are not valid
 * UTF-8 cannot be created through java.nio under every locale; the script works on bytes.
 */
class FfsRandomTreeTest {
    private static Path script;

    @BeforeAll
    static void tools() throws IOException {
        assumeTrue(FreshImages.haveMakefs(), "makefs is not installed (Debian package makefs)");
        assumeTrue(onPath("python3"), "python3 is not installed; it builds the host trees");
        Path dir = Paths.get("target", "ffs-random").toAbsolutePath();
        Files.createDirectories(dir);
        script = dir.resolve("randomtree.py");
        try (InputStream in = FfsRandomTreeTest.class.getResourceAsStream("randomtree.py")) {
            Files.write(script, in.readAllBytes());
        }
    }

    private static boolean onPath(String cmd) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Paths.get(d, cmd)));
    }

    /** One host line: path_hex type mode uid gid size mtime inode nlink sha256 target_hex. */
    record HostEntry(String pathHex, String type, int mode, long uid, long gid, long size, long mtime, long ino,
            long nlink, String sha256, String targetHex) {
        static HostEntry parse(String line) {
            String[] f = line.split("\t", -1);
            return new HostEntry(f[0], f[1], Integer.parseInt(f[2], 8), Long.parseLong(f[3]), Long.parseLong(f[4]),
                    Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]), f[9], f[10]);
        }
    }

    @ParameterizedTest(name = "UFS{0} {1} {2}/{3} seed {4}")
    @CsvSource({
        "1, le, 4096, 512, 1",
        "1, be, 4096, 1024, 2",
        "1, le, 8192, 1024, 3",
        "1, be, 8192, 2048, 4",
        "1, le, 16384, 2048, 5",
        "1, be, 32768, 4096, 6",
        "2, le, 4096, 512, 7",
        "2, be, 4096, 4096, 8",
        "2, le, 8192, 1024, 9",
        "2, be, 8192, 1024, 10",
        "2, le, 16384, 2048, 11",
        "2, be, 16384, 4096, 12",
        "2, le, 32768, 4096, 13",
        "2, be, 65536, 8192, 14",
        "1, le, 4096, 512, 15",
        "2, be, 4096, 512, 16",
    })
    void aMakefsImageOfARandomTreeReadsAsTheTree(int version, String endian, int bsize, int fsize, int seed)
            throws Exception {
        Path dir = Paths.get("target", "ffs-random").toAbsolutePath();
        String tag = "ufs" + version + "-" + endian + "-" + bsize + "-" + fsize + "-s" + seed;
        Path tree = dir.resolve(tag);
        Path img = dir.resolve(tag + ".img");
        deleteTree(tree);
        Files.deleteIfExists(img);
        int maxlink = version == 1 ? 60 : 120;
        exec("python3", script.toString(), "make", String.valueOf(seed), tree.toString(), String.valueOf(bsize),
                String.valueOf(maxlink));
        // makefs's own estimates fall short for some small trees ("No space left on device"), of
        // blocks and of inodes, so the image is given a quarter more than the tree's bytes (at
        // least 4 MiB) and half as many inodes again as it counts.
        long bytes = Long.parseLong(exec("du", "-s", "-B1", "--apparent-size", tree.toString()).split("\\s")[0]);
        String min = String.valueOf(Math.max(4L << 20, bytes + bytes / 4 + (2L << 20)));
        exec("makefs", "-t", "ffs", "-B", endian, "-M", min, "-f", "50%", "-o",
                "version=" + version + ",bsize=" + bsize + ",fsize=" + fsize, img.toString(), tree.toString());
        List<HostEntry> host = new ArrayList<>();
        for (String line : exec("python3", script.toString(), "describe", tree.toString()).split("\n")) {
            if (!line.isEmpty()) {
                host.add(HostEntry.parse(line));
            }
        }

        List<String> failures = new ArrayList<>();
        try (Kernel k = FfsGoldenTest.kernel(); FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            TreeWalker w = new TreeWalker(mp, Long.MAX_VALUE, Integer.MAX_VALUE);
            w.walk();
            assertEquals(List.of(), w.problems, tag + ": tree consistency");
            Map<Long, Set<String>> hostGroups = new HashMap<>();
            Map<Long, Set<String>> imageGroups = new HashMap<>();
            Set<String> hostPaths = new TreeSet<>();
            for (HostEntry h : host) {
                hostPaths.add(h.pathHex());
                TreeWalker.Node n = w.nodes.get(h.pathHex());
                String p = display(h.pathHex());
                if (n == null) {
                    failures.add(p + ": missing from the image");
                    continue;
                }
                compare(p, h, n, failures);
                if (!h.type().equals("dir")) {
                    hostGroups.computeIfAbsent(h.ino(), x -> new TreeSet<>()).add(h.pathHex());
                    imageGroups.computeIfAbsent(n.va().fileid, x -> new TreeSet<>()).add(h.pathHex());
                }
            }
            Set<Set<String>> want = new java.util.HashSet<>(hostGroups.values());
            Set<Set<String>> got = new java.util.HashSet<>(imageGroups.values());
            if (!want.equals(got)) {
                failures.add("hard-link groups differ: host " + want.stream().filter(s -> s.size() > 1).toList()
                        + ", image " + got.stream().filter(s -> s.size() > 1).toList());
            }
            for (String extra : w.nodes.keySet()) {
                if (!extra.equals("2f") && !hostPaths.contains(extra)) {
                    failures.add(display(extra) + ": in the image but not on the host");
                }
            }
            k.unmount(mp, false);
        }
        assertEquals(List.of(), failures, tag + ": " + failures.size() + " mismatches");
        System.out.println("random tree " + tag + ": " + host.size() + " entries match");
        deleteTree(tree);
        Files.deleteIfExists(img);
    }

    private static void compare(String p, HostEntry h, TreeWalker.Node n, List<String> failures) {
        Vattr va = n.va();
        String type = FfsGoldenTest.manifestType(va.type);
        check(failures, p, "type", h.type(), type);
        check(failures, p, "mode", Integer.toOctalString(h.mode()), Integer.toOctalString(va.mode));
        check(failures, p, "uid", h.uid(), va.uid);
        check(failures, p, "gid", h.gid(), va.gid);
        check(failures, p, "mtime", h.mtime(), va.mtime.sec());
        if (va.type != VType.VDIR) {
            check(failures, p, "size", h.size(), va.size);
            check(failures, p, "nlink", h.nlink(), va.nlink);
        }
        if (va.type == VType.VREG) {
            check(failures, p, "sha256", h.sha256(), n.sha256());
        }
        if (va.type == VType.VLNK) {
            check(failures, p, "target", h.targetHex(), TreeWalker.hex(n.target()));
        }
    }

    private static void check(List<String> failures, String p, String what, Object want, Object got) {
        if (!String.valueOf(want).equals(String.valueOf(got))) {
            failures.add(p + ": " + what + " expected " + want + ", got " + got);
        }
    }

    private static String display(String hex) {
        return new String(TestImages.hex(hex), StandardCharsets.UTF_8);
    }

    private static String exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed: " + err);
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /** Removes a tree made by the script; it may hold modes that forbid writing, so they are reset first. */
    private static void deleteTree(Path top) throws IOException, InterruptedException {
        if (Files.exists(top, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            exec("rm", "-rf", "--", top.toString());
        }
    }
}
