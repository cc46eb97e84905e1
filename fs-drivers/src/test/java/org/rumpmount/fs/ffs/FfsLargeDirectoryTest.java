package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;

/**
 * A directory large enough to be indexed (see {@link DirHash}) through creates, removes,
 * renames and names of every length, so that new names land in the slack of live records, in
 * freed records, in compacted chunks and in new chunks: the listing and every lookup match a
 * model, before and after a remount, and the image passes the checker.
 */
class FfsLargeDirectoryTest {
    static List<FreshImages.Config> configs() {
        return FreshImages.ALL;
    }

    private static String name(Random r, int i) {
        int len = r.nextInt(10) == 0 ? 150 + r.nextInt(100) : 1 + r.nextInt(20);
        StringBuilder sb = new StringBuilder("n" + i + "-");
        while (sb.length() < len) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void anIndexedDirectoryAgreesWithItsModelThroughEveryKindOfChange(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        Random r = new Random(c.name().hashCode());
        Map<String, Long> model = new TreeMap<>();
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT).withCharset(StandardCharsets.ISO_8859_1);
            p.mkdir("/big", 0755);
            int next = 0;
            for (; next < 1200; next++) {
                String n = name(r, next);
                p.writeAll("/big/" + n, new byte[0]);
                model.put(n, p.lstat("/big/" + n).fileid);
            }
            for (int round = 0; round < 3; round++) {
                List<String> names = new ArrayList<>(model.keySet());
                for (String n : names) {
                    int dice = r.nextInt(6);
                    if (dice < 3) {
                        p.unlink("/big/" + n);
                        model.remove(n);
                    } else if (dice == 3) {
                        String to = name(r, next++);
                        p.rename("/big/" + n, "/big/" + to);
                        model.put(to, model.remove(n));
                    }
                }
                for (int i = 0; i < 500; i++, next++) {
                    String n = name(r, next);
                    p.writeAll("/big/" + n, new byte[0]);
                    model.put(n, p.lstat("/big/" + n).fileid);
                }
                assertListing(p, model);
            }
            k.unmount(mp, false);
        }
        FfsWriteTest.assertConsistent(dev);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            PathFacade p = new PathFacade(mp, Credentials.ROOT).withCharset(StandardCharsets.ISO_8859_1);
            assertListing(p, model);
            k.unmount(mp, false);
        }
    }

    private static void assertListing(PathFacade p, Map<String, Long> model) throws Exception {
        Map<String, Long> listed = new TreeMap<>();
        for (Dirent d : p.readdir("/big")) {
            String n = new String(d.name().bytes(), StandardCharsets.ISO_8859_1);
            if (!n.equals(".") && !n.equals("..")) {
                listed.put(n, d.fileid());
            }
        }
        assertEquals(model, listed);
        for (Map.Entry<String, Long> e : model.entrySet()) {
            assertEquals(e.getValue(), p.lstat("/big/" + e.getKey()).fileid, e.getKey());
        }
    }
}
