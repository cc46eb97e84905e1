package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rumpmount.vfs.Vattr;

/**
 * Requests run as the calling process. Host commands switch user with setpriv(1); the mount
 * has allow_other so that other users may use it at all.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CredentialsIT {
    private FuseFixture f;

    @BeforeAll
    static void fuse() throws IOException {
        FuseFixture.requireFuse();
    }

    @AfterEach
    void unmount() throws IOException {
        if (f != null) {
            f.close();
        }
    }

    private static String[] as(String uidGidGroups, String... cmd) {
        String[] p = uidGidGroups.split(":");
        String[] all = new String[5 + cmd.length];
        all[0] = "setpriv";
        all[1] = "--reuid=" + p[0];
        all[2] = "--regid=" + p[1];
        all[3] = p.length > 2 ? "--groups=" + p[2] : "--clear-groups";
        all[4] = "--";
        System.arraycopy(cmd, 0, all, 5, cmd.length);
        return all;
    }

    @Test
    void filesAreCreatedWithTheCallersIds() throws IOException {
        f = FuseFixture.mount(b -> b.allowOther(true));
        Sh.run(f.dir, as("1234:5678", "mkdir", "made-by-1234")).ok();
        Sh.run(f.dir, as("1234:5678", "touch", "made-by-1234/f")).ok();
        Vattr d = f.facade.stat("/made-by-1234");
        Vattr file = f.facade.stat("/made-by-1234/f");
        assertEquals(1234, d.uid);
        assertEquals(1234, file.uid);
        // BSD rule, as in NetBSD: a new file takes its directory's group, not the caller's.
        assertEquals(f.facade.stat("/").gid, d.gid);
        assertEquals(d.gid, file.gid);
        Sh.run(f.dir, as("999:999", "touch", "made-by-1234/g")).fails("Permission denied");
    }

    /**
     * With default_permissions off, the Linux kernel checks nothing and every decision is the
     * kernel's in here, made with the caller's supplementary groups read from /proc.
     */
    @Test
    void supplementaryGroupsCountWhenTheFileSystemChecks() throws IOException {
        f = FuseFixture.mount(b -> b.allowOther(true).defaultPermissions(false));
        f.facade.writeAll("/group-only", "for group 2000\n".getBytes(StandardCharsets.US_ASCII));
        f.facade.chown("/group-only", 0, 2000);
        f.facade.chmod("/group-only", 0640);
        Sh.assertOk(Sh.run(f.dir, as("1000:1000:2000", "cat", "group-only")), "for group 2000\n");
        Sh.run(f.dir, as("1000:1000:3000", "cat", "group-only")).fails("Permission denied");
        Sh.run(f.dir, as("1000:1000", "cat", "group-only")).fails("Permission denied");
        Sh.assertOk(Sh.run(f.dir, as("1000:2000", "cat", "group-only")), "for group 2000\n");
    }

    @Test
    void withDefaultPermissionsTheLinuxKernelRefusesToo() throws IOException {
        f = FuseFixture.mount(b -> b.allowOther(true));
        f.facade.writeAll("/secret", "x".getBytes(StandardCharsets.US_ASCII));
        f.facade.chmod("/secret", 0600);
        Sh.run(f.dir, as("1000:1000", "cat", "secret")).fails("Permission denied");
        Sh.run(f.dir, as("1000:1000", "chmod", "777", "secret")).fails("Operation not permitted");
    }
}
