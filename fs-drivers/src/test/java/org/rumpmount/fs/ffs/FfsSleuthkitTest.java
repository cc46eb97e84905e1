package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;

/**
 * An independent reader of what we write: sleuthkit (Debian package "sleuthkit"), whose fls lists
 * the tree and icat extracts each file by inode. Stock sleuthkit looks for a UFS2 superblock only
 * at 64 KiB, where our newfs puts it (makefs puts it at 8 KiB), so this runs on makefs's UFS1
 * images and our newfs's UFS2 ones.
 */
class FfsSleuthkitTest {
    static List<FreshImages.Config> configs() {
        return List.of(FreshImages.UFS1_LE_8K, FreshImages.UFS1_BE_4K, FreshImages.UFS2_LE_16K, FreshImages.UFS2_BE_16K);
    }

    private static String run(List<String> cmd, Path out) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        if (out != null) {
            pb.redirectOutput(out.toFile());
        }
        Process p = pb.start();
        String s = out == null ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
        if (p.waitFor() != 0) {
            throw new IOException(cmd + " failed with status " + p.exitValue());
        }
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void sleuthkitReadsEveryFileWeWrote(FreshImages.Config c) throws Exception {
        assumeTrue(Files.isExecutable(Paths.get("/usr/bin/fls")), "sleuthkit is not installed");
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        Map<String, byte[]> files = new LinkedHashMap<>();
        Random rnd = new Random(11);
        long[] sizes = {0, 1, 700, c.fsize(), c.bsize() + 3, 12L * c.bsize() + 1, 40L * c.bsize() + c.fsize() + 9};
        try (Kernel k = FfsGoldenTest.kernel(1L << 20)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.mkdir("/dir", 0755);
            p.mkdir("/dir/sub", 0755);
            for (int i = 0; i < sizes.length; i++) {
                byte[] b = new byte[(int) sizes[i]];
                rnd.nextBytes(b);
                String path = (i % 2 == 0 ? "/dir/sub/" : "/dir/") + "file" + i;
                p.writeAll(path, b);
                files.put(path, b);
            }
            // Rewritten, truncated, renamed and hole-punched through extension: the final state counts.
            p.truncate("/dir/file5", 3L * c.bsize() + 5);
            files.put("/dir/file5", java.util.Arrays.copyOf(files.get("/dir/file5"), 3 * c.bsize() + 5));
            p.rename("/dir/sub/file6", "/moved");
            files.put("/moved", files.remove("/dir/sub/file6"));
            p.write("/moved", 60L * c.bsize(), ByteBuffer.wrap(new byte[] {9}));
            byte[] m = java.util.Arrays.copyOf(files.get("/moved"), 60 * c.bsize() + 1);
            m[m.length - 1] = 9;
            files.put("/moved", m);
            k.unmount(mp, false);
        }
        Path dir = Files.createTempDirectory(Paths.get("target"), "sleuthkit");
        Path img = dir.resolve("img");
        Files.write(img, dev.snapshot());
        try {
            Map<String, Long> inodes = new TreeMap<>();
            for (String line : run(List.of("fls", "-r", "-p", "-f", "ufs", img.toString()), null).split("\n")) {
                // "r/r 5:\tdir/file1"; names left in free directory space show as "r/r * 11(realloc):".
                int colon = line.indexOf(':');
                int tab = line.indexOf('\t');
                if (line.startsWith("r/r ") && !line.startsWith("r/r *") && colon > 0 && tab > colon) {
                    inodes.put("/" + line.substring(tab + 1), Long.parseLong(line.substring(4, colon).trim()));
                }
            }
            assertEquals(new TreeMap<>(files).keySet(), inodes.keySet(), "the regular files sleuthkit lists");
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                Path out = dir.resolve("out");
                run(List.of("icat", "-f", "ufs", img.toString(), Long.toString(inodes.get(e.getKey()))), out);
                assertArrayEquals(e.getValue(), Files.readAllBytes(out), "icat of " + e.getKey());
            }
        } finally {
            Files.deleteIfExists(dir.resolve("out"));
            Files.delete(img);
            Files.delete(dir);
        }
    }
}
