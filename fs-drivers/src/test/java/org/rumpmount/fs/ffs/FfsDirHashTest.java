package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.Vnode;

/**
 * With every directory indexed (not only those of {@link DirHash#MIN_DIR_SIZE} bytes), each
 * directory operation keeps the index equal to one built afresh from the disk: names, their
 * chunks and every chunk's free space, through creates, links, removes, renames over existing
 * names and across directories (which rewrite a moved directory's ".."), mkdir, rmdir, and the
 * shrinking of a directory on insertion.
 */
class FfsDirHashTest {
    private static final String[] DIRS = {"/a", "/b", "/a/s", "/b/t"};

    @Test
    void everyIndexMatchesItsDirectoryAfterEveryStep() throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(FreshImages.UFS2_LE_16K), 512, false, false);
        SplittableRandom r = new SplittableRandom(42);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            FfsFileSystem fs = ((FfsVfsOps) mp.vfsOps()).fileSystem();
            fs.dirs.indexFrom = 0;
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            for (String d : DIRS) {
                p.mkdir(d, 0755);
            }
            int checked = 0;
            for (int step = 0; step < 3000; step++) {
                String d = DIRS[r.nextInt(DIRS.length)];
                String f = d + "/" + name(r);
                String g = DIRS[r.nextInt(DIRS.length)] + "/" + name(r);
                // Phases of growth and decline, so that directories gain chunks and lose them again.
                boolean growing = (step / 400) % 2 == 0;
                try {
                    switch (r.nextInt(8)) {
                        case 0, 1 -> p.writeAll(f, new byte[0]);
                        case 2 -> {
                            if (growing) {
                                p.writeAll(f, new byte[0]);
                            } else {
                                p.unlink(f);
                            }
                        }
                        case 3 -> p.unlink(f);
                        case 4 -> p.rename(f, g);
                        case 5 -> p.link(f, g);
                        case 6 -> p.mkdir(f, 0755);
                        default -> {
                            if (growing) {
                                p.rmdir(f);
                            } else {
                                p.unlink(f);
                            }
                        }
                    }
                } catch (VfsException e) {
                    // ENOENT, EEXIST, ENOTEMPTY, EISDIR, ENOTDIR, EPERM: the random step did not apply.
                }
                for (String dir : DIRS) {
                    checked += check(mp, fs, p, dir);
                }
                if (step % 500 == 0) {
                    // Moved directories: their ".." was rewritten through their own index.
                    for (String dir : DIRS) {
                        for (var e : p.readdir(dir)) {
                            String sub = dir + "/" + e.name();
                            if (!e.name().isDot() && !e.name().isDotDot() && p.lstat(sub).type == org.rumpmount.vfs.VType.VDIR) {
                                checked += check(mp, fs, p, sub);
                            }
                        }
                    }
                }
            }
            assertEquals(true, checked > 10_000, "indexes compared: " + checked);
            k.unmount(mp, false);
        }
        assertEquals(List.of(), FfsChecker.check(dev.snapshot()), "independent checker");
    }

    /** Short names from a small set, so that steps hit existing names often; some long ones fill chunks. */
    private static String name(SplittableRandom r) {
        int n = r.nextInt(120);
        return n < 8 ? "long-name-" + "x".repeat(60 + n * 25) + n : "n" + n;
    }

    /** Compares the index of directory {@code path}, if it has one, with one built from the disk. */
    private static int check(Mount mp, FfsFileSystem fs, PathFacade p, String path) throws IOException {
        long ino = p.lstat(path).fileid;
        try (Vnode vp = mp.vnodes().peek(ino)) {
            if (vp == null) {
                return 0;
            }
            Inode dir = vp.data(Inode.class);
            DirHash h = dir.dirhash();
            if (h == null) {
                p.lstat(path + "/..");
                h = dir.dirhash();
            }
            if (h == null) {
                return 0;
            }
            DirHash fresh = fs.dirs.build(dir);
            TreeSet<String> wantNames = new TreeSet<>();
            fresh.names().forEach(n -> wantNames.add(n.toString()));
            TreeSet<String> gotNames = new TreeSet<>();
            h.names().forEach(n -> gotNames.add(n.toString()));
            assertEquals(wantNames, gotNames, path + ": names");
            List<String> want = new ArrayList<>();
            List<String> got = new ArrayList<>();
            for (var n : fresh.names()) {
                want.add(n + "=" + fresh.lookup(n) + "@" + fresh.chunk(n));
                got.add(n + "=" + h.lookup(n) + "@" + h.chunk(n));
            }
            assertEquals(want, got, path + ": inodes and chunks of the names");
            assertEquals(fresh.chunks(), h.chunks(), path + ": chunks");
            for (int c = 0; c < fresh.chunks(); c++) {
                assertEquals(fresh.largestFree(c) + "/" + fresh.totalFree(c), h.largestFree(c) + "/" + h.totalFree(c),
                        path + ": free space of chunk " + c);
            }
            return 1;
        }
    }
}
