package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rumpmount.vfs.Vattr;

/**
 * uid=, gid= and umask= on a real mount: other users' processes (switched with setpriv(1); the
 * mount has allow_other) see every file as owned by 1234:5678 with its mode masked by 027, and
 * the Linux kernel grants and refuses by those reported attributes alone.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReportedOwnerIT extends OnFreshTmpfs {
    @Override
    UnaryOperator<FuseOptions.Builder> options() {
        return b -> b.allowOther(true).uid(1234).gid(5678).umask(027);
    }

    @BeforeEach
    void storeFiles() throws IOException {
        f.facade.writeAll("/roots-secret", "only root, as stored\n".getBytes(StandardCharsets.US_ASCII));
        f.facade.chmod("/roots-secret", 0600);
        f.facade.writeAll("/open", "for everyone, as stored\n".getBytes(StandardCharsets.US_ASCII));
        f.facade.chmod("/open", 0666);
        f.facade.chmod("/", 0777);
    }

    private static String[] as(String uidGid, String... cmd) {
        String[] p = uidGid.split(":");
        String[] all = new String[5 + cmd.length];
        all[0] = "setpriv";
        all[1] = "--reuid=" + p[0];
        all[2] = "--regid=" + p[1];
        all[3] = "--clear-groups";
        all[4] = "--";
        System.arraycopy(cmd, 0, all, 5, cmd.length);
        return all;
    }

    @Test
    void everyFileIsReportedWithTheOwnerGroupAndMaskedMode() {
        Sh.assertOk(Sh.run(f.dir, "stat", "-c", "%u %g %a", ".", "roots-secret", "open"),
                "1234 5678 750\n1234 5678 600\n1234 5678 640\n");
    }

    @Test
    void theReportedOwnerMayDoWhatAnOwnerMay() throws IOException {
        Sh.assertOk(Sh.run(f.dir, as("1234:1", "cat", "roots-secret")), "only root, as stored\n");
        Sh.run(f.dir, as("1234:1", "sh", "-c", "printf changed > roots-secret")).ok();
        Sh.run(f.dir, as("1234:1", "chmod", "604", "roots-secret")).ok();
        Sh.run(f.dir, as("1234:1", "touch", "-m", "-d", "@1000000000", "roots-secret")).ok();
        Vattr va = f.facade.stat("/roots-secret");
        assertEquals("changed", new String(f.facade.readAll("/roots-secret"), StandardCharsets.US_ASCII));
        assertEquals(0604, va.mode);
        assertEquals(1000000000L, va.mtime.sec());
        assertEquals(0, va.uid, "the stored owner stays");
        Sh.assertOk(Sh.run(f.dir, "stat", "-c", "%a", "roots-secret"), "600\n");
    }

    @Test
    void theReportedGroupAndOthersAreCheckedAgainstTheMaskedMode() {
        // 0666 as stored, 0640 as reported: group 5678 reads, others get nothing, nobody else writes.
        Sh.assertOk(Sh.run(f.dir, as("999:5678", "cat", "open")), "for everyone, as stored\n");
        Sh.run(f.dir, as("999:5678", "sh", "-c", "printf x >> open")).fails("Permission denied");
        Sh.run(f.dir, as("999:999", "cat", "open")).fails("Permission denied");
        Sh.run(f.dir, as("999:999", "touch", "new")).fails("Permission denied");
        Sh.run(f.dir, as("999:5678", "chmod", "777", "open")).fails("Operation not permitted");
    }

    @Test
    void newFilesAreStoredAsTheCallersAndReportedAsTheMounts() throws IOException {
        Sh.run(f.dir, as("1234:1", "sh", "-c", "mkdir d && printf x > d/f && ln -s f d/l && mkfifo d/p")).ok();
        for (String p : new String[] {"/d", "/d/f", "/d/l", "/d/p"}) {
            assertEquals(1234, f.facade.lstat(p).uid, p);
        }
        Sh.run(f.dir, "sh", "-c", "printf y > by-root").ok();
        assertEquals(0, f.facade.lstat("/by-root").uid);
        Sh.assertOk(Sh.run(f.dir, "stat", "-c", "%u %g", "d/f", "by-root"), "1234 5678\n1234 5678\n");
    }
}
