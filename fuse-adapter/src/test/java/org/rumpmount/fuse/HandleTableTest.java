package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

class HandleTableTest {
    @Test
    void unknownHandlesAreEbadf() {
        HandleTable t = new HandleTable();
        assertEquals(Errno.EBADF, assertThrows(VfsException.class, () -> t.get(1)).errno());
        assertEquals(Errno.EBADF, assertThrows(VfsException.class, () -> t.get(0)).errno());
        assertEquals(Errno.EBADF, assertThrows(VfsException.class, () -> t.remove(7)).errno());
        assertEquals(0, t.size());
    }
}
