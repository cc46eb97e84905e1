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
        return List.of(FreshImages.UFS2_LE_TINY, FreshImages.UFS1_LE_TINY);
    }

    /** What a cylinder group's accounting says, for comparing before and after. */
    record GroupState(int[] cs, long[] frsum, byte[] inodeMap, byte[] fragMap, byte[] clusterMap, int[] clusterSum) {
    }

    static List<Object> accounting(byte[] image) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(image, 512, false, true);
        Superblock sb = SuperblockLocator.locate(dev).sb();
        FfsIo io = new FfsIo(dev, sb, new org.rumpmount.vfs.buf.BufferCache(1 << 20));
        List<Object> out = new ArrayList<>();
        out.add(Arrays.toString(sb.summary()));
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void fillingToEnospcThenDeletingEverythingRestoresEveryCount(FreshImages.Config c) throws Exception {
        byte[] fresh = FreshImages.fresh(c);
        MemoryBlockDevice dev = MemoryBlockDevice.of(fresh.clone(), 512, false, false);
        Random rnd = new Random(7);
        List<String> made = new ArrayList<>();
        boolean blocksRanOut = false;
        boolean inodesRanOut = false;
        try (Kernel k = FfsGoldenTest.kernel(1L << 20)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            p.mkdir("/a", 0755);
            p.mkdir("/a/b", 0755);
            for (int i = 0; !blocksRanOut; i++) {
                String path = (i % 2 == 0 ? "/a/b/" : "/a/") + "file" + i;
                byte[] data = new byte[rnd.nextInt(3 * c.bsize()) + 1];
                rnd.nextBytes(data);
                try (FileHandle fh = p.open(path, OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644)) {
                    made.add(path);
                    int n = fh.write(0, ByteBuffer.wrap(data));
                    assertTrue(n <= data.length);
                    if (n < data.length) {
                        blocksRanOut = true;
                    }
                } catch (VfsException e) {
                    assertEquals(Errno.ENOSPC, e.errno(), e.getMessage());
                    blocksRanOut = true;
                }
            }
            // With no data blocks left, empty files still need inodes until those run out too.
            for (int i = 0; !inodesRanOut; i++) {
                try {
                    p.mknod("/a/node" + i, org.rumpmount.vfs.VType.VFIFO, 0644, 0);
                    made.add("/a/node" + i);
                } catch (VfsException e) {
                    assertEquals(Errno.ENOSPC, e.errno(), e.getMessage());
                    inodesRanOut = true;
                }
            }
            k.unmount(mp, false);
        }
        List<String> problems = FfsChecker.check(dev.snapshot());
        assertTrue(problems.isEmpty(), "full: " + String.join("\n", problems));
        try (Kernel k = FfsGoldenTest.kernel(1L << 20)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            for (String path : made) {
                try {
                    p.unlink(path);
                } catch (VfsException e) {
                    // A directory entry that could not be made (ENOSPC) never existed.
                    assertEquals(Errno.ENOENT, e.errno(), path);
                }
            }
            p.rmdir("/a/b");
            p.rmdir("/a");
            k.unmount(mp, false);
        }
        problems = FfsChecker.check(dev.snapshot());
        assertTrue(problems.isEmpty(), "emptied: " + String.join("\n", problems));
        // Everything made lived in /a, which is gone: every count, map and summary is as makefs left it.
        List<Object> before = accounting(fresh);
        List<Object> after = accounting(dev.snapshot());
        if (!before.equals(after)) {
            for (int i = 0; i < before.size(); i++) {
                assertEquals(before.get(i), after.get(i), "accounting line " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void onlyRootMayUseTheMinfreeReserve(FreshImages.Config c) throws Exception {
        MemoryBlockDevice dev = MemoryBlockDevice.of(FreshImages.fresh(c), 512, false, false);
        Credentials user = new Credentials(1000, 1000);
        try (Kernel k = FfsGoldenTest.kernel(1L << 20)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade root = new PathFacade(mp, Credentials.ROOT);
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
            k.unmount(mp, false);
        }
        List<String> problems = FfsChecker.check(dev.snapshot());
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
