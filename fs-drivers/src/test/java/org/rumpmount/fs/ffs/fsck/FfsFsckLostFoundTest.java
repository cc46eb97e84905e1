package org.rumpmount.fs.ffs.fsck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.fs.ffs.FfsDriver;
import org.rumpmount.fs.ffs.newfs.Newfs;
import org.rumpmount.fs.ffs.newfs.NewfsOptions;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.buf.BufferCache;
import org.rumpmount.vfs.contract.FakeClockHost;

/**
 * More orphans than lost+found has room for: with 512-byte fragments the lost+found fsck makes
 * holds 30 names, so reconnecting the 300 files of a directory whose blocks were zeroed must
 * first move its fragment to a whole block, then give it a second block (fsck_ffs expanddir).
 * Every file must then read back under lost+found as "#inode" with its old content.
 */
class FfsFsckLostFoundTest {
    private static final int FILES = 300;

    @Test
    void lostAndFoundGrowsToTakeEveryOrphan() throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.create(8 << 20);
        Newfs.format(dev, NewfsOptions.builder().version(2).blockSize(4096).fragmentSize(512).bytesPerInode(8192)
                .build(), new FakeClockHost());
        DriverRegistry registry = new DriverRegistry();
        registry.register(new FfsDriver());
        try (Kernel k = new Kernel(new FakeClockHost(), registry, new BufferCache(1 << 20))) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.mkdir("/many", 0755);
            for (int i = 0; i < FILES; i++) {
                p.writeAll(String.format("/many/f%03d", i), ("file " + i + "\n").repeat(i % 7 + 1)
                        .getBytes(StandardCharsets.US_ASCII));
            }
            k.unmount(mp, false);
        }
        Path img = Paths.get("target", "fsck-images", "lost-found-full.img");
        Files.createDirectories(img.getParent());
        Files.write(img, dev.snapshot());
        Map<String, String> before = TreeSnapshot.of(img);

        Map<String, Long> inodes = new TreeMap<>();
        try (ImageEditor ed = new ImageEditor(img)) {
            ImageEditor.Entry dir = ed.entries.get("/many");
            ed.entries.values().stream().filter(e -> e.dirIno() == dir.ino()).forEach(e -> inodes.put(e.path(), e.ino()));
            for (long[] blk : ed.blocks(dir.inode())) {
                ed.zero(blk[1] * ed.sb.fsize, (int) blk[2]);
            }
        }
        assertEquals(FILES, inodes.size());

        FsckReport y = FsckImages.run(img, FsckOptions.yes(true));
        assertEquals(FsckReport.EXIT_CORRECTED, y.exitCode(), y::toString);
        assertFalse(y.said("NO SPACE LEFT"), y::toString);
        assertTrue(y.said("NO lost+found DIRECTORY"), y::toString);
        FsckReport n = FsckImages.run(img, FsckOptions.checkOnly(true));
        assertEquals(FsckReport.EXIT_CLEAN, n.exitCode(), () -> "after repair:\n" + y + "\nrecheck:\n" + n);

        Map<String, String> after = TreeSnapshot.of(img);
        for (Map.Entry<String, Long> e : inodes.entrySet()) {
            assertEquals(before.get(e.getKey()), after.get("/lost+found/#" + e.getValue()), e.getKey());
        }
    }
}
