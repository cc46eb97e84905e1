package org.rumpmount.fs.lfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.buf.BufferCache;
import org.rumpmount.vfs.contract.FakeClockHost;
import org.rumpmount.vfs.MountOptions;

/**
 * The LFS checker: NetBSD's images (which NetBSD's fsck_lfs passed) and fresh ones are clean;
 * each injected corruption is found with -n without a byte of the image changing, and those it
 * repairs leave an image that a second check finds clean.
 */
class LfsFsckTest {
    @TempDir
    Path tmp;

    private static LfsFsck.Report fsck(Path img, boolean repair) throws IOException {
        List<String> lines = new ArrayList<>();
        try (FileBlockDevice dev = FileBlockDevice.open(img, !repair)) {
            return LfsFsck.check(dev, repair, lines::add);
        }
    }

    private static byte[] sha256(Path p) throws IOException {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nb-lfs-4k", "nb-lfs-default"})
    void netbsdImagesAreClean(String name) throws IOException {
        LfsFsck.Report r = fsck(TestImages.image(name), false);
        assertEquals(List.of(), r.problems());
        assertEquals(LfsFsck.EXIT_CLEAN, r.exitCode());
    }

    /** About 18 MB rewritten over a fresh 8 MiB file system: its segments are reused (through the cleaner), and it checks clean after each mount. */
    @Test
    void aNewFileSystemRewrittenTwiceOverIsClean() throws IOException {
        Path img = tmp.resolve("churn.img");
        try (FileBlockDevice dev = FileBlockDevice.create(img, 8 << 20)) {
            NewfsLfs.format(dev, new NewfsLfs.Options(8 << 20, 4096, 1024, 65536, false, ByteOrder.LITTLE_ENDIAN, 10, 0, 0,
                    0xc1ea, 1_700_000_000L));
        }
        java.util.Random rnd = new java.util.Random(5);
        for (int round = 0; round < 3; round++) {
            LfsWriteTest.mounted(img, MountOptions.readWrite(), fs -> {
                for (int i = 0; i < 40; i++) {
                    byte[] b = new byte[100_000 + rnd.nextInt(100_000)];
                    rnd.nextBytes(b);
                    fs.writeAll("/f" + (i % 8), b);
                }
            });
            LfsFsck.Report r = fsck(img, false);
            assertEquals(List.of(), r.problems(), "after round " + round);
        }
    }

    /**
     * A segment that holds nothing live in the checkpoint may be written again as soon as both
     * superblock copies call it empty, while the older checkpoint still calls it dirty: what
     * its log says then is not this checkpoint's, and a partial segment there whose blocks are
     * not (or not yet) all written is no damage.
     */
    @Test
    void aDirtySegmentWithNoLiveBytesIsNotHeldToItsChecksums() throws IOException {
        MemoryBlockDevice dev = MemoryBlockDevice.create(8 << 20);
        NewfsLfs.format(dev, new NewfsLfs.Options(8 << 20, 4096, 1024, 65536, false, ByteOrder.LITTLE_ENDIAN, 10, 0, 0,
                0x5eed, 1_700_000_000L));
        Kernel k = new Kernel(new FakeClockHost(), DriverRegistry.load(), new BufferCache(1 << 20));
        PathFacade fs = new PathFacade(k.mount("lfs", dev, MountOptions.readWrite()), Credentials.ROOT);
        fs.writeAll("/big", new byte[300_000]);
        fs.sync();
        fs.unlink("/big");
        fs.sync();
        fs.sync();
        // The machine stops here, still mounted. The second and third checkpoints went to the two
        // superblock copies in turn; the older calls /big's segments dirty and empty, the newer
        // has them clean again, ready to be written.
        byte[] image = dev.snapshot();
        LfsFileSystem lfs = LfsFileSystem.open(MemoryBlockDevice.of(image, 512, false, true));
        long victim = -1;
        for (long sn = 0; sn < lfs.sb.nseg && victim < 0; sn++) {
            SegUse su = lfs.segUse(sn);
            if (su.isDirty() && su.nbytes() == 0 && !new LogWalker(lfs).walkSegment(sn).isEmpty()) {
                victim = sn;
            }
        }
        assertTrue(victim >= 0, "no dirty segment without live bytes");
        // Its first block after the summary, rewritten as by a later partial segment.
        LogWalker.PartialSegment ps = new LogWalker(lfs).walkSegment(victim).get(0);
        long block = lfs.sb.byteOffset(ps.address() + lfs.sb.btofsb(lfs.sb.sumsize));
        image[(int) block] ^= 0x5a;
        assertEquals(List.of(), LfsFsck.check(MemoryBlockDevice.of(image, 512, false, true), false, l -> { }).problems());
    }

    /** A small file system made by newfs and filled through the driver: several segments dirty. */
    private Path filled(boolean is64) throws IOException {
        Path img = tmp.resolve("f" + (is64 ? 64 : 32) + ".img");
        try (FileBlockDevice dev = FileBlockDevice.create(img, 8 << 20)) {
            NewfsLfs.format(dev, new NewfsLfs.Options(8 << 20, 4096, 1024, 65536, is64, ByteOrder.LITTLE_ENDIAN, 10, 0, 0,
                    0x5eed, 1_700_000_000L));
        }
        LfsWriteTest.mounted(img, MountOptions.readWrite(), fs -> {
            fs.mkdir("/d", 0755);
            for (int i = 0; i < 12; i++) {
                fs.writeAll("/d/f" + i, ("file " + i).getBytes());
            }
            fs.link("/d/f3", "/d/f3-link");
            fs.writeAll("/big", new byte[200_000]);
        });
        LfsFsck.Report r = fsck(img, false);
        assertEquals(List.of(), r.problems(), "before the damage");
        return img;
    }

    /** Checks with -n (unchanged image, problem found), then -y, then -n again. */
    private void damagedThenRepaired(Path img, Predicate<String> expected, boolean repairable) throws IOException {
        byte[] before = sha256(img);
        LfsFsck.Report n = fsck(img, false);
        assertArrayEquals(before, sha256(img), "-n wrote to the image");
        assertTrue(n.problems().stream().map(LfsFsck.Problem::toString).anyMatch(expected), n.problems().toString());
        assertEquals(LfsFsck.EXIT_UNRESOLVED, n.exitCode());
        LfsFsck.Report y = fsck(img, true);
        if (repairable) {
            assertEquals(LfsFsck.EXIT_FIXED, y.exitCode(), y.problems().toString());
            LfsFsck.Report again = fsck(img, false);
            assertEquals(List.of(), again.problems());
            LfsWriteTest.mounted(img, MountOptions.readOnly(), fs -> assertEquals(12 + 1, fs.readdir("/d").size() - 2));
        } else {
            assertEquals(LfsFsck.EXIT_UNRESOLVED, y.exitCode(), y.problems().toString());
        }
    }

    private interface Patch {
        void apply(LfsFileSystem fs, FileBlockDevice dev) throws IOException;
    }

    private static void patch(Path img, Patch p) throws IOException {
        try (FileBlockDevice dev = FileBlockDevice.open(img, false)) {
            p.apply(LfsFileSystem.open(dev), dev);
            dev.flush();
        }
    }

    private static long lookup(LfsFileSystem fs, String dirPath, String name) throws IOException {
        return entryOffset(fs, dirPath, name)[0];
    }

    /** The inode an entry names and the byte offset on disk of that entry. */
    private static long[] entryOffset(LfsFileSystem fs, String dirPath, String name) throws IOException {
        long dir = LfsFileSystem.ROOT_INUM;
        for (String part : dirPath.split("/")) {
            if (!part.isEmpty()) {
                dir = entryIn(fs, part, dir)[0];
            }
        }
        return entryIn(fs, name, dir);
    }

    private static long[] entryIn(LfsFileSystem fs, String name, long dir) throws IOException {
        LfsInode dp = fs.loadInode(dir);
        Superblock sb = fs.sb;
        for (long c = 0; c < dp.size(); c += DirectoryBlock.DIRBLKSIZ) {
            ByteBuffer chunk = ByteBuffer.allocate(DirectoryBlock.DIRBLKSIZ).order(sb.layout.order());
            fs.read(dp, c, chunk);
            chunk.clear();
            int pos = 0;
            while (pos < DirectoryBlock.DIRBLKSIZ) {
                DirectoryBlock.Entry e = DirectoryBlock.decode(sb.layout, chunk, pos, c, dir);
                if (e.ino() != 0 && new String(e.name()).equals(name)) {
                    long lbn = (c + pos) / sb.bsize;
                    long daddr = dp.din.db[(int) lbn];
                    return new long[] {e.ino(), sb.byteOffset(daddr) + (c + pos) % sb.bsize};
                }
                pos = (int) (e.nextOffset() - c);
            }
        }
        throw new AssertionError(name + " not found in directory " + dir);
    }

    /** Byte offset on disk of inode {@code ino}'s dinode, and its slot in its inode block. */
    private static long[] dinodeAt(LfsFileSystem fs, long ino) throws IOException {
        long daddr = fs.ifileEntry(ino).daddr();
        ByteBuffer b = fs.disk.read(fs.sb.byteOffset(daddr), fs.sb.ibsize, "inode block");
        int size = fs.sb.layout.dinodeSize();
        for (int i = 0; i < fs.sb.ibsize / size; i++) {
            if (Dinode.inumberAt(fs.sb.layout, b, i * size) == ino) {
                return new long[] {fs.sb.byteOffset(daddr) + (long) i * size, i};
            }
        }
        throw new AssertionError("inode " + ino + " not in its block");
    }

    private static void putShort(FileBlockDevice dev, ByteOrder order, long at, int v) throws IOException {
        dev.write(at, ByteBuffer.allocate(2).order(order).putShort(0, (short) v));
    }

    private static void putInt(FileBlockDevice dev, ByteOrder order, long at, int v) throws IOException {
        dev.write(at, ByteBuffer.allocate(4).order(order).putInt(0, v));
    }

    @ParameterizedTest(name = "{0}-bit")
    @ValueSource(ints = {32, 64})
    void wrongLinkCountIsFoundAndRepaired(int width) throws IOException {
        Path img = filled(width == 64);
        long[] victim = new long[1];
        patch(img, (fs, dev) -> {
            // A file whose dinode is not first in its inode block, so the log's data checksum
            // (over each block's first word) does not see the change.
            for (int i = 0; i < 12; i++) {
                long ino = lookup(fs, "/d", "f" + i);
                long[] at = dinodeAt(fs, ino);
                if (at[1] != 0) {
                    victim[0] = ino;
                    putShort(dev, fs.sb.layout.order(), at[0] + 2, 5);
                    return;
                }
            }
            throw new AssertionError("every file's dinode is first in its block");
        });
        damagedThenRepaired(img, s -> s.startsWith("inode " + victim[0] + " ") && s.contains("link count 5, but 1 entries"), true);
    }

    @Test
    void entryNamingAFreeInodeIsFoundAndLeftForAPerson() throws IOException {
        Path img = filled(false);
        patch(img, (fs, dev) -> {
            long[] e = entryOffset(fs, "/d", "f5");
            putInt(dev, fs.sb.layout.order(), e[1], 900);
        });
        damagedThenRepaired(img, s -> s.contains("entry 'f5'") && s.contains("names inode 900, which is not allocated"), false);
    }

    @Test
    void entryWhoseTypeDisagreesWithItsInodeIsFound() throws IOException {
        Path img = filled(false);
        patch(img, (fs, dev) -> {
            long[] e = entryOffset(fs, "/d", "f7");
            // d_type, after the 4-byte inode number and the 2-byte record length: DT_DIR.
            dev.write(e[1] + 6, ByteBuffer.wrap(new byte[] {4}));
        });
        damagedThenRepaired(img, s -> s.contains("entry 'f7'") && s.contains("entry type VDIR but inode"), false);
    }

    @Test
    void badSummaryChecksumIsFound() throws IOException {
        Path img = filled(false);
        long[] at = new long[1];
        patch(img, (fs, dev) -> {
            LogWalker.PartialSegment ps = new LogWalker(fs).walkSegment(0).get(1);
            at[0] = ps.address();
            // A byte of the FINFO area: the summary still has its magic and ident.
            long off = fs.sb.byteOffset(ps.address()) + fs.sb.layout.segSumSize() + 4;
            dev.write(off, ByteBuffer.wrap(new byte[] {0x5a}));
        });
        damagedThenRepaired(img, s -> s.startsWith("partial segment at fragment " + at[0]) && s.contains("summary checksum"), false);
    }

    @ParameterizedTest(name = "{0}-bit")
    @ValueSource(ints = {32, 64})
    void wrongSegmentUsageIsFoundAndRepaired(int width) throws IOException {
        Path img = filled(width == 64);
        long[] live = new long[1];
        patch(img, (fs, dev) -> {
            assertTrue(fs.segUse(1).isDirty(), "segment 1 in use");
            live[0] = fs.segUse(1).nbytes();
            long daddr = fs.ifile.din.db[fs.sb.cleansz];
            putInt(dev, fs.sb.layout.order(), fs.sb.byteOffset(daddr) + fs.sb.layout.segUseSize(), 12345);
        });
        assertEquals(Map.of(1L, 12345 - live[0]), fsck(img, false).usageExcess(), "claimed minus live, by segment");
        damagedThenRepaired(img, s -> s.startsWith("segment 1 ") && s.contains("claims 12345 live bytes"), true);
    }

    @Test
    void wrongCleanerInfoCountsAreRepaired() throws IOException {
        Path img = filled(false);
        patch(img, (fs, dev) -> {
            long daddr = fs.ifile.din.db[0];
            // The dirty count, not the first word: the log's data checksum stays right.
            putInt(dev, fs.sb.layout.order(), fs.sb.byteOffset(daddr) + 4, 77);
        });
        damagedThenRepaired(img, s -> s.startsWith("cleaner info") && s.contains("77 dirty"), true);
    }

    private static LfsFsck.Report preen(Path img, List<String> lines) throws IOException {
        try (FileBlockDevice dev = FileBlockDevice.open(img, false)) {
            return LfsFsck.check(dev, LfsFsck.Mode.PREEN, lines::add);
        }
    }

    @Test
    void preenOfACleanFileSystemWritesNothingAndSaysOnlyWhatItChecked() throws IOException {
        Path img = filled(false);
        byte[] before = sha256(img);
        List<String> lines = new ArrayList<>();
        LfsFsck.Report r = preen(img, lines);
        assertEquals(LfsFsck.EXIT_CLEAN, r.exitCode());
        assertArrayEquals(before, sha256(img));
        assertEquals(1, lines.size(), lines.toString());
    }

    /** What a crash between a segment write and the next checkpoint leaves: fsck_lfs -p repairs it without asking. */
    @Test
    void preenRepairsTheCleanerInfoCountsByItself() throws IOException {
        Path img = filled(false);
        patch(img, (fs, dev) -> putInt(dev, fs.sb.layout.order(), fs.sb.byteOffset(fs.ifile.din.db[0]) + 4, 77));
        List<String> lines = new ArrayList<>();
        LfsFsck.Report p = preen(img, lines);
        assertEquals(LfsFsck.EXIT_FIXED, p.exitCode(), lines.toString());
        assertTrue(p.problems().stream().allMatch(LfsFsck.Problem::repaired), p.problems().toString());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("** Phase")), lines.toString());
        assertEquals(List.of(), fsck(img, false).problems());
    }

    /**
     * A segment usage count or a link count that is wrong is -y's to repair, not preen's: preen
     * stops at it without writing, asking for a run by hand (exit code 4).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"usage", "links"})
    void preenStopsAtWhatOnlyARunByHandRepairs(String what) throws IOException {
        Path img = filled(false);
        patch(img, (fs, dev) -> {
            if (what.equals("usage")) {
                putInt(dev, fs.sb.layout.order(), fs.sb.byteOffset(fs.ifile.din.db[fs.sb.cleansz]) + fs.sb.layout.segUseSize(),
                        12345);
                return;
            }
            for (int i = 0; i < 12; i++) {
                long[] at = dinodeAt(fs, lookup(fs, "/d", "f" + i));
                if (at[1] != 0) {
                    putShort(dev, fs.sb.layout.order(), at[0] + 2, 5);
                    return;
                }
            }
            throw new AssertionError("every file's dinode is first in its block");
        });
        byte[] before = sha256(img);
        List<String> lines = new ArrayList<>();
        LfsFsck.Report p = preen(img, lines);
        assertTrue(p.needsManualRun(), p.problems().toString());
        assertEquals(LfsFsck.EXIT_UNRESOLVED, p.exitCode());
        assertEquals(LfsFsck.MANUAL_RUN, lines.get(lines.size() - 1));
        assertArrayEquals(before, sha256(img), "preen wrote before stopping");
        LfsFsck.Report y = fsck(img, true);
        assertEquals(LfsFsck.EXIT_FIXED, y.exitCode(), y.problems().toString());
        assertEquals(LfsFsck.EXIT_CLEAN, preen(img, new ArrayList<>()).exitCode());
    }

    /** A usage entry in an IFILE block behind the IFILE's indirect block is repaired in place too. */
    @Test
    void usageBehindTheIfilesIndirectBlockIsRepaired() throws IOException {
        Path img = tmp.resolve("many.img");
        try (FileBlockDevice dev = FileBlockDevice.create(img, 512L << 20)) {
            NewfsLfs.format(dev, new NewfsLfs.Options(512L << 20, 4096, 1024, 256 << 10, false, ByteOrder.LITTLE_ENDIAN,
                    10, 0, 0, 0x1d1e, 1_700_000_000L));
        }
        long[] sn = new long[1];
        patch(img, (fs, dev) -> {
            // A clean segment whose entry lies in the last usage block, behind the indirect block,
            // and not first in it: marked dirty and claiming bytes.
            long lbn = fs.sb.cleansz + fs.sb.segtabsz - 1;
            assertTrue(lbn >= Dinode.NDADDR, "usage block " + lbn);
            sn[0] = (lbn - fs.sb.cleansz) * fs.sb.sepb + 1;
            long at = fs.sb.byteOffset(fs.address(fs.ifile, lbn)) + fs.sb.layout.segUseSize();
            putInt(dev, fs.sb.layout.order(), at, 4096);
            putInt(dev, fs.sb.layout.order(), at + 12, SegUse.DIRTY);
        });
        LfsFsck.Report y = fsck(img, true);
        assertTrue(y.problems().stream().map(LfsFsck.Problem::toString)
                .anyMatch(s -> s.startsWith("segment " + sn[0] + " ") && s.contains("claims 4096")), y.problems().toString());
        assertEquals(LfsFsck.EXIT_FIXED, y.exitCode(), y.problems().toString());
        assertEquals(List.of(), fsck(img, false).problems());
    }
}
