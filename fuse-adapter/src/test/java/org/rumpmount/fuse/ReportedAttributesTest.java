package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.function.Supplier;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.Vattr;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;

/** uid=, gid= and umask=: what is reported, and that requests then run with full privileges. */
class ReportedAttributesTest {
    private final Runtime rt = Runtime.getSystemRuntime();
    private Kernel kernel;
    private PathFacade root;
    private Credentials caller = new Credentials(1000, 1000);

    @BeforeEach
    void setUp() throws IOException {
        kernel = Kernel.create();
        root = new PathFacade(kernel.mount("tmpfs", null, MountOptions.readWrite()), Credentials.ROOT);
    }

    @AfterEach
    void tearDown() throws IOException {
        kernel.close();
    }

    private FileStat newStat() {
        return FileStat.of(rt.getMemoryManager().allocateDirect(Struct.size(new FileStat(rt)), true));
    }

    private RumpFuseFs adapter(ReportedAttributes r) {
        Supplier<Credentials> c = () -> caller;
        return new RumpFuseFs(root, c, r);
    }

    @Test
    void ownerGroupAndMaskedModeReplaceTheStoredOnes() {
        FileStat st = newStat();
        st.st_mode.set(0104755);
        st.st_uid.set(0);
        st.st_gid.set(0);
        new ReportedAttributes(1234, 5678, 027).apply(st);
        assertEquals(1234, st.st_uid.longValue());
        assertEquals(5678, st.st_gid.longValue());
        assertEquals(0104750, st.st_mode.intValue(), "type bits kept, set-id kept, group write and other bits cleared");
        new ReportedAttributes(-1, -1, 04000).apply(st);
        assertEquals(0100750, st.st_mode.intValue(), "a umask may clear set-user-ID too");
        assertEquals(1234, st.st_uid.longValue(), "-1 leaves the owner as it is");
    }

    @Test
    void eachOptionAloneOverridesOnlyItsField() {
        FileStat st = newStat();
        st.st_mode.set(040777);
        st.st_uid.set(7);
        st.st_gid.set(8);
        new ReportedAttributes(-1, 9, 0).apply(st);
        assertEquals(7, st.st_uid.longValue());
        assertEquals(9, st.st_gid.longValue());
        assertEquals(040777, st.st_mode.intValue());
        assertFalse(ReportedAttributes.NONE.overrides());
        assertTrue(new ReportedAttributes(-1, -1, 022).overrides());
    }

    @Test
    void valuesOutOfRangeAreRefusedWithTheValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ReportedAttributes(4294967295L, -1, 0))
                .getMessage().contains("4294967295"));
        assertThrows(IllegalArgumentException.class, () -> new ReportedAttributes(-1, -2, 0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ReportedAttributes(-1, -1, 010000))
                .getMessage().contains("010000"));
    }

    @Test
    void getattrReportsTheOverride() throws IOException {
        root.writeAll("/f", new byte[3]);
        root.chmod("/f", 0664);
        RumpFuseFs fs = adapter(new ReportedAttributes(1234, 5678, 022));
        FileStat st = newStat();
        assertEquals(0, fs.getattr("/f", st));
        assertEquals(1234, st.st_uid.longValue());
        assertEquals(5678, st.st_gid.longValue());
        assertEquals(0100644, st.st_mode.intValue());
        assertEquals(0664, root.stat("/f").mode, "the file system itself is unchanged");
    }

    @Test
    void requestsRunWithFullPrivilegesAndNewFilesAreStoredAsTheCallers() throws IOException {
        root.writeAll("/secret", "s".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        root.chmod("/secret", 0600);
        RumpFuseFs plain = adapter(ReportedAttributes.NONE);
        RumpFuseFs mapped = adapter(new ReportedAttributes(1000, 1000, 0));
        FuseFileInfo fi = FuseFileInfo.of(rt.getMemoryManager().allocateDirect(64, true));
        fi.flags.set(org.rumpmount.vfs.OpenFlags.O_RDWR);
        assertEquals(-13, plain.open("/secret", fi), "as stored: uid 1000 may not open root's 0600 file");
        assertEquals(0, mapped.open("/secret", fi), "reported as uid 1000's own: the host allowed it, so do we");
        assertEquals(0, mapped.release("/secret", fi));

        assertEquals(0, mapped.mkdir("/dir", 0755));
        assertEquals(0, mapped.symlink("secret", "/link"));
        assertEquals(0, mapped.mknod("/fifo", 0010644, 0));
        FuseFileInfo ci = FuseFileInfo.of(rt.getMemoryManager().allocateDirect(64, true));
        ci.flags.set(org.rumpmount.vfs.OpenFlags.O_WRONLY | org.rumpmount.vfs.OpenFlags.O_CREAT);
        assertEquals(0, mapped.create("/made", 0644, ci));
        assertEquals(0, mapped.release("/made", ci));
        for (String p : new String[] {"/dir", "/link", "/fifo", "/made"}) {
            Vattr va = root.lstat(p);
            assertEquals(1000, va.uid, p + " stored as the caller's");
            assertEquals(root.stat("/").gid, va.gid, p + " keeps its directory's group");
        }
        // Opening an existing file with O_CREAT does not take it over.
        ci.flags.set(org.rumpmount.vfs.OpenFlags.O_WRONLY | org.rumpmount.vfs.OpenFlags.O_CREAT);
        assertEquals(0, mapped.create("/secret", 0644, ci));
        assertEquals(0, mapped.release("/secret", ci));
        assertEquals(0, root.stat("/secret").uid);
        assertEquals("s", new String(root.readAll("/secret"), java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void theOverrideNeedsDefaultPermissions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FuseOptions.builder().uid(1000).defaultPermissions(false).build());
        assertTrue(e.getMessage().contains("default_permissions"), e.getMessage());
        FuseOptions o = FuseOptions.builder().uid(1000).gid(100).umask(022).build();
        assertFalse(o.optionList().contains("uid"), "applied by the adapter, not passed to libfuse: " + o.optionList());
        FuseOptions c = o.toBuilder().build();
        assertEquals(1000, c.uid());
        assertEquals(100, c.gid());
        assertEquals(022, c.umask());
    }
}
