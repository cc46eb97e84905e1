package org.rumpmount.vfs.contract;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.function.Executable;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/** Assertions that a call fails with a given errno, as a system call would. */
public final class ErrnoAssertions {
    private ErrnoAssertions() {
    }

    /** Runs {@code call} and returns the errno it failed with; fails if it succeeded or threw something else. */
    public static Errno errnoOf(Executable call) {
        try {
            call.execute();
        } catch (VfsException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                fail("error " + e.errno() + " carries no message", e);
            }
            return e.errno();
        } catch (Throwable t) {
            fail("expected a VfsException carrying an errno, got " + t, t);
        }
        return fail("expected the call to fail with an errno, but it succeeded");
    }

    public static void assertErrno(Errno expected, Executable call) {
        assertErrno(expected, call, null);
    }

    public static void assertErrno(Errno expected, Executable call, String what) {
        Errno got = errnoOf(call);
        if (got != expected) {
            fail((what == null ? "" : what + ": ") + "expected " + expected + ", got " + got);
        }
    }

    /** Where POSIX or NetBSD allows more than one errno. */
    public static void assertErrnoIn(Set<Errno> allowed, Executable call) {
        Errno got = errnoOf(call);
        if (!allowed.contains(got)) {
            fail("expected one of " + allowed + ", got " + got);
        }
    }

    public static Set<Errno> anyOf(Errno first, Errno... rest) {
        EnumSet<Errno> s = EnumSet.of(first);
        s.addAll(Arrays.asList(rest));
        return s;
    }
}
