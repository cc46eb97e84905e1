package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.fs.ffs.fsck.FfsFsck;
import org.rumpmount.fs.ffs.fsck.FsckOptions;
import org.rumpmount.fs.ffs.fsck.FsckReport;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.StatVfs;

/**
 * Directories shrink as NetBSD's do: when a new name goes into free space of an existing chunk
 * and the chunks at the directory's end hold no entry, ufs_direnter cuts the directory back to
 * its last chunk in use (the i_endoff of ufs_lookup). So a directory that held 10,000 names and
 * lost them all is one chunk again after its next insertion, every block it had is free, and
 * our fsck finds the image clean.
 */
class FfsDirectoryShrinkTest {
    /** Enough inodes for 10,000 files; one geometry in each format and byte order. */
    static final FreshImages.Config UFS2_LE_8K_MANY = new FreshImages.Config("ufs2-le-8k-many", 2, "le", 8192, 1024, "24m",
            2048, 2048);
    static final FreshImages.Config UFS1_BE_4K_MANY = new FreshImages.Config("ufs1-be-4k-many", 1, "be", 4096, 512, "24m",
            2048, 1024);

    static List<FreshImages.Config> configs() {
        return List.of(UFS2_LE_8K_MANY, UFS1_BE_4K_MANY);
    }

    private static final int FILES = 10_000;

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void aDirectoryEmptiedOf10000FilesShrinksOnItsNextInsertAndFreesEveryBlock(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.mkdir("/d", 0755);
            StatVfs before = p.statvfs();
            long emptySize = p.lstat("/d").size;
            assertEquals(512, emptySize, "a new directory is one chunk");

            for (int i = 0; i < FILES; i++) {
                p.writeAll("/d/file-" + i, new byte[0]);
            }
            long fullSize = p.lstat("/d").size;
            assertTrue(fullSize > 100 * 1024, "10,000 names take " + fullSize + " bytes");
            // Remove from the end first for half of them, from the start for the rest, so that
            // both trailing and leading chunks empty out.
            for (int i = FILES - 1; i >= FILES / 2; i--) {
                p.unlink("/d/file-" + i);
            }
            for (int i = 0; i < FILES / 2; i++) {
                p.unlink("/d/file-" + i);
            }
            assertEquals(fullSize, p.lstat("/d").size, "as in NetBSD, removals alone leave the size alone");

            p.writeAll("/d/again", new byte[0]);
            assertEquals(512, p.lstat("/d").size, "the next insertion cuts the directory back to its one chunk in use");
            assertEquals(List.of(".", "..", "again"), p.readdir("/d").stream().map(d -> d.name().toString()).sorted().toList());
            p.unlink("/d/again");

            StatVfs after = p.statvfs();
            assertEquals(before.blocksFree(), after.blocksFree(), "free fragments back to their count before the files");
            assertEquals(before.filesFree(), after.filesFree(), "free inodes back to their count before the files");
            k.unmount(mp, false);
        }
        List<String> problems = FfsChecker.check(dev.snapshot());
        assertEquals(List.of(), problems, "independent checker");
        FsckReport r = FfsFsck.check(dev, FsckOptions.checkOnly(true));
        assertEquals(FsckReport.EXIT_CLEAN, r.exitCode(), r::toString);
        assertEquals(0, r.problemsFound(), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void aShrinkKeepsEveryNameStillInTheDirectoryAndTheIndexAgrees(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.mkdir("/d", 0755);
            for (int i = 0; i < 3000; i++) {
                p.writeAll("/d/f" + i, new byte[0]);
            }
            // Keep every hundredth name of the first thousand: the first chunks stay in use.
            for (int i = 2999; i >= 0; i--) {
                if (i >= 1000 || i % 100 != 0) {
                    p.unlink("/d/f" + i);
                }
            }
            p.writeAll("/d/new", new byte[0]);
            long size = p.lstat("/d").size;
            assertTrue(size < 1000 * 16, "the directory shrank to the chunks still holding names: " + size + " bytes");
            for (int i = 0; i < 1000; i += 100) {
                assertEquals(0, p.lstat("/d/f" + i).size, "f" + i + " survives the shrink");
            }
            // The directory is indexed (it was large): the index must know the shorter directory.
            for (int i = 0; i < 200; i++) {
                p.writeAll("/d/g" + i, new byte[0]);
            }
            assertEquals(10 + 1 + 200 + 2, p.readdir("/d").size());
            k.unmount(mp, false);
        }
        assertEquals(List.of(), FfsChecker.check(dev.snapshot()), "independent checker");
        FsckReport r = FfsFsck.check(dev, FsckOptions.checkOnly(true));
        assertEquals(FsckReport.EXIT_CLEAN, r.exitCode(), r::toString);
    }
}
