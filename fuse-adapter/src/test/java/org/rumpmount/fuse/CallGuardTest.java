package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.System.Logger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

class CallGuardTest {
    /** A logger that keeps what it is given. */
    static class RecordingLogger implements Logger {
        record Entry(Level level, String msg, Throwable thrown) {
        }

        final List<Entry> entries = new ArrayList<>();

        @Override
        public String getName() {
            return "recording";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            entries.add(new Entry(level, msg, thrown));
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            entries.add(new Entry(level, format, null));
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            entries.add(new Entry(level, msgSupplier.get(), null));
        }
    }

    private final RecordingLogger log = new RecordingLogger();
    private final CallGuard guard = new CallGuard(log, StandardCharsets.ISO_8859_1);

    @Test
    void successPassesTheResultThrough() {
        assertEquals(4096, guard.call("write", "/f", () -> 4096));
        assertTrue(log.entries.isEmpty());
    }

    @Test
    void kernelErrorBecomesItsLinuxErrno() {
        assertEquals(-39, guard.call("rmdir", "/d", () -> {
            throw new VfsException(Errno.ENOTEMPTY, "directory /d is not empty");
        }));
        assertEquals(Logger.Level.DEBUG, log.entries.get(0).level());
        assertTrue(log.entries.get(0).msg().contains("rmdir '/d'"), log.entries.get(0).msg());
    }

    @Test
    void runtimeExceptionBecomesEioAndIsLoggedWithOperationAndPath() {
        IllegalStateException boom = new IllegalStateException("boom");
        assertEquals(-5, guard.call("getattr", "/a/b", () -> {
            throw boom;
        }));
        RecordingLogger.Entry e = log.entries.get(0);
        assertEquals(Logger.Level.ERROR, e.level());
        assertTrue(e.msg().contains("getattr '/a/b'"), e.msg());
        assertSame(boom, e.thrown());
    }

    @Test
    void errorsAreCaughtToo() {
        assertEquals(-5, guard.call("read", "/f", () -> {
            throw new StackOverflowError();
        }));
        assertEquals(-5, guard.call("read", "/f", () -> {
            throw new OutOfMemoryError("simulated");
        }));
    }

    @Test
    void aFailingLoggerDoesNotEscape() {
        Logger broken = new RecordingLogger() {
            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                throw new IllegalStateException("logger down");
            }

            @Override
            public void log(Level level, Supplier<String> s) {
                throw new IllegalStateException("logger down");
            }
        };
        CallGuard g = new CallGuard(broken, StandardCharsets.ISO_8859_1);
        assertEquals(-5, g.call("x", "/", () -> {
            throw new RuntimeException();
        }));
        assertEquals(-2, g.call("x", "/", () -> {
            throw new VfsException(Errno.ENOENT, "gone");
        }));
    }

    @Test
    void pathsAreShownByteForByte() {
        String path = new String(new byte[] {'/', 'c', 'a', 'f', (byte) 0xe9, '\n'}, StandardCharsets.ISO_8859_1);
        assertEquals("'/caf\\xe9\\x0a'", guard.display(path));
        assertEquals("(no path)", guard.display(null));
    }
}
