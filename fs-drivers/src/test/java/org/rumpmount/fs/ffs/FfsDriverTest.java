package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.ProbeResult;
import org.rumpmount.vfs.StatVfs;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.Vnode;
import org.rumpmount.vfs.VnodeOps;

/** Probing, the mount policy (dirty and journaled volumes) and the vnode operations' errors. */
class FfsDriverTest {
    private final FfsDriver driver = new FfsDriver();

    static byte[] bytes(String image) throws IOException {
        return Files.readAllBytes(TestImages.image(image));
    }

    static MemoryBlockDevice device(byte[] b, boolean readOnly) {
        return MemoryBlockDevice.of(b, 512, false, readOnly);
    }

    @ParameterizedTest
    @CsvSource({
        "ufs1-le, FFSv1 (UFS1), little, 8192",
        "ufs1-small, FFSv1 (UFS1), little, 8192",
        "ufs2-le, FFSv2 (UFS2), little, 8192",
        "ufs2-be, FFSv2 (UFS2), big, 8192",
        "ufs2-full, FFSv2 (UFS2), little, 8192",
        "nb-ffs2, FFSv2 (UFS2), little, 65536",
    })
    void recognisesEveryImage(String image, String version, String endian, long at) throws IOException {
        try (FileBlockDevice dev = FileBlockDevice.open(TestImages.image(image), true)) {
            Optional<ProbeResult> r = driver.probe(dev);
            assertTrue(r.isPresent(), image);
            assertEquals("ffs", r.get().type());
            String d = r.get().description();
            assertTrue(d.startsWith(version) && d.contains(endian + "-endian")
                    && d.contains("superblock at " + at + ",") && d.contains(", clean"), d);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nb-lfs-default", "nb-lfs-4k"})
    void doesNotRecogniseLfs(String image) throws IOException {
        try (FileBlockDevice dev = FileBlockDevice.open(TestImages.image(image), true)) {
            assertEquals(Optional.empty(), driver.probe(dev));
        }
    }

    @Test
    void doesNotRecogniseZerosRandomBytesOrATinyDevice() throws IOException {
        assertEquals(Optional.empty(), driver.probe(device(new byte[1 << 20], true)));
        byte[] noise = new byte[1 << 20];
        new Random(1234).nextBytes(noise);
        assertEquals(Optional.empty(), driver.probe(device(noise, true)));
        assertEquals(Optional.empty(), driver.probe(device(new byte[100], true)));
    }

    @Test
    void aFailingDeviceIsReportedNotMistakenForForeignData() {
        MemoryBlockDevice dev = device(new byte[1 << 20], true);
        dev.close();
        assertThrows(org.rumpmount.block.BlockDeviceException.class, () -> driver.probe(dev));
    }

    @Test
    void neverTakesAUfs1SuperblockAtTheUfs2Location() throws IOException {
        byte[] img = bytes("ufs1-le");
        byte[] sb = java.util.Arrays.copyOfRange(img, 8192, 8192 + Superblock.SBLOCKSIZE);
        java.util.Arrays.fill(img, 8192, 8192 + Superblock.SBLOCKSIZE, (byte) 0);
        ByteBuffer.wrap(sb).order(ByteOrder.LITTLE_ENDIAN).putLong(1000, 65536);
        System.arraycopy(sb, 0, img, 65536, sb.length);
        assertEquals(Optional.empty(), driver.probe(device(img, true)));
        VfsException e = assertThrows(VfsException.class, () -> SuperblockLocator.locate(device(img, true)));
        assertEquals(Errno.EFTYPE, e.errno());
    }

    @Test
    void skipsACopyThatRecordsAnotherLocation() throws IOException {
        byte[] img = bytes("ufs2-full");
        ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).putLong(8192 + 1000, 65536);
        assertEquals(Optional.empty(), driver.probe(device(img, true)));
    }

    @Test
    void findsABigEndianUfs2AtTheStandardLocation() throws IOException {
        // nb-ffs2's superblock at 65536, re-encoded big-endian: found, and its geometry reads the same.
        byte[] img = bytes("nb-ffs2");
        Superblock le = SuperblockLocator.locate(device(img, true)).sb();
        byte[] be = le.encode(ByteOrder.BIG_ENDIAN);
        System.arraycopy(be, 0, img, 65536, be.length);
        SuperblockLocator.Found f = SuperblockLocator.locate(device(img, true));
        assertEquals(65536, f.offset());
        assertEquals(ByteOrder.BIG_ENDIAN, f.sb().order);
        assertEquals(le.totalFrags(), f.sb().totalFrags());
    }

    @Test
    void refusesReadWriteMountsOfDirtyOrJournaledVolumesWithErofs() throws IOException {
        byte[] dirty = bytes("ufs2-full");
        ByteBuffer.wrap(dirty).put(8192 + 209, (byte) 0);
        byte[] journaled = bytes("ufs2-full");
        ByteBuffer.wrap(journaled).order(ByteOrder.LITTLE_ENDIAN).putInt(8192 + 1312, Superblock.FS_DOWAPBL);
        try (Kernel k = FfsGoldenTest.kernel()) {
            MemoryBlockDevice d1 = device(dirty, false);
            VfsException e = assertThrows(VfsException.class, () -> k.mount("ffs", d1, MountOptions.readWrite()));
            assertEquals(Errno.EROFS, e.errno());
            assertTrue(e.getMessage().contains("not clean"), e.getMessage());
            assertArrayEquals(dirty, d1.snapshot(), "a refused mount writes nothing");
            MemoryBlockDevice d2 = device(journaled, false);
            e = assertThrows(VfsException.class, () -> k.mount("ffs", d2,
                    MountOptions.builder().force(true).build()));
            assertEquals(Errno.EROFS, e.errno());
            assertTrue(e.getMessage().contains("journal"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "journaled: {0}")
    @ValueSource(booleans = {false, true})
    void mountsDirtyVolumesReadOnlyAndWarnsOfAnUnreplayedJournal(boolean journaled) throws IOException {
        byte[] img = bytes("ufs2-full");
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        b.put(8192 + 209, (byte) 0);
        if (journaled) {
            b.putInt(8192 + 1312, Superblock.FS_DOWAPBL);
        }
        LogCapture log = LogCapture.of(FfsDriver.class, Level.ALL);
        try (log; Kernel k = FfsGoldenTest.kernel()) {
            MemoryBlockDevice dev = device(img, true);
            assertTrue(driver.probe(dev).get().description().endsWith(journaled ? "not clean, journaled (WAPBL)"
                    : "not clean"));
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            TreeWalker w = new TreeWalker(mp, Long.MAX_VALUE, Integer.MAX_VALUE);
            w.walk();
            assertEquals(476, w.nodes.size());
            assertArrayEquals(img, dev.snapshot(), "a read-only mount writes nothing");
        }
        List<String> warnings = log.messages();
        assertEquals(journaled ? 1 : 0, warnings.size());
        if (journaled) {
            assertTrue(warnings.get(0).contains("journal") && warnings.get(0).contains("read-only"), warnings.get(0));
        }
    }

    @Test
    void concurrentReadersSeeTheSameTree() throws Exception {
        try (Kernel k = FfsGoldenTest.kernel(256 * 1024);
                FileBlockDevice dev = FileBlockDevice.open(TestImages.image("ufs2-full"), true)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            try {
                List<java.util.concurrent.Future<TreeWalker>> results = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    results.add(pool.submit(() -> {
                        TreeWalker w = new TreeWalker(mp, Long.MAX_VALUE, Integer.MAX_VALUE);
                        w.walk();
                        return w;
                    }));
                }
                TreeWalker first = results.get(0).get();
                assertEquals(476, first.nodes.size());
                for (java.util.concurrent.Future<TreeWalker> r : results) {
                    TreeWalker w = r.get();
                    assertEquals(first.nodes.keySet(), w.nodes.keySet());
                    for (String p : first.nodes.keySet()) {
                        assertEquals(first.nodes.get(p).sha256(), w.nodes.get(p).sha256(), p);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            k.unmount(mp, false);
        }
    }

    @Test
    void aDirectoryNamingItsAncestorIsJustAnotherName() throws IOException {
        // Point the first subdirectory entry of the root at the root itself: a cycle. Lookups stay
        // one step each, so nothing in the driver can loop; a walker must track what it has seen.
        byte[] img = bytes("ufs2-full");
        long rootDir;
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", device(img, true), MountOptions.readOnly());
            FfsFileSystem fs = ((FfsVfsOps) mp.vfsOps()).fileSystem();
            Inode root = fs.loadInode(FfsFileSystem.ROOTINO);
            rootDir = new BlockMap(fs.io, fs.sb, root).fragAddr(0) * fs.sb.fsize;
        }
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        int pos = (int) rootDir;
        Name victim = null;
        while (victim == null) {
            int reclen = b.getShort(pos + 4) & 0xffff;
            int namlen = b.get(pos + 7) & 0xff;
            if ((b.get(pos + 6) & 0xff) == DirectoryBlock.DT_DIR && namlen > 2) {
                victim = Name.of(java.util.Arrays.copyOfRange(img, pos + 8, pos + 8 + namlen));
                b.putInt(pos, (int) FfsFileSystem.ROOTINO);
            }
            pos += reclen;
        }
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", device(img, true), MountOptions.readOnly());
            try (Vnode root = mp.vfsOps().root(); Vnode again = mp.vnodeOps().lookup(root, victim)) {
                assertEquals(root.fileid(), again.fileid());
            }
            TreeWalker w = new TreeWalker(mp, Long.MAX_VALUE, Integer.MAX_VALUE);
            w.walk();
            assertTrue(w.nodes.size() < 476);
        }
    }

    /**
     * A UFS1 superblock from before the 64-bit fields (FS_FLAGS_UPDATED clear) keeps size, data
     * size, summary address and totals in the old 32-bit fields, and no recorded location: the
     * same tree must read through them (ffs_oldfscompat_read).
     */
    @Test
    void readsAUfs1SuperblockThatPredatesThe64BitFields() throws IOException {
        byte[] img = bytes("ufs1-le");
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        b.put(8192 + 211, (byte) 0);
        for (int off = 1000; off < 1104; off += 8) {
            b.putLong(8192 + off, 0);
        }
        StatVfs before;
        try (Kernel k = FfsGoldenTest.kernel()) {
            before = k.mount("ffs", device(bytes("ufs1-le"), true), MountOptions.readOnly()).vfsOps().statvfs();
        }
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", device(img, true), MountOptions.readOnly());
            StatVfs after = mp.vfsOps().statvfs();
            assertEquals(before.blocks(), after.blocks());
            assertEquals(before.blocksFree(), after.blocksFree());
            assertEquals(before.filesFree(), after.filesFree());
            TreeWalker w = new TreeWalker(mp, Long.MAX_VALUE, Integer.MAX_VALUE);
            w.walk();
            assertEquals(5175, w.nodes.size());
        }
    }

    @Test
    void autoMountFindsFfs() throws IOException {
        try (Kernel k = FfsGoldenTest.kernel();
                FileBlockDevice dev = FileBlockDevice.open(TestImages.image("ufs2-be"), true)) {
            Mount mp = k.mount("auto", dev, MountOptions.readOnly());
            assertEquals("ffs", mp.type());
        }
    }

    @Test
    void statvfsOfANearlyFullVolumeWithoutReserve() throws IOException {
        try (Kernel k = FfsGoldenTest.kernel();
                FileBlockDevice dev = FileBlockDevice.open(TestImages.image("ufs2-full"), true)) {
            StatVfs s = k.mount("ffs", dev, MountOptions.readOnly()).vfsOps().statvfs();
            assertEquals(1 * 8 + 3, s.blocksFree());
            assertEquals(s.blocksFree(), s.blocksAvailable(), "minfree is 0");
            assertEquals(32768, s.blockSize());
        }
    }

    @Test
    void vnodeOperationsReportErrorsByErrno() throws IOException {
        try (Kernel k = FfsGoldenTest.kernel();
                FileBlockDevice dev = FileBlockDevice.open(TestImages.image("ufs1-le"), true)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            VnodeOps ops = mp.vnodeOps();
            try (Vnode root = mp.vfsOps().root()) {
                assertEquals(Errno.ENOENT, errno(() -> ops.lookup(root, Name.of("no-such-name"))));
                try (Vnode dotdot = ops.lookup(root, Name.DOTDOT)) {
                    assertEquals(root.fileid(), dotdot.fileid(), "the root's parent is the root");
                }
                assertEquals(Errno.EISDIR, errno(() -> ops.read(root, 0, ByteBuffer.allocate(10), 0, Credentials.ROOT)));
                assertEquals(Errno.EINVAL, errno(() -> ops.readlink(root)));
                // Called past the kernel, the driver itself refuses to change a read-only mount.
                assertEquals(Errno.EROFS, errno(() -> ops.mkdir(root, Name.of("x"), new Vattr(), Credentials.ROOT)));
                Vnode file = null;
                for (Dirent d : new PathFacade(mp, Credentials.ROOT).readdir("/")) {
                    if (d.type() == VType.VREG) {
                        file = ops.lookup(root, d.name());
                        break;
                    }
                }
                assertNotNull(file);
                try (Vnode f = file) {
                    assertEquals(Errno.ENOTDIR, errno(() -> ops.lookup(f, Name.of("x"))));
                    assertEquals(Errno.ENOTDIR, errno(() -> ops.readdir(f, 0, d -> true)));
                    assertEquals(Errno.EINVAL, errno(() -> ops.read(f, -1, ByteBuffer.allocate(1), 0, Credentials.ROOT)));
                    assertEquals(0, ops.read(f, Long.MAX_VALUE, ByteBuffer.allocate(1), 0, Credentials.ROOT));
                }
            }
            assertEquals(Errno.ENOENT, errno(() -> mp.vfsOps().vget(0)));
            assertEquals(Errno.ENOENT, errno(() -> mp.vfsOps().vget(1L << 40)));
            k.unmount(mp, false);
        }
    }

    @Test
    void largeDirectoriesAreHashedOnFirstLookup() throws IOException {
        try (Kernel k = FfsGoldenTest.kernel();
                FileBlockDevice dev = FileBlockDevice.open(TestImages.image("ufs2-le"), true)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            PathFacade pf = new PathFacade(mp, Credentials.ROOT);
            List<Dirent> all = pf.readdir("/bigdir");
            assertTrue(all.size() > 4000, "bigdir has " + all.size() + " entries");
            try (Vnode dir = pf.lookup("/bigdir", true)) {
                Inode ip = dir.data(Inode.class);
                long t0 = System.nanoTime();
                for (int round = 0; round < 2; round++) {
                    for (Dirent d : all) {
                        if (d.name().isDot() || d.name().isDotDot()) {
                            continue;
                        }
                        try (Vnode vp = mp.vnodeOps().lookup(dir, d.name())) {
                            assertEquals(d.fileid(), vp.fileid());
                        }
                    }
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertNotNull(ip.dirhash());
                assertEquals(all.size(), ip.dirhash().size());
                assertTrue(ms < 20_000, "lookups took " + ms + " ms");
            }
        }
    }

    @Test
    void pathFacadeReadsThroughTheDriver() throws IOException {
        try (Kernel k = FfsGoldenTest.kernel();
                FileBlockDevice dev = FileBlockDevice.open(TestImages.image("nb-ffs2"), true)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            PathFacade pf = new PathFacade(mp, Credentials.ROOT);
            java.util.Map<String, Object> m = TestImages.manifest("nb-ffs2");
            @SuppressWarnings("unchecked")
            List<java.util.Map<String, Object>> entries = (List<java.util.Map<String, Object>>) m.get("entries");
            int files = 0;
            for (java.util.Map<String, Object> e : entries) {
                String path = (String) e.get("path");
                byte[] raw = TestImages.hex((String) e.get("path_hex"));
                if (!"file".equals(e.get("type")) || !java.util.Arrays.equals(raw, path.getBytes(StandardCharsets.UTF_8))
                        || files >= 200) {
                    continue;
                }
                byte[] data = pf.readAll(path);
                assertEquals(((Number) e.get("size")).longValue(), data.length, path);
                files++;
            }
            assertTrue(files > 50);
        }
    }

    interface Call {
        void run() throws IOException;
    }

    static Errno errno(Call c) {
        try {
            c.run();
        } catch (VfsException e) {
            return e.errno();
        } catch (IOException e) {
            throw new AssertionError("not a VfsException: " + e, e);
        }
        throw new AssertionError("no error");
    }
}
