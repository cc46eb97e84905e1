package org.rumpmount.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PermissionsTest {
    private static final Credentials OWNER = new Credentials(1000, 1000);
    private static final Credentials GROUP_MEMBER = new Credentials(1001, 50, 1000);
    private static final Credentials OTHER = new Credentials(1002, 1002);

    private static Vattr file(int mode) {
        Vattr va = new Vattr();
        va.type = VType.VREG;
        va.mode = mode;
        va.uid = 1000;
        va.gid = 1000;
        return va;
    }

    @Test
    void ownerClassIsUsedForTheOwnerEvenWhenOthersHaveMore() {
        Vattr va = file(0077);
        assertFalse(Permissions.allowed(va, OWNER, Access.VREAD));
        assertTrue(Permissions.allowed(va, OTHER, Access.VREAD));
    }

    @Test
    void supplementaryGroupGrantsTheGroupClass() {
        Vattr va = file(0640);
        assertTrue(Permissions.allowed(va, GROUP_MEMBER, Access.VREAD));
        assertFalse(Permissions.allowed(va, GROUP_MEMBER, Access.VWRITE));
        assertFalse(Permissions.allowed(va, OTHER, Access.VREAD));
    }

    @Test
    void everyRequestedBitMustBeGranted() {
        Vattr va = file(0400);
        assertTrue(Permissions.allowed(va, OWNER, Access.VREAD));
        assertFalse(Permissions.allowed(va, OWNER, Access.VREAD | Access.VWRITE));
    }

    @Test
    void appendNeedsWritePermission() {
        assertFalse(Permissions.allowed(file(0444), OWNER, Access.VAPPEND));
        assertTrue(Permissions.allowed(file(0644), OWNER, Access.VAPPEND));
    }

    @Test
    void rootReadsAndWritesModeZeroButCannotExecuteWithoutAnyExecuteBit() {
        Vattr va = file(0000);
        assertTrue(Permissions.allowed(va, Credentials.ROOT, Access.VREAD | Access.VWRITE));
        assertFalse(Permissions.allowed(va, Credentials.ROOT, Access.VEXEC));
        assertTrue(Permissions.allowed(file(0001), Credentials.ROOT, Access.VEXEC));
    }

    @Test
    void rootSearchesAnyDirectory() {
        Vattr dir = file(0000);
        dir.type = VType.VDIR;
        assertTrue(Permissions.allowed(dir, Credentials.ROOT, Access.VEXEC));
    }

    @Test
    void refusalIsEaccesNamingTheAccess() {
        VfsException e = assertThrows(VfsException.class,
                () -> Permissions.check(file(0600), OTHER, Access.VWRITE, "/f"));
        assertEquals(Errno.EACCES, e.errno());
        assertTrue(e.getMessage().contains("write"), e.getMessage());
    }

    @Test
    void stickyDirectoryLetsOnlyOwnersRemove() throws Exception {
        Vattr dir = file(01777);
        dir.type = VType.VDIR;
        dir.uid = 0;
        Vattr victim = file(0644);
        Permissions.checkSticky(dir, victim, OWNER, "/t/f");
        Permissions.checkSticky(dir, victim, Credentials.ROOT, "/t/f");
        assertEquals(Errno.EPERM, assertThrows(VfsException.class,
                () -> Permissions.checkSticky(dir, victim, OTHER, "/t/f")).errno());
        dir.uid = 1002;
        Permissions.checkSticky(dir, victim, OTHER, "/t/f");
    }

    @Test
    void nonStickyDirectoryImposesNothing() throws Exception {
        Vattr dir = file(0777);
        dir.type = VType.VDIR;
        Permissions.checkSticky(dir, file(0644), OTHER, "/d/f");
    }

    @Test
    void chownByOwnerOnlyToOwnGroups() throws Exception {
        Vattr va = file(0644);
        Credentials owner = new Credentials(1000, 1000, 20);
        Permissions.checkChown(va, owner, Vattr.VNOVAL, 20, "/f");
        Permissions.checkChown(va, owner, 1000, Vattr.VNOVAL, "/f");
        assertEquals(Errno.EPERM, assertThrows(VfsException.class,
                () -> Permissions.checkChown(va, owner, Vattr.VNOVAL, 30, "/f")).errno());
        assertEquals(Errno.EPERM, assertThrows(VfsException.class,
                () -> Permissions.checkChown(va, owner, 1001, Vattr.VNOVAL, "/f")).errno());
        assertEquals(Errno.EPERM, assertThrows(VfsException.class,
                () -> Permissions.checkChown(va, OTHER, Vattr.VNOVAL, 1002, "/f")).errno());
        Permissions.checkChown(va, Credentials.ROOT, 5, 6, "/f");
    }

    @Test
    void onlyOwnerOrRootPassTheOwnerCheck() throws Exception {
        Permissions.checkOwner(file(0), OWNER, "/f");
        Permissions.checkOwner(file(0), Credentials.ROOT, "/f");
        assertEquals(Errno.EPERM, assertThrows(VfsException.class,
                () -> Permissions.checkOwner(file(0777), OTHER, "/f")).errno());
    }
}
