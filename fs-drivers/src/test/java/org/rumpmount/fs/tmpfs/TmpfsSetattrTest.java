package org.rumpmount.fs.tmpfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rumpmount.fs.tmpfs.TmpfsFixture.assertErrno;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.Vnode;

/** setattr: each field, what each type allows, and refusals that change nothing. */
class TmpfsSetattrTest {

    @Test
    void changesModeOwnerAndFlags() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            Vattr va = Vattr.forSetattr();
            va.mode = 04711;
            va.uid = 4294967295L;
            va.gid = 0;
            va.flags = 0x1; // UF_NODUMP
            fs.setattr(f, va);
            Vattr got = fs.getattr(f);
            assertEquals(04711, got.mode);
            assertEquals(4294967295L, got.uid);
            assertEquals(0, got.gid);
            assertEquals(0x1, got.flags);
            assertEquals(VType.VREG, got.type);
        }
    }

    @Test
    void anEmptySetattrChangesNothing() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            Vattr before = fs.getattr(f);
            fs.host.tick();
            fs.setattr(f, Vattr.forSetattr());
            assertEquals(before.toString(), fs.getattr(f).toString());
        }
    }

    @Test
    void sizeOfADirectoryIsEisdir() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root()) {
            assertErrno(Errno.EISDIR, () -> fs.truncate(root, 0));
        }
    }

    @Test
    void sizeOfDevicesAndFifosIsIgnoredAndOfSymlinksRefused() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root();
             Vnode p = fs.mknod(root, "p", TmpfsFixture.attrs(VType.VFIFO, 0600));
             Vnode l = fs.symlink(root, "l", "target")) {
            fs.truncate(p, 0);
            assertEquals(0, fs.getattr(p).size);
            assertErrno(Errno.EOPNOTSUPP, () -> fs.truncate(l, 0));
            assertEquals(6, fs.getattr(l).size);
        }
    }

    @Test
    void fieldsOnlyTheFileSystemDecidesAreRefused() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            Vattr before = fs.getattr(f);
            Vattr type = Vattr.forSetattr();
            type.type = VType.VDIR;
            Vattr nlink = Vattr.forSetattr();
            nlink.nlink = 5;
            Vattr fileid = Vattr.forSetattr();
            fileid.fileid = 99;
            Vattr gen = Vattr.forSetattr();
            gen.gen = 1;
            for (Vattr va : new Vattr[] {type, nlink, fileid, gen}) {
                va.mode = 0;
                assertErrno(Errno.EINVAL, () -> fs.setattr(f, va));
            }
            Vattr badMode = Vattr.forSetattr();
            badMode.mode = 0100644;
            assertErrno(Errno.EINVAL, () -> fs.setattr(f, badMode));
            assertEquals(before.toString(), fs.getattr(f).toString(), "refusals change nothing");
        }
    }

    /**
     * tmpfs stores the flags; what they forbid is the kernel's to enforce (FileFlags, run for
     * every driver by the contract suite), so the driver applies what the kernel asks of it.
     */
    @Test
    void flagsAreStoredAndTheirMeaningIsLeftToTheKernel() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            Vattr imm = Vattr.forSetattr();
            imm.flags = 0x20000; // SF_IMMUTABLE
            fs.setattr(f, imm);
            assertEquals(0x20000, fs.getattr(f).flags);
            Vattr chmod = Vattr.forSetattr();
            chmod.mode = 0600;
            fs.setattr(f, chmod);
            assertEquals(0600, fs.getattr(f).mode);
            assertEquals(0x20000, fs.getattr(f).flags);
        }
    }
}
