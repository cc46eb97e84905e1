package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Empty FFS images, made once per configuration into target/ffs-fresh. Most come from a
 * formatter that is not ours, Debian's makefs (package "makefs", a port of NetBSD's), so that
 * images we did not write stay covered; tests needing one are skipped where makefs is not
 * installed. The configurations in {@link #BY_NEWFS} come from our newfs, which lays them out as
 * NetBSD's newfs does (UFS2 superblock at 64 KiB, groups sized by mkfs.c's rules, so
 * {@code maxbpcg} does not apply to them).
 */
final class FreshImages {
    /**
     * One geometry: UFS version, byte order, block and fragment size, image size, bytes per inode,
     * and the most blocks per cylinder group (which sets how many groups there are).
     */
    record Config(String name, int version, String endian, int bsize, int fsize, String size, int density,
            int maxbpcg) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Config UFS1_LE_8K = new Config("ufs1-le-8k", 1, "le", 8192, 1024, "24m", 8192, 2048);
    static final Config UFS2_LE_16K = new Config("ufs2-le-16k", 2, "le", 16384, 2048, "40m", 8192, 1024);
    static final Config UFS2_BE_16K = new Config("ufs2-be-16k", 2, "be", 16384, 2048, "40m", 8192, 1024);
    static final Config UFS2_LE_4K = new Config("ufs2-le-4k", 2, "le", 4096, 512, "12m", 4096, 2048);
    static final Config UFS1_BE_4K = new Config("ufs1-be-4k", 1, "be", 4096, 512, "12m", 4096, 1024);
    /** Small, to reach ENOSPC quickly; the last of their groups is short. */
    static final Config UFS2_LE_TINY = new Config("ufs2-le-tiny", 2, "le", 8192, 1024, "3m", 16384, 2048);
    static final Config UFS1_LE_TINY = new Config("ufs1-le-tiny", 1, "le", 4096, 512, "3m", 16384, 2048);
    static final Config UFS1_BE_TINY = new Config("ufs1-be-tiny", 1, "be", 8192, 1024, "3m", 8192, 1024);
    static final Config UFS2_BE_TINY = new Config("ufs2-be-tiny", 2, "be", 4096, 512, "3m", 8192, 1024);

    /** Made by our newfs rather than Debian's makefs. */
    static final java.util.Set<Config> BY_NEWFS = java.util.Set.of(UFS2_LE_16K, UFS2_BE_16K, UFS2_LE_TINY, UFS2_BE_TINY);

    static final List<Config> ALL = List.of(UFS1_LE_8K, UFS2_LE_16K, UFS2_BE_16K, UFS2_LE_4K, UFS1_BE_4K);

    private FreshImages() {
    }

    static boolean haveMakefs() {
        return Files.isExecutable(Paths.get("/usr/sbin/makefs")) || Files.isExecutable(Paths.get("/usr/bin/makefs"));
    }

    /** A fresh copy of the empty image of {@code c}. */
    static synchronized byte[] fresh(Config c) throws IOException, InterruptedException {
        if (BY_NEWFS.contains(c)) {
            return byNewfs(c);
        }
        assumeTrue(haveMakefs(), "makefs is not installed (Debian package makefs)");
        Path dir = Paths.get("target", "ffs-fresh").toAbsolutePath();
        Files.createDirectories(dir);
        Path img = dir.resolve(c.name() + "-" + c.maxbpcg() + ".img");
        if (!Files.exists(img)) {
            Path empty = dir.resolve("empty");
            Files.createDirectories(empty);
            Path tmp = dir.resolve(c.name() + ".part");
            Files.deleteIfExists(tmp);
            Process p = new ProcessBuilder("makefs", "-t", "ffs", "-B", c.endian(), "-s", c.size(), "-o",
                    "version=" + c.version() + ",bsize=" + c.bsize() + ",fsize=" + c.fsize() + ",density=" + c.density() + ",maxbpcg=" + c.maxbpcg(),
                    tmp.toString(), empty.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IOException("makefs failed for " + c + ": " + out);
            }
            Files.move(tmp, img, StandardCopyOption.ATOMIC_MOVE);
        }
        return Files.readAllBytes(img);
    }

    private static byte[] byNewfs(Config c) throws IOException {
        String size = c.size();
        long bytes = Long.parseLong(size.substring(0, size.length() - 1)) << 20;
        org.rumpmount.block.MemoryBlockDevice dev = org.rumpmount.block.MemoryBlockDevice.create((int) bytes);
        org.rumpmount.fs.ffs.newfs.Newfs.format(dev, org.rumpmount.fs.ffs.newfs.NewfsOptions.builder()
                .version(c.version()).blockSize(c.bsize()).fragmentSize(c.fsize()).bytesPerInode(c.density())
                .byteOrder(c.endian().equals("be") ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN)
                .build());
        return dev.snapshot();
    }
}
