package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void sleuthkitReadsEveryFileWeWrote(FreshImages.Config c) throws Exception {
        Sleuthkit.assumeInstalled();
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
            Sleuthkit.assertReads(img, files, dir.resolve("out"));
        } finally {
            Files.deleteIfExists(dir.resolve("out"));
            Files.delete(img);
            Files.delete(dir);
        }
    }
}
