package org.rumpmount.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An image file (or a raw device) accessed with positional I/O.
 *
 * <p>A read-write device holds an exclusive lock on the file for its whole life, and a read-only
 * one a shared lock, so two writers, or a writer and a reader, never share one image.
 */
public final class FileBlockDevice implements BlockDevice {
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private final long size;
    private final boolean readOnly;
    private volatile boolean closed;

    private FileBlockDevice(Path path, FileChannel channel, FileLock lock, long size, boolean readOnly) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.size = size;
        this.readOnly = readOnly;
    }

    /**
     * Opens {@code path}; read-only when {@code readOnly} or when the file cannot be written.
     * Fails with a clear message when another user holds a conflicting lock on it.
     */
    public static FileBlockDevice open(Path path, boolean readOnly) throws IOException {
        boolean ro = readOnly || !Files.isWritable(path);
        FileChannel ch;
        try {
            ch = ro ? FileChannel.open(path, StandardOpenOption.READ)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            if (ro) {
                throw e;
            }
            ch = FileChannel.open(path, StandardOpenOption.READ);
            ro = true;
        }
        try {
            FileLock lock;
            try {
                lock = ch.tryLock(0, Long.MAX_VALUE, ro);
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new BlockDeviceException(BlockDeviceException.Kind.IO_ERROR, path + " is in use: another "
                        + (ro ? "writer holds it" : "reader or writer holds it") + " (file lock refused)");
            }
            return new FileBlockDevice(path, ch, lock, ch.size(), ro);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int sectorSize() {
        return 512;
    }

    @Override
    public boolean requiresAlignment() {
        return false;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public String name() {
        return path.toString();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        ensureOpen();
        int n = dst.remaining();
        DeviceChecks.checkRead(this, offset, n);
        long pos = offset;
        while (dst.hasRemaining()) {
            int r = channel.read(dst, pos);
            if (r < 0) {
                throw new BlockDeviceException(BlockDeviceException.Kind.IO_ERROR, path + ": unexpected end of file at offset "
                        + pos + " reading " + n + " bytes at " + offset);
            }
            pos += r;
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        ensureOpen();
        DeviceChecks.checkWrite(this, offset, src.remaining());
        long pos = offset;
        while (src.hasRemaining()) {
            pos += channel.write(src, pos);
        }
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        if (!readOnly) {
            channel.force(true);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    private void ensureOpen() throws BlockDeviceException {
        if (closed) {
            throw new BlockDeviceException(BlockDeviceException.Kind.CLOSED, path + " is closed");
        }
    }
}
