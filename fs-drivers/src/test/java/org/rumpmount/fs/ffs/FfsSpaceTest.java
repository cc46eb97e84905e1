package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.FileHandle;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.OpenFlags;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VfsException;

/** Running out of blocks and inodes, the minfree reserve, and getting every free count back. */
class FfsSpaceTest {
    static List<FreshImages.Config> configs() {
        return List.of(FreshImages.UFS2_LE_TINY, FreshImages.UFS1_LE_TINY, FreshImages.UFS1_BE_TINY, FreshImages.UFS2_BE_TINY);
    }

    /**
     * Every free count of an image, one line each, for comparing before and after: the
     * superblock's totals (fs_cstotal and UFS1's fs_old_cstotal: ndir, nbfree, nifree, nffree);
     * for each cylinder group its cg_cs, cg_frsum, cg_clustersum, its entry in the summary area,
     * and its inode, fragment and cluster bitmaps.
     */
    static List<Object> accounting(byte[] image) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(image, 512, false, true);
        Superblock sb = SuperblockLocator.locate(dev).sb();
        FfsIo io = new FfsIo(dev, sb, new org.rumpmount.vfs.buf.BufferCache(1 << 20));
        List<Object> out = new ArrayList<>();
        out.add("fs_cstotal " + Arrays.toString(sb.cstotal) + " fs_old_cstotal " + Arrays.toString(sb.oldCstotal));
        ByteBuffer csum = io.readFrags(sb.csAddr(), sb.cssize, "summary");
        for (int cg = 0; cg < sb.ncg; cg++) {
            ByteBuffer b = io.readFrags(sb.cgtod(cg), sb.cgsize, "cg");
            CylinderGroup g = CylinderGroup.decode(b);
            byte[] a = b.array();
            int[] clsum = new int[sb.contigsumsize + 1];
            for (int i = 0; i < clsum.length; i++) {
                clsum[i] = b.getInt((int) g.clustersumoff + 4 * i);
            }
            out.add(cg + " cs " + Arrays.toString(g.cs) + " frsum " + Arrays.toString(g.frsum)
                    + " fs_cs " + csum.getInt(cg * 16) + "," + csum.getInt(cg * 16 + 4) + "," + csum.getInt(cg * 16 + 8)
                    + "," + csum.getInt(cg * 16 + 12) + " clustersum " + Arrays.toString(clsum));
            out.add(Arrays.toString(Arrays.copyOfRange(a, (int) g.iusedoff, (int) (g.iusedoff + (sb.ipg + 7) / 8))));
            out.add(Arrays.toString(Arrays.copyOfRange(a, (int) g.freeoff, (int) (g.freeoff + (sb.fpg + 7) / 8))));
            if (sb.contigsumsize > 0) {
                out.add(Arrays.toString(Arrays.copyOfRange(a, (int) g.clusteroff,
                        (int) (g.clusteroff + (g.nclusterblks + 7) / 8))));
            }
        }
        return out;
    }

    /** Runs {@code body} on {@code dev} mounted read-write, as root, then unmounts. */
    private static void mounted(MemoryBlockDevice dev, Body body) throws Exception {
        try (Kernel k = FfsGoldenTest.kernel(1L << 20)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            body.run(new PathFacade(mp, Credentials.ROOT));
            k.unmount(mp, false);
        }
    }

    @FunctionalInterface
    private interface Body {
        void run(PathFacade p) throws Exception;
    }

    /** The image on {@code dev} passes the checker; {@code label} starts the message if not. */
    private static void assertChecksClean(MemoryBlockDevice dev, String label) throws Exception {
        List<String> problems = FfsChecker.check(dev.snapshot());
        assertTrue(problems.isEmpty(), label + String.join("\n", problems));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void fillingToEnospcThenDeletingEverythingRestoresEveryCount(FreshImages.Config c) throws Exception {
        byte[] fresh = FreshImages.fresh(c);
        MemoryBlockDevice dev = MemoryBlockDevice.of(fresh.clone(), 512, false, false);
        Random rnd = new Random(7);
        List<String> made = new ArrayList<>();
        List<String> dirs = new ArrayList<>(List.of("/a/b", "/a"));
        int frag = c.bsize() / c.fsize();
        mounted(dev, p -> {
            p.mkdir("/a", 0755);
            p.mkdir("/a/b", 0755);
            // Room for the names of the small files at the end, made while space is left: a
            // directory that must grow when no fragment is free fails before the space is gone.
            for (int d = 0; d < 8; d++) {
                p.mkdir("/a/s" + d, 0755);
                dirs.add(0, "/a/s" + d);
            }
            // One big file takes half the space, through its indirect blocks and whole clusters.
            long half = p.statvfs().blocksFree() * c.fsize() / 2;
            byte[] chunk = new byte[c.bsize()];
            try (FileHandle fh = p.open("/a/big", OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644)) {
                made.add("/a/big");
                for (long off = 0; off < half; off += chunk.length) {
                    rnd.nextBytes(chunk);
                    assertEquals(chunk.length, fh.write(off, ByteBuffer.wrap(chunk)));
                }
            }
            assertTrue(p.stat("/a/big").size > 12L * c.bsize(), "the big file reaches its indirect blocks");
            // Many files of whole blocks, every fourth with a tail of fragments, until no block is left.
            for (int i = 0; ; i++) {
                String path = (i % 2 == 0 ? "/a/b/" : "/a/") + "file" + i;
                int size = (1 + rnd.nextInt(6)) * c.bsize() + (i % 4 == 0 ? 1 + rnd.nextInt(c.bsize() - 1) : 0);
                if (!write(p, path, size, rnd, made)) {
                    break;
                }
            }
            // Then files of fewer fragments than a block, largest first, until no fragment is left.
            int n = 0;
            for (int frags = frag - 1; frags >= 1; frags--) {
                while (write(p, dirs.get(n % 8) + "/small" + n++, frags * c.fsize(), rnd, made)) {
                    // next one
                }
            }
            assertEquals(0, p.statvfs().blocksFree(), "every fragment is in use");
            assertTrue(p.statvfs().filesFree() > 0, "the data ran out before the inodes");
            // With no fragment left, FIFOs still need inodes until those or the directories' room run out.
            for (int i = 0; ; i++) {
                try {
                    p.mknod(dirs.get(i % dirs.size()) + "/node" + i, org.rumpmount.vfs.VType.VFIFO, 0644, 0);
                    made.add(dirs.get(i % dirs.size()) + "/node" + i);
                } catch (VfsException e) {
                    assertEquals(Errno.ENOSPC, e.errno(), e.getMessage());
                    break;
                }
            }
        });
        assertChecksClean(dev, "full: ");
        mounted(dev, p -> {
            for (String path : made) {
                try {
                    p.unlink(path);
                } catch (VfsException e) {
                    // A directory entry that could not be made (ENOSPC) never existed.
                    assertEquals(Errno.ENOENT, e.errno(), path);
                }
            }
            for (String d : dirs) {
                p.rmdir(d);
            }
        });
        assertChecksClean(dev, "emptied: ");
        // Everything made lived in /a, which is gone: every count, map and summary is as makefs left it.
        List<Object> before = accounting(fresh);
        List<Object> after = accounting(dev.snapshot());
        if (!before.equals(after)) {
            for (int i = 0; i < before.size(); i++) {
                assertEquals(before.get(i), after.get(i), "accounting line " + i);
            }
        }
    }

    /**
     * Creates {@code path} with {@code size} random bytes; false once ENOSPC stops it (the file,
     * whole or partial, is kept in {@code made} when its name was entered).
     */
    private static boolean write(PathFacade p, String path, int size, Random rnd, List<String> made) throws Exception {
        byte[] data = new byte[size];
        rnd.nextBytes(data);
        try (FileHandle fh = p.open(path, OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644)) {
            made.add(path);
            return fh.write(0, ByteBuffer.wrap(data)) == size;
        } catch (VfsException e) {
            assertEquals(Errno.ENOSPC, e.errno(), e.getMessage());
            return false;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void runningOutOfInodesThenDeletingEverythingRestoresEveryCount(FreshImages.Config c) throws Exception {
        byte[] fresh = FreshImages.fresh(c);
        MemoryBlockDevice dev = MemoryBlockDevice.of(fresh.clone(), 512, false, false);
        List<String> files = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        mounted(dev, p -> {
            VfsException full = null;
            for (int i = 0; full == null; i++) {
                // Directories spread over the groups; files go near their directory.
                String path = i % 10 == 0 ? "/d" + i : (dirs.isEmpty() ? "" : dirs.get(dirs.size() - 1)) + "/f" + i;
                try {
                    if (i % 10 == 0) {
                        p.mkdir(path, 0755);
                        dirs.add(path);
                    } else {
                        p.writeAll(path, new byte[i % 3 == 0 ? 100 : 0]);
                        files.add(path);
                    }
                } catch (VfsException e) {
                    full = e;
                }
            }
            assertEquals(Errno.ENOSPC, full.errno(), full.getMessage());
            assertEquals(0, p.statvfs().filesFree(), "ENOSPC because the inodes ran out");
            assertTrue(p.statvfs().blocksFree() > 8L * c.bsize() / c.fsize(), "while blocks were left");
        });
        assertChecksClean(dev, "full: ");
        mounted(dev, p -> {
            for (String f : files) {
                p.unlink(f);
            }
            for (String d : dirs) {
                p.rmdir(d);
            }
        });
        assertChecksClean(dev, "emptied: ");
        assertEquals(accounting(fresh), accounting(dev.snapshot()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void onlyRootMayUseTheMinfreeReserve(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        Credentials user = new Credentials(1000, 1000);
        mounted(dev, root -> {
            root.mkdir("/u", 0777);
            PathFacade p = root.as(user);
            byte[] chunk = new byte[c.bsize()];
            VfsException full = null;
            try (FileHandle fh = p.open("/u/big", OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644)) {
                for (long off = 0; full == null; off += chunk.length) {
                    try {
                        if (fh.write(off, ByteBuffer.wrap(chunk)) < chunk.length) {
                            full = new VfsException(Errno.ENOSPC, "short write");
                        }
                    } catch (VfsException e) {
                        full = e;
                    }
                }
            }
            assertEquals(Errno.ENOSPC, full.errno(), full.getMessage());
            assertEquals(0, root.statvfs().blocksAvailable(), "the user stopped at the reserve");
            assertTrue(root.statvfs().blocksFree() > 0, "the reserve is still there");
            VfsException e = assertThrows(VfsException.class, () -> p.writeAll("/u/more", new byte[c.bsize()]));
            assertEquals(Errno.ENOSPC, e.errno());
            root.writeAll("/rootfile", new byte[c.bsize()]);
            assertArrayEquals(new byte[c.bsize()], root.readAll("/rootfile"));
        });
        assertChecksClean(dev, "");
    }
}
