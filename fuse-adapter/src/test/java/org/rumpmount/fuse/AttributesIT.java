package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.Vattr;

/** Attribute round trips, each field on its own, with nanoseconds; after a remount too. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AttributesIT extends OnFreshTmpfs {
    private static final String STAT_NS = "import os,sys\nst=os.stat(sys.argv[1], follow_symlinks=False)\n"
            + "print(st.st_atime_ns, st.st_mtime_ns, st.st_ctime_ns)";

    private long[] statNs(String name) {
        String[] p = Sh.python(f.dir, STAT_NS, name).ok().out().trim().split(" ");
        return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2])};
    }

    @Test
    void atimeAndMtimeAreSetSeparatelyWithNanoseconds() throws IOException {
        Files.writeString(f.path("t"), "x");
        long atime = 1_234_567_890_123_456_789L;
        long mtime = 1_600_000_000_987_654_321L;
        Sh.python(f.dir, "import os,sys\nos.utime(sys.argv[1], ns=(int(sys.argv[2]), int(sys.argv[3])))",
                "t", Long.toString(atime), Long.toString(mtime)).ok();
        long[] ns = statNs("t");
        assertEquals(atime, ns[0], "atime");
        assertEquals(mtime, ns[1], "mtime");
        Vattr va = f.facade.stat("/t");
        assertEquals(new Timespec(1_234_567_890L, 123_456_789), va.atime);
        assertEquals(new Timespec(1_600_000_000L, 987_654_321), va.mtime);
        // Not just the kernel's attribute cache: the same after a fresh mount.
        f.remount();
        long[] again = statNs("t");
        assertEquals(atime, again[0]);
        assertEquals(mtime, again[1]);
        assertEquals(va.ctime.sec() * 1_000_000_000L + va.ctime.nsec(), again[2], "ctime");
    }

    /**
     * A setattr that sets one time alone (utimensat with UTIME_OMIT in the other, as touch -m,
     * touch -a and tar do) sets that time and leaves the other exactly as it was. libfuse 2
     * passes it on only because the adapter sets flag_utime_omit_ok (see UtimeOmitFlag); without
     * it the request is dropped and the call still succeeds.
     */
    @Test
    void aChangeOfOneTimeLeavesTheOtherAlone() throws IOException {
        Files.writeString(f.path("t"), "x");
        Sh.python(f.dir, "import os\nos.utime('t', ns=(1000000000000000001, 2000000000000000002))").ok();
        Sh.run(f.dir, "touch", "-m", "-d", "@1500000000.5", "t").ok();
        long[] ns = statNs("t");
        assertEquals(1_000_000_000_000_000_001L, ns[0]);
        assertEquals(1_500_000_000_500_000_000L, ns[1]);
        Sh.run(f.dir, "touch", "-a", "-d", "@1400000000.25", "t").ok();
        ns = statNs("t");
        assertEquals(1_400_000_000_250_000_000L, ns[0]);
        assertEquals(1_500_000_000_500_000_000L, ns[1]);
        f.remount();
        assertEquals(1_400_000_000_250_000_000L, statNs("t")[0]);
        assertEquals(1_500_000_000_500_000_000L, statNs("t")[1]);
    }

    @Test
    void touchWithoutADateSetsNow() throws IOException {
        Files.writeString(f.path("t"), "x");
        Sh.python(f.dir, "import os\nos.utime('t', ns=(1, 2))").ok();
        long before = System.currentTimeMillis() / 1000 - 5;
        Sh.run(f.dir, "touch", "t").ok();
        long[] ns = statNs("t");
        assertEquals(true, ns[0] / 1_000_000_000L >= before, "atime " + ns[0]);
        assertEquals(true, ns[1] / 1_000_000_000L >= before, "mtime " + ns[1]);
    }

    @Test
    void statFieldsMatchTheKernelsAttributes() throws IOException {
        Files.write(f.path("f"), new byte[10_000]);
        Sh.run(f.dir, "chown", "4000:4001", "f").ok();
        Sh.run(f.dir, "chmod", "0640", "f").ok();
        Vattr va = f.facade.stat("/f");
        String s = Sh.run(f.dir, "stat", "-c", "%f %h %u %g %s %b %B %i", "f").ok().out();
        String want = Integer.toHexString(va.statMode()) + " " + va.nlink + " 4000 4001 10000 "
                + AttrMapper.blocks(va.bytes) + " 512 " + va.fileid + "\n";
        assertEquals(want, s);
        assertEquals("81a0", Integer.toHexString(va.statMode()));
        assertNotEquals(0, AttrMapper.blocks(va.bytes));
        // st_blksize is the driver's I/O size.
        Sh.assertOk(Sh.run(f.dir, "stat", "-c", "%o", "f"), va.blocksize + "\n");
    }

    @Test
    void directoryAndSymlinkAttributes() throws IOException {
        Sh.run(f.dir, "mkdir", "-m", "0711", "dir").ok();
        Sh.run(f.dir, "ln", "-s", "a/longer/target", "sl").ok();
        Sh.assertOk(Sh.run(f.dir, "stat", "-c", "%F %a", "dir"), "directory 711\n");
        Sh.assertOk(Sh.run(f.dir, "stat", "-c", "%F %s", "sl"), "symbolic link 15\n");
    }

    @Test
    void deviceNumbersRoundTrip() throws IOException {
        // major 259, minor 300000: above 8 bits of minor and 12 bits of major is Linux's wide encoding.
        Sh.python(f.dir, "import os,stat\nos.mknod('dev', 0o600 | stat.S_IFCHR, os.makedev(259, 70000))").ok();
        Sh.assertOk(Sh.python(f.dir, "import os\nr=os.stat('dev').st_rdev\nprint(os.major(r), os.minor(r))"),
                "259 70000\n");
    }
}
