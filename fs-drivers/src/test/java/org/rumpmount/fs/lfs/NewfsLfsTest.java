package org.rumpmount.fs.lfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.VfsException;

/**
 * A file system made by {@link NewfsLfs}: its superblock agrees field by field with the one
 * NetBSD's newfs_lfs wrote for the same geometry (the reference images), it passes the
 * consistency check, and it mounts read-write and keeps what is written across a remount, in
 * both widths and byte orders. No tool on this system reads LFS, so the NetBSD-made images
 * are the only outside reference.
 */
class NewfsLfsTest {
    @TempDir
    Path tmp;

    private Path make(String name, NewfsLfs.Options o) throws IOException {
        Path img = tmp.resolve(name + ".img");
        try (FileBlockDevice dev = FileBlockDevice.create(img, o.sizeBytes())) {
            NewfsLfs.format(dev, o);
        }
        return img;
    }

    private static NewfsLfs.Options options(long size, int bsize, int fsize, int ssize, boolean is64, ByteOrder order) {
        return new NewfsLfs.Options(size, bsize, fsize, ssize, is64, order, NewfsLfs.MINFREE, 0, 0, 0x12345679, 1_700_000_000L);
    }

    private static Superblock superblock(Path img, long at) throws IOException {
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            return LfsFileSystem.readSuperblock(dev, at);
        }
    }

    /** The fields newfs decides from the geometry alone must equal NetBSD's, field by field. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"nb-lfs-default, 0, 0, 0", "nb-lfs-4k, 4096, 512, 262144"})
    void geometryMatchesNetbsdNewfsLfs(String ref, int bsize, int fsize, int ssize) throws IOException {
        Superblock nb;
        long bytes;
        try (FileBlockDevice dev = FileBlockDevice.open(TestImages.image(ref), true)) {
            nb = LfsFileSystem.readSuperblock(dev, Superblock.LABELPAD);
            bytes = dev.size();
        }
        Path img = make(ref, options(bytes, bsize, fsize, ssize, false, ByteOrder.LITTLE_ENDIAN));
        Superblock ours = superblock(img, Superblock.LABELPAD);
        assertEquals(nb.magic, ours.magic);
        assertEquals(nb.version, ours.version);
        long[][] pairs = {
            {nb.size, ours.size}, {nb.dsize, ours.dsize}, {nb.ssize, ours.ssize}, {nb.bsize, ours.bsize},
            {nb.fsize, ours.fsize}, {nb.frag, ours.frag}, {nb.minfree, ours.minfree}, {nb.inopb, ours.inopb},
            {nb.ifpb, ours.ifpb}, {nb.sepb, ours.sepb}, {nb.nindir, ours.nindir}, {nb.nseg, ours.nseg},
            {nb.nspf, ours.nspf}, {nb.cleansz, ours.cleansz}, {nb.segtabsz, ours.segtabsz}, {nb.bshift, ours.bshift},
            {nb.ffshift, ours.ffshift}, {nb.fbshift, ours.fbshift}, {nb.bmask, ours.bmask}, {nb.ffmask, ours.ffmask},
            {nb.fbmask, ours.fbmask}, {nb.blktodb, ours.blktodb}, {nb.fsbtodb, ours.fsbtodb},
            {nb.maxsymlinklen, ours.maxsymlinklen}, {nb.maxfilesize, ours.maxfilesize}, {nb.fsbpseg, ours.fsbpseg},
            {nb.minfreeseg, ours.minfreeseg}, {nb.sumsize, ours.sumsize}, {nb.ibsize, ours.ibsize},
            {nb.s0addr, ours.s0addr}, {nb.inodefmt, ours.inodefmt}, {nb.ifile, ours.ifile}, {nb.inopf, ours.inopf},
        };
        String[] names = {"size", "dsize", "ssize", "bsize", "fsize", "frag", "minfree", "inopb", "ifpb", "sepb",
            "nindir", "nseg", "nspf", "cleansz", "segtabsz", "bshift", "ffshift", "fbshift", "bmask", "ffmask", "fbmask",
            "blktodb", "fsbtodb", "maxsymlinklen", "maxfilesize", "fsbpseg", "minfreeseg", "sumsize", "ibsize",
            "s0addr", "inodefmt", "ifile", "inopf"};
        for (int i = 0; i < pairs.length; i++) {
            assertEquals(pairs[i][0], pairs[i][1], names[i]);
        }
        assertArrayEquals(nb.sboffs, ours.sboffs, "superblock addresses");
        // Fields that are not decoded by the reader, straight from the bytes: interleave, resvseg,
        // sushift, segmask and segshift.
        ByteBuffer a = rawSuperblock(TestImages.image(ref));
        ByteBuffer b = rawSuperblock(img);
        for (int off : new int[] {132, 136, 180, 364, 376}) {
            assertEquals(a.getInt(off), b.getInt(off), "superblock bytes at " + off);
        }
        // Where NetBSD's first partial segment began: right after the primary superblock.
        assertTrue(ours.offset > Superblock.LABELPAD / ours.fsize + Superblock.SBPAD / ours.fsize);
    }

    /**
     * Segment 0 from the first partial segment to the checkpoint's offset, byte for byte as
     * NetBSD's newfs_lfs wrote it in the reference images (their kernel never rewrites those
     * blocks: a log only appends): given the same roll-forward ident and creation time.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"nb-lfs-default, 0, 0, 0", "nb-lfs-4k, 4096, 512, 262144"})
    void segmentZeroIsWhatNetbsdNewfsLfsWrote(String ref, int bsize, int fsize, int ssize) throws IOException {
        Superblock nb;
        byte[] theirs;
        long tstamp;
        try (FileBlockDevice dev = FileBlockDevice.open(TestImages.image(ref), true)) {
            nb = LfsFileSystem.readSuperblock(dev, Superblock.LABELPAD);
            theirs = new byte[(int) nb.fsbpseg * nb.fsize];
            dev.read(0, ByteBuffer.wrap(theirs));
            // The creation time: the root's atime in its first inode block, right after its directory block.
            long rootInodeBlock = Superblock.LABELPAD / nb.fsize + Superblock.SBPAD / nb.fsize + 2;
            tstamp = ByteBuffer.wrap(theirs).order(ByteOrder.LITTLE_ENDIAN).getInt((int) (rootInodeBlock * nb.fsize) + 16);
        }
        long bytes = nb.size * nb.fsize;
        Path img = make(ref, new NewfsLfs.Options(bytes, bsize, fsize, ssize, false, ByteOrder.LITTLE_ENDIAN,
                NewfsLfs.MINFREE, 0, 0, nb.ident, tstamp));
        Superblock ours = superblock(img, Superblock.LABELPAD);
        byte[] mine = new byte[theirs.length];
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            dev.read(0, ByteBuffer.wrap(mine));
        }
        int from = (Superblock.LABELPAD + Superblock.SBPAD);
        int to = (int) (ours.offset * ours.fsize);
        for (int i = from; i < to; i++) {
            if (mine[i] != theirs[i]) {
                throw new AssertionError(String.format("first difference at byte %d (fragment 0x%x + %d): ours 0x%02x, NetBSD's 0x%02x",
                        i, i / ours.fsize, i % ours.fsize, mine[i], theirs[i]));
            }
        }
    }

    private static ByteBuffer rawSuperblock(Path img) throws IOException {
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            return LfsFileSystem.rawSuperblock(dev, Superblock.LABELPAD).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** The fresh file system as newfs_lfs leaves it: two partial segments, root and IFILE, clean. */
    @ParameterizedTest(name = "{0}-bit {1}")
    @CsvSource({"32, LE", "32, BE", "64, LE", "64, BE"})
    void freshFileSystemIsConsistentAndEmpty(int width, String order) throws IOException {
        Path img = make("fresh", options(8 << 20, 4096, 1024, 65536, width == 64, order(order)));
        assertEquals(List.of(), LfsWriteTest.check(img).problems());
        Superblock sb = superblock(img, Superblock.LABELPAD);
        assertEquals(width == 64, sb.layout.is64());
        assertEquals(order(order), sb.layout.order());
        assertTrue(sb.isClean());
        assertEquals(2, sb.serial);
        assertEquals(NewfsLfs.FIRST_FREE_INUM, sb.freehd);
        assertEquals(sb.nseg - 1, sb.nclean);
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            LogWalker w = new LogWalker(LfsFileSystem.open(dev));
            List<LogWalker.PartialSegment> log = w.walkDirtySegments();
            assertEquals(2, log.size());
            for (LogWalker.PartialSegment ps : log) {
                assertTrue(ps.summary().sumsumOk() && ps.datasumOk(), "checksums of the partial segment at " + ps.address());
            }
        }
        LfsWriteTest.mounted(img, MountOptions.readOnly(), fs -> {
            Set<String> names = new TreeSet<>();
            for (Dirent d : fs.readdir("/")) {
                names.add(d.name().toString(java.nio.charset.StandardCharsets.UTF_8));
            }
            assertEquals(Set.of(".", ".."), names);
            assertEquals(VType.VDIR, fs.stat("/").type);
            assertEquals(2, fs.stat("/").nlink);
            assertEquals(0755, fs.stat("/").mode & 07777);
        });
    }

    @ParameterizedTest(name = "{0}-bit {1}")
    @CsvSource({"32, LE", "64, BE"})
    void takesWritesAndKeepsThemAcrossRemounts(int width, String order) throws IOException {
        Path img = make("rw", options(8 << 20, 8192, 1024, 65536, width == 64, order(order)));
        byte[] big = new byte[300_000];
        new Random(7).nextBytes(big);
        LfsWriteTest.mounted(img, MountOptions.readWrite(), fs -> {
            fs.mkdir("/d", 0755);
            fs.mkdir("/d/e", 0700);
            fs.writeAll("/d/small", "hello, log\n".getBytes());
            fs.writeAll("/big", big);
            fs.symlink("d/small", "/link");
        });
        assertEquals(List.of(), LfsWriteTest.check(img).problems());
        LfsWriteTest.mounted(img, MountOptions.readWrite(), fs -> {
            assertArrayEquals(big, fs.readAll("/big"));
            fs.writeAll("/d/e/more", new byte[5000]);
            fs.unlink("/d/small");
            fs.rename("/big", "/d/big");
        });
        assertEquals(List.of(), LfsWriteTest.check(img).problems());
        LfsWriteTest.mounted(img, MountOptions.readOnly(), fs -> {
            assertArrayEquals(big, fs.readAll("/d/big"));
            assertEquals(5000, fs.stat("/d/e/more").size);
            assertEquals(3, fs.stat("/d").nlink);
            assertEquals(3, fs.stat("/").nlink);
            assertArrayEquals("d/small".getBytes(), fs.readlink("/link"));
            assertThrows(VfsException.class, () -> fs.stat("/d/small"));
        });
    }

    /** Enough segments that the usage table outgrows the IFILE's direct blocks: one indirect block. */
    @Test
    void manySegmentsPutTheIfileBehindAnIndirectBlock() throws IOException {
        Path img = make("many", options(512L << 20, 4096, 1024, 256 << 10, false, ByteOrder.BIG_ENDIAN));
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            LfsFileSystem fs = LfsFileSystem.open(dev);
            assertTrue(fs.sb.cleansz + fs.sb.segtabsz + 1 > Dinode.NDADDR, "IFILE of " + (fs.sb.segtabsz + 2) + " blocks");
            assertTrue(fs.ifile.din.ib[0] > 0, "the IFILE's indirect block");
            assertTrue(fs.segUse(fs.sb.nseg - 1).flags() != 0, "the last segment's usage entry, behind the indirect block");
        }
        assertEquals(List.of(), LfsWriteTest.check(img).problems());
        LfsWriteTest.mounted(img, MountOptions.readWrite(), fs -> fs.writeAll("/f", new byte[100_000]));
        assertEquals(List.of(), LfsWriteTest.check(img).problems());
        LfsWriteTest.mounted(img, MountOptions.readOnly(), fs -> assertEquals(100_000, fs.stat("/f").size));
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            assertEquals(List.of(), LfsFsck.check(dev, false, line -> { }).problems());
        }
    }

    /**
     * A file system of 64 GiB in segments of the default 1 MiB: 65 000 segments, whose usage
     * table makes an IFILE larger than a segment, so newfs's first write runs on into the next
     * segment (and, with 64-bit block numbers, into a second partial segment as the summary
     * fills), as newfs_lfs's lfs_segwrite does. The sparse image mounts, takes writes, and
     * checks clean.
     */
    @ParameterizedTest(name = "{0}-bit {1}")
    @CsvSource({"32, LE", "64, BE"})
    void aFileSystemOfManySegmentsHasAnIfileSpanningSegments(int width, String order) throws IOException {
        java.nio.file.Path dir = java.nio.file.Paths.get("target", "newfs-lfs-large");
        java.nio.file.Files.createDirectories(dir);
        Path img = dir.resolve("large-" + width + order + ".img");
        try {
            try (FileBlockDevice dev = FileBlockDevice.create(img, 64L << 30)) {
                NewfsLfs.Result r = NewfsLfs.format(dev, options(64L << 30, 0, 0, 0, width == 64, order(order)));
                assertEquals(1 << 20, r.ssize());
                assertTrue(r.nseg() > 60_000, "segments: " + r.nseg());
            }
            try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
                LfsFileSystem fs = LfsFileSystem.open(dev);
                long ifileBytes = (long) (fs.sb.cleansz + fs.sb.segtabsz + 1) * fs.sb.bsize;
                assertTrue(ifileBytes > fs.sb.ssize, "IFILE of " + ifileBytes + " bytes");
                assertTrue(fs.sb.dtosn(fs.sb.offset) > 0, "the log goes on past segment 0");
                assertEquals(fs.sb.nseg - 1 - fs.sb.dtosn(fs.sb.offset), fs.sb.nclean);
                assertTrue(fs.segUse(fs.sb.nseg - 1).flags() != 0, "the last segment's usage entry");
                List<LogWalker.PartialSegment> log = new LogWalker(fs).walkDirtySegments();
                assertTrue(log.size() >= 3, "partial segments: " + log.size());
                for (LogWalker.PartialSegment ps : log) {
                    assertTrue(ps.summary().sumsumOk() && ps.datasumOk(), "checksums of the partial segment at " + ps.address());
                }
                assertEquals(List.of(), LfsFsck.check(dev, false, line -> { }).problems());
            }
            assertEquals(List.of(), LfsWriteTest.check(img).problems());
            byte[] data = new byte[3 << 20];
            new Random(64).nextBytes(data);
            LfsWriteTest.mounted(img, MountOptions.readWrite(), fs -> {
                fs.mkdir("/d", 0755);
                fs.writeAll("/d/f", data);
            });
            assertEquals(List.of(), LfsWriteTest.check(img).problems());
            LfsWriteTest.mounted(img, MountOptions.readOnly(), fs -> assertArrayEquals(data, fs.readAll("/d/f")));
            try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
                assertEquals(List.of(), LfsFsck.check(dev, false, line -> { }).problems());
            }
        } finally {
            java.nio.file.Files.deleteIfExists(img);
        }
    }

    @Test
    void refusesGeometriesThatCannotWork() {
        VfsException tooSmall = assertThrows(VfsException.class,
                () -> make("small", options(1 << 20, 8192, 1024, 65536, false, ByteOrder.LITTLE_ENDIAN)));
        assertEquals(Errno.EINVAL, tooSmall.errno());
        assertTrue(tooSmall.getMessage().contains("segments"), tooSmall.getMessage());
        VfsException badFrag = assertThrows(VfsException.class,
                () -> make("frag", options(8 << 20, 8192, 3000, 65536, false, ByteOrder.LITTLE_ENDIAN)));
        assertTrue(badFrag.getMessage().contains("fragment size 3000"), badFrag.getMessage());
    }

    private static ByteOrder order(String s) {
        return s.equals("BE") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }
}
