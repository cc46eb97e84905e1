package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code rumpmount get -r IMAGE / DIR}, run as root, reproduces each reference image's manifest
 * on the host entry by entry: type, mode with set-id and sticky bits, uid, gid, link count, size,
 * modification and access times to the nanosecond, content hash, symbolic link target bytes,
 * device numbers, names as bytes (those that are not UTF-8 included), and names sharing an inode
 * sharing one on the host. (Names with bytes 0x80-0xff that are not UTF-8 are ones that
 * java.nio.file cannot spell under a UTF-8 or C locale, whatever -Dfile.encoding says.) The one thing Linux cannot hold is a symbolic link's own mode (always
 * 0777 there); those are counted, and nothing else may differ. The host tree is read back by a
 * small Python script that keeps names as bytes.
 */
class GetWholeImageTest {
    private static Path script;

    @BeforeAll
    static void tools() throws IOException {
        assumeTrue(Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "python3"))),
                "python3 is not installed; it reads the copied tree back with names as bytes");
        script = Path.of("target", "hosttree.py").toAbsolutePath();
        Files.createDirectories(script.getParent());
        try (InputStream in = GetWholeImageTest.class.getResourceAsStream("hosttree.py")) {
            Files.write(script, in.readAllBytes());
        }
    }

    record HostEntry(String type, int mode, long uid, long gid, long size, String mtimeNs, String atimeNs, long ino,
            long nlink, String sha256, String targetHex, long major, long minor) {
    }

    /** Every image in the shared folder that has a manifest. */
    static List<String> images() throws IOException {
        try (Stream<Path> s = Files.list(SharedImages.sharedDir().resolve("images"))) {
            List<String> names = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".manifest.json.xz"))
                    .map(n -> n.substring(0, n.length() - ".manifest.json.xz".length()))
                    .sorted().toList();
            assertFalse(names.isEmpty(), "no manifests in " + SharedImages.sharedDir().resolve("images"));
            return names;
        }
    }

    @Test
    void theReferenceSetHoldsFfsAndLfsImages() throws IOException {
        List<String> names = images();
        assertTrue(names.contains("ufs1-le") && names.contains("ufs2-be") && names.contains("nb-lfs-default"), names.toString());
    }

    @ParameterizedTest
    @MethodSource("images")
    void getOfTheWholeImageReproducesTheManifest(String name, @TempDir Path tmp) throws Exception {
        assumeTrue(isRoot(), "get keeps owners and makes device nodes only when run as root, and this test checks both");
        Path image = SharedImages.image(name);
        List<SharedImages.Entry> manifest = SharedImages.manifest(name);
        Path dest = tmp.resolve("copy");
        CliRun run = CliRun.run("get", "-r", image.toString(), "/", dest.toString());
        assertEquals(0, run.exit(), run.toString());
        assertEquals("", run.stderr(), run.toString());
        Map<String, HostEntry> host = describe(dest);

        List<String> failures = new ArrayList<>();
        Set<String> inManifest = new HashSet<>();
        Map<String, Set<Long>> linkGroups = new HashMap<>();
        int symlinkModes = 0;
        int rawNames = 0;
        for (SharedImages.Entry e : manifest) {
            String hex = e.get("path_hex");
            inManifest.add(hex);
            String shown = e.get("path");
            HostEntry h = host.get(hex);
            if (h == null) {
                failures.add(shown + ": not on the host");
                continue;
            }
            if (!isUtf8(e.path())) {
                rawNames++;
            }
            if (!e.type().equals(h.type())) {
                failures.add(shown + ": type " + h.type() + ", expected " + e.type());
                continue;
            }
            int mode = Integer.parseInt(e.get("mode"), 8);
            if (e.type().equals("symlink") && mode != 0777) {
                symlinkModes++;
            } else {
                same(failures, shown, "mode", Integer.toOctalString(mode), Integer.toOctalString(h.mode()));
            }
            same(failures, shown, "uid", e.get("uid"), Long.toString(h.uid()));
            same(failures, shown, "gid", e.get("gid"), Long.toString(h.gid()));
            same(failures, shown, "nlink", e.get("nlink"), Long.toString(h.nlink()));
            if (e.type().equals("file") || e.type().equals("symlink")) {
                same(failures, shown, "size", e.get("size"), Long.toString(h.size()));
            }
            same(failures, shown, "mtime", nanos(e, "mtime"), h.mtimeNs());
            same(failures, shown, "atime", nanos(e, "atime"), h.atimeNs());
            if (e.type().equals("file")) {
                same(failures, shown, "sha256", e.get("sha256"), h.sha256());
            }
            if (e.type().equals("symlink")) {
                same(failures, shown, "target", e.get("target_hex"), h.targetHex());
            }
            if (e.type().equals("chr") || e.type().equals("blk")) {
                same(failures, shown, "rdev major", e.get("rdev_major"), Long.toString(h.major()));
                same(failures, shown, "rdev minor", e.get("rdev_minor"), Long.toString(h.minor()));
            }
            if (e.get("link_group") != null) {
                linkGroups.computeIfAbsent(e.get("link_group"), g -> new HashSet<>()).add(h.ino());
            }
        }
        for (String hex : host.keySet()) {
            if (!inManifest.contains(hex)) {
                failures.add(new String(java.util.HexFormat.of().parseHex(hex), StandardCharsets.UTF_8) + ": on the host but not in the image");
            }
        }
        linkGroups.forEach((first, inodes) -> {
            if (inodes.size() != 1) {
                failures.add(first + ": its names are " + inodes.size() + " host inodes, not one");
            }
        });
        assertEquals(List.of(), failures.subList(0, Math.min(30, failures.size())), name + ": " + failures.size() + " differences");
        System.out.println("get -r " + name + ": all " + manifest.size() + " entries reproduced (" + rawNames
                + " names not UTF-8, " + linkGroups.size() + " hard-link groups); symbolic links whose mode Linux keeps at 0777: "
                + symlinkModes);
    }

    private static void same(List<String> failures, String shown, String what, String expected, String actual) {
        if (!Objects.equals(expected, actual)) {
            failures.add(shown + ": " + what + " " + actual + ", expected " + expected);
        }
    }

    /** A manifest time in nanoseconds (past 2^63 for the latest UFS2 times): seconds, plus the _nsec field where the manifest has one. */
    private static String nanos(SharedImages.Entry e, String field) {
        String nsec = e.get(field + "_nsec");
        return new BigInteger(e.get(field)).multiply(BigInteger.valueOf(1_000_000_000L))
                .add(new BigInteger(nsec == null ? "0" : nsec)).toString();
    }

    private static boolean isUtf8(byte[] path) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(path));
            return true;
        } catch (CharacterCodingException x) {
            return false;
        }
    }

    private static boolean isRoot() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        return p.waitFor(30, TimeUnit.SECONDS) && out.equals("0");
    }

    private static Map<String, HostEntry> describe(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", script.toString(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "hosttree.py failed");
        Map<String, HostEntry> m = new HashMap<>();
        for (String line : out.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            m.put(f[0], new HostEntry(f[1], Integer.parseInt(f[2], 8), Long.parseLong(f[3]), Long.parseLong(f[4]),
                    Long.parseLong(f[5]), f[6], f[7], Long.parseLong(f[8]),
                    Long.parseLong(f[9]), f[10], f[11], Long.parseLong(f[12]), Long.parseLong(f[13])));
        }
        return m;
    }
}
