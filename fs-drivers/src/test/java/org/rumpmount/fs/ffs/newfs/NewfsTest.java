package org.rumpmount.fs.ffs.newfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.fs.ffs.FfsChecker;
import org.rumpmount.fs.ffs.FfsDriver;
import org.rumpmount.fs.ffs.Sleuthkit;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.StatVfs;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * Every geometry newfs makes is mountable read-write by our driver (whose mount validates every
 * derived superblock field), consistent to the checker before and after a tree is written, and
 * readable by sleuthkit, an FFS reader that is not ours.
 */
class NewfsTest {
    /** Leaves the last cylinder group short at every fragment size: 23 MiB, three 4 KiB pages and seven sectors. */
    static final long ODD = (23L << 20) + 3 * 4096 + 7 * 512;

    record Case(int version, ByteOrder order, int bsize, int fsize, long bytes) {
        @Override
        public String toString() {
            return "ufs" + version + "-" + (order == ByteOrder.BIG_ENDIAN ? "be" : "le") + "-" + bsize / 1024 + "k/"
                    + fsize + "-" + bytes;
        }

        NewfsOptions options() {
            return NewfsOptions.builder().version(version).byteOrder(order).blockSize(bsize).fragmentSize(fsize)
                    .build();
        }
    }

    static List<Case> matrix() {
        List<Case> out = new ArrayList<>();
        int[][] sizes = {{4096, 512}, {8192, 1024}, {16384, 2048}, {32768, 4096}};
        for (int v = 1; v <= 2; v++) {
            for (ByteOrder o : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                for (int[] s : sizes) {
                    for (long bytes : new long[] {4L << 20, 64L << 20, ODD}) {
                        out.add(new Case(v, o, s[0], s[1], bytes));
                    }
                }
            }
        }
        return out;
    }

    static Kernel kernel() {
        DriverRegistry registry = new DriverRegistry();
        registry.register(new FfsDriver());
        return new Kernel(Host.system(), registry, new BufferCache(8L << 20));
    }

    static void assertConsistent(byte[] image) {
        List<String> p = FfsChecker.check(image);
        assertTrue(p.isEmpty(), "inconsistent: " + String.join("\n", p));
    }

    /** The primary superblock's fields, read at their struct fs offsets. */
    static ByteBuffer primary(byte[] image, NewfsLayout l, ByteOrder order) {
        return ByteBuffer.wrap(image, (int) l.sblockloc(), 8192).slice().order(order);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void freshFileSystemMountsChecksAndHoldsATree(Case c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.create((int) c.bytes());
        NewfsLayout l = Newfs.format(dev, c.options());
        byte[] image = dev.snapshot();
        assertConsistent(image);
        ByteBuffer sb = primary(image, l, c.order());
        assertEquals(c.version() == 2 ? 0x19540119 : 0x011954, sb.getInt(1372), "fs_magic");
        assertEquals(c.version() == 2 ? 65536 : 8192, sb.getLong(1000), "fs_sblockloc");
        assertEquals(c.version() == 2 ? 120 : 60, sb.getInt(1320), "fs_maxsymlinklen");
        assertEquals(1, sb.get(209), "fs_clean");
        assertEquals(c.bsize(), sb.getInt(48));
        assertEquals(c.fsize(), sb.getInt(52));
        if (c.bytes() == ODD) {
            assertTrue(l.size() % l.fpg() != 0, "the last group is short: fs_size " + l.size() + ", fs_fpg " + l.fpg());
        }
        // Every group's superblock copy is where cgsblock says, in the same byte order.
        for (int cg = 0; cg < l.ncg(); cg++) {
            ByteBuffer alt = ByteBuffer.wrap(image, (int) ((l.cgbase(cg) + l.sblkno()) * l.fsize()), 8192).slice()
                    .order(c.order());
            assertEquals(sb.getInt(1372), alt.getInt(1372), "magic of the copy in group " + cg);
            assertEquals(l.fpg(), alt.getInt(188), "fs_fpg of the copy in group " + cg);
        }
        long[] sum = {sb.getLong(1008), sb.getLong(1016), sb.getLong(1024), sb.getLong(1032)};
        assertEquals(1, sum[0], "one directory: the root");
        assertEquals(l.inodeCount() - 3, sum[2], "inodes 0, 1 and the root are taken");

        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Kernel k = kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            assertEquals(List.of(".", ".."), p.readdir("/").stream().map(d -> d.name().toString()).sorted().toList());
            StatVfs st = p.statvfs();
            assertEquals(sb.getLong(1088), st.blocks(), "statvfs blocks = fs_dsize");
            assertEquals(sum[1] * l.frag() + sum[3], st.blocksFree(), "statvfs free = nbfree * frag + nffree");
            assertEquals(l.inodeCount() - 2, st.files(), "statvfs files");
            assertEquals(sum[2], st.filesFree(), "statvfs free inodes = nifree");
            assertEquals(c.bsize(), st.blockSize());
            Random rnd = new Random(c.hashCode());
            long[] sizes = {0, 1, c.fsize() + 1, c.bsize(), 12L * c.bsize() + 3, (12L + 3) * c.bsize() + 17};
            p.mkdir("/a", 0755);
            p.mkdir("/a/b", 0700);
            for (int i = 0; i < sizes.length; i++) {
                byte[] data = new byte[(int) sizes[i]];
                rnd.nextBytes(data);
                String path = (i % 2 == 0 ? "/a/b/f" : "/a/f") + i;
                p.writeAll(path, data);
                files.put(path, data);
            }
            p.symlink("t".repeat(c.version() == 2 ? 120 : 60), "/a/link");
            k.unmount(mp, false);
        }
        image = dev.snapshot();
        assertConsistent(image);
        sleuthkitReads(image, files, c);
    }

    private static void sleuthkitReads(byte[] image, Map<String, byte[]> files, Case c) throws Exception {
        Sleuthkit.assumeInstalled();
        Path dir = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "newfs");
        try {
            Path img = dir.resolve("img");
            Files.write(img, image);
            String stat = Sleuthkit.run(List.of("fsstat", "-f", "ufs", img.toString()), null);
            assertTrue(stat.contains(c.version() == 2 ? "UFS 2" : "UFS 1"), "fsstat says:\n" + stat);
            Sleuthkit.assertReads(img, files, dir.resolve("out"));
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
            }
        }
    }
}
