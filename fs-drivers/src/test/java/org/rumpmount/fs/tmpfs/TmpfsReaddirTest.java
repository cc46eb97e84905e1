package org.rumpmount.fs.tmpfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rumpmount.fs.tmpfs.TmpfsFixture.assertErrno;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vnode;

/** readdir: entries, types, cookies, and stability while the directory changes. */
class TmpfsReaddirTest {

    private static String text(Dirent d) {
        return d.name().toString(StandardCharsets.UTF_8);
    }

    @Test
    void listsDotDotDotThenEntriesWithTypesAndFileIds() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode d = fs.mkdir(root, "d");
             Vnode f = fs.create(d, "f"); Vnode s = fs.mkdir(d, "s"); Vnode l = fs.symlink(d, "l", "f");
             Vnode p = fs.mknod(d, "p", TmpfsFixture.attrs(VType.VFIFO, 0600))) {
            List<Dirent> list = fs.readdirAll(d);
            assertEquals(List.of(".", "..", "f", "s", "l", "p"), list.stream().map(TmpfsReaddirTest::text).toList());
            assertEquals(List.of(d.fileid(), root.fileid(), f.fileid(), s.fileid(), l.fileid(), p.fileid()),
                    list.stream().map(Dirent::fileid).toList());
            assertEquals(List.of(VType.VDIR, VType.VDIR, VType.VREG, VType.VDIR, VType.VLNK, VType.VFIFO),
                    list.stream().map(Dirent::type).toList());
        }
    }

    @Test
    void eachEntryCarriesTheCookieOfTheNextAndResumingThereContinues() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root()) {
            for (int i = 0; i < 10; i++) {
                fs.touch(root, "f" + i);
            }
            List<Dirent> all = fs.readdirAll(root);
            assertEquals(12, all.size());
            assertEquals(1, all.get(0).nextCookie());
            assertEquals(2, all.get(1).nextCookie());
            for (int i = 0; i < all.size() - 1; i++) {
                List<Dirent> rest = fs.readdir(root, all.get(i).nextCookie(), Integer.MAX_VALUE);
                assertEquals(all.subList(i + 1, all.size()), rest, "resuming after entry " + i);
            }
            assertEquals(List.of(), fs.readdir(root, all.get(all.size() - 1).nextCookie(), 10));
            assertEquals(List.of(), fs.readdir(root, Long.MAX_VALUE, 10), "a cookie past the end lists nothing");
            assertErrno(Errno.EINVAL, () -> fs.readdir(root, -1, 10));
        }
    }

    @Test
    void aRefusedEntryIsNotConsumed() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root()) {
            fs.touch(root, "a");
            fs.touch(root, "b");
            List<String> seen = fs.readdirInBatches(root, 1).stream().map(TmpfsReaddirTest::text).toList();
            assertEquals(List.of(".", "..", "a", "b"), seen);
        }
    }

    @Test
    void entriesPresentThroughoutAreListedExactlyOnceWhileOthersComeAndGo() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode d = fs.mkdir(root, "d")) {
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 50; i++) {
                fs.touch(d, "stable" + i);
                stable.add("stable" + i);
                fs.touch(d, "churn" + i);
            }
            Random rnd = new Random(11);
            Map<String, Integer> seen = new HashMap<>();
            long cookie = 0;
            int next = 1000;
            int calls = 0;
            while (true) {
                List<Dirent> batch = fs.readdir(d, cookie, 1 + rnd.nextInt(3));
                if (batch.isEmpty()) {
                    break;
                }
                assertTrue(calls < 10_000, "the listing does not end");
                for (Dirent e : batch) {
                    seen.merge(text(e), 1, Integer::sum);
                }
                cookie = batch.get(batch.size() - 1).nextCookie();
                if (++calls > 120) {
                    continue; // new entries go to the end: stop adding so the listing can finish
                }
                // Between calls: remove a churning entry (maybe one already listed), add new ones,
                // and re-create a removed name so it gets a fresh place in the order.
                String victim = "churn" + rnd.nextInt(50);
                if (fs.exists(d, victim)) {
                    fs.remove(d, victim);
                } else {
                    fs.touch(d, victim);
                }
                fs.touch(d, "new" + next++);
            }
            for (String s : stable) {
                assertEquals(1, seen.get(s), s + " was listed once");
            }
            for (Map.Entry<String, Integer> e : seen.entrySet()) {
                // A removed and re-created name is a new entry and may be listed again; an
                // entry added once and never removed may not.
                if (e.getKey().startsWith("new")) {
                    assertEquals(1, e.getValue(), e.getKey() + " listed once");
                }
            }
            assertTrue(seen.keySet().stream().anyMatch(k -> k.startsWith("new")), "entries added at the end are seen");
            assertEquals(1, seen.get("."));
            assertEquals(1, seen.get(".."));
        }
    }

    @Test
    void renamingWithinTheDirectoryMovesTheEntryToTheEnd() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root()) {
            fs.touch(root, "a");
            fs.touch(root, "b");
            fs.rename(root, "a", root, "c");
            assertEquals(List.of(".", "..", "b", "c"), fs.names(root));
        }
    }

    @Test
    void concurrentListingsSeeEveryStableEntryOnce() throws Exception {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode d = fs.mkdir(root, "d")) {
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                fs.touch(d, "s" + i);
                stable.add("s" + i);
            }
            AtomicBoolean stop = new AtomicBoolean();
            // The listers start only once the directory has begun to change, so that they list
            // it while it changes however the threads happen to be scheduled.
            CountDownLatch churning = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                Future<Integer> churn = pool.submit(() -> {
                    int n = 0;
                    while (!stop.get()) {
                        String name = "c" + (n % 64);
                        if (fs.exists(d, name)) {
                            fs.remove(d, name);
                        } else {
                            fs.touch(d, name);
                        }
                        n++;
                        churning.countDown();
                    }
                    return n;
                });
                List<Future<Integer>> listers = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    listers.add(pool.submit(() -> {
                        assertTrue(churning.await(60, TimeUnit.SECONDS), "the directory never changed");
                        int listings = 0;
                        for (int round = 0; round < 30; round++) {
                            Map<String, Integer> seen = new HashMap<>();
                            for (Dirent e : fs.readdirInBatches(d, 7)) {
                                seen.merge(text(e), 1, Integer::sum);
                            }
                            for (String s : stable) {
                                assertEquals(1, seen.get(s), s + " in listing " + round);
                            }
                            assertEquals(1, seen.get("."));
                            assertEquals(1, seen.get(".."));
                            listings++;
                        }
                        return listings;
                    }));
                }
                for (Future<Integer> f : listers) {
                    assertEquals(30, f.get(60, TimeUnit.SECONDS));
                }
                stop.set(true);
                assertTrue(churn.get(60, TimeUnit.SECONDS) > 0);
            } finally {
                stop.set(true);
                pool.shutdownNow();
            }
        }
    }

    @Test
    void readdirMarksTheDirectoryAccessed() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode d = fs.mkdir(root, "d")) {
            var before = fs.getattr(d);
            var t = fs.host.tick();
            fs.readdirAll(d);
            var after = fs.getattr(d);
            assertEquals(t, after.atime);
            assertEquals(before.mtime, after.mtime);
            assertEquals(before.ctime, after.ctime);
        }
    }
}
