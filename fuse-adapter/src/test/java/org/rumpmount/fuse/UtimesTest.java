package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VfsException;

class UtimesTest {
    @Test
    void specialValuesAreLinuxs() {
        assertEquals(1_073_741_823L, Utimes.UTIME_NOW);
        assertEquals(1_073_741_822L, Utimes.UTIME_OMIT);
    }

    @Test
    void nowAndOmitMapToTheFacadeMarkers() throws VfsException {
        assertSame(PathFacade.UTIME_NOW, Utimes.toKernel(0, Utimes.UTIME_NOW));
        assertSame(PathFacade.UTIME_OMIT, Utimes.toKernel(0, Utimes.UTIME_OMIT));
        assertSame(PathFacade.UTIME_NOW, Utimes.toKernel(12345, Utimes.UTIME_NOW));
    }

    @Test
    void ordinaryTimesKeepSecondsAndNanoseconds() throws VfsException {
        assertEquals(new Timespec(1_700_000_000L, 123_456_789), Utimes.toKernel(1_700_000_000L, 123_456_789));
        assertEquals(new Timespec(-1, 999_999_999), Utimes.toKernel(-1, 999_999_999));
    }

    @Test
    void outOfRangeNanosecondsAreEinval() {
        VfsException e = assertThrows(VfsException.class, () -> Utimes.toKernel(0, 1_000_000_000));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(Errno.EINVAL, assertThrows(VfsException.class, () -> Utimes.toKernel(0, -1)).errno());
    }
}
