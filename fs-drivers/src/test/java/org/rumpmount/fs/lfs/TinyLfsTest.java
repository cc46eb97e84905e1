package org.rumpmount.fs.lfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DeviceNumbers;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import java.util.Map;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.StatVfs;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * Every on-disk structure in both widths and both byte orders: images written by {@link TinyLfs}
 * from lfs.h's definitions are decoded, walked and mounted.
 */
class TinyLfsTest {

    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of(false, ByteOrder.LITTLE_ENDIAN),
                Arguments.of(false, ByteOrder.BIG_ENDIAN),
                Arguments.of(true, ByteOrder.LITTLE_ENDIAN),
                Arguments.of(true, ByteOrder.BIG_ENDIAN));
    }

    static MemoryBlockDevice device(byte[] image) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.create(image.length);
        dev.write(0, ByteBuffer.wrap(image));
        return dev;
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void codecsDecodeWhatLfsHDefines(boolean is64, ByteOrder order) throws Exception {
        TinyLfs t = new TinyLfs(is64, order);
        byte[] image = t.build();
        Superblock sb = Superblock.decode(ByteBuffer.wrap(image, 8192, 512).slice(), 8192);
        assertNotNull(sb);
        assertEquals(is64, sb.layout.is64());
        assertEquals(order, sb.layout.order());
        assertTrue(sb.checksumOk());
        sb.validate(image.length);
        assertEquals(TinyLfs.BSIZE, sb.bsize);
        assertEquals(TinyLfs.FSIZE, sb.fsize);
        assertEquals(TinyLfs.NSEG, sb.nseg);
        assertEquals(TinyLfs.SERIAL, sb.serial);
        assertEquals(TinyLfs.IDENT, sb.ident);
        assertEquals(TinyLfs.FSBPSEG, sb.sboffs[1]);
        assertEquals(is64 ? 120 : 60, sb.maxsymlinklen);
        assertTrue(sb.isClean());

        try (MemoryBlockDevice dev = device(image)) {
            LfsFileSystem fs = LfsFileSystem.open(dev);
            IfileEntry e = fs.ifileEntry(4);
            assertTrue(e.isAllocated());
            assertEquals(1, e.version());
            assertEquals(TinyLfs.IFILE_ATIME + 4, e.atimeSec());
            assertEquals(TinyLfs.IFILE_ATIME_NSEC, e.atimeNsec());
            assertFalse(fs.ifileEntry(9).isAllocated());
            assertEquals(10, fs.ifileEntry(9).nextfree());
            CleanerInfo ci = fs.cleanerInfo();
            assertEquals(TinyLfs.NSEG - 1, ci.clean());
            assertEquals(1, ci.dirty());
            assertEquals(9, ci.freeHead());
            assertEquals(20, ci.freeTail());
            SegUse su = fs.segUse(0);
            assertTrue(su.isDirty());
            assertEquals(40 * TinyLfs.FSIZE, su.nbytes());
            assertFalse(fs.segUse(3).isDirty());

            Dinode d = fs.readDinode(4, e.daddr());
            assertEquals(4, d.inumber);
            assertEquals(0104711, d.mode);
            assertEquals(TinyLfs.HELLO_SIZE, d.size);
            assertEquals(1004, d.uid);
            assertEquals(4294967294L, d.gid);
            assertEquals(10, d.blocks);
            assertEquals(104, d.gen);
            assertEquals(TinyLfs.FLAGS, d.flags);
            assertEquals(TinyLfs.MTIME, d.mtimeSec);
            assertEquals(TinyLfs.MTIME_NSEC, d.mtimeNsec);
            assertEquals(TinyLfs.DINODE_ATIME, d.atimeSec);
            assertEquals(0, d.db[2], "a hole");
            assertEquals(is64 ? TinyLfs.MTIME - 1 : 0, d.birthSec);

            List<LogWalker.PartialSegment> psegs = new LogWalker(fs).walkDirtySegments();
            assertEquals(1, psegs.size());
            LogWalker.PartialSegment ps = psegs.get(0);
            assertEquals(TinyLfs.SUMMARY_ADDR, ps.address());
            assertTrue(ps.summary().sumsumOk());
            assertTrue(ps.datasumOk());
            assertEquals(TinyLfs.SERIAL, ps.summary().serial);
            assertEquals(TinyLfs.SUMMARY_ADDR + TinyLfs.FSBPSEG, ps.summary().next);
            assertEquals(8, ps.summary().ninos);
            List<Long> inos = ps.summary().files.stream().map(SegmentSummary.FileInfo::ino).collect(Collectors.toList());
            assertEquals(List.of(2L, 3L, 4L, 6L, 8L, 1L), inos);
            assertArrayEquals(new long[] {0, 1, 3}, ps.summary().files.get(2).blocks());
            assertEquals(2048, ps.summary().files.get(2).lastLength());
            assertArrayEquals(new long[] {-12, 12}, ps.summary().files.get(4).blocks());
            assertEquals(fs.sb.offset, ps.end());
        }
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void mountsAndReadsEveryKindOfFile(boolean is64, ByteOrder order) throws Exception {
        byte[] image = new TinyLfs(is64, order).build();
        try (Kernel kernel = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(1 << 20));
                MemoryBlockDevice dev = device(image)) {
            Mount mp = kernel.mount("auto", dev, MountOptions.readOnly());
            assertEquals("lfs", mp.type());
            PathFacade fs = new PathFacade(mp, Credentials.ROOT);
            List<String> names = fs.readdir("/").stream().map(x -> x.name().toString()).collect(Collectors.toList());
            assertEquals(List.of(".", "..", "sub", "hello", "fast", "slow", "dev", "ind"), names);
            Dirent sub = fs.readdir("/").get(2);
            assertEquals(VType.VDIR, sub.type());
            assertEquals(3, sub.fileid());
            assertEquals(List.of(".", ".."), fs.readdir("/sub").stream().map(x -> x.name().toString()).collect(Collectors.toList()));
            assertEquals(2, fs.lstat("/sub/..").fileid);

            Vattr va = fs.lstat("/hello");
            assertEquals(VType.VREG, va.type);
            assertEquals(04711, va.mode);
            assertEquals(1, va.nlink);
            assertEquals(1004, va.uid);
            assertEquals(4294967294L, va.gid);
            assertEquals(4, va.fileid);
            assertEquals(TinyLfs.HELLO_SIZE, va.size);
            assertEquals(10L * TinyLfs.FSIZE, va.bytes);
            assertEquals(TinyLfs.BSIZE, va.blocksize);
            assertEquals(new Timespec(TinyLfs.IFILE_ATIME + 4, TinyLfs.IFILE_ATIME_NSEC), va.atime, "atime comes from the IFILE");
            assertEquals(new Timespec(TinyLfs.MTIME, TinyLfs.MTIME_NSEC), va.mtime);
            assertEquals(new Timespec(TinyLfs.MTIME + 1, 7), va.ctime);
            assertEquals(is64 ? new Timespec(TinyLfs.MTIME - 1, 9) : Timespec.EPOCH, va.birthtime);
            assertEquals(104, va.gen);
            assertEquals(TinyLfs.FLAGS, va.flags);
            assertEquals(0, va.rdev);

            byte[] want = new byte[(int) TinyLfs.HELLO_SIZE];
            System.arraycopy(TinyLfs.helloBlock(0, TinyLfs.BSIZE), 0, want, 0, TinyLfs.BSIZE);
            System.arraycopy(TinyLfs.helloBlock(1, TinyLfs.BSIZE), 0, want, TinyLfs.BSIZE, TinyLfs.BSIZE);
            System.arraycopy(TinyLfs.helloBlock(3, 1500), 0, want, 3 * TinyLfs.BSIZE, 1500);
            assertArrayEquals(want, fs.readAll("/hello"));
            ByteBuffer mid = ByteBuffer.allocate(100);
            assertEquals(100, fs.read("/hello", TinyLfs.BSIZE - 50, mid));
            assertArrayEquals(java.util.Arrays.copyOfRange(want, TinyLfs.BSIZE - 50, TinyLfs.BSIZE + 50), mid.array());
            assertEquals(0, fs.read("/hello", TinyLfs.HELLO_SIZE, ByteBuffer.allocate(10)));

            byte[] ind = fs.readAll("/ind");
            assertEquals(TinyLfs.IND_SIZE, ind.length);
            for (int i = 0; i < 12 * TinyLfs.BSIZE; i++) {
                assertEquals(0, ind[i], "hole byte " + i);
            }
            assertArrayEquals(TinyLfs.helloBlock(12, TinyLfs.BSIZE),
                    java.util.Arrays.copyOfRange(ind, 12 * TinyLfs.BSIZE, ind.length));

            assertArrayEquals(TinyLfs.FAST, fs.readlink("/fast"));
            assertArrayEquals(TinyLfs.SLOW, fs.readlink("/slow"));
            assertEquals(VType.VLNK, fs.lstat("/slow").type);

            Vattr dev7 = fs.lstat("/dev");
            assertEquals(VType.VCHR, dev7.type);
            assertEquals(0640, dev7.mode);
            assertEquals(TinyLfs.DEV_MAJOR, DeviceNumbers.linuxMajor(dev7.rdev));
            assertEquals(TinyLfs.DEV_MINOR, DeviceNumbers.linuxMinor(dev7.rdev));

            VfsException e = assertThrows(VfsException.class, () -> fs.lstat("/nothing"));
            assertEquals(Errno.ENOENT, e.errno());
            assertEquals(Errno.EROFS, assertThrows(VfsException.class, () -> fs.mkdir("/new", 0755)).errno());
            try (org.rumpmount.vfs.Vnode root = mp.vfsOps().root()) {
                assertEquals(Errno.EISDIR, assertThrows(VfsException.class,
                        () -> mp.vnodeOps().read(root, 0, ByteBuffer.allocate(1), 0, Credentials.ROOT)).errno());
            }

            StatVfs st = fs.statvfs();
            assertEquals(TinyLfs.BSIZE, st.blockSize());
            assertEquals(TinyLfs.FSIZE, st.fragmentSize());
            assertTrue(st.readOnly());
            // lfs_statvfs: files = bfree / fragments-per-inode-block * inopb; ffree = files - nfiles.
            assertEquals(400L * (TinyLfs.FSIZE / (is64 ? 256 : 128)), st.files());
            assertEquals(st.files() - 8, st.filesFree());
            kernel.unmount(mp, false);
        }
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void cookiesResumeAListing(boolean is64, ByteOrder order) throws Exception {
        byte[] image = new TinyLfs(is64, order).build();
        try (Kernel kernel = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(1 << 20));
                MemoryBlockDevice dev = device(image)) {
            Mount mp = kernel.mount("lfs", dev, MountOptions.readOnly());
            PathFacade fs = new PathFacade(mp, Credentials.ROOT);
            List<Dirent> all = fs.readdir("/");
            for (int i = 0; i < all.size(); i++) {
                long cookie = i == 0 ? 0 : all.get(i - 1).nextCookie();
                List<Dirent> rest = new java.util.ArrayList<>();
                fs.readdir("/", cookie, rest::add);
                assertEquals(all.subList(i, all.size()), rest, "listing from cookie " + cookie);
            }
            List<Dirent> one = new java.util.ArrayList<>();
            fs.readdir("/", 0, x -> one.isEmpty() && one.add(x));
            assertEquals(1, one.size());
        }
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void theOlderCheckpointIsMounted(boolean is64, ByteOrder order) throws Exception {
        TinyLfs t = new TinyLfs(is64, order);
        t.build();
        // The copy at sboffs[1] is an older checkpoint: lfs_mountfs mounts the older of the two.
        t.superblock(TinyLfs.FSBPSEG, TinyLfs.SERIAL - 1, -5);
        try (MemoryBlockDevice dev = device(t.img.array())) {
            LfsFileSystem fs = LfsFileSystem.open(dev);
            assertEquals(TinyLfs.SERIAL - 1, fs.sb.serial);
            assertEquals(395, fs.sb.bfree);
        }
        // A damaged copy is passed over.
        t.img.put(TinyLfs.FSBPSEG * TinyLfs.FSIZE + 100, (byte) 0x55);
        try (MemoryBlockDevice dev = device(t.img.array())) {
            assertEquals(TinyLfs.SERIAL, LfsFileSystem.open(dev).sb.serial);
        }
        // A damaged primary is refused, naming the checksum.
        t.img.put(8 * TinyLfs.FSIZE + 100, (byte) 0x55);
        try (MemoryBlockDevice dev = device(t.img.array())) {
            VfsException e = assertThrows(VfsException.class, () -> LfsFileSystem.open(dev));
            assertEquals(Errno.EFTYPE, e.errno());
            assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void damagedSummariesAreCaught(boolean is64, ByteOrder order) throws Exception {
        byte[] image = new TinyLfs(is64, order).build();
        int sum = TinyLfs.SUMMARY_ADDR * TinyLfs.FSIZE;
        ByteBuffer s = ByteBuffer.wrap(image, sum, TinyLfs.SUMSIZE).slice().order(order);
        LfsLayout l = is64 ? (order == ByteOrder.BIG_ENDIAN ? LfsLayout.BE64 : LfsLayout.LE64)
                : (order == ByteOrder.BIG_ENDIAN ? LfsLayout.BE32 : LfsLayout.LE32);

        // A changed FINFO byte: the summary checksum no longer holds, and the walk stops there.
        ByteBuffer changed = ByteBuffer.allocate(TinyLfs.SUMSIZE).order(order).put(s.duplicate()).flip();
        changed.put(l.segSumSize() + 4, (byte) (changed.get(l.segSumSize() + 4) ^ 1));
        assertFalse(SegmentSummary.decode(l, changed, TinyLfs.SUMSIZE, TinyLfs.FSIZE / l.dinodeSize(), 16).sumsumOk());

        // A FINFO claiming more blocks than the summary holds is refused, checksum or not.
        ByteBuffer huge = ByteBuffer.allocate(TinyLfs.SUMSIZE).order(order).put(s.duplicate()).flip();
        huge.putInt(l.segSumSize(), 100_000);
        huge.putInt(0, TinyLfs.cksum(huge, 4, TinyLfs.SUMSIZE - 4));
        VfsException e = assertThrows(VfsException.class,
                () -> SegmentSummary.decode(l, huge, TinyLfs.SUMSIZE, TinyLfs.FSIZE / l.dinodeSize(), 16));
        assertEquals(Errno.EIO, e.errno());
        assertTrue(e.getMessage().contains("more than the summary holds"), e.getMessage());

        // A changed data block: the summary holds, the data checksum does not.
        int firstData = (TinyLfs.SUMMARY_ADDR + 1) * TinyLfs.FSIZE;
        image[firstData] ^= 0x40;
        try (MemoryBlockDevice dev = device(image)) {
            List<LogWalker.PartialSegment> psegs = new LogWalker(LfsFileSystem.open(dev)).walkDirtySegments();
            assertEquals(1, psegs.size());
            assertTrue(psegs.get(0).summary().sumsumOk());
            assertFalse(psegs.get(0).datasumOk());
        }
        // A changed summary: the walk finds nothing.
        image[sum + 40] ^= 0x01;
        try (MemoryBlockDevice dev = device(image)) {
            assertEquals(List.of(), new LogWalker(LfsFileSystem.open(dev)).walkDirtySegments());
        }
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void uncleanFileSystemsAreMountedReadWriteOnlyWhenForced(boolean is64, ByteOrder order) throws Exception {
        byte[] image = new TinyLfs(is64, order).build();
        ByteBuffer sb = ByteBuffer.wrap(image, 8192, 512).slice().order(order);
        sb.putShort(is64 ? 402 : 322, (short) 0);
        sb.putInt(508, TinyLfs.cksum(sb, 0, 508));
        try (Kernel kernel = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(1 << 20));
                MemoryBlockDevice dev = device(image)) {
            VfsException e = assertThrows(VfsException.class, () -> kernel.mount("lfs", dev, MountOptions.readWrite()));
            assertEquals(Errno.EROFS, e.errno());
            assertTrue(e.getMessage().contains("not unmounted cleanly"), e.getMessage());
            ByteBuffer after = ByteBuffer.allocate(image.length);
            dev.read(0, after);
            assertArrayEquals(image, after.array(), "nothing written");
            Mount mp = kernel.mount("lfs", dev, MountOptions.builder().readOnly(false).force(true).build());
            kernel.unmount(mp, false);
        }
    }

    /**
     * Writing in every width and byte order. The built image's accounting fields are not all
     * consistent (it was made for reading), so the check compares segment usage with what it
     * was before rather than with zero.
     */
    @ParameterizedTest
    @MethodSource("layouts")
    void writesReadBackInEveryLayout(boolean is64, ByteOrder order) throws Exception {
        byte[] image = new TinyLfs(is64, order).build();
        byte[] data = new byte[3 * TinyLfs.BSIZE + 700];
        new java.util.Random(5).nextBytes(data);
        try (Kernel kernel = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(1 << 20));
                MemoryBlockDevice dev = device(image)) {
            Map<Long, Long> before = LfsCheck.check(dev).excess();
            int walked = new LogWalker(LfsFileSystem.open(dev)).walkDirtySegments().size();
            Mount mp = kernel.mount("lfs", dev, MountOptions.readWrite());
            PathFacade fs = new PathFacade(mp, Credentials.ROOT);
            fs.write("/hello", 1000, ByteBuffer.wrap(data));
            fs.write("/ind", 12L * TinyLfs.BSIZE + 5, ByteBuffer.wrap(data, 0, 10));
            kernel.unmount(mp, false);
            mp = kernel.mount("lfs", dev, MountOptions.readOnly());
            fs = new PathFacade(mp, Credentials.ROOT);
            byte[] hello = fs.readAll("/hello");
            assertEquals(1000 + data.length, hello.length);
            assertArrayEquals(java.util.Arrays.copyOf(TinyLfs.helloBlock(0, 1000), 1000),
                    java.util.Arrays.copyOf(hello, 1000));
            assertArrayEquals(data, java.util.Arrays.copyOfRange(hello, 1000, hello.length));
            byte[] ind = fs.readAll("/ind");
            assertArrayEquals(java.util.Arrays.copyOf(data, 10),
                    java.util.Arrays.copyOfRange(ind, 12 * TinyLfs.BSIZE + 5, 12 * TinyLfs.BSIZE + 15));
            kernel.unmount(mp, false);
            List<LogWalker.PartialSegment> log = new LogWalker(LfsFileSystem.open(dev)).walkDirtySegments();
            assertTrue(log.size() > walked, "the new partial segments are found: " + log.size());
            for (LogWalker.PartialSegment ps : log) {
                assertTrue(ps.datasumOk() && ps.summary().sumsumOk(), "checksums of the partial segment at " + ps.address());
            }
            assertEquals(before, LfsCheck.check(dev).excess());
        }
    }

    /** Without a cleaner the clean segments run out: writes fail with ENOSPC and what was written stays whole. */
    @ParameterizedTest
    @MethodSource("layouts")
    void runningOutOfCleanSegmentsFailsWithEnospcAndLeavesTheLogWhole(boolean is64, ByteOrder order) throws Exception {
        byte[] image = new TinyLfs(is64, order).build();
        byte[] chunk = new byte[8192];
        new java.util.Random(3).nextBytes(chunk);
        try (Kernel kernel = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(1 << 20));
                MemoryBlockDevice dev = device(image)) {
            Map<Long, Long> before = LfsCheck.check(dev).excess();
            Mount mp = kernel.mount("lfs", dev, MountOptions.readWrite());
            PathFacade fs = new PathFacade(mp, Credentials.ROOT);
            fs.writeAll("/fill", new byte[0]);
            long written = 0;
            VfsException e = null;
            while (e == null && written < (1 << 20)) {
                try {
                    fs.write("/fill", written, ByteBuffer.wrap(chunk));
                    written += chunk.length;
                    fs.sync();
                } catch (VfsException x) {
                    e = x;
                }
            }
            assertTrue(e != null && e.errno() == Errno.ENOSPC, "ENOSPC after " + written + " bytes: " + e);
            assertTrue(written > 0, "something fits");
            kernel.unmount(mp, false);
            mp = kernel.mount("lfs", dev, MountOptions.readOnly());
            fs = new PathFacade(mp, Credentials.ROOT);
            byte[] back = fs.readAll("/fill");
            assertEquals(written, back.length);
            for (int off = 0; off < back.length; off += chunk.length) {
                assertArrayEquals(chunk, java.util.Arrays.copyOfRange(back, off, off + chunk.length));
            }
            kernel.unmount(mp, false);
            assertEquals(before, LfsCheck.check(dev).excess());
        }
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void badFieldsAreNamed(boolean is64, ByteOrder order) throws Exception {
        TinyLfs t = new TinyLfs(is64, order);
        byte[] image = t.build();
        // bsize at offset 20 (dlfs) or 28 (dlfs64), checksum fixed up so the field check speaks.
        ByteBuffer sb = ByteBuffer.wrap(image, 8192, 512).slice().order(order);
        sb.putInt(is64 ? 28 : 20, 3000);
        sb.putInt(508, TinyLfs.cksum(sb, 0, 508));
        try (MemoryBlockDevice dev = device(image)) {
            VfsException e = assertThrows(VfsException.class, () -> LfsFileSystem.open(dev));
            assertEquals(Errno.EFTYPE, e.errno());
            assertTrue(e.getMessage().contains("bsize"), e.getMessage());
        }
        // The probe still recognises the damaged file system and says what is wrong.
        try (MemoryBlockDevice dev = device(image)) {
            String description = new LfsDriver().probe(dev).orElseThrow().description();
            assertTrue(description.contains("damaged") && description.contains("bsize"), description);
        }
    }
}
