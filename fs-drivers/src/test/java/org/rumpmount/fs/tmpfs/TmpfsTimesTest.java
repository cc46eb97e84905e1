package org.rumpmount.fs.tmpfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rumpmount.fs.tmpfs.TmpfsFixture.bytes;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.Vnode;

/** Which operation sets which time, as POSIX says, to the nanosecond. */
class TmpfsTimesTest {

    @Test
    void createSetsAllFourTimesAndTheParentsMtimeAndCtime() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root()) {
            Vattr rootBefore = fs.getattr(root);
            Timespec t = fs.host.tick();
            try (Vnode f = fs.create(root, "f")) {
                Vattr va = fs.getattr(f);
                assertEquals(t, va.atime);
                assertEquals(t, va.mtime);
                assertEquals(t, va.ctime);
                assertEquals(t, va.birthtime);
            }
            Vattr rootAfter = fs.getattr(root);
            assertEquals(t, rootAfter.mtime);
            assertEquals(t, rootAfter.ctime);
            assertEquals(rootBefore.atime, rootAfter.atime);
            assertEquals(rootBefore.birthtime, rootAfter.birthtime);
        }
    }

    @Test
    void mkdirSymlinkAndMknodTouchTheParentToo() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root()) {
            Timespec t1 = fs.host.tick();
            fs.mkdirOnly(root, "d");
            assertEquals(t1, fs.getattr(root).mtime);
            Timespec t2 = fs.host.tick();
            fs.symlink(root, "l", "d").close();
            assertEquals(t2, fs.getattr(root).mtime);
            Timespec t3 = fs.host.tick();
            fs.mknod(root, "p", TmpfsFixture.attrs(org.rumpmount.vfs.VType.VFIFO, 0600)).close();
            assertEquals(t3, fs.getattr(root).ctime);
        }
    }

    @Test
    void writeSetsMtimeAndCtimeAndReadSetsAtime() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            Timespec created = fs.getattr(f).atime;
            Timespec tw = fs.host.tick();
            fs.write(f, 0, bytes("data"));
            Vattr w = fs.getattr(f);
            assertEquals(tw, w.mtime);
            assertEquals(tw, w.ctime);
            assertEquals(created, w.atime, "write does not read");
            Timespec tr = fs.host.tick();
            fs.read(f, 0, 4);
            Vattr r = fs.getattr(f);
            assertEquals(tr, r.atime);
            assertEquals(tw, r.mtime);
            assertEquals(tw, r.ctime);
        }
    }

    @Test
    void setattrSetsCtimeAndTruncationSetsMtime() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            Timespec created = fs.getattr(f).mtime;
            Timespec t1 = fs.host.tick();
            Vattr chmod = Vattr.forSetattr();
            chmod.mode = 0600;
            fs.setattr(f, chmod);
            assertEquals(t1, fs.getattr(f).ctime);
            assertEquals(created, fs.getattr(f).mtime, "chmod is not a data change");
            Timespec t2 = fs.host.tick();
            fs.truncate(f, 100);
            assertEquals(t2, fs.getattr(f).mtime);
            assertEquals(t2, fs.getattr(f).ctime);
        }
    }

    @Test
    void explicitTimesAreKeptToTheNanosecondAndCtimeBecomesNow() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            Timespec now = fs.host.tick();
            Vattr va = Vattr.forSetattr();
            va.atime = new Timespec(-1, 999_999_999);
            va.mtime = new Timespec(4_000_000_000L, 1);
            va.birthtime = new Timespec(12, 345);
            va.ctime = new Timespec(7, 7);
            fs.setattr(f, va);
            Vattr got = fs.getattr(f);
            assertEquals(new Timespec(-1, 999_999_999), got.atime);
            assertEquals(new Timespec(4_000_000_000L, 1), got.mtime);
            assertEquals(new Timespec(12, 345), got.birthtime);
            assertEquals(now, got.ctime, "ctime cannot be set, only bumped");
        }
    }

    @Test
    void truncateWithAnExplicitMtimeKeepsTheExplicitOne() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            fs.host.tick();
            Vattr va = Vattr.forSetattr();
            va.size = 10;
            va.mtime = new Timespec(5, 5);
            fs.setattr(f, va);
            assertEquals(new Timespec(5, 5), fs.getattr(f).mtime);
        }
    }

    @Test
    void linkSetsTheFilesCtimeAndTheDirectorysMtimeAndCtime() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode d = fs.mkdir(root, "d");
             Vnode f = fs.create(root, "f")) {
            Timespec created = fs.getattr(f).mtime;
            Timespec t = fs.host.tick();
            fs.link(d, f, "g");
            assertEquals(t, fs.getattr(f).ctime);
            assertEquals(created, fs.getattr(f).mtime);
            assertEquals(t, fs.getattr(d).mtime);
            assertEquals(t, fs.getattr(d).ctime);
        }
    }

    @Test
    void removeAndRmdirSetTheChildsCtimeAndTheParentsMtimeAndCtime() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode d = fs.mkdir(root, "d");
             Vnode f = fs.create(d, "f")) {
            fs.link(root, f, "keep");
            Timespec t1 = fs.host.tick();
            fs.remove(d, "f");
            assertEquals(t1, fs.getattr(f).ctime);
            assertEquals(t1, fs.getattr(d).mtime);
            assertEquals(t1, fs.getattr(d).ctime);
            Timespec t2 = fs.host.tick();
            fs.rmdir(root, d, "d");
            assertEquals(t2, fs.getattr(d).ctime);
            assertEquals(t2, fs.getattr(root).mtime);
            assertEquals(t2, fs.getattr(root).ctime);
        }
    }

    @Test
    void readlinkSetsAtime() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode l = fs.symlink(root, "l", "x")) {
            Timespec t = fs.host.tick();
            fs.readlink(l);
            assertEquals(t, fs.getattr(l).atime);
        }
    }

    @Test
    void lookupChangesNoTime() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root()) {
            fs.touch(root, "f");
            Vattr before = fs.getattr(root);
            fs.host.tick();
            fs.lookup(root, "f").close();
            Vattr after = fs.getattr(root);
            assertEquals(before.atime, after.atime);
            assertEquals(before.mtime, after.mtime);
        }
    }
}
