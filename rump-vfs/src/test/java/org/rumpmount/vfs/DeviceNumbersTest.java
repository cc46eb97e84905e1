package org.rumpmount.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeviceNumbersTest {

    /** Values printed by glibc's makedev/major/minor ({@code <sys/sysmacros.h>}) for these pairs. */
    @ParameterizedTest(name = "linux makedev({0}, {1}) = {2}")
    @CsvSource({
        "0x1, 0x3, 0x103",
        "0xa, 0xed, 0xaed",
        "0x103, 0x0, 0x10300",
        "0x1000, 0x100, 0x100000100000",
        "0x12345, 0x6789a, 0x120006783459a",
        "0xfffff, 0xfffff, 0xff000ffffffff",
        "0xffffffff, 0xffffffff, 0xffffffffffffffff",
    })
    void linuxEncodingMatchesGlibc(String major, String minor, String dev) {
        long ma = Long.parseUnsignedLong(major.substring(2), 16);
        long mi = Long.parseUnsignedLong(minor.substring(2), 16);
        long d = Long.parseUnsignedLong(dev.substring(2), 16);
        assertEquals(d, DeviceNumbers.linux(ma, mi), "makedev");
        assertEquals(ma, DeviceNumbers.linuxMajor(d), "major");
        assertEquals(mi, DeviceNumbers.linuxMinor(d), "minor");
    }

    @Test
    void devNullIsCharacterDeviceOneThree() throws IOException {
        // 1:3 is /dev/null's fixed number in Linux's devices.txt; st_rdev comes from the host kernel.
        long rdev = rdevOf(Path.of("/dev/null"));
        assertEquals(1, DeviceNumbers.linuxMajor(rdev));
        assertEquals(3, DeviceNumbers.linuxMinor(rdev));
        assertEquals(rdev, DeviceNumbers.linux(1, 3));
    }

    @Test
    void decodingAgreesWithStatOnHostDevices() throws Exception {
        for (String name : new String[] {"/dev/null", "/dev/zero", "/dev/loop-control", "/dev/tty"}) {
            Path p = Path.of(name);
            if (!Files.exists(p)) {
                continue;
            }
            long[] statNumbers = statMajorMinor(p);
            assumeTrue(statNumbers != null, "stat(1) is not available");
            long rdev = rdevOf(p);
            assertEquals(statNumbers[0], DeviceNumbers.linuxMajor(rdev), name + " major");
            assertEquals(statNumbers[1], DeviceNumbers.linuxMinor(rdev), name + " minor");
            assertEquals(rdev, DeviceNumbers.linux(statNumbers[0], statNumbers[1]), name + " makedev");
        }
    }

    /** NetBSD's sys/sys/types.h: makedev(3, 0x12345) packs minor bits 8-19 into 20-31. */
    @Test
    void netbsdKnownValues() {
        assertEquals(0x12300345L, DeviceNumbers.netbsd(3, 0x12345));
        assertEquals(0x0000_0e00L, DeviceNumbers.netbsd(14, 0));
        assertEquals(0xfffffffFL, DeviceNumbers.netbsd(0xfff, 0xfffff));
        assertEquals(3, DeviceNumbers.netbsdMajor(0x12300345L));
        assertEquals(0x12345, DeviceNumbers.netbsdMinor(0x12300345L));
    }

    @Test
    void netbsdRoundTripsEveryMajorBelow4096AndMinorBelow2To20() {
        Random rnd = new Random(20261125);
        for (long major = 0; major < 4096; major++) {
            for (int i = 0; i < 64; i++) {
                long minor = i < 2 ? (i == 0 ? 0 : (1 << 20) - 1) : rnd.nextInt(1 << 20);
                long dev = DeviceNumbers.netbsd(major, minor);
                assertEquals(0, dev >>> 32, "NetBSD dev_t is 32 bits");
                assertEquals(major, DeviceNumbers.netbsdMajor(dev), "major of " + Long.toHexString(dev));
                assertEquals(minor, DeviceNumbers.netbsdMinor(dev), "minor of " + Long.toHexString(dev));
            }
        }
    }

    @Test
    void linuxRoundTripsThirtyTwoBitNumbers() {
        Random rnd = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long major = rnd.nextInt() & 0xffffffffL;
            long minor = rnd.nextInt() & 0xffffffffL;
            long dev = DeviceNumbers.linux(major, minor);
            assertEquals(major, DeviceNumbers.linuxMajor(dev));
            assertEquals(minor, DeviceNumbers.linuxMinor(dev));
        }
    }

    private static long rdevOf(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:rdev")).longValue();
    }

    /** stat(1)'s %t and %T: the major and minor in hex, decoded by the C library, not by us. */
    private static long[] statMajorMinor(Path p) throws Exception {
        Process proc;
        try {
            proc = new ProcessBuilder("stat", "-c", "%t %T", p.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (!proc.waitFor(30, TimeUnit.SECONDS) || proc.exitValue() != 0) {
            proc.destroyForcibly();
            throw new AssertionError("stat -c '%t %T' " + p + " failed: " + out);
        }
        String[] parts = out.split("\\s+");
        return new long[] {Long.parseLong(parts[0], 16), Long.parseLong(parts[1], 16)};
    }
}
