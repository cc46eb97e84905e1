package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kind of partition table with an FFS inside, mounted on the host with {@code -o part=SEL}
 * (a number, a GPT partition name, a disklabel letter): host tools see the tree and the bytes
 * makefs was given.
 */
class WholeDiskMountIT extends DaemonPerTest {
    @ParameterizedTest
    @EnumSource(WholeDisks.Kind.class)
    void thePartitionMountsAndReadsBack(WholeDisks.Kind kind) throws Exception {
        WholeDisks.Disk disk = WholeDisks.build(kind, fx.dir.resolve("disk"));
        Path mp = fx.mountPoint("mnt");
        DaemonFixture.Result r = fx.run(fx.launcher().toString(), "mount", "-o", "ro,part=" + disk.selector(),
                disk.image().toString(), mp.toString());
        assertEquals(0, r.exit(), r + fx.logText());
        ProcessHandle daemon = fx.daemonOn(mp).orElseThrow();
        // The daemon hands the table's warnings up to the command, which shows them.
        String slot = kind == WholeDisks.Kind.MBR ? "2" : kind == WholeDisks.Kind.MBR_LOGICAL ? "6" : null;
        assertEquals(slot == null ? "" : "rumpmount: mount: warning: " + disk.image() + ": MBR partition " + slot
                + " (NetBSD) holds no NetBSD disklabel\n", r.err(), r.toString());
        assertEquals("data\nhello.txt\n", fx.ok("ls", mp.toString()).out());
        for (Map.Entry<String, byte[]> f : disk.files().entrySet()) {
            assertArrayEquals(f.getValue(), Files.readAllBytes(mp.resolve(f.getKey())), f.getKey());
        }
        fx.ok("fusermount3", "-u", mp.toString());
        DaemonFixture.awaitExit(daemon);
        assertFalse(HostMounts.isMountPoint(mp));
    }
}
