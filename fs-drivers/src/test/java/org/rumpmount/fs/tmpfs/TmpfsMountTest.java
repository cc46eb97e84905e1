package org.rumpmount.fs.tmpfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rumpmount.fs.tmpfs.TmpfsFixture.assertErrno;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.FileSystemDriver;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.StatVfs;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.Vnode;

class TmpfsMountTest {

    @Test
    void isFoundOnTheClassPathAsAFileSystemWithoutDevice() throws IOException {
        FileSystemDriver d = DriverRegistry.load().get("tmpfs").orElseThrow();
        assertEquals("tmpfs", d.name());
        assertFalse(d.needsDevice());
        try (MemoryBlockDevice dev = MemoryBlockDevice.create(64 * 512)) {
            assertTrue(d.probe(dev).isEmpty(), "a device never holds a tmpfs");
        }
    }

    @Test
    void rootIsFileIdTwoAnEmptyDirectoryWithTwoLinks() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root()) {
            assertEquals(TmpfsMount.ROOT_FILEID, root.fileid());
            assertEquals(VType.VDIR, root.type());
            Vattr va = fs.getattr(root);
            assertEquals(2, va.nlink);
            assertEquals(01777, va.mode, "default root mode is that of /tmp");
            assertEquals(0, va.uid);
            assertEquals(0, va.gid);
            assertEquals(0, va.size);
            assertEquals(fs.host.now(), va.birthtime);
            assertEquals(java.util.List.of(".", ".."), fs.names(root));
            try (Vnode up = fs.lookup(root, "..")) {
                assertEquals(root, up, "the root's parent is the root");
            }
        }
    }

    @Test
    void rootOwnershipAndModeComeFromOptions() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount("mode=0750", "uid=4294967294", "gid=1000"); Vnode root = fs.root()) {
            Vattr va = fs.getattr(root);
            assertEquals(0750, va.mode);
            assertEquals(4294967294L, va.uid);
            assertEquals(1000, va.gid);
        }
    }

    @Test
    void statvfsReportsTheLimitsInPages() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount("size=1m", "inodes=10")) {
            StatVfs s = fs.statvfs();
            assertEquals(4096, s.blockSize());
            assertEquals(4096, s.fragmentSize());
            assertEquals(256, s.blocks());
            assertEquals(256, s.blocksFree());
            assertEquals(256, s.blocksAvailable());
            assertEquals(10, s.files());
            assertEquals(9, s.filesFree(), "the root is a file");
            assertEquals(255, s.nameMax());
            assertEquals(fs.mount.id(), s.fsid());
            assertFalse(s.readOnly());
        }
    }

    @Test
    void sizeSuffixesArePowersOf1024AndRoundUpToPages() throws IOException {
        assertEquals(4096L * 1024 * 1024 * 2, TmpfsArgs.parseSize("8g"));
        assertEquals(3L << 40, TmpfsArgs.parseSize("3T"));
        assertEquals(64L << 20, TmpfsArgs.parseSize("64M"));
        assertEquals(10 << 10, TmpfsArgs.parseSize("10k"));
        assertEquals(12345, TmpfsArgs.parseSize("12345"));
        try (TmpfsFixture fs = TmpfsFixture.mount("size=4097")) {
            assertEquals(2, fs.statvfs().blocks());
        }
    }

    @Test
    void defaultLimitsFollowNetbsd() throws IOException {
        TmpfsArgs a = TmpfsArgs.parse(MountOptions.readWrite(), 1 << 20);
        assertEquals(256, a.maxPages());
        assertEquals(3 + 1024, a.maxNodes(), "a node per KiB plus three");
        TmpfsArgs zero = TmpfsArgs.parse(MountOptions.builder().option("size", "0").option("inodes", "0").build(), 1 << 20);
        assertEquals(a, zero, "zero means the default");
    }

    @Test
    void badOptionsAreRefusedWithEinvalNamingThem() {
        for (String[] bad : new String[][] {
                {"size", "lots"}, {"size", "-1"}, {"size", "9999999999t"}, {"size", ""}, {"inodes", "x"},
                {"mode", "0999"}, {"mode", "17777"}, {"uid", "4294967296"}, {"gid", "-2"}, {"sise", "1m"}}) {
            MountOptions o = MountOptions.builder().option(bad[0], bad[1]).build();
            org.rumpmount.vfs.VfsException e = org.junit.jupiter.api.Assertions.assertThrows(
                    org.rumpmount.vfs.VfsException.class, () -> TmpfsArgs.parse(o, 1 << 20), bad[0] + "=" + bad[1]);
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains(bad[0]), e.getMessage());
        }
    }

    @Test
    void aReadOnlyMountIsAnEmptyRootThatSaysSo() throws IOException {
        try (org.rumpmount.vfs.Kernel k = new org.rumpmount.vfs.Kernel(new ManualHost(), DriverRegistry.load(),
                new org.rumpmount.vfs.buf.BufferCache(1 << 20))) {
            org.rumpmount.vfs.Mount m = k.mount("tmpfs", null, MountOptions.readOnly());
            assertTrue(m.vfsOps().statvfs().readOnly());
            try (Vnode root = m.vfsOps().root()) {
                assertEquals(VType.VDIR, root.type());
            }
            k.unmount(m, false);
        }
    }

    @Test
    void vgetFindsLiveFilesAndRefusesOthers() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            try (Vnode again = fs.mount.vfsOps().vget(f.fileid())) {
                assertEquals(f, again, "one vnode per file");
            }
            assertErrno(Errno.ENOENT, () -> fs.mount.vfsOps().vget(9999));
            assertErrno(Errno.ENOENT, () -> fs.mount.vfsOps().vget(1));
        }
    }

    @Test
    void fileIdsCountUpFromTheRootAndGenerationsAreRandom() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root();
             Vnode a = fs.create(root, "a"); Vnode b = fs.mkdir(root, "b")) {
            assertEquals(3, a.fileid());
            assertEquals(4, b.fileid());
            long ga = fs.getattr(a).gen;
            long gb = fs.getattr(b).gen;
            assertTrue(ga >= 0 && ga <= 0xffffffffL);
            assertTrue(ga != gb, "generations differ");
        }
    }

    @Test
    void unmountGivesEverythingBack() throws IOException {
        TmpfsFixture fs = TmpfsFixture.mount("size=1m");
        TmpfsMount tm = (TmpfsMount) fs.mount.vfsOps();
        try (Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            fs.write(f, 0, new byte[10000]);
        }
        assertEquals(3, tm.limits().usedPages());
        fs.close();
        assertEquals(0, tm.limits().usedPages());
        assertEquals(0, tm.limits().usedNodes());
        assertEquals(0, tm.nodeCount());
    }

    @Test
    void syncAndFsyncSucceedWithNothingToDo() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            fs.mount.vfsOps().sync(true);
            try (Vnode.Locked l = f.lock(Vnode.LockMode.EXCLUSIVE)) {
                fs.ops.fsync(f, false);
            }
        }
    }
}
