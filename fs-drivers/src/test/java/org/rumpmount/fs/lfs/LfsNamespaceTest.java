package org.rumpmount.fs.lfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rumpmount.vfs.DeviceNumbers;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;

/**
 * Creating, linking, renaming and removing on a copy of the NetBSD-made image, then reading the
 * result back from a read-only mount and checking the whole file system.
 */
class LfsNamespaceTest {
    @TempDir
    Path tmp;

    @Test
    void everyKindOfChangeSurvivesRemount() throws IOException {
        Path img = TestImages.copy("nb-lfs-4k", tmp);
        LfsCheck.Report before = LfsWriteTest.check(img);
        assertEquals(List.of(), before.problems());
        byte[] big = new byte[20 * 4096 + 333];
        new Random(9).nextBytes(big);
        byte[] longTarget = ("/a/long/target/" + "y".repeat(200)).getBytes();
        LfsWriteTest.mounted(img, MountOptions.readWrite(), fs -> {
            fs.mkdir("/w", 0750);
            fs.mkdir("/w/sub", 0700);
            fs.writeAll("/w/small", "hello, log".getBytes());
            fs.writeAll("/w/big", big);
            fs.symlink("short", "/w/fast");
            fs.symlink(new String(longTarget), "/w/slow");
            fs.mknod("/w/fifo", VType.VFIFO, 0644, 0);
            fs.mknod("/w/chr", VType.VCHR, 0600, DeviceNumbers.linux(12, 345));
            fs.link("/w/small", "/w/small-link");
            fs.chmod("/w/small", 0604);
            fs.chown("/w/small", 1234, 5678);
            // Renames: a file within a directory, a file over another, a directory to another parent.
            fs.writeAll("/w/victim", new byte[5000]);
            fs.rename("/w/big", "/w/big2");
            fs.rename("/w/small-link", "/w/victim");
            fs.mkdir("/w/moving", 0755);
            fs.writeAll("/w/moving/inside", "in".getBytes());
            fs.rename("/w/moving", "/w/sub/moved");
            fs.mkdir("/w/empty", 0755);
            fs.mkdir("/w/target", 0755);
            fs.rename("/w/empty", "/w/target");
            // Removals: a file, an empty directory; a non-empty one is refused.
            fs.writeAll("/w/gone", new byte[9000]);
            fs.unlink("/w/gone");
            VfsException e = assertThrows(VfsException.class, () -> fs.rmdir("/w/sub"));
            assertEquals(Errno.ENOTEMPTY, e.errno());
            fs.mkdir("/w/gonedir", 0755);
            fs.rmdir("/w/gonedir");
            // Existing NetBSD files: one removed, one truncated.
            fs.unlink("/random-100000.bin");
            fs.truncate("/random-4099.bin", 10);
        });
        LfsWriteTest.mounted(img, MountOptions.readOnly(), fs -> {
            assertEquals(Set.of(".", "..", "sub", "small", "big2", "fast", "slow", "fifo", "chr", "victim", "target"),
                    LfsWriteTest.names(fs, "/w"));
            assertArrayEquals("hello, log".getBytes(), fs.readAll("/w/small"));
            assertArrayEquals("hello, log".getBytes(), fs.readAll("/w/victim"));
            Vattr small = fs.stat("/w/small");
            assertEquals(2, small.nlink);
            assertEquals(0604, small.mode);
            assertEquals(1234, small.uid);
            assertEquals(5678, small.gid);
            assertEquals(small.fileid, fs.stat("/w/victim").fileid);
            assertArrayEquals(big, fs.readAll("/w/big2"));
            assertArrayEquals("short".getBytes(), fs.readlink("/w/fast"));
            assertArrayEquals(longTarget, fs.readlink("/w/slow"));
            assertEquals(VType.VFIFO, fs.lstat("/w/fifo").type);
            Vattr chr = fs.lstat("/w/chr");
            assertEquals(VType.VCHR, chr.type);
            assertEquals(DeviceNumbers.linux(12, 345), chr.rdev);
            assertEquals(Set.of(".", "..", "moved"), LfsWriteTest.names(fs, "/w/sub"));
            assertArrayEquals("in".getBytes(), fs.readAll("/w/sub/moved/inside"));
            assertEquals(fs.stat("/w/sub").fileid, fs.stat("/w/sub/moved/..").fileid);
            assertEquals(3, fs.stat("/w/sub").nlink);
            assertEquals(4, fs.stat("/w").nlink, "., sub/.., target/.. and the entry in /");
            assertEquals(Set.of(".", ".."), LfsWriteTest.names(fs, "/w/target"));
            assertFalse(LfsWriteTest.names(fs, "/").contains("random-100000.bin"));
            assertEquals(10, fs.readAll("/random-4099.bin").length);
        });
        LfsCheck.Report after = LfsWriteTest.check(img);
        assertEquals(List.of(), after.problems());
    }

    @Test
    void filesBehindDoubleIndirectBlocksAreWrittenCutAndRemoved(@TempDir Path dir) throws IOException {
        Path img = TestImages.copy("nb-lfs-4k", dir);
        String netbsd = "/sizes/single_end+nindir*bsize+1";
        byte[][] before = new byte[2][];
        LfsWriteTest.mounted(img, MountOptions.readWrite(), fs -> {
            before[0] = fs.readAll(netbsd);
            before[1] = fs.readAll("/sizes/single_end+1");
            // The first byte behind the double indirect block (4 KiB blocks: 12 + 1024 blocks before it).
            fs.write("/sizes/single_end+1", 4243456, ByteBuffer.wrap(new byte[] {7}));
            fs.sync();
            fs.truncate("/sizes/single_end+1", 5000);
            // NetBSD's file, cut one byte into its double indirect range.
            fs.truncate(netbsd, 4243457);
            fs.writeAll("/sizes/gone", new byte[4243456 + 4096]);
            fs.sync();
            fs.unlink("/sizes/gone");
        });
        LfsWriteTest.mounted(img, MountOptions.readOnly(), fs -> {
            assertFalse(LfsWriteTest.names(fs, "/sizes").contains("gone"));
            assertArrayEquals(java.util.Arrays.copyOf(before[1], 5000), fs.readAll("/sizes/single_end+1"));
            // A 4096-byte block of eight 512-byte fragments and a tail of two (904 bytes).
            assertEquals(10 * 512, fs.stat("/sizes/single_end+1").bytes);
            assertArrayEquals(java.util.Arrays.copyOf(before[0], 4243457), fs.readAll(netbsd));
            // 1037 data blocks, the single and double indirect blocks and one single under the double.
            assertEquals((1037 + 3) * 4096L, fs.stat(netbsd).bytes);
        });
        assertEquals(List.of(), LfsWriteTest.check(img).problems());
    }

    @Test
    void renameRefusesToReplaceANonEmptyDirectoryAndRenamesWithinOneDirectory(@TempDir Path dir) throws IOException {
        Path img = TestImages.copy("nb-lfs-4k", dir);
        LfsWriteTest.mounted(img, MountOptions.readWrite(), fs -> {
            fs.mkdir("/r", 0755);
            fs.mkdir("/r/a", 0755);
            fs.mkdir("/r/full", 0755);
            fs.writeAll("/r/full/x", new byte[1]);
            VfsException e = assertThrows(VfsException.class, () -> fs.rename("/r/a", "/r/full"));
            assertEquals(Errno.ENOTEMPTY, e.errno());
            fs.rename("/r/a", "/r/b");
            fs.writeAll("/r/full/y", new byte[2]);
            fs.rename("/r/full/y", "/r/full/x");
        });
        LfsWriteTest.mounted(img, MountOptions.readOnly(), fs -> {
            assertEquals(Set.of(".", "..", "b", "full"), LfsWriteTest.names(fs, "/r"));
            assertEquals(Set.of(".", "..", "x"), LfsWriteTest.names(fs, "/r/full"));
            assertEquals(2, fs.readAll("/r/full/x").length);
            assertEquals(4, fs.stat("/r").nlink);
            assertEquals(fs.stat("/r").fileid, fs.stat("/r/b/..").fileid);
        });
        assertEquals(List.of(), LfsWriteTest.check(img).problems());
    }

    @Test
    void freedInodesAreReusedAndTheIfileGrowsWhenItRunsOut(@TempDir Path dir) throws IOException {
        Path img = TestImages.copy("nb-lfs-4k", dir);
        long[] first = new long[1];
        LfsWriteTest.mounted(img, MountOptions.readWrite(), fs -> {
            fs.writeAll("/a", new byte[10]);
            first[0] = fs.stat("/a").fileid;
            fs.unlink("/a");
            fs.writeAll("/b", new byte[10]);
            assertEquals(first[0], fs.stat("/b").fileid, "the freed inode is the next one handed out");
            // More files than the IFILE has free entries (it has a block's worth or so).
            fs.mkdir("/many", 0755);
            for (int i = 0; i < 300; i++) {
                fs.writeAll("/many/f" + i, ("file " + i).getBytes());
            }
        });
        LfsWriteTest.mounted(img, MountOptions.readOnly(), fs -> {
            for (int i = 0; i < 300; i++) {
                assertArrayEquals(("file " + i).getBytes(), fs.readAll("/many/f" + i));
            }
            assertTrue(fs.readdir("/many").size() == 302);
        });
        assertEquals(List.of(), LfsWriteTest.check(img).problems());
    }
}
