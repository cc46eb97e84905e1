package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VfsException;

class SetIdClearingTest {
    private static final Credentials ALICE = new Credentials(1000, 1000);
    private static final Credentials BOB = new Credentials(1001, 1001);
    private Kernel kernel;
    private PathFacade fs;

    @BeforeEach
    void mount() throws IOException {
        kernel = Kernel.create();
        fs = new PathFacade(kernel.mount("tmpfs", null, MountOptions.readWrite()), Credentials.ROOT);
        fs.writeAll("/f", "prog".getBytes(StandardCharsets.US_ASCII));
        fs.chown("/f", ALICE.uid(), ALICE.gid());
    }

    @AfterEach
    void unmount() throws IOException {
        kernel.close();
    }

    @Test
    void onlyClearingSetIdBitsIsRecognised() {
        assertTrue(SetIdClearing.onlyClearsSetIdBits(06777, 0777));
        assertTrue(SetIdClearing.onlyClearsSetIdBits(06777, 02777));
        assertTrue(SetIdClearing.onlyClearsSetIdBits(04755, 0755));
        assertFalse(SetIdClearing.onlyClearsSetIdBits(0755, 0755), "no change");
        assertFalse(SetIdClearing.onlyClearsSetIdBits(06777, 0775), "clears a permission bit too");
        assertFalse(SetIdClearing.onlyClearsSetIdBits(04755, 02755), "sets set-group-ID");
        assertFalse(SetIdClearing.onlyClearsSetIdBits(05777, 0777), "clears the sticky bit");
    }

    @Test
    void aNonOwnerWhoMayWriteMayClearTheSetIdBits() throws IOException {
        fs.chmod("/f", 06777);
        SetIdClearing.chmod(fs, BOB, "/f", 0777);
        assertEquals(0777, fs.stat("/f").mode);
    }

    @Test
    void aNonOwnerWhoMayNotWriteMayNotClearThem() throws IOException {
        fs.chmod("/f", 06755);
        VfsException e = assertThrows(VfsException.class, () -> SetIdClearing.chmod(fs, BOB, "/f", 0755));
        assertEquals(Errno.EPERM, e.errno());
        assertEquals(06755, fs.stat("/f").mode);
    }

    @Test
    void aNonOwnerMayChangeNothingElse() throws IOException {
        fs.chmod("/f", 06777);
        VfsException e = assertThrows(VfsException.class, () -> SetIdClearing.chmod(fs, BOB, "/f", 0700));
        assertEquals(Errno.EPERM, e.errno());
        assertEquals(06777, fs.stat("/f").mode);
    }

    @Test
    void theOwnerChmodsAsUsual() throws IOException {
        fs.chmod("/f", 0644);
        SetIdClearing.chmod(fs, ALICE, "/f", 04700);
        assertEquals(04700, fs.stat("/f").mode);
    }
}
