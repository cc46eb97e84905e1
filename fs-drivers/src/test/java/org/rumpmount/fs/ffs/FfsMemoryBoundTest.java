package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VType;

/**
 * What the FFS driver keeps beside the buffer cache is bounded by a share of the cache whatever
 * the image: the cylinder group blocks the allocator holds, and the directory indexes. A group
 * dropped and used again is read back through the cache with every change it had, so the
 * allocation counts stay what fsck recounts.
 */
class FfsMemoryBoundTest {
    /** A volume of 64 groups of 1 MiB, from makefs (our newfs sizes groups as large as it can, as NetBSD's does). */
    private static final FreshImages.Config MANY_GROUPS = new FreshImages.Config("ufs2-le-many-groups", 2, "le", 4096, 512,
            "64m", 4096, 256);

    private static MemoryBlockDevice manyGroups() throws Exception {
        return MemoryBlockDevice.of(FreshImages.fresh(MANY_GROUPS), 512, false, false);
    }

    private static FfsFileSystem fs(Mount mp) {
        return ((FfsVfsOps) mp.vfsOps()).fileSystem();
    }

    @Test
    void directoriesSpreadOverEveryGroupKeepOnlyAFewGroupsInMemoryAndTheCountsExact() throws Exception {
        MemoryBlockDevice dev = manyGroups();
        // 64 KiB of cache, a sixteenth of it for groups: a few of their 512-byte blocks.
        long cache = 64 << 10;
        int dirs = 150;
        Set<Long> groupsUsed = new HashSet<>();
        int maxHeld;
        try (Kernel k = FfsGoldenTest.kernel(cache)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            FfsFileSystem fs = fs(mp);
            assertTrue(fs.sb.ncg > 40, "groups: " + fs.sb.ncg);
            int held = (int) Math.max(CylinderGroups.MIN_HELD, cache / FfsFileSystem.CG_SHARE_OF_CACHE / fs.sb.cgsize);
            assertEquals(held, fs.cgs.maxHeld());
            assertTrue(held < fs.sb.ncg / 4, held + " groups held of " + fs.sb.ncg);
            maxHeld = held;
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            for (int d = 0; d < dirs; d++) {
                p.mkdir("/d" + d, 0755);
                groupsUsed.add(p.lstat("/d" + d).fileid / fs.sb.ipg);
                for (int f = 0; f < 3; f++) {
                    p.writeAll("/d" + d + "/f" + f, FfsWriteTest.pattern(3000 + 5000 * f, d * 10L + f));
                }
                assertTrue(fs.cgs.groupsHeld() <= fs.cgs.maxHeld(), "groups held " + fs.cgs.groupsHeld());
            }
            // A file larger than a group: its blocks run on through the next groups.
            p.writeAll("/big", FfsWriteTest.pattern(3 << 20, 99));
            for (int d = 0; d < dirs; d += 2) {
                p.unlink("/d" + d + "/f1");
            }
            assertTrue(fs.cgs.groupsHeld() <= fs.cgs.maxHeld(), "groups held " + fs.cgs.groupsHeld());
            k.unmount(mp, false);
        }
        assertTrue(groupsUsed.size() > 4 * maxHeld,
                "the directories went to " + groupsUsed.size() + " groups only: nothing was dropped and read again");
        FfsWriteTest.assertConsistent(dev);
        try (Kernel k = FfsGoldenTest.kernel()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            for (int d = 0; d < dirs; d++) {
                for (int f = 0; f < 3; f++) {
                    String path = "/d" + d + "/f" + f;
                    if (f == 1 && d % 2 == 0) {
                        continue;
                    }
                    assertArrayEquals(FfsWriteTest.pattern(3000 + 5000 * f, d * 10L + f), p.readAll(path), path);
                }
            }
            assertArrayEquals(FfsWriteTest.pattern(3 << 20, 99), p.readAll("/big"));
            k.unmount(mp, false);
        }
    }

    @Test
    void aLargeCacheKeepsEveryGroupItUses() throws Exception {
        MemoryBlockDevice dev = manyGroups();
        try (Kernel k = FfsGoldenTest.kernel(256L << 20)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            FfsFileSystem fs = fs(mp);
            assertEquals(fs.sb.ncg, fs.cgs.maxHeld());
            k.unmount(mp, false);
        }
    }

    private static Inode directory(long number, long size) {
        Dinode din = Dinode.decode(ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN), 0, true);
        din.size = size;
        Inode ip = new Inode(number, din, VType.VDIR);
        ip.setDirhash(new DirHash());
        return ip;
    }

    @Test
    void directoryIndexesBeyondTheBoundGoLeastRecentlyUsedFirst() {
        long size = 10_000;
        DirHashMemory m = new DirHashMemory(3 * DirHashMemory.charge(size));
        Inode a = directory(3, size);
        Inode b = directory(4, size);
        Inode c = directory(5, size);
        Inode d = directory(6, size);
        m.used(a);
        m.used(b);
        m.used(c);
        m.used(a);
        assertEquals(3, m.indexes());
        m.used(d);
        assertNull(b.dirhash(), "b was the least recently used");
        assertNotNull(a.dirhash());
        assertNotNull(c.dirhash());
        assertNotNull(d.dirhash());
        assertEquals(3 * DirHashMemory.charge(size), m.bytes());
        m.forget(c);
        assertEquals(2 * DirHashMemory.charge(size), m.bytes());
    }

    @Test
    void aDirectoryThatOutgrowsTheBoundLosesItsIndexAndGetsNoNewOne() {
        DirHashMemory m = new DirHashMemory(DirHashMemory.charge(100_000));
        Inode other = directory(3, 20_000);
        Inode big = directory(4, 90_000);
        m.used(other);
        m.used(big);
        assertNull(other.dirhash(), "room was made for the larger, more recent index");
        big.din.size = 120_000;
        assertTrue(!m.fits(big.size()));
        m.used(big);
        assertNull(big.dirhash());
        assertEquals(0, m.bytes());
        assertEquals(0, m.indexes());
    }

    @Test
    void manyIndexedDirectoriesStayWithinTheMountsBound() throws Exception {
        MemoryBlockDevice dev = manyGroups();
        // The smallest bound (a 1 MiB cache's quarter is less): directories of about 1,000 names of
        // 20 bytes (some 32 KiB, charged about 400 KiB each) fit some ten at a time.
        int dirs = 16;
        try (Kernel k = FfsGoldenTest.kernel(1 << 20)) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            FfsFileSystem fs = fs(mp);
            DirHashMemory m = fs.dirs.hashMemory;
            assertEquals(DirHashMemory.MIN_BYTES, m.maxBytes());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            for (int d = 0; d < dirs; d++) {
                p.mkdir("/d" + d, 0755);
                for (int f = 0; f < 1000; f++) {
                    p.writeAll(String.format("/d%d/name-%014d", d, f), new byte[0]);
                }
                assertTrue(m.bytes() <= m.maxBytes(), m.bytes() + " bytes of indexes");
            }
            assertTrue(m.indexes() < dirs, "every index kept: " + m.indexes());
            assertTrue(m.indexes() >= 2, "indexes: " + m.indexes());
            for (int d = 0; d < dirs; d++) {
                for (int f = 0; f < 1000; f += 97) {
                    assertEquals(0, p.lstat(String.format("/d%d/name-%014d", d, f)).size);
                }
                assertTrue(m.bytes() <= m.maxBytes(), m.bytes() + " bytes of indexes");
            }
            k.unmount(mp, false);
        }
        FfsWriteTest.assertConsistent(dev);
    }
}
