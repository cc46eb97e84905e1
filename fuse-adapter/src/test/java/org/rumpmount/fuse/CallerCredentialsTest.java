package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rumpmount.vfs.Credentials;

class CallerCredentialsTest {
    @TempDir
    Path proc;

    private void status(long pid, String text) throws IOException {
        Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(proc.resolve(pid + "/status"), text);
    }

    @Test
    void supplementaryGroupsComeFromTheGroupsLine() throws IOException {
        status(4242, "Name:\tcat\nUid:\t1000\t1000\t1000\t1000\nGid:\t100\t100\t100\t100\nGroups:\t4 24 27 4294967294 \nNgid:\t0\n");
        Credentials c = new CallerCredentials(proc).of(1000, 100, 4242);
        assertEquals(1000, c.uid());
        assertEquals(100, c.gid());
        assertArrayEquals(new long[] {4, 24, 27, 4_294_967_294L}, c.groups());
    }

    @Test
    void emptyGroupsLineMeansNone() throws IOException {
        status(7, "Name:\tx\nGroups:\t\n");
        assertArrayEquals(new long[0], new CallerCredentials(proc).of(1000, 100, 7).groups());
    }

    @Test
    void aVanishedCallerGetsNoSupplementaryGroups() {
        Credentials c = new CallerCredentials(proc).of(1000, 100, 999_999);
        assertArrayEquals(new long[0], c.groups());
        assertEquals(1000, c.uid());
    }

    @Test
    void rootSkipsTheLookup() throws IOException {
        status(8, "Groups:\t1 2 3\n");
        Credentials c = new CallerCredentials(proc).of(0, 0, 8);
        assertEquals(Credentials.ROOT, c);
    }

    @Test
    void readsThisProcessFromTheRealProc() throws IOException {
        long pid = ProcessHandle.current().pid();
        String line = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Groups:")).findFirst().orElse("Groups:");
        assertArrayEquals(CallerCredentials.parseGroups(line), new CallerCredentials().groups(pid));
    }
}
