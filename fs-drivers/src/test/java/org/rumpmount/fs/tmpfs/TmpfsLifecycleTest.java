package org.rumpmount.fs.tmpfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rumpmount.fs.tmpfs.TmpfsFixture.assertErrno;
import static org.rumpmount.fs.tmpfs.TmpfsFixture.bytes;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Vnode;

/** Unlinked files live while referenced; inactive and reclaim give their memory back. */
class TmpfsLifecycleTest {
    private static final int PAGE = 4096;

    @Test
    void anUnlinkedFileStaysUsableUntilItsLastReferenceGoes() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount("size=1m"); Vnode root = fs.root()) {
            TmpfsMount tm = (TmpfsMount) fs.mount.vfsOps();
            Vnode f = fs.create(root, "f");
            long id = f.fileid();
            fs.write(f, 0, new byte[3 * PAGE]);
            long nodesBefore = fs.statvfs().filesFree();
            fs.remove(root, f, "f");
            assertEquals(0, fs.nlink(f));
            assertErrno(Errno.ENOENT, () -> fs.lookup(root, "f"));
            assertEquals(253, fs.statvfs().blocksFree(), "pages stay while the file is open");
            fs.write(f, 3 * PAGE, bytes("more"));
            assertArrayEquals(bytes("more"), fs.read(f, 3 * PAGE, 10));
            assertEquals(252, fs.statvfs().blocksFree());
            try (Vnode again = fs.mount.vfsOps().vget(id)) {
                assertEquals(f, again, "still reachable by file id while open");
            }
            f.close();
            assertEquals(256, fs.statvfs().blocksFree());
            assertEquals(nodesBefore + 1, fs.statvfs().filesFree());
            assertEquals(1, tm.nodeCount(), "only the root is left");
            assertErrno(Errno.ENOENT, () -> fs.mount.vfsOps().vget(id));
        }
    }

    @Test
    void inactiveAsksForReclaimOnlyWithoutLinksAndIsIdempotent() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount("size=1m"); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            fs.write(f, 0, new byte[PAGE]);
            try (Vnode.Locked l = f.lock(Vnode.LockMode.EXCLUSIVE)) {
                assertFalse(fs.ops.inactive(f), "a linked file stays cached");
            }
            fs.link(root, f, "g");
            fs.remove(root, "f");
            try (Vnode.Locked l = f.lock(Vnode.LockMode.EXCLUSIVE)) {
                assertFalse(fs.ops.inactive(f), "one link is left");
            }
            fs.remove(root, "g");
            try (Vnode.Locked l = f.lock(Vnode.LockMode.EXCLUSIVE)) {
                assertTrue(fs.ops.inactive(f));
                assertTrue(fs.ops.inactive(f));
            }
            assertEquals(256, fs.statvfs().blocksFree(), "inactive gave the pages back");
        }
    }

    @Test
    void aCachedButUnreferencedFileKeepsItsDataWhenReclaimed() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root()) {
            long id;
            try (Vnode f = fs.create(root, "f")) {
                fs.write(f, 0, bytes("kept"));
                id = f.fileid();
            }
            // Unmounting would reclaim everything; flushing the cache reclaims just the
            // unreferenced vnodes, as memory pressure does.
            fs.mount.vnodes().flush();
            try (Vnode f = fs.lookup(root, "f")) {
                assertEquals(id, f.fileid());
                assertArrayEquals(bytes("kept"), fs.read(f, 0, 10));
            }
        }
    }

    @Test
    void aRemovedDirectoryIsFreedWhenUnreferenced() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount("inodes=2"); Vnode root = fs.root()) {
            try (Vnode d = fs.mkdir(root, "d")) {
                fs.rmdir(root, d, "d");
                assertErrno(Errno.ENOSPC, () -> fs.touch(root, "x"));
            }
            fs.touch(root, "x");
        }
    }

    @Test
    void manyFilesCreatedAndRemovedLeaveNothingBehind() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount("size=64k", "inodes=8"); Vnode root = fs.root()) {
            TmpfsMount tm = (TmpfsMount) fs.mount.vfsOps();
            for (int i = 0; i < 1000; i++) {
                try (Vnode f = fs.create(root, "f" + (i % 5))) {
                    fs.write(f, (long) i * PAGE, new byte[PAGE * 2]);
                }
                if (i % 5 == 4) {
                    for (int j = 0; j < 5; j++) {
                        fs.remove(root, "f" + j);
                    }
                }
            }
            assertEquals(1, tm.nodeCount());
            assertEquals(0, tm.limits().usedPages());
            assertEquals(1, tm.limits().usedNodes());
        }
    }
}
