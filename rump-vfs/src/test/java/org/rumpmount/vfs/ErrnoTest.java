package org.rumpmount.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The errno table against independent sources: NetBSD's numbering (sys/sys/errno.h, restated
 * here) and the Linux kernel's own headers on this machine (package linux-libc-dev).
 */
class ErrnoTest {
    private static final Path[] LINUX_HEADERS = {
        Path.of("/usr/include/asm-generic/errno-base.h"), Path.of("/usr/include/asm-generic/errno.h")};

    /**
     * Names Linux user space defines outside the kernel headers, as synonyms of a kernel name:
     * glibc's bits/errno.h has {@code #define ENOTSUP EOPNOTSUPP}, and xattr(7) documents ENOATTR
     * as a synonym of ENODATA.
     */
    private static final Map<String, String> USERSPACE_SYNONYMS = Map.of("ENOTSUP", "EOPNOTSUPP", "ENOATTR", "ENODATA");

    /** The closest Linux error for each NetBSD error Linux lacks, as Errno documents it. */
    private static final Map<Errno, String> FALLBACKS = Map.of(
            Errno.EPROCLIM, "EAGAIN",
            Errno.EBADRPC, "EPROTO",
            Errno.ERPCMISMATCH, "EPROTO",
            Errno.EPROGUNAVAIL, "EPROTO",
            Errno.EPROGMISMATCH, "EPROTO",
            Errno.EPROCUNAVAIL, "EPROTO",
            Errno.EFTYPE, "EINVAL",
            Errno.EAUTH, "EACCES",
            Errno.ENEEDAUTH, "EACCES");

    private static Map<String, Integer> linux;

    @BeforeAll
    static void parseLinuxHeaders() throws IOException {
        Map<String, String> raw = new HashMap<>();
        Pattern define = Pattern.compile("^#define\\s+(E[A-Z0-9]+)\\s+(\\w+)");
        for (Path h : LINUX_HEADERS) {
            if (!Files.isRegularFile(h)) {
                fail("Linux errno header " + h + " is missing: install linux-libc-dev (Debian/Ubuntu) to run this test");
            }
            for (String line : Files.readAllLines(h)) {
                Matcher m = define.matcher(line);
                if (m.find()) {
                    raw.put(m.group(1), m.group(2));
                }
            }
        }
        linux = new HashMap<>();
        for (String name : raw.keySet()) {
            linux.put(name, resolve(raw, name, 0));
        }
        // A sanity check that the parse found the headers' contents, not an empty or foreign file.
        assertEquals(1, linux.get("EPERM"));
        assertEquals(linux.get("EAGAIN"), linux.get("EWOULDBLOCK"));
        assertTrue(linux.size() > 120, "parsed only " + linux.size() + " names from " + java.util.Arrays.toString(LINUX_HEADERS));
    }

    private static int resolve(Map<String, String> raw, String name, int depth) {
        String v = raw.get(name);
        if (v == null || depth > 4) {
            throw new AssertionError("cannot resolve " + name + " in the Linux headers");
        }
        return Character.isDigit(v.charAt(0)) ? Integer.parseInt(v) : resolve(raw, v, depth + 1);
    }

    @Test
    void netbsdNumbersAreUniqueAndRoundTrip() {
        Set<Integer> seen = new HashSet<>();
        for (Errno e : Errno.values()) {
            assertTrue(seen.add(e.netbsd()), e + " reuses NetBSD number " + e.netbsd());
            assertSame(e, Errno.ofNetbsd(e.netbsd()));
        }
    }

    /** NetBSD numbers errors 1 to ELAST (96 in the errno.h this table follows) without gaps. */
    @Test
    void netbsdNumbersAreExactlyOneToNinetySix() {
        for (int n = 1; n <= 96; n++) {
            assertNotNull(Errno.ofNetbsd(n));
        }
        assertEquals(96, Errno.values().length);
        for (int bad : new int[] {0, -1, 97, 127, 128, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Errno.ofNetbsd(bad));
            assertTrue(ex.getMessage().contains(Integer.toString(bad)), ex.getMessage());
        }
    }

    /** Spot checks restated from NetBSD's sys/sys/errno.h, where NetBSD and Linux differ. */
    @Test
    void netbsdNumbersWhereTheSystemsDiffer() {
        assertEquals(11, Errno.EDEADLK.netbsd());
        assertEquals(35, Errno.EAGAIN.netbsd());
        assertEquals(62, Errno.ELOOP.netbsd());
        assertEquals(63, Errno.ENAMETOOLONG.netbsd());
        assertEquals(66, Errno.ENOTEMPTY.netbsd());
        assertEquals(69, Errno.EDQUOT.netbsd());
        assertEquals(70, Errno.ESTALE.netbsd());
        assertEquals(78, Errno.ENOSYS.netbsd());
        assertEquals(79, Errno.EFTYPE.netbsd());
        assertEquals(84, Errno.EOVERFLOW.netbsd());
        assertEquals(86, Errno.ENOTSUP.netbsd());
        assertEquals(93, Errno.ENOATTR.netbsd());
        assertEquals(96, Errno.EPROTO.netbsd());
    }

    @Test
    void exactValuesMatchTheLinuxHeaderOfTheSameName() {
        for (Errno e : Errno.values()) {
            if (!e.exactOnLinux()) {
                continue;
            }
            String name = e.name();
            Integer expected = linux.get(name);
            if (expected == null && USERSPACE_SYNONYMS.containsKey(name)) {
                name = USERSPACE_SYNONYMS.get(name);
                expected = linux.get(name);
            }
            assertNotNull(expected, e + " is marked exact but Linux defines no " + e.name());
            assertEquals(expected.intValue(), e.linux(), e + ".linux() should be Linux's " + name);
        }
    }

    @Test
    void inexactOnesAreAbsentFromLinuxAndUseTheDocumentedFallback() {
        Set<Errno> inexact = EnumSet.noneOf(Errno.class);
        for (Errno e : Errno.values()) {
            if (!e.exactOnLinux()) {
                inexact.add(e);
                assertFalse(linux.containsKey(e.name()), e + " is marked inexact but Linux defines it");
            }
        }
        assertEquals(FALLBACKS.keySet(), inexact, "the errors Linux lacks");
        FALLBACKS.forEach((e, fallback) ->
                assertEquals(linux.get(fallback).intValue(), e.linux(), e + " should map to Linux " + fallback));
    }

    @Test
    void everyLinuxValueIsALinuxErrno() {
        Set<Integer> linuxValues = new HashSet<>(linux.values());
        for (Errno e : Errno.values()) {
            assertTrue(linuxValues.contains(e.linux()), e + " maps to " + e.linux() + ", which Linux does not define");
        }
    }

    @Test
    void descriptionsArePresent() {
        for (Errno e : Errno.values()) {
            assertFalse(e.description().isBlank(), e + " has no description");
        }
    }
}
