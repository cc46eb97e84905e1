package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VfsException;

/**
 * A listing resumed from a cookie after the directory changed returns every entry that existed
 * throughout exactly once, even when an insertion compacted the chunk the listing stopped in
 * (compaction moves records towards the start of their chunk, so a byte offset taken before it
 * points past records not yet listed). Both with and without the name index.
 */
class FfsReaddirCookieTest {
    /** A listing in progress: the cookie to resume from and how often each name came. */
    private static final class Listing {
        long cookie;
        final Map<String, Integer> seen = new HashMap<>();
        boolean done;

        /** Takes up to {@code n} entries; notes when the directory has ended. */
        void take(PathFacade p, String dir, int n) throws IOException {
            int[] taken = {0};
            p.readdir(dir, cookie, d -> {
                if (taken[0] == n) {
                    return false;
                }
                taken[0]++;
                seen.merge(d.name().toString(), 1, Integer::sum);
                cookie = d.nextCookie();
                return true;
            });
            done = taken[0] < n;
        }
    }

    private static Mount mount(Kernel k, MemoryBlockDevice dev, boolean indexed) throws IOException {
        Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
        if (indexed) {
            ((FfsVfsOps) mp.vfsOps()).fileSystem().dirs.indexFrom = 0;
        }
        return mp;
    }

    @ParameterizedTest(name = "indexed {0}")
    @ValueSource(booleans = {false, true})
    void aListingStoppedInAChunkThatIsThenCompactedSkipsNothing(boolean indexed) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(FreshImages.UFS2_LE_16K), 512, false, false);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = mount(k, dev, indexed);
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.mkdir("/d", 0755);
            // "." and ".." take 24 bytes; 30 records of 16 fill the chunk but 8 bytes.
            for (int i = 0; i < 30; i++) {
                p.writeAll(String.format("/d/f%03d", i), new byte[0]);
            }
            assertEquals(512, p.lstat("/d").size);
            Listing l = new Listing();
            l.take(p, "/d", 12);
            // Two records before the stop go: 16 free bytes after f000 and after f002, 8 at the end.
            p.unlink("/d/f001");
            p.unlink("/d/f003");
            // A 24-byte record fits nowhere whole, so the chunk is compacted to take it.
            p.writeAll("/d/twelve-chars", new byte[0]);
            assertEquals(512, p.lstat("/d").size, "the chunk was compacted, not a new one added");
            while (!l.done) {
                l.take(p, "/d", 5);
            }
            for (int i = 0; i < 30; i++) {
                if (i != 1 && i != 3) {
                    String n = String.format("f%03d", i);
                    assertEquals(1, l.seen.getOrDefault(n, 0), n + " listed once: " + new TreeSet<>(l.seen.keySet()));
                }
            }
            k.unmount(mp, false);
        }
    }

    @ParameterizedTest(name = "indexed {0}")
    @ValueSource(booleans = {false, true})
    void listingsInterleavedWithInsertsAndRemovesReturnEveryStableEntryOnce(boolean indexed) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(FreshImages.UFS2_LE_16K), 512, false, false);
        SplittableRandom r = new SplittableRandom(indexed ? 7 : 11);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = mount(k, dev, indexed);
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.mkdir("/d", 0755);
            List<String> stable = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                String n = "keep" + i + "-" + "k".repeat(r.nextInt(12));
                stable.add(n);
                p.writeAll("/d/" + n, new byte[0]);
            }
            int listings = 0;
            for (int round = 0; round < 60; round++) {
                Listing l = new Listing();
                while (!l.done) {
                    l.take(p, "/d", 1 + r.nextInt(12));
                    // Churn between the calls: names of every length come and go.
                    for (int c = r.nextInt(8); c > 0; c--) {
                        int i = r.nextInt(150);
                        String n = "/d/churn" + i + "-" + "c".repeat(i % 31);
                        try {
                            if (r.nextBoolean()) {
                                p.writeAll(n, new byte[0]);
                            } else {
                                p.unlink(n);
                            }
                        } catch (VfsException e) {
                            // ENOENT: that churn name was not there.
                        }
                    }
                }
                for (String n : stable) {
                    assertEquals(1, l.seen.getOrDefault(n, 0), n + " listed once in listing " + round);
                }
                assertEquals(1, l.seen.getOrDefault(".", 0));
                assertEquals(1, l.seen.getOrDefault("..", 0));
                listings++;
            }
            assertTrue(listings == 60);
            k.unmount(mp, false);
        }
        assertEquals(List.of(), FfsChecker.check(dev.snapshot()), "independent checker");
    }
}
