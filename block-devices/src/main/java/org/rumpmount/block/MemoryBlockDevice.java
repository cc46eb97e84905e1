package org.rumpmount.block;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A device held in memory: for tests, and for file systems built before they are written out. */
public final class MemoryBlockDevice implements BlockDevice {
    private final byte[] bytes;
    private final int sectorSize;
    private final boolean requiresAlignment;
    private final boolean readOnly;
    private volatile boolean closed;

    private MemoryBlockDevice(byte[] bytes, int sectorSize, boolean requiresAlignment, boolean readOnly) {
        if (sectorSize <= 0 || Integer.bitCount(sectorSize) != 1) {
            throw new IllegalArgumentException("sector size must be a power of two, got " + sectorSize);
        }
        this.bytes = bytes;
        this.sectorSize = sectorSize;
        this.requiresAlignment = requiresAlignment;
        this.readOnly = readOnly;
    }

    /** A zero-filled writable device of {@code size} bytes with 512-byte sectors and no alignment demand. */
    public static MemoryBlockDevice create(int size) {
        return new MemoryBlockDevice(new byte[size], 512, false, false);
    }

    /** A device with the given contents (copied) and properties. */
    public static MemoryBlockDevice of(byte[] contents, int sectorSize, boolean requiresAlignment, boolean readOnly) {
        return new MemoryBlockDevice(contents.clone(), sectorSize, requiresAlignment, readOnly);
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public int sectorSize() {
        return sectorSize;
    }

    @Override
    public boolean requiresAlignment() {
        return requiresAlignment;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public String name() {
        return "memory(" + bytes.length + " bytes)";
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        ensureOpen();
        int n = dst.remaining();
        DeviceChecks.checkRead(this, offset, n);
        synchronized (bytes) {
            dst.put(bytes, (int) offset, n);
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        ensureOpen();
        int n = src.remaining();
        DeviceChecks.checkWrite(this, offset, n);
        synchronized (bytes) {
            src.get(bytes, (int) offset, n);
        }
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
    }

    /** A copy of the whole contents. */
    public byte[] snapshot() {
        synchronized (bytes) {
            return bytes.clone();
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() throws BlockDeviceException {
        if (closed) {
            throw new BlockDeviceException(BlockDeviceException.Kind.CLOSED, name() + " is closed");
        }
    }
}
