package org.rumpmount.fs.lfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * Writing to a copy of the NetBSD-made image: files changed through the kernel, the file system
 * unmounted, mounted again read-only and read back; the log walked with its checksums, and the
 * consistency check run against the image's own state before the writes.
 */
class LfsWriteTest {
    @TempDir
    Path tmp;

    private static Kernel kernel() {
        return new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(4 << 20));
    }

    /** Runs {@code body} on the image at {@code img} mounted with {@code opts}, then unmounts. */
    static void mounted(Path img, MountOptions opts, IoBody body) throws IOException {
        try (FileBlockDevice dev = FileBlockDevice.open(img, opts.isReadOnly()); Kernel k = kernel()) {
            Mount mp = k.mount("lfs", dev, opts);
            body.run(new PathFacade(mp, Credentials.ROOT));
            k.unmount(mp, false);
        }
    }

    @FunctionalInterface
    interface IoBody {
        void run(PathFacade fs) throws IOException;
    }

    /** The names in directory {@code dir}, "." and ".." included, sorted. */
    static Set<String> names(PathFacade fs, String dir) throws IOException {
        Set<String> out = new TreeSet<>();
        for (Dirent d : fs.readdir(dir)) {
            out.add(d.name().toString());
        }
        return out;
    }

    static LfsCheck.Report check(Path img) throws IOException {
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            return LfsCheck.check(dev);
        }
    }

    /** The image passes the check, with the same usage differences NetBSD left in it and no new ones. */
    static void assertConsistent(Path img, LfsCheck.Report before) throws IOException {
        LfsCheck.Report after = check(img);
        assertEquals(List.of(), after.problems());
        assertEquals(before.excess(), after.excess(), "segment usage differences");
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void overwrittenAndGrownFilesReadBackAfterRemount() throws IOException {
        Path img = TestImages.copy("nb-lfs-4k", tmp);
        LfsCheck.Report before = check(img);
        byte[][] expected = new byte[4][];
        String[] paths = {"/hello.txt", "/sizes/bsize+1", "/random-4099.bin", "/sizes/12bsize+1"};
        mounted(img, MountOptions.readOnly(), fs -> {
            for (int i = 0; i < paths.length; i++) {
                expected[i] = fs.readAll(paths[i]);
            }
        });
        byte[] patch = random(3000, 1);
        byte[] tail = random(9000, 2);
        mounted(img, MountOptions.readWrite(), fs -> {
            // Overwrite in place inside a block.
            fs.write(paths[0], 5, ByteBuffer.wrap(patch, 0, 5));
            // Grow a file ending in a fragment past its block.
            fs.write(paths[1], 4097, ByteBuffer.wrap(tail));
            // Overwrite across a block boundary.
            fs.write(paths[2], 4000, ByteBuffer.wrap(patch, 0, 99));
            // Write behind the single indirect block.
            fs.write(paths[3], 13 * 4096 + 17, ByteBuffer.wrap(patch));
        });
        expected[0] = splice(expected[0], 5, Arrays.copyOf(patch, 5));
        expected[1] = splice(expected[1], 4097, tail);
        expected[2] = splice(expected[2], 4000, Arrays.copyOf(patch, 99));
        expected[3] = splice(expected[3], 13 * 4096 + 17, patch);
        mounted(img, MountOptions.readOnly(), fs -> {
            for (int i = 0; i < paths.length; i++) {
                assertArrayEquals(expected[i], fs.readAll(paths[i]), paths[i]);
                assertEquals(expected[i].length, fs.stat(paths[i]).size, paths[i]);
            }
        });
        assertConsistent(img, before);
    }

    static byte[] splice(byte[] base, int at, byte[] data) {
        byte[] out = Arrays.copyOf(base, Math.max(base.length, at + data.length));
        System.arraycopy(data, 0, out, at, data.length);
        return out;
    }
}
