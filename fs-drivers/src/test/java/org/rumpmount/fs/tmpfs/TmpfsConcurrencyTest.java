package org.rumpmount.fs.tmpfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.VfsException;

/**
 * Several callers at once through the kernel, on shared directories: the driver must neither
 * fail with anything but the errors the races allow nor lose track of a page or a node.
 */
class TmpfsConcurrencyTest {
    private static final Set<Errno> RACE_ERRORS = EnumSet.of(Errno.ENOENT, Errno.EEXIST, Errno.ENOTEMPTY,
            Errno.ENOTDIR, Errno.EISDIR, Errno.EINVAL, Errno.ENOSPC);

    @Test
    void randomOperationsFromFourThreadsLeaveConsistentCounts() throws Exception {
        try (TmpfsFixture fs = TmpfsFixture.mount("size=2m", "inodes=500")) {
            PathFacade p = new PathFacade(fs.mount, TmpfsFixture.ROOT);
            p.mkdir("/shared", 0777);
            p.mkdir("/other", 0777);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Integer>> workers = new ArrayList<>();
            try {
                for (int t = 0; t < 4; t++) {
                    long seed = 1000 + t;
                    workers.add(pool.submit(() -> churn(p, new Random(seed), 1500)));
                }
                int ok = 0;
                for (Future<Integer> w : workers) {
                    ok += w.get(120, TimeUnit.SECONDS);
                }
                assertTrue(ok > 1000, "most operations succeed (" + ok + ")");
            } finally {
                pool.shutdownNow();
            }
            for (String dir : List.of("/shared", "/other")) {
                emptyTree(p, dir);
                p.rmdir(dir);
            }
            TmpfsMount tm = (TmpfsMount) fs.mount.vfsOps();
            assertEquals(0, tm.limits().usedPages(), "every page came back");
            assertEquals(1, tm.limits().usedNodes(), "only the root is left");
            assertEquals(1, tm.nodeCount());
            assertEquals(2, p.stat("/").nlink);
        }
    }

    private static int churn(PathFacade p, Random rnd, int ops) throws IOException {
        int ok = 0;
        for (int i = 0; i < ops; i++) {
            String dir = rnd.nextBoolean() ? "/shared" : "/other";
            String a = dir + "/n" + rnd.nextInt(12);
            String b = (rnd.nextBoolean() ? "/shared" : "/other") + "/n" + rnd.nextInt(12);
            try {
                switch (rnd.nextInt(9)) {
                    case 0 -> p.writeAll(a, new byte[rnd.nextInt(3 * 4096)]);
                    case 1 -> p.write(a, rnd.nextInt(1 << 16), ByteBuffer.wrap(new byte[100]));
                    case 2 -> p.unlink(a);
                    case 3 -> p.mkdir(a, 0755);
                    case 4 -> p.rmdir(a);
                    case 5 -> p.rename(a, b);
                    case 6 -> p.link(a, b);
                    case 7 -> p.truncate(a, rnd.nextInt(8192));
                    default -> p.readdir(dir);
                }
                ok++;
            } catch (VfsException e) {
                if (!RACE_ERRORS.contains(e.errno()) && !(e.errno() == Errno.EPERM)) {
                    throw e;
                }
            }
        }
        return ok;
    }

    private static void emptyTree(PathFacade p, String dir) throws IOException {
        for (Dirent d : p.readdir(dir)) {
            if (d.name().isDot() || d.name().isDotDot()) {
                continue;
            }
            String path = dir + "/" + d.name().toString(java.nio.charset.StandardCharsets.UTF_8);
            if (d.type() == VType.VDIR) {
                emptyTree(p, path);
                p.rmdir(path);
            } else {
                p.unlink(path);
            }
        }
    }
}
