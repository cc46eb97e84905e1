package org.rumpmount.block;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The images and devices this JVM holds open, each with its host file lock.
 *
 * <p>Why this table exists: Java's file locks are POSIX record locks, which belong to the
 * process, not to the channel. A second {@code tryLock} on the same file from this JVM throws
 * {@code OverlappingFileLockException} instead of reporting a conflict, and, worse, merely
 * closing a second channel onto the file makes the kernel drop every lock this process holds on
 * it, so a refused second open would silently unlock the first. So a second open is decided here,
 * before any channel is opened: a writer is refused while anyone holds the file, a reader is
 * refused while a writer holds it, and readers share one channel and one shared lock, released
 * when the last of them closes. Another process meets the same rules through the host lock.
 *
 * <p>Code in this JVM that opens the same file behind this table's back (for example
 * {@code Files.readAllBytes} on a mounted image) still drops the lock when it closes; that cannot
 * be prevented without Linux's open-file-description locks, which Java does not offer.
 */
final class OpenImages {
    /** Held files by identity (device and inode), so two paths to one file count as one. */
    private static final Map<Object, Hold> HELD = new HashMap<>();

    private OpenImages() {
    }

    /** One held file: its channel, its lock, and how many devices use them. */
    static final class Hold {
        private final Object key;
        final FileChannel channel;
        private final FileLock lock;
        private final boolean shared;
        private int users = 1;

        private Hold(Object key, FileChannel channel, FileLock lock, boolean shared) {
            this.key = key;
            this.channel = channel;
            this.lock = lock;
            this.shared = shared;
        }
    }

    /**
     * Opens {@code path} (identified by {@code key}) and locks it: shared for {@code readOnly},
     * exclusive otherwise. Fails with the same "in use" error whether the holder is this JVM or
     * another process.
     */
    static synchronized Hold acquire(Path path, Object key, boolean readOnly) throws IOException {
        Hold held = HELD.get(key);
        if (held != null) {
            if (readOnly && held.shared) {
                held.users++;
                return held;
            }
            throw inUse(path, readOnly);
        }
        FileChannel channel = readOnly ? FileChannel.open(path, StandardOpenOption.READ)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock(0, Long.MAX_VALUE, readOnly);
            } catch (OverlappingFileLockException e) {
                // Locked through a channel this table does not know; closing ours may unlock it (see above).
                lock = null;
            }
            if (lock == null) {
                throw inUse(path, readOnly);
            }
            Hold hold = new Hold(key, channel, lock, readOnly);
            HELD.put(key, hold);
            return hold;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Gives up one use of {@code hold}; the last one releases the lock and closes the channel. */
    static synchronized void release(Hold hold) throws IOException {
        if (--hold.users > 0) {
            return;
        }
        HELD.remove(hold.key);
        try {
            if (hold.channel.isOpen()) { // an interrupted transfer closes the channel, and the lock with it
                hold.lock.release();
            }
        } finally {
            hold.channel.close();
        }
    }

    private static BlockDeviceException inUse(Path path, boolean readOnly) {
        return new BlockDeviceException(BlockDeviceException.Kind.IO_ERROR, path + " is in use: "
                + (readOnly ? "a writer holds it" : "a reader or writer holds it")
                + " (its file lock was refused); close the other user first");
    }
}
