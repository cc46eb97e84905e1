package org.rumpmount.fuse;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.Charset;
import org.rumpmount.vfs.VfsException;

/**
 * The boundary between native libfuse threads and Java: every callback runs its body through
 * {@link #call}. jnr-fuse does not catch exceptions, and one that reaches native code takes the
 * mount down, so nothing escapes from here: a {@link VfsException} becomes its errno and
 * anything else (including Errors) becomes EIO, logged with the operation and the path.
 */
final class CallGuard {
    /** A callback body: returns 0 or a non-negative count on success, or throws. */
    @FunctionalInterface
    interface Body {
        int run() throws Exception;
    }

    /**
     * Told when a callback starts and when it ends, on the thread that runs it; must not throw.
     * {@link FuseSession} counts the callbacks in progress, to start another worker thread
     * when every one is inside one.
     */
    interface Occupancy {
        Occupancy NONE = new Occupancy() {
            @Override
            public void enter() {
            }

            @Override
            public void exit() {
            }
        };

        void enter();

        void exit();
    }

    private final Logger log;
    private final Charset pathCharset;
    private volatile Occupancy occupancy = Occupancy.NONE;

    CallGuard(Logger log, Charset pathCharset) {
        this.log = log;
        this.pathCharset = pathCharset;
    }

    /** From now on, tells {@code o} of every callback's start and end. */
    void watch(Occupancy o) {
        occupancy = o;
    }

    /** Runs {@code body} for operation {@code op} on {@code path}; never throws. */
    int call(String op, String path, Body body) {
        Occupancy o = occupancy;
        o.enter();
        try {
            return body.run();
        } catch (VfsException e) {
            // Expected failures (ENOENT on every lookup of a new name) are routine: debug only.
            try {
                log.log(Level.DEBUG, () -> op + " " + display(path) + ": " + e.getMessage());
            } catch (Throwable ignored) {
                // logging must not turn an errno into a crash
            }
            return ErrnoMapper.reply(e);
        } catch (Throwable t) {
            try {
                log.log(Level.ERROR, op + " " + display(path) + " failed unexpectedly; replying EIO", t);
            } catch (Throwable ignored) {
                // as above
            }
            return ErrnoMapper.reply(t);
        } finally {
            o.exit();
        }
    }

    /** The path as bytes made printable: names are bytes and may not be valid text. */
    String display(String path) {
        if (path == null) {
            return "(no path)";
        }
        byte[] b = path.getBytes(pathCharset);
        StringBuilder sb = new StringBuilder(b.length + 2).append('\'');
        for (byte x : b) {
            int c = x & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.append('\'').toString();
    }
}
