package org.rumpmount.fs.lfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;

/**
 * An inode number freed and handed out again before the next flush: the freed inode's last
 * copy (without links, which tells roll-forward it is gone) and the number's new life must not
 * both reach one inode block, where a reader takes the first copy of a number it finds.
 */
class LfsInodeReuseTest {
    @TempDir
    Path tmp;

    @Test
    void aNumberFreedAndGivenToANewDirectoryReadsAsTheDirectory() throws IOException {
        Path img = TestImages.copy("nb-lfs-4k", tmp);
        LfsCheck.Report before = LfsWriteTest.check(img);
        long[] ino = new long[1];
        LfsWriteTest.mounted(img, MountOptions.readWrite(), fs -> {
            fs.writeAll("/old", "in the log".getBytes());
            fs.sync();
            ino[0] = fs.stat("/old").fileid;
            fs.unlink("/old");
            fs.mkdir("/new", 0755);
            assertEquals(ino[0], fs.stat("/new").fileid, "the freed number is handed out again");
            fs.sync();
            Vattr va = fs.stat("/new");
            assertEquals(VType.VDIR, va.type);
            assertEquals(2, va.nlink);
        });
        LfsWriteTest.mounted(img, MountOptions.readOnly(), fs -> {
            Vattr va = fs.stat("/new");
            assertEquals(ino[0], va.fileid);
            assertEquals(VType.VDIR, va.type);
            assertEquals(2, va.nlink);
            assertEquals(Set.of(".", ".."), LfsWriteTest.names(fs, "/new"));
            assertFalse(LfsWriteTest.names(fs, "/").contains("old"));
        });
        LfsWriteTest.assertConsistent(img, before);
    }
}
