package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rumpmount.vfs.DriverRegistry;

/**
 * {@code rumpmount get -r IMAGE / DIR} of each whole reference FFS image reproduces its manifest
 * on the host, as far as the host and get can hold it: every file's bytes, every symbolic link's
 * target bytes, names as bytes, permission bits. What they cannot hold is counted and must be
 * exactly that: FIFOs and devices (get skips them), names the host charset cannot spell (skipped
 * with a warning, and so everything beneath them), setuid, setgid and sticky bits (Java's
 * permission sets have no place for them), directories' owner bits (kept writable so the copy can
 * be filled), hard links (copied as separate files), owners and times (not carried over).
 * The host tree is read back by a small Python script that keeps names as bytes.
 */
class GetWholeImageTest {
    private static Path script;

    @BeforeAll
    static void tools() throws IOException {
        assumeTrue(DriverRegistry.load().get("ffs").isPresent(), "the ffs driver is not on the class path");
        assumeTrue(Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "python3"))),
                "python3 is not installed; it reads the copied tree back with names as bytes");
        script = Path.of("target", "hosttree.py").toAbsolutePath();
        Files.createDirectories(script.getParent());
        try (InputStream in = GetWholeImageTest.class.getResourceAsStream("hosttree.py")) {
            Files.write(script, in.readAllBytes());
        }
    }

    record HostEntry(String type, int mode, long size, long ino, String sha256, String targetHex) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"ufs1-le", "ufs1-small", "ufs2-le", "ufs2-be", "ufs2-full", "nb-ffs2"})
    void getOfTheWholeImageReproducesTheManifest(String name, @TempDir Path tmp) throws Exception {
        Path image = SharedImages.image(name);
        List<SharedImages.Entry> manifest = SharedImages.manifest(name);
        Path dest = tmp.resolve("copy");
        CliRun run = CliRun.run("get", "-r", image.toString(), "/", dest.toString());
        Map<String, HostEntry> host = describe(dest);

        Map<String, SharedImages.Entry> byHex = new HashMap<>();
        for (SharedImages.Entry e : manifest) {
            byHex.put(e.get("path_hex"), e);
        }
        Map<String, Integer> cannot = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        Set<String> unspellable = new HashSet<>();
        for (SharedImages.Entry e : manifest) {
            String hex = e.get("path_hex");
            if (hex.equals("2f")) {
                continue;
            }
            String shown = e.get("path");
            HostEntry h = host.get(hex);
            String lost = whyAbsent(e, byHex, unspellable);
            if (h == null) {
                if (lost == null) {
                    failures.add(shown + ": not copied");
                } else {
                    cannot.merge(lost, 1, Integer::sum);
                }
                continue;
            }
            if (lost != null) {
                failures.add(shown + ": copied, though " + lost);
                continue;
            }
            if (!e.type().equals(h.type())) {
                failures.add(shown + ": type " + h.type() + ", expected " + e.type());
                continue;
            }
            int mode = Integer.parseInt(e.get("mode"), 8);
            int want = switch (e.type()) {
                case "dir" -> (mode | 0700) & 0777;
                case "symlink" -> 0777;
                default -> mode & 0777;
            };
            if (h.mode() != want) {
                failures.add(shown + ": mode " + Integer.toOctalString(h.mode()) + ", expected " + Integer.toOctalString(want));
            }
            if ((mode & 07000) != 0) {
                cannot.merge("setuid, setgid or sticky bit (dropped)", 1, Integer::sum);
            }
            if (e.type().equals("dir") && (mode & 0700) != 0700) {
                cannot.merge("directory without all owner bits (made rwx for the owner)", 1, Integer::sum);
            }
            if (e.type().equals("file")) {
                if (Long.parseLong(e.get("size")) != h.size()) {
                    failures.add(shown + ": size " + h.size() + ", expected " + e.get("size"));
                }
                if (!e.get("sha256").equals(h.sha256())) {
                    failures.add(shown + ": sha256 differs");
                }
            }
            if (e.type().equals("symlink") && !e.get("target_hex").equals(h.targetHex())) {
                failures.add(shown + ": target " + h.targetHex() + ", expected " + e.get("target_hex"));
            }
        }
        for (String hex : host.keySet()) {
            if (!byHex.containsKey(hex)) {
                failures.add(new String(java.util.HexFormat.of().parseHex(hex), StandardCharsets.UTF_8)
                        + ": on the host but not in the image");
            }
        }
        // Names sharing an inode in the image: on the host each is its own copy with the same bytes.
        Map<String, Set<Long>> groups = new HashMap<>();
        Map<String, String> hexOfShown = new HashMap<>();
        for (SharedImages.Entry e : manifest) {
            hexOfShown.putIfAbsent(e.get("path"), e.get("path_hex"));
        }
        for (SharedImages.Entry e : manifest) {
            HostEntry h = host.get(e.get("path_hex"));
            if (e.get("link_group") != null && h != null) {
                groups.computeIfAbsent(e.get("link_group"), g -> new HashSet<>()).add(h.ino());
            }
        }
        for (Set<Long> inodes : groups.values()) {
            if (inodes.size() > 1) {
                cannot.merge("hard-link group copied as separate files", 1, Integer::sum);
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(30, failures.size())), name + ": " + failures.size()
                + " differences; get said: " + run.stderr().lines().limit(10).toList());
        assertEquals(cannot.containsKey("fifo or device (get skips them)")
                || cannot.containsKey("name not spelled by the host charset " + RawText.HOST) ? 1 : 0, run.exit(),
                run.toString());
        assertTrue(host.size() > manifest.size() / 2, name + ": only " + host.size() + " entries copied");
        System.out.println("get -r " + name + ": " + host.size() + " of " + (manifest.size() - 1)
                + " entries reproduced; not representable: " + cannot);
    }

    /** Why get cannot put this entry on the host (or null when it must be there). */
    private static String whyAbsent(SharedImages.Entry e, Map<String, SharedImages.Entry> byHex, Set<String> unspellable) {
        byte[] p = e.path();
        int slash = p.length - 1;
        while (p[slash] != '/') {
            slash--;
        }
        String parent = slash == 0 ? "2f" : java.util.HexFormat.of().formatHex(p, 0, slash);
        if (unspellable.contains(parent)) {
            unspellable.add(e.get("path_hex"));
            return "inside a directory whose name the host charset cannot spell";
        }
        try {
            RawText.HOST.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(p, slash + 1, p.length - slash - 1));
        } catch (CharacterCodingException x) {
            unspellable.add(e.get("path_hex"));
            return "name not spelled by the host charset " + RawText.HOST;
        }
        return switch (e.type()) {
            case "fifo", "chr", "blk", "socket" -> "fifo or device (get skips them)";
            default -> null;
        };
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
            m.put(f[0], new HostEntry(f[1], Integer.parseInt(f[2], 8), Long.parseLong(f[5]), Long.parseLong(f[7]), f[9],
                    f[10]));
        }
        return m;
    }
}
