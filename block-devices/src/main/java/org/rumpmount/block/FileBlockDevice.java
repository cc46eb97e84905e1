package org.rumpmount.block;

import static org.rumpmount.block.BlockDeviceException.Kind.CLOSED;
import static org.rumpmount.block.BlockDeviceException.Kind.IO_ERROR;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An image file or a raw host block device, accessed with positional I/O.
 *
 * <p>A read-write device holds an exclusive lock on the file for its whole life, and a read-only
 * one a shared lock, so two writers, or a writer and a reader, never share one image: two kernels
 * caching the same blocks would corrupt it. The rule holds alike against another process and
 * within this JVM (see {@link OpenImages} for why the latter needs care).
 *
 * <p>The size is fixed at open. For a block device it comes from sysfs, as does the sector size
 * (see {@link HostBlockGeometry}); an image file has 512-byte sectors. If the file shrinks under
 * us, a read past its new end fails with {@link BlockDeviceException.Kind#IO_ERROR} rather than
 * returning zeros the file system would trust.
 *
 * <p>Do not interrupt a thread inside {@link #read} or {@link #write}: the JDK then closes the
 * channel for every user, and the device fails from then on with {@code IO_ERROR}.
 */
public final class FileBlockDevice implements BlockDevice {

    /** The mode bits of a block device in {@code st_mode} ({@code S_IFBLK}, under {@code S_IFMT}). */
    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;

    /** Sector size of image files: the classic disk sector, NetBSD's DEV_BSIZE; a plain file reports none. */
    private static final int IMAGE_SECTOR_SIZE = 512;

    /**
     * How to open a device.
     *
     * @param readOnly         refuse writes (a file that cannot be written opens read-only anyway)
     * @param requireAlignment demand sector-aligned transfers, as a raw device opened for direct
     *                         access would; lets a caller prove it never issues a partial-sector transfer
     */
    public record Options(boolean readOnly, boolean requireAlignment) {
        /** Read-write, any alignment. */
        public static final Options READ_WRITE = new Options(false, false);
        /** Read-only, any alignment. */
        public static final Options READ_ONLY = new Options(true, false);

        public Options withReadOnly(boolean value) {
            return new Options(value, requireAlignment);
        }

        public Options withRequireAlignment(boolean value) {
            return new Options(readOnly, value);
        }
    }

    private final Path path;
    private final OpenImages.Hold hold;
    private final FileChannel channel;
    private final long size;
    private final int sectorSize;
    private final boolean requireAlignment;
    private final boolean readOnly;
    private final AtomicBoolean closed = new AtomicBoolean();

    private FileBlockDevice(Path path, OpenImages.Hold hold, long size, int sectorSize, boolean requireAlignment,
            boolean readOnly) {
        this.path = path;
        this.hold = hold;
        this.channel = hold.channel;
        this.size = size;
        this.sectorSize = sectorSize;
        this.requireAlignment = requireAlignment;
        this.readOnly = readOnly;
    }

    /**
     * Opens {@code path}; read-only when {@code readOnly} or when the file cannot be written.
     * Fails with a clear message when another user holds a conflicting lock on it.
     */
    public static FileBlockDevice open(Path path, boolean readOnly) throws IOException {
        return open(path, Options.READ_WRITE.withReadOnly(readOnly));
    }

    /**
     * Opens the image file or block device at {@code path} as {@code options} say; read-only also
     * when the file cannot be written. Fails with a clear message when another user holds a
     * conflicting lock on it, or when it is neither a regular file nor a block device.
     */
    public static FileBlockDevice open(Path path, Options options) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
        boolean blockDevice = isBlockDevice(path, attrs);
        if (!attrs.isRegularFile() && !blockDevice) {
            throw new BlockDeviceException(IO_ERROR, path + " is neither a regular file nor a block device");
        }
        HostBlockGeometry geometry = blockDevice
                ? HostBlockGeometry.read(HostBlockGeometry.SYSFS, path, (Long) Files.getAttribute(path, "unix:rdev"))
                : null;
        // The kernel lets a read-only block device be opened for writing and then fails each write,
        // so its flag is asked first; a reader also takes only a shared lock.
        boolean ro = options.readOnly() || !Files.isWritable(path) || (geometry != null && geometry.readOnly());
        OpenImages.Hold hold;
        try {
            hold = OpenImages.acquire(path, identity(path, attrs), ro);
        } catch (AccessDeniedException e) {
            if (ro) {
                throw e;
            }
            ro = true;
            hold = OpenImages.acquire(path, identity(path, attrs), true);
        }
        if (geometry != null) {
            return new FileBlockDevice(path, hold, geometry.size(), geometry.sectorSize(), options.requireAlignment(), ro);
        }
        try {
            return new FileBlockDevice(path, hold, hold.channel.size(), IMAGE_SECTOR_SIZE, options.requireAlignment(), ro);
        } catch (IOException | RuntimeException e) {
            OpenImages.release(hold);
            throw e;
        }
    }

    /**
     * Creates the image file {@code path}, or extends an existing smaller one, to {@code size} bytes
     * and opens it read-write. The extension is a hole (sparse where the host file system allows),
     * reading as zeros. An existing larger file is refused, never shrunk: its tail may be data.
     */
    public static FileBlockDevice create(Path path, long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException(path + ": image size must not be negative, got " + size);
        }
        try {
            Files.createFile(path);
        } catch (FileAlreadyExistsException e) {
            // Extend it below, once it is locked.
        }
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
        if (!attrs.isRegularFile()) {
            throw new BlockDeviceException(IO_ERROR, path + " exists and is not a regular file; cannot create an image there");
        }
        OpenImages.Hold hold = OpenImages.acquire(path, identity(path, attrs), false);
        try {
            long current = hold.channel.size();
            if (current > size) {
                throw new BlockDeviceException(IO_ERROR, path + " is already " + current
                        + " bytes, more than the requested " + size + "; refusing to shrink it");
            }
            if (current < size) {
                // Writing the last byte extends the file with a hole, on the channel we hold locked.
                ByteBuffer zero = ByteBuffer.allocate(1);
                while (zero.hasRemaining()) {
                    hold.channel.write(zero, size - 1);
                }
            }
            return new FileBlockDevice(path, hold, size, IMAGE_SECTOR_SIZE, false, false);
        } catch (IOException | RuntimeException e) {
            OpenImages.release(hold);
            throw e;
        }
    }

    private static boolean isBlockDevice(Path path, BasicFileAttributes attrs) throws IOException {
        if (!attrs.isOther()) {
            return false;
        }
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            return (mode & S_IFMT) == S_IFBLK;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /** The file's identity for {@link OpenImages}: device and inode where the host provides them. */
    private static Object identity(Path path, BasicFileAttributes attrs) throws IOException {
        Object key = attrs.fileKey();
        return key != null ? key : path.toRealPath();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int sectorSize() {
        return sectorSize;
    }

    @Override
    public boolean requiresAlignment() {
        return requireAlignment;
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
        int start = dst.position();
        try {
            long pos = offset;
            while (dst.hasRemaining()) {
                int r = channel.read(dst, pos);
                if (r < 0) {
                    throw new BlockDeviceException(IO_ERROR, path + ": short read: end of file at offset " + pos
                            + " while reading " + n + " bytes at offset " + offset + "; the device was opened with size "
                            + size + " (was the file truncated?)");
                }
                pos += r;
            }
        } catch (IOException e) {
            dst.position(start);
            throw failure("read", offset, n, e);
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        ensureOpen();
        int n = src.remaining();
        DeviceChecks.checkWrite(this, offset, n);
        int start = src.position();
        try {
            long pos = offset;
            while (src.hasRemaining()) {
                pos += channel.write(src, pos);
            }
        } catch (IOException e) {
            src.position(start);
            throw failure("write", offset, n, e);
        }
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        if (readOnly) {
            return;
        }
        try {
            channel.force(true);
        } catch (IOException e) {
            throw failure("flush", 0, 0, e);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            OpenImages.release(hold);
        }
    }

    private BlockDeviceException failure(String op, long offset, int length, IOException e) {
        if (e instanceof BlockDeviceException bde) {
            return bde;
        }
        String what = op.equals("flush") ? path + ": flush" : path + ": " + op + " of " + length + " bytes at offset " + offset;
        if (closed.get()) {
            return new BlockDeviceException(CLOSED, what + " failed: the device was closed meanwhile", e);
        }
        if (e instanceof ClosedByInterruptException) {
            return new BlockDeviceException(IO_ERROR, what + " was interrupted, and the JDK closed the channel;"
                    + " the device is unusable until reopened", e);
        }
        return new BlockDeviceException(IO_ERROR, what + " failed: " + e, e);
    }

    private void ensureOpen() throws BlockDeviceException {
        if (closed.get()) {
            throw new BlockDeviceException(CLOSED, path + " is closed");
        }
    }
}
