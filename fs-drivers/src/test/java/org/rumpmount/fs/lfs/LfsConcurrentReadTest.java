package org.rumpmount.fs.lfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.buf.BufferCache;

/** Several threads reading the same image at once, through a small shared cache, all get the right bytes. */
class LfsConcurrentReadTest {

    @Test
    void concurrentReadersSeeTheManifestContents() throws Exception {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> entries = (List<Map<String, Object>>) TestImages.manifest("nb-lfs-default").get("entries");
        List<Map<String, Object>> files = entries.stream().filter(e -> "file".equals(e.get("type"))).toList();
        HexFormat hex = HexFormat.of();
        int threads = 4;
        try (Kernel kernel = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(256 * 1024));
                FileBlockDevice dev = FileBlockDevice.open(TestImages.image("nb-lfs-default"), true)) {
            Mount mp = kernel.mount("lfs", dev, MountOptions.readOnly());
            PathFacade fs = new PathFacade(mp, Credentials.ROOT).withCharset(StandardCharsets.ISO_8859_1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                results.add(pool.submit(() -> {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    int n = 0;
                    // Every thread reads every file, each starting at a different place in the list.
                    for (int i = 0; i < files.size(); i++) {
                        Map<String, Object> e = files.get((i + first * files.size() / threads) % files.size());
                        String path = new String(hex.parseHex((String) e.get("path_hex")), StandardCharsets.ISO_8859_1);
                        assertEquals(e.get("sha256"), hex.formatHex(sha.digest(fs.readAll(path))), path);
                        n++;
                    }
                    return n;
                }));
            }
            for (Future<Integer> f : results) {
                assertEquals(files.size(), f.get(120, TimeUnit.SECONDS));
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            kernel.unmount(mp, false);
        }
    }
}
