package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MountOptionsParserTest {
    @Test
    void noOptionsMeansReadWriteAutoWithDefaultPermissionsAndAFiveSecondSync() {
        DaemonOptions o = MountOptionsParser.parse(null);
        assertFalse(o.readOnly());
        assertEquals("auto", o.type());
        assertTrue(o.defaultPermissions());
        assertFalse(o.allowOther());
        assertFalse(o.force());
        assertEquals(64L << 20, o.cacheBytes());
        assertEquals(Duration.ofSeconds(5), o.syncInterval());
        assertEquals(Optional.empty(), o.partition());
        assertEquals("rumpmount", o.subtype());
        assertEquals(null, o.fsName());
    }

    @Test
    void everyOptionOfTheMountDaemon() {
        DaemonOptions o = MountOptionsParser.parse("ro,type=ffs,allow_other,no_default_permissions,force,fsname=disk,"
                + "subtype=netbsd,cache_size=8m,sync_interval=500ms,part=2,debug");
        assertTrue(o.readOnly());
        assertEquals("ffs", o.type());
        assertTrue(o.allowOther());
        assertFalse(o.defaultPermissions());
        assertTrue(o.force());
        assertEquals("disk", o.fsName());
        assertEquals("netbsd", o.subtype());
        assertEquals(8L << 20, o.cacheBytes());
        assertEquals(Duration.ofMillis(500), o.syncInterval());
        assertEquals(Optional.of("2"), o.partition());
        assertTrue(o.debug());
    }

    @Test
    void cacheTimesAreSecondsWithFractionsAndLeftToTheAdapterWhenNotGiven() {
        DaemonOptions none = MountOptionsParser.parse(null);
        assertEquals(Optional.empty(), none.attrTimeout());
        assertEquals(Optional.empty(), none.entryTimeout());
        assertEquals(Optional.empty(), none.negativeTimeout());
        DaemonOptions o = MountOptionsParser.parse("attr_timeout=1.5,entry_timeout=0,negative_timeout=30");
        assertEquals(Optional.of(Duration.ofMillis(1500)), o.attrTimeout());
        assertEquals(Optional.of(Duration.ZERO), o.entryTimeout());
        assertEquals(Optional.of(Duration.ofSeconds(30)), o.negativeTimeout());
        for (String bad : new String[] {"attr_timeout=-1", "entry_timeout=1s", "negative_timeout=", "attr_timeout=86401"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MountOptionsParser.parse(bad));
            assertTrue(e.getMessage().contains(bad.substring(0, bad.indexOf('='))), e.getMessage());
        }
    }

    @Test
    void theLastOfRoAndRwWins() {
        assertFalse(MountOptionsParser.parse("ro,rw").readOnly());
        assertTrue(MountOptionsParser.parse("rw,ro").readOnly());
    }

    @Test
    void theOptionsMountFuse3AddsAreLeftToTheHost() {
        DaemonOptions o = MountOptionsParser.parse("rw,dev,suid,nodev,nosuid,exec,noexec,atime,noatime,relatime,defaults");
        assertFalse(o.readOnly());
    }

    @Test
    void anUnknownOptionIsNamedInTheError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MountOptionsParser.parse("ro,no_such_thing"));
        assertEquals("unknown mount option 'no_such_thing'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MountOptionsParser.parse("nodev=1"));
    }

    @Test
    void flagsTakeNoValueAndValuedOptionsNeedOne() {
        assertEquals("mount option 'ro=1' takes no value",
                assertThrows(IllegalArgumentException.class, () -> MountOptionsParser.parse("ro=1")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MountOptionsParser.parse("type="))
                .getMessage().contains("needs a value"));
        assertThrows(IllegalArgumentException.class, () -> MountOptionsParser.parse("fsname"));
    }

    @Test
    void cacheSizesTakeBinarySuffixes() {
        assertEquals(4096, MountOptionsParser.size("cache_size=4096", "4096"));
        assertEquals(512L << 10, MountOptionsParser.size("x", "512k"));
        assertEquals(3L << 20, MountOptionsParser.size("x", "3M"));
        assertEquals(1L << 30, MountOptionsParser.size("x", "1g"));
        for (String bad : new String[] {"0", "-1", "1t", "k", "9999999999999g"}) {
            assertThrows(IllegalArgumentException.class, () -> MountOptionsParser.size("cache_size=" + bad, bad), bad);
        }
    }

    @Test
    void syncIntervalsInSecondsMillisecondsOrMinutesAndZeroForOff() {
        assertEquals(Duration.ofSeconds(7), MountOptionsParser.interval("x", "7"));
        assertEquals(Duration.ofSeconds(7), MountOptionsParser.interval("x", "7s"));
        assertEquals(Duration.ofMillis(250), MountOptionsParser.interval("x", "250ms"));
        assertEquals(Duration.ofMinutes(2), MountOptionsParser.interval("x", "2m"));
        assertTrue(MountOptionsParser.parse("sync_interval=0").syncInterval().isZero());
        assertThrows(IllegalArgumentException.class, () -> MountOptionsParser.interval("x", "-1s"));
        assertThrows(IllegalArgumentException.class, () -> MountOptionsParser.interval("x", "soon"));
    }

    @Test
    void threadsAreOneToTwoHundredFiftySixDefaultTwo() {
        assertEquals(2, MountOptionsParser.parse("").threads());
        assertEquals(1, MountOptionsParser.parse("threads=1").threads());
        assertEquals(8, MountOptionsParser.parse("rw,threads=8").threads());
        for (String bad : new String[] {"threads=0", "threads=257", "threads=two", "threads"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MountOptionsParser.parse(bad));
            assertTrue(e.getMessage().contains("threads"), e.getMessage());
        }
    }

    @Test
    void ownerGroupAndUmaskAreParsedAsNumbers() {
        DaemonOptions o = MountOptionsParser.parse("uid=1000,gid=100,umask=027");
        assertEquals(1000, o.uid());
        assertEquals(100, o.gid());
        assertEquals(027, o.umask());
        DaemonOptions none = MountOptionsParser.parse("ro");
        assertEquals(-1, none.uid());
        assertEquals(-1, none.gid());
        assertEquals(0, none.umask());
        assertEquals(4294967294L, MountOptionsParser.parse("uid=4294967294").uid());
        assertEquals(07777, MountOptionsParser.parse("umask=7777").umask());
    }

    @Test
    void badOwnerGroupAndUmaskValuesAreRefusedByName() {
        for (String o : new String[] {"uid=", "uid=alice", "uid=-1", "uid=4294967295", "gid=1.5", "umask=8",
            "umask=17777", "umask=-022"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MountOptionsParser.parse(o));
            assertTrue(e.getMessage().contains(o), o + ": " + e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MountOptionsParser.parse("uid=1000,no_default_permissions"));
        assertTrue(e.getMessage().contains("default_permissions"), e.getMessage());
    }

    @Test
    void mountHelperFormGainsTheMountCommand() {
        Set<String> commands = Set.of("ls", "mount", "shell");
        assertArrayEquals(new String[] {"mount", "img", "/mnt", "-o", "ro,dev,suid"},
                MountHelperForm.rewrite(commands, new String[] {"img", "/mnt", "-o", "ro,dev,suid"}));
        assertArrayEquals(new String[] {"mount", "img", "/mnt"}, MountHelperForm.rewrite(commands, new String[] {"img", "/mnt"}));
        String[] sub = {"ls", "img", "/"};
        assertSame(sub, MountHelperForm.rewrite(commands, sub));
        String[] opt = {"--version"};
        assertSame(opt, MountHelperForm.rewrite(commands, opt));
        String[] three = {"img", "/mnt", "extra"};
        assertSame(three, MountHelperForm.rewrite(commands, three));
    }

    @Test
    void mountinfoOctalEscapesAreDecodedToBytes() {
        assertArrayEquals("/mnt/a b\\c".getBytes(StandardCharsets.ISO_8859_1), HostMounts.unescape("/mnt/a\\040b\\134c"));
        assertArrayEquals(new byte[] {'/', (byte) 0xff}, HostMounts.unescape("/\\377"));
        assertArrayEquals("/x\\4".getBytes(StandardCharsets.ISO_8859_1), HostMounts.unescape("/x\\4"));
    }

    @Test
    void anUnknownOptionInTheHelperFormIsAUsageError() {
        CliRun r = CliRun.run("disk.img", "/mnt", "-o", "ro,bogus");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().contains("rumpmount: mount: unknown mount option 'bogus'"), r.toString());
    }

    @Test
    void mountNeedsAnImageAndAMountPoint() {
        CliRun r = CliRun.run("mount", "disk.img");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().contains("MOUNTPOINT"), r.toString());
    }

    @Test
    void aMissingImageFailsWithItsName() {
        CliRun r = CliRun.run("mount", "-f", "-o", "ro", "/nonexistent/disk.img", "/tmp");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.stderr().contains("/nonexistent/disk.img: No such file or directory"), r.toString());
    }
}
