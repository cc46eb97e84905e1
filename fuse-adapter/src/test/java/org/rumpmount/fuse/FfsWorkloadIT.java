package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.fs.ffs.fsck.FfsFsck;
import org.rumpmount.fs.ffs.fsck.FsckOptions;
import org.rumpmount.fs.ffs.fsck.FsckReport;
import org.rumpmount.fs.ffs.newfs.Newfs;
import org.rumpmount.fs.ffs.newfs.NewfsOptions;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;

/**
 * A real workload through a FUSE mount of a fresh read-write FFS made by our newfs: the host's
 * {@code cp -a} of /usr/share/doc (whole package directories in name order, up to a size cap:
 * 50 MB for UFS2, 12 MB for the big-endian UFS1 run), then appends, overwrites in the middle,
 * truncations, renames of files and directories across directories, a hard link and deletions,
 * then unmount. Our fsck -n must find the image clean, and the Sleuth Kit, reading it without our
 * code, must list exactly the expected tree and give every file's exact content.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FfsWorkloadIT {
    private static final Path DOC = Paths.get("/usr/share/doc");

    record Layout(String name, int version, ByteOrder order, int bsize, int fsize, long capBytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Layout> layouts() {
        return List.of(
                new Layout("ufs2-le-32k", 2, ByteOrder.LITTLE_ENDIAN, 32768, 4096, 50L << 20),
                new Layout("ufs1-be-16k", 1, ByteOrder.BIG_ENDIAN, 16384, 2048, 12L << 20));
    }

    @BeforeAll
    static void requirements() throws IOException {
        FuseFixture.requireFuse();
        assumeTrue(Sleuthkit.installed(), "the Sleuth Kit (Debian package sleuthkit: fls, icat, istat, tsk_recover)"
                + " is not installed");
        assumeTrue(Files.isDirectory(DOC), DOC + " is absent: the workload copies it");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void cpEditRenameDeleteThenFsckAndSleuthkitAgree(Layout layout) throws Exception {
        Path target = Paths.get("target").toAbsolutePath();
        Files.createDirectories(target);
        Path work = Files.createTempDirectory(target, "ffs-workload-");
        try {
            run(layout, work);
        } finally {
            deleteTree(work); // the image is as large as the copied tree
        }
    }

    private static void run(Layout layout, Path work) throws Exception {
        List<Path> packages = docSubset(layout.capBytes());
        TreeModel model = new TreeModel();
        model.nodes.put("doc", new TreeModel.DirNode());
        long bytes = 0;
        for (Path p : packages) {
            model.addHostTree(p, "doc/" + p.getFileName());
        }
        for (String f : model.files()) {
            bytes += model.file(f).data.length;
        }
        assertTrue(model.files().size() > 200, "too few files under " + DOC + " for a workload: " + model.files().size());

        Path img = work.resolve("ffs.img");
        long size = ((bytes * 2 + (48L << 20)) >> 20) << 20;
        try (FileBlockDevice dev = FileBlockDevice.create(img, size)) {
            Newfs.format(dev, NewfsOptions.builder().version(layout.version()).byteOrder(layout.order())
                    .blockSize(layout.bsize()).fragmentSize(layout.fsize()).build());
        }
        Path mnt = Files.createTempDirectory("rumpmount-ffs-");
        Set<String> changed;
        try (FileBlockDevice dev = FileBlockDevice.open(img, false); Kernel kernel = Kernel.create()) {
            Mount mp = kernel.mount("ffs", dev, MountOptions.readWrite());
            PathFacade facade = new PathFacade(mp, Credentials.ROOT);
            try (FuseMount fuse = FuseMount.mount(facade, mnt, FuseOptions.builder().fsName(FuseFixture.FSNAME).build())) {
                Files.createDirectory(mnt.resolve("doc"));
                List<String> cp = new ArrayList<>(List.of("cp", "-a"));
                packages.forEach(p -> cp.add(p.toString()));
                cp.add(mnt.resolve("doc").toString());
                Sh.run(mnt, cp.toArray(new String[0])).ok();
                changed = edit(mnt, model, new Random(layout.name().hashCode()));
            }
            kernel.unmount(mp, false);
        } finally {
            Files.deleteIfExists(mnt);
        }

        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            FsckReport r = FfsFsck.check(dev, FsckOptions.checkOnly(true));
            assertEquals(FsckReport.EXIT_CLEAN, r.exitCode(), r.toString());
            assertEquals(0, r.problemsFound(), r.toString());
        }
        sleuthkitReadsTheExpectedTree(new Sleuthkit(img), model, changed, work.resolve("recovered"));
    }

    /** Whole package directories of /usr/share/doc in name order, as many as fit under the cap. */
    private static List<Path> docSubset(long cap) throws IOException {
        List<Path> chosen = new ArrayList<>();
        long total = 0;
        List<Path> all;
        try (Stream<Path> s = Files.list(DOC)) {
            all = s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
        for (Path p : all) {
            long[] size = {0};
            boolean[] plain = {true};
            try (Stream<Path> s = Files.walk(p)) {
                s.forEach(f -> {
                    // Host names pass through Java's charset here and through fls's output there:
                    // keep to ASCII so that both spell them alike.
                    if (!f.getFileName().toString().chars().allMatch(c -> c > 32 && c < 127)) {
                        plain[0] = false;
                    }
                    if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                        if (!Files.isReadable(f)) {
                            plain[0] = false;
                        }
                        size[0] += f.toFile().length();
                    }
                });
            }
            if (plain[0] && total + size[0] <= cap) {
                chosen.add(p);
                total += size[0];
            }
        }
        return chosen;
    }

    private static byte[] pattern(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /**
     * Edits through the mount, each mirrored in the model: appends, overwrites in the middle,
     * truncations (shorter, to zero, longer), a new large file cut back, a hard link written
     * through, renames of files across directories (one over an existing file), renames of
     * directories into other directories, deletions of files and of whole trees.
     */
    private static Set<String> edit(Path mnt, TreeModel model, Random rnd) throws IOException {
        List<String> files = new ArrayList<>(model.files());
        List<String> big = files.stream().filter(f -> model.file(f).data.length > 20_000).toList();
        assertTrue(big.size() >= 12, "too few files over 20 kB: " + big.size());
        int stride = Math.max(1, files.size() / 97);
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < files.size() && picks.size() < 40; i += stride) {
            if (!big.contains(files.get(i))) {
                picks.add(files.get(i));
            }
        }
        assertTrue(picks.size() >= 40, "only " + picks.size() + " files to edit");
        Set<String> changed = new TreeSet<>();

        for (String f : picks.subList(0, 10)) {
            byte[] more = pattern(rnd, 1 + rnd.nextInt(9000));
            Files.write(mnt.resolve(f), more, StandardOpenOption.APPEND);
            model.append(f, more);
            changed.add(f);
        }
        for (int i = 0; i < 6; i++) {
            String f = big.get(i);
            int mid = model.file(f).data.length / 2;
            byte[] over = pattern(rnd, 3000 + rnd.nextInt(20_000));
            try (FileChannel ch = FileChannel.open(mnt.resolve(f), StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(over);
                while (b.hasRemaining()) {
                    ch.write(b, mid + b.position());
                }
            }
            model.overwrite(f, mid, over);
            changed.add(f);
        }
        for (int i = 6; i < 10; i++) {
            String f = big.get(i);
            int len = model.file(f).data.length / 3;
            try (RandomAccessFile raf = new RandomAccessFile(mnt.resolve(f).toFile(), "rw")) {
                raf.setLength(len);
            }
            model.truncate(f, len);
            changed.add(f);
        }
        String zero = picks.get(10);
        try (RandomAccessFile raf = new RandomAccessFile(mnt.resolve(zero).toFile(), "rw")) {
            raf.setLength(0);
        }
        model.truncate(zero, 0);
        String longer = picks.get(11);
        int grown = model.file(longer).data.length + 200_000;
        try (RandomAccessFile raf = new RandomAccessFile(mnt.resolve(longer).toFile(), "rw")) {
            raf.setLength(grown);
        }
        model.truncate(longer, grown);
        changed.add(zero);
        changed.add(longer);

        // A file deep into indirect blocks, then cut back into its direct blocks.
        byte[] large = pattern(rnd, 6 << 20);
        Files.write(mnt.resolve("doc/large.bin"), large);
        model.create("doc/large.bin", large);
        try (RandomAccessFile raf = new RandomAccessFile(mnt.resolve("doc/large.bin").toFile(), "rw")) {
            raf.setLength(100_003);
        }
        model.truncate("doc/large.bin", 100_003);
        changed.add("doc/large.bin");

        String linked = picks.get(12);
        Files.createLink(mnt.resolve("doc/hardlink"), mnt.resolve(linked));
        model.link(linked, "doc/hardlink");
        byte[] tail = pattern(rnd, 777);
        Files.write(mnt.resolve("doc/hardlink"), tail, StandardOpenOption.APPEND);
        model.append("doc/hardlink", tail);
        changed.add(linked);

        List<String> dirs = model.dirs().stream().filter(d -> d.chars().filter(c -> c == '/').count() == 1).toList();
        assertTrue(dirs.size() >= 8, "too few package directories: " + dirs);
        for (int i = 13; i < 23; i++) {
            String from = picks.get(i);
            if (!model.nodes.containsKey(from)) {
                continue;
            }
            String to = dirs.get(i % dirs.size()) + "/moved-" + i;
            Files.move(mnt.resolve(from), mnt.resolve(to));
            model.rename(from, to);
            changed.remove(from);
            changed.add(to);
        }
        String victim = picks.get(23);
        String replacing = picks.get(24);
        Files.move(mnt.resolve(replacing), mnt.resolve(victim), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        model.remove(victim);
        model.rename(replacing, victim);
        changed.add(victim);
        // Directories into other directories, and one back up to the top.
        Files.move(mnt.resolve(dirs.get(1)), mnt.resolve(dirs.get(2) + "/nested"));
        model.rename(dirs.get(1), dirs.get(2) + "/nested");
        Files.move(mnt.resolve(dirs.get(3)), mnt.resolve(dirs.get(2) + "/nested/deeper"));
        model.rename(dirs.get(3), dirs.get(2) + "/nested/deeper");
        Files.move(mnt.resolve(dirs.get(2) + "/nested/deeper"), mnt.resolve("top"));
        model.rename(dirs.get(2) + "/nested/deeper", "top");

        for (String f : picks.subList(25, 35)) {
            if (model.nodes.get(f) instanceof TreeModel.FileNode) {
                Files.delete(mnt.resolve(f));
                model.remove(f);
                changed.remove(f);
            }
        }
        for (String d : List.of(dirs.get(4), dirs.get(5))) {
            Sh.run(mnt, "rm", "-rf", d).ok();
            model.remove(d);
            changed.removeIf(c -> c.startsWith(d + "/"));
        }
        changed.removeIf(c -> !model.nodes.containsKey(c));
        return changed;
    }

    /**
     * fls lists exactly the model's names with their types, sizes, owners and (where cp -a set
     * it and nothing changed it since) mtimes; tsk_recover gives every file's exact content, icat
     * each changed file's; istat each link's target.
     */
    private static void sleuthkitReadsTheExpectedTree(Sleuthkit tsk, TreeModel model, Set<String> changed,
            Path recovered) throws IOException {
        // cp -a keeps owners only when run by root; otherwise the files are the caller's.
        boolean root = ((Integer) Files.getAttribute(Paths.get("/proc/self"), "unix:uid")) == 0;
        Map<String, Sleuthkit.Entry> listed = tsk.list();
        assertEquals(model.nodes.keySet(), listed.keySet(), "the names fls lists");
        tsk.recoverAll(recovered);
        int checked = 0;
        for (Map.Entry<String, TreeModel.Node> e : model.nodes.entrySet()) {
            String path = e.getKey();
            Sleuthkit.Entry s = listed.get(path);
            TreeModel.Node n = e.getValue();
            if (n instanceof TreeModel.DirNode) {
                assertEquals("d", s.type(), path);
            } else if (n instanceof TreeModel.LinkNode l) {
                assertEquals("l", s.type(), path);
                assertEquals(l.target(), tsk.linkTarget(s.inode()), "link target of " + path);
            } else {
                TreeModel.FileNode f = (TreeModel.FileNode) n;
                assertEquals("r", s.type(), path);
                assertEquals(f.data.length, s.size(), "size of " + path);
                if (root && f.mtime >= 0) {
                    assertEquals(f.uid, s.uid(), "uid of " + path);
                    assertEquals(f.gid, s.gid(), "gid of " + path);
                }
                if (f.mtime >= 0) {
                    assertEquals(f.mtime, s.mtime(), "mtime cp -a kept on " + path);
                }
                Path out = recovered.resolve(path);
                byte[] got = f.data.length == 0 && !Files.exists(out) ? new byte[0] : Files.readAllBytes(out);
                assertArrayEquals(f.data, got, "content tsk_recover gives for " + path);
                checked++;
            }
        }
        for (String path : changed) {
            assertArrayEquals(model.file(path).data, tsk.icat(listed.get(path).inode()), "content icat gives for " + path);
        }
        assertTrue(checked > 200, "only " + checked + " files checked");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
