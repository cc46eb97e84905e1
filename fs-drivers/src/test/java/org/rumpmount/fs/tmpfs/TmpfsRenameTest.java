package org.rumpmount.fs.tmpfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rumpmount.fs.tmpfs.TmpfsFixture.assertErrno;
import static org.rumpmount.fs.tmpfs.TmpfsFixture.bytes;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.Vnode;

/** rename in each of its cases, with link counts, ".." and times. */
class TmpfsRenameTest {

    @Test
    void renameWithinADirectoryKeepsTheFile() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "a")) {
            fs.rename(root, "a", root, "b");
            assertErrno(Errno.ENOENT, () -> fs.lookup(root, "a"));
            try (Vnode b = fs.lookup(root, "b")) {
                assertEquals(f, b);
            }
            assertEquals(1, fs.nlink(f));
            assertEquals(List.of(".", "..", "b"), fs.names(root));
        }
    }

    @Test
    void fileOverFileReplacesAndFreesTheTargetOnceUnreferenced() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount("size=1m"); Vnode root = fs.root()) {
            try (Vnode a = fs.create(root, "a"); Vnode b = fs.create(root, "b")) {
                fs.write(a, 0, bytes("new"));
                fs.write(b, 0, new byte[4 * 4096]);
            }
            long nodesBefore = fs.statvfs().filesFree();
            assertEquals(256 - 5, fs.statvfs().blocksFree());
            try (Vnode old = fs.lookup(root, "b")) {
                fs.rename(root, "a", root, "b");
                assertEquals(0, fs.nlink(old));
                assertEquals(4 * 4096, fs.read(old, 0, 1 << 20).length, "still readable while referenced");
                assertEquals(256 - 5, fs.statvfs().blocksFree());
            }
            assertEquals(256 - 1, fs.statvfs().blocksFree(), "the replaced file's pages came back");
            assertEquals(nodesBefore + 1, fs.statvfs().filesFree());
            try (Vnode b = fs.lookup(root, "b")) {
                assertArrayEquals(bytes("new"), fs.read(b, 0, 100));
            }
            assertEquals(List.of(".", "..", "b"), fs.names(root));
        }
    }

    @Test
    void fileOverHardLinkOfItselfDoesNothing() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "a")) {
            fs.link(root, f, "b");
            Vattr before = fs.getattr(f);
            fs.host.tick();
            TmpfsNode n = TmpfsVnodeOps.node(f);
            fs.mount.renameLock().lock();
            try (Vnode.Locked l1 = root.lock(Vnode.LockMode.EXCLUSIVE); Vnode.Locked l2 = f.lock(Vnode.LockMode.EXCLUSIVE)) {
                fs.ops.rename(root, f, TmpfsFixture.name("a"), root, f, TmpfsFixture.name("b"), TmpfsFixture.ROOT);
                fs.ops.rename(root, f, TmpfsFixture.name("a"), root, null, TmpfsFixture.name("b"), TmpfsFixture.ROOT);
                fs.ops.rename(root, f, TmpfsFixture.name("a"), root, f, TmpfsFixture.name("a"), TmpfsFixture.ROOT);
            } finally {
                fs.mount.renameLock().unlock();
            }
            assertEquals(List.of(".", "..", "a", "b"), fs.names(root));
            assertEquals(2, n.nlink);
            assertEquals(before.ctime, fs.getattr(f).ctime);
        }
    }

    @Test
    void directoryOverEmptyDirectory() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode d = fs.mkdir(root, "d")) {
            fs.mkdirOnly(d, "sub");
            try (Vnode e = fs.mkdir(root, "e")) {
                assertEquals(4, fs.nlink(root));
                fs.rename(root, "d", root, "e");
                assertEquals(0, fs.nlink(e));
                assertEquals(List.of(), fs.names(e));
            }
            assertEquals(3, fs.nlink(root), "the replaced directory's \"..\" link is gone");
            try (Vnode now = fs.lookup(root, "e")) {
                assertEquals(d, now);
                assertEquals(3, fs.nlink(now));
            }
        }
    }

    @Test
    void directoryOverNonEmptyDirectoryIsEnotempty() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode d = fs.mkdir(root, "d");
             Vnode e = fs.mkdir(root, "e")) {
            fs.touch(e, "occupant");
            assertErrno(Errno.ENOTEMPTY, () -> fs.rename(root, "d", root, "e"));
            assertEquals(List.of(".", "..", "d", "e"), fs.names(root), "nothing changed");
            assertEquals(4, fs.nlink(root));
        }
    }

    @Test
    void typeMismatchesAreEisdirAndEnotdir() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root()) {
            fs.touch(root, "f");
            fs.mkdirOnly(root, "d");
            assertErrno(Errno.EISDIR, () -> fs.rename(root, "f", root, "d"));
            assertErrno(Errno.ENOTDIR, () -> fs.rename(root, "d", root, "f"));
            assertEquals(List.of(".", "..", "f", "d"), fs.names(root));
        }
    }

    @Test
    void directoryMovedAcrossDirectoriesGetsANewParent() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode a = fs.mkdir(root, "a");
             Vnode b = fs.mkdir(root, "b"); Vnode m = fs.mkdir(a, "m")) {
            fs.touch(m, "inside");
            assertEquals(3, fs.nlink(a));
            assertEquals(2, fs.nlink(b));
            fs.host.tick();
            Timespec t = fs.host.now();
            fs.rename(a, "m", b, "m2");
            assertEquals(2, fs.nlink(a));
            assertEquals(3, fs.nlink(b));
            assertEquals(2, fs.nlink(m));
            try (Vnode up = fs.lookup(m, "..")) {
                assertEquals(b, up);
            }
            assertEquals(b.fileid(), fs.readdirAll(m).get(1).fileid(), "readdir's \"..\" follows too");
            try (Vnode inside = fs.lookup(m, "inside")) {
                assertEquals(1, fs.nlink(inside));
            }
            assertEquals(t, fs.getattr(m).ctime);
            assertEquals(t, fs.getattr(a).mtime);
            assertEquals(t, fs.getattr(a).ctime);
            assertEquals(t, fs.getattr(b).mtime);
            assertEquals(t, fs.getattr(b).ctime);
        }
    }

    @Test
    void directoryMovedOverAnEmptyDirectoryElsewhereKeepsCountsRight() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode a = fs.mkdir(root, "a");
             Vnode b = fs.mkdir(root, "b")) {
            fs.mkdirOnly(a, "m");
            fs.mkdirOnly(b, "t");
            fs.rename(a, "m", b, "t");
            assertEquals(2, fs.nlink(a));
            assertEquals(3, fs.nlink(b));
            assertEquals(List.of(".", "..", "t"), fs.names(b));
        }
    }

    @Test
    void fileMovedAcrossDirectoriesLeavesLinkCountsAlone() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode a = fs.mkdir(root, "a");
             Vnode b = fs.mkdir(root, "b"); Vnode f = fs.create(a, "f")) {
            fs.rename(a, "f", b, "f");
            assertEquals(2, fs.nlink(a));
            assertEquals(2, fs.nlink(b));
            assertEquals(1, fs.nlink(f));
            assertEquals(List.of(".", ".."), fs.names(a));
            assertEquals(List.of(".", "..", "f"), fs.names(b));
        }
    }

    @Test
    void directoryIntoItsOwnSubtreeIsEinval() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode a = fs.mkdir(root, "a");
             Vnode b = fs.mkdir(a, "b")) {
            assertErrno(Errno.EINVAL, () -> fs.rename(root, "a", b, "x"));
            assertErrno(Errno.EINVAL, () -> fs.rename(root, "a", a, "x"));
            assertEquals(List.of(".", "..", "a"), fs.names(root));
        }
    }

    @Test
    void sourceGoneIsEnoent() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            fs.mount.renameLock().lock();
            try (Vnode.Locked l1 = root.lock(Vnode.LockMode.EXCLUSIVE); Vnode.Locked l2 = f.lock(Vnode.LockMode.EXCLUSIVE)) {
                assertErrno(Errno.ENOENT, () -> fs.ops.rename(root, f, TmpfsFixture.name("g"), root, null,
                        TmpfsFixture.name("h"), TmpfsFixture.ROOT));
            } finally {
                fs.mount.renameLock().unlock();
            }
        }
    }

    @Test
    void intoARemovedDirectoryIsEnoent() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode d = fs.mkdir(root, "d");
             Vnode f = fs.create(root, "f")) {
            fs.rmdir(root, "d");
            fs.mount.renameLock().lock();
            try (Vnode.Locked l1 = root.lock(Vnode.LockMode.EXCLUSIVE); Vnode.Locked l2 = d.lock(Vnode.LockMode.EXCLUSIVE);
                 Vnode.Locked l3 = f.lock(Vnode.LockMode.EXCLUSIVE)) {
                assertErrno(Errno.ENOENT, () -> fs.ops.rename(root, f, TmpfsFixture.name("f"), d, null,
                        TmpfsFixture.name("f"), TmpfsFixture.ROOT));
            } finally {
                fs.mount.renameLock().unlock();
            }
            assertEquals(List.of(".", "..", "f"), fs.names(root));
        }
    }

    @Test
    void timesOfTheMovedFileTheTargetAndBothDirectories() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode a = fs.mkdir(root, "a");
             Vnode b = fs.mkdir(root, "b"); Vnode f = fs.create(a, "f"); Vnode t = fs.create(b, "t")) {
            fs.link(root, t, "keep");
            Vattr fBefore = fs.getattr(f);
            Timespec now = fs.host.tick();
            fs.rename(a, "f", b, "t");
            Vattr fAfter = fs.getattr(f);
            assertEquals(now, fAfter.ctime);
            assertEquals(fBefore.mtime, fAfter.mtime, "a rename does not modify the file's data");
            assertEquals(now, fs.getattr(t).ctime, "the replaced file lost a link");
            assertEquals(1, fs.nlink(t));
            assertEquals(now, fs.getattr(a).mtime);
            assertEquals(now, fs.getattr(b).mtime);
            assertEquals(now, fs.getattr(b).ctime);
        }
    }

    @Test
    void directoryMoveStopsAtTheTargetsLinkMax() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode full = fs.mkdir(root, "full")) {
            for (int i = 2; i < TmpfsNode.LINK_MAX; i++) {
                fs.mkdirOnly(full, "s" + i);
            }
            fs.mkdirOnly(root, "m");
            assertErrno(Errno.EMLINK, () -> fs.rename(root, "m", full, "m"));
            fs.touch(root, "file");
            fs.rename(root, "file", full, "file");
            fs.rename(full, "s2", full, "s2b");
            fs.rename(root, "m", full, "s3");
            assertEquals(TmpfsNode.LINK_MAX, fs.nlink(full), "replacing a subdirectory keeps the count");
        }
    }
}
