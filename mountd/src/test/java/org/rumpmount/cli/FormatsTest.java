package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.DeviceNumbers;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;

class FormatsTest {
    // 2025-11-25 16:38:00 UTC
    private static final long NOV25 = 1764088680L;

    @Test
    void modeStringsShowTypeAndPermissions() {
        assertEquals("drwxr-xr-x", ModeString.of(VType.VDIR, 0755));
        assertEquals("-rw-r--r--", ModeString.of(VType.VREG, 0644));
        assertEquals("lrwxrwxrwx", ModeString.of(VType.VLNK, 0777));
        assertEquals("crw-------", ModeString.of(VType.VCHR, 0600));
        assertEquals("brw-rw----", ModeString.of(VType.VBLK, 0660));
        assertEquals("prw-r--r--", ModeString.of(VType.VFIFO, 0644));
        assertEquals("srwxr-xr-x", ModeString.of(VType.VSOCK, 0755));
        assertEquals("----------", ModeString.of(VType.VREG, 0));
    }

    @Test
    void setuidSetgidAndStickyShowAsLowerCaseWithExecuteAndUpperCaseWithout() {
        assertEquals("-rwsr-xr-x", ModeString.of(VType.VREG, 04755));
        assertEquals("-rwSr--r--", ModeString.of(VType.VREG, 04644));
        assertEquals("-rwxr-sr-x", ModeString.of(VType.VREG, 02755));
        assertEquals("-rw-r-Sr--", ModeString.of(VType.VREG, 02644));
        assertEquals("drwxrwxrwt", ModeString.of(VType.VDIR, 01777));
        assertEquals("drwxr-xr-T", ModeString.of(VType.VDIR, 01754));
        assertEquals("---S--S--T", ModeString.of(VType.VREG, 07000));
    }

    @Test
    void listingTimeShowsHourForRecentAndYearForOldOrFuture() {
        Timespec now = Timespec.ofSeconds(NOV25 + 3600);
        assertEquals("Nov 25 16:38", TimeFormats.listing(Timespec.ofSeconds(NOV25), now, ZoneOffset.UTC));
        assertEquals("Nov 25  2024", TimeFormats.listing(Timespec.ofSeconds(NOV25 - 365L * 86400), now, ZoneOffset.UTC));
        assertEquals("Nov 25  2025", TimeFormats.listing(Timespec.ofSeconds(NOV25 + 7200), now, ZoneOffset.UTC),
                "a time in the future shows its year");
        assertEquals("Dec 31  1969", TimeFormats.listing(Timespec.ofSeconds(-1), now, ZoneOffset.UTC));
        assertEquals("Nov  5 16:38", TimeFormats.listing(Timespec.ofSeconds(NOV25 - 20L * 86400), now, ZoneOffset.UTC),
                "the day is padded with a space");
    }

    @Test
    void listingTimeUsesTheGivenZone() {
        Timespec t = Timespec.ofSeconds(NOV25);
        assertEquals("Nov 25 17:38", TimeFormats.listing(t, Timespec.ofSeconds(NOV25 + 60), ZoneId.of("Europe/Berlin")));
    }

    @Test
    void statTimeHasNanosecondsAndOffset() {
        assertEquals("2025-11-25 16:38:00.000000007 +0000", TimeFormats.stat(new Timespec(NOV25, 7), ZoneOffset.UTC));
        assertEquals("2025-11-25 17:38:00.123456789 +0100",
                TimeFormats.stat(new Timespec(NOV25, 123456789), ZoneId.of("Europe/Berlin")));
        assertEquals("1969-12-31 23:59:59.500000000 +0000", TimeFormats.stat(new Timespec(-1, 500_000_000), ZoneOffset.UTC));
    }

    @Test
    void humanSizesFollowGnuRounding() {
        assertEquals("0", HumanSize.of(0));
        assertEquals("512", HumanSize.of(512));
        assertEquals("1023", HumanSize.of(1023));
        assertEquals("1.0K", HumanSize.of(1024));
        assertEquals("1.1K", HumanSize.of(1025), "rounded up");
        assertEquals("4.0K", HumanSize.of(4096));
        assertEquals("9.9K", HumanSize.of(10137));
        assertEquals("10K", HumanSize.of(10138), "9.9004K rounds up to 10.0, shown whole");
        assertEquals("12K", HumanSize.of(12 * 1024));
        assertEquals("1023K", HumanSize.of(1023 * 1024));
        assertEquals("1.0M", HumanSize.of(1023 * 1024 + 1), "1023.001K rounds to 1024K, the next unit");
        assertEquals("64M", HumanSize.of(64L << 20));
        assertEquals("8.0E", HumanSize.of(Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> HumanSize.of(-1));
    }

    @Test
    void kibibytesRoundUp() {
        assertEquals(0, HumanSize.kibibytes(0));
        assertEquals(1, HumanSize.kibibytes(1));
        assertEquals(1, HumanSize.kibibytes(1024));
        assertEquals(2, HumanSize.kibibytes(1025));
    }

    @Test
    void sizeColumnShowsMajorMinorForDevices() {
        Vattr a = new Vattr();
        a.type = VType.VBLK;
        a.rdev = DeviceNumbers.linux(8, 1);
        assertEquals("8, 1", LsCommand.sizeColumn(a, 1, 1));
        assertEquals("   8,    1", LsCommand.sizeColumn(a, 4, 4));
        a.type = VType.VREG;
        a.size = 1234;
        assertEquals("1234", LsCommand.sizeColumn(a, 4, 4));
    }

    @Test
    void statReportMatchesGnuLayout() {
        Vattr a = new Vattr();
        a.type = VType.VREG;
        a.mode = 0644;
        a.nlink = 1;
        a.uid = 1000;
        a.gid = 100;
        a.fsid = 0;
        a.fileid = 12;
        a.size = 5;
        a.bytes = 4096;
        a.blocksize = 4096;
        a.atime = new Timespec(NOV25, 1);
        a.mtime = new Timespec(NOV25, 2);
        a.ctime = new Timespec(NOV25, 3);
        a.birthtime = null;
        String expected = ""
                + "  File: /a/r\n"
                + "  Size: 5         \tBlocks: 8          IO Block: 4096   regular file\n"
                + "Device: 0h/0d\tInode: 12          Links: 1\n"
                + "Access: (0644/-rw-r--r--)  Uid: ( 1000)   Gid: (  100)\n"
                + "Access: 2025-11-25 16:38:00.000000001 +0000\n"
                + "Modify: 2025-11-25 16:38:00.000000002 +0000\n"
                + "Change: 2025-11-25 16:38:00.000000003 +0000\n"
                + " Birth: -\n";
        assertEquals(expected, StatCommand.format("/a/r", null, a, ZoneOffset.UTC));
    }

    @Test
    void statNamesSymlinkTargetsAndDeviceTypes() {
        Vattr a = new Vattr();
        a.type = VType.VCHR;
        a.mode = 0620;
        a.nlink = 1;
        a.uid = 0;
        a.gid = 5;
        a.fileid = 3;
        a.size = 0;
        a.bytes = 0;
        a.blocksize = 512;
        a.rdev = DeviceNumbers.linux(4, 64);
        String s = StatCommand.format("tty", null, a, ZoneOffset.UTC);
        assertEquals("Device: 0h/0d\tInode: 3           Links: 1     Device type: 4,64", s.split("\n")[2]);
        assertEquals("Access: (0620/crw--w----)  Uid: (    0)   Gid: (    5)", s.split("\n")[3]);
        a.type = VType.VLNK;
        a.mode = 0777;
        assertEquals("  File: l -> /t", StatCommand.format("l", "/t", a, ZoneOffset.UTC).split("\n")[0]);
    }

    @Test
    void dfPercentRoundsUp() {
        assertEquals("1%", DfCommand.percent(1, 1000));
        assertEquals("50%", DfCommand.percent(1, 1));
        assertEquals("0%", DfCommand.percent(0, 10));
        assertEquals("-", DfCommand.percent(0, 0));
    }
}
