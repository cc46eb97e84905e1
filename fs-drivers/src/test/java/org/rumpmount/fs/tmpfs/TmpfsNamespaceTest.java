package org.rumpmount.fs.tmpfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.rumpmount.fs.tmpfs.TmpfsFixture.assertErrno;
import static org.rumpmount.fs.tmpfs.TmpfsFixture.attrs;
import static org.rumpmount.fs.tmpfs.TmpfsFixture.bytes;
import static org.rumpmount.fs.tmpfs.TmpfsFixture.name;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.DeviceNumbers;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.Vnode;

/** create, mknod, mkdir, symlink, lookup, link, remove and rmdir on tmpfs. */
class TmpfsNamespaceTest {

    @Test
    void createMakesAnEmptyFileWithTheGivenAttributes() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            Vattr va = fs.getattr(f);
            assertEquals(VType.VREG, va.type);
            assertEquals(0644, va.mode);
            assertEquals(1000, va.uid);
            assertEquals(100, va.gid);
            assertEquals(1, va.nlink);
            assertEquals(0, va.size);
            assertEquals(0, va.bytes);
            assertEquals(4096, va.blocksize);
            assertEquals(f.fileid(), va.fileid);
            assertEquals(fs.mount.id(), va.fsid);
            try (Vnode again = fs.lookup(root, "f")) {
                assertEquals(f, again);
            }
        }
    }

    @Test
    void createRefusesAnExistingNameWithEexist() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root()) {
            fs.touch(root, "f");
            fs.mkdirOnly(root, "d");
            assertErrno(Errno.EEXIST, () -> fs.touch(root, "f"));
            assertErrno(Errno.EEXIST, () -> fs.mkdirOnly(root, "f"));
            assertErrno(Errno.EEXIST, () -> fs.symlink(root, "d", "x").close());
            assertErrno(Errno.EEXIST, () -> fs.mkdirOnly(root, ".."));
            assertEquals(List.of(".", "..", "f", "d"), fs.names(root));
        }
    }

    @Test
    void createRefusesTypesThatAreNotItsOwn() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root()) {
            assertErrno(Errno.EINVAL, () -> fs.create(root, "d", attrs(VType.VDIR, 0755)).close());
            assertErrno(Errno.EINVAL, () -> fs.mknod(root, "r", attrs(VType.VREG, 0644)).close());
        }
    }

    @Test
    void operationsOnANonDirectoryFailWithEnotdir() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            assertErrno(Errno.ENOTDIR, () -> fs.lookup(f, "x"));
            assertErrno(Errno.ENOTDIR, () -> fs.touch(f, "x"));
            assertErrno(Errno.ENOTDIR, () -> fs.mkdirOnly(f, "x"));
            assertErrno(Errno.ENOTDIR, () -> fs.readdirAll(f));
        }
    }

    @Test
    void lookupOfAMissingNameIsEnoent() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root()) {
            assertErrno(Errno.ENOENT, () -> fs.lookup(root, "nothing"));
        }
    }

    @Test
    void namesAreBytesNotText() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root()) {
            Name latin1 = Name.of(new byte[] {'c', 'a', 'f', (byte) 0xe9});
            Name utf8 = Name.of("caf\u00e9");
            try (Vnode.Locked l = root.lock(Vnode.LockMode.EXCLUSIVE)) {
                fs.ops.create(root, latin1, attrs(VType.VREG, 0644), TmpfsFixture.ROOT).close();
                fs.ops.create(root, utf8, attrs(VType.VREG, 0644), TmpfsFixture.ROOT).close();
            }
            List<org.rumpmount.vfs.Dirent> list = fs.readdirAll(root);
            assertEquals(4, list.size());
            assertArrayEquals(latin1.bytes(), list.get(2).name().bytes());
            assertArrayEquals(utf8.bytes(), list.get(3).name().bytes());
            assertNotEquals(list.get(2).fileid(), list.get(3).fileid());
        }
    }

    @Test
    void mkdirLinksParentAndChild() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode d = fs.mkdir(root, "d")) {
            assertEquals(2, fs.nlink(d));
            assertEquals(3, fs.nlink(root));
            fs.mkdirOnly(d, "e");
            fs.touch(d, "file");
            assertEquals(3, fs.nlink(d), "a file adds no link to its directory");
            try (Vnode e = fs.lookup(d, "e"); Vnode up = fs.lookup(e, "..")) {
                assertEquals(d, up);
            }
            assertEquals(2 * TmpfsDirectory.DIRENT_SIZE, fs.getattr(d).size);
        }
    }

    @Test
    void mknodMakesDevicesFifosAndSockets() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root()) {
            Vattr va = attrs(VType.VCHR, 0600);
            va.rdev = DeviceNumbers.linux(4, 64);
            try (Vnode c = fs.mknod(root, "tty", va)) {
                Vattr got = fs.getattr(c);
                assertEquals(VType.VCHR, got.type);
                assertEquals(DeviceNumbers.linux(4, 64), got.rdev);
                assertErrno(Errno.EOPNOTSUPP, () -> fs.ops.open(c, 0, TmpfsFixture.ROOT));
            }
            try (Vnode p = fs.mknod(root, "fifo", attrs(VType.VFIFO, 0644));
                 Vnode s = fs.create(root, "sock", attrs(VType.VSOCK, 0755))) {
                assertEquals(VType.VFIFO, fs.getattr(p).type);
                assertEquals(0, fs.getattr(p).rdev);
                assertEquals(VType.VSOCK, fs.getattr(s).type);
            }
        }
    }

    @Test
    void symlinkKeepsItsTargetBytes() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode l = fs.symlink(root, "l", "../x/y")) {
            assertArrayEquals(bytes("../x/y"), fs.readlink(l));
            Vattr va = fs.getattr(l);
            assertEquals(VType.VLNK, va.type);
            assertEquals(6, va.size);
            assertEquals(4096, va.bytes);
            try (Vnode f = fs.create(root, "f")) {
                assertErrno(Errno.EINVAL, () -> fs.readlink(f));
            }
            assertErrno(Errno.EINVAL, () -> fs.readlink(root));
            try (Vnode.Locked lk = root.lock(Vnode.LockMode.EXCLUSIVE)) {
                assertErrno(Errno.ENOENT, () -> fs.ops.symlink(root, name("empty"), attrs(VType.VLNK, 0777),
                        new byte[0], TmpfsFixture.ROOT));
            }
        }
    }

    @Test
    void removeDropsTheNameAndALink() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root()) {
            fs.touch(root, "f");
            fs.remove(root, "f");
            assertErrno(Errno.ENOENT, () -> fs.lookup(root, "f"));
            assertEquals(List.of(".", ".."), fs.names(root));
        }
    }

    @Test
    void removeRefusesDirectoriesAndStaleNames() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode d = fs.mkdir(root, "d");
             Vnode f = fs.create(root, "f")) {
            assertErrno(Errno.EPERM, () -> fs.remove(root, d, "d"));
            assertErrno(Errno.ENOENT, () -> fs.remove(root, f, "other"));
            fs.touch(root, "g");
            assertErrno(Errno.ENOENT, () -> fs.remove(root, f, "g"));
        }
    }

    @Test
    void rmdirRemovesOnlyEmptyDirectories() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root()) {
            try (Vnode d = fs.mkdir(root, "d")) {
                fs.touch(d, "f");
                assertErrno(Errno.ENOTEMPTY, () -> fs.rmdir(root, "d"));
                fs.remove(d, "f");
                fs.rmdir(root, d, "d");
                assertEquals(0, fs.nlink(d));
                assertEquals(2, fs.nlink(root));
                assertErrno(Errno.ENOENT, () -> fs.touch(d, "g"));
                assertErrno(Errno.ENOENT, () -> fs.mkdirOnly(d, "g"));
                assertErrno(Errno.ENOENT, () -> fs.lookup(d, ".."));
                assertEquals(List.of(), fs.names(d), "a removed directory lists nothing");
            }
            assertErrno(Errno.ENOENT, () -> fs.lookup(root, "d"));
        }
    }

    @Test
    void rmdirRefusesFilesAndItself() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f");
             Vnode d = fs.mkdir(root, "d")) {
            assertErrno(Errno.ENOTDIR, () -> fs.rmdir(root, f, "f"));
            assertErrno(Errno.EINVAL, () -> fs.rmdir(d, d, "."));
            assertErrno(Errno.ENOENT, () -> fs.rmdir(root, d, "e"));
        }
    }

    @Test
    void linkAddsANameForTheSameFile() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode d = fs.mkdir(root, "d");
             Vnode f = fs.create(root, "f")) {
            fs.write(f, 0, bytes("shared"));
            fs.link(d, f, "g");
            assertEquals(2, fs.nlink(f));
            try (Vnode g = fs.lookup(d, "g")) {
                assertEquals(f, g);
                assertArrayEquals(bytes("shared"), fs.read(g, 0, 100));
            }
            fs.remove(root, "f");
            assertEquals(1, fs.nlink(f));
            assertArrayEquals(bytes("shared"), fs.read(f, 0, 100));
        }
    }

    @Test
    void linkErrors() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode d = fs.mkdir(root, "d");
             Vnode f = fs.create(root, "f")) {
            assertErrno(Errno.EPERM, () -> fs.link(root, d, "d2"));
            assertErrno(Errno.EEXIST, () -> fs.link(root, f, "d"));
            assertErrno(Errno.EEXIST, () -> fs.link(root, f, "f"));
            fs.rmdir(root, "d");
            assertErrno(Errno.ENOENT, () -> fs.link(d, f, "g"));
            fs.remove(root, "f");
            assertErrno(Errno.ENOENT, () -> fs.link(root, f, "again"));
        }
    }

    @Test
    void linkStopsAtLinkMaxWithEmlink() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            for (int i = 1; i < TmpfsNode.LINK_MAX; i++) {
                fs.link(root, f, "l" + i);
            }
            assertEquals(TmpfsNode.LINK_MAX, fs.nlink(f));
            assertErrno(Errno.EMLINK, () -> fs.link(root, f, "one-too-many"));
            fs.remove(root, "l1");
            fs.link(root, f, "fits-again");
        }
    }

    @Test
    void mkdirStopsAtLinkMaxOfTheParentWithEmlink() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode d = fs.mkdir(root, "d")) {
            for (int i = 2; i < TmpfsNode.LINK_MAX; i++) {
                fs.mkdirOnly(d, "s" + i);
            }
            assertEquals(TmpfsNode.LINK_MAX, fs.nlink(d));
            assertErrno(Errno.EMLINK, () -> fs.mkdirOnly(d, "one-too-many"));
            fs.touch(d, "files-still-fit");
        }
    }

    @Test
    void outOfNodesIsEnospcUntilOneIsFreed() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount("inodes=3"); Vnode root = fs.root()) {
            fs.touch(root, "a");
            fs.mkdirOnly(root, "b");
            assertEquals(0, fs.statvfs().filesFree());
            assertErrno(Errno.ENOSPC, () -> fs.touch(root, "c"));
            assertErrno(Errno.ENOSPC, () -> fs.symlink(root, "c", "x").close());
            assertErrno(Errno.ENOSPC, () -> fs.mkdirOnly(root, "c"));
            assertEquals(List.of(".", "..", "a", "b"), fs.names(root), "a refused create leaves no entry");
            fs.remove(root, "a");
            assertEquals(1, fs.statvfs().filesFree());
            fs.touch(root, "c");
        }
    }

    @Test
    void dotAndDotDotAreNeverCreated() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root()) {
            try (Vnode.Locked l = root.lock(Vnode.LockMode.EXCLUSIVE)) {
                assertErrno(Errno.EEXIST, () -> fs.ops.create(root, name("."), attrs(VType.VREG, 0644), TmpfsFixture.ROOT));
            }
            try (Vnode self = fs.lookup(root, ".")) {
                assertEquals(root, self);
            }
        }
    }
}
