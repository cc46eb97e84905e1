package org.rumpmount.block;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A device that passes every call to another one. Wrappers that watch or change only some
 * calls (fault injection, counting, refusing writes) extend it and override just those, so
 * that what they add is all their code shows.
 */
public abstract class ForwardingBlockDevice implements BlockDevice {
    /** The device every call not overridden goes to. */
    protected final BlockDevice inner;

    protected ForwardingBlockDevice(BlockDevice inner) {
        this.inner = inner;
    }

    @Override
    public long size() {
        return inner.size();
    }

    @Override
    public int sectorSize() {
        return inner.sectorSize();
    }

    @Override
    public boolean requiresAlignment() {
        return inner.requiresAlignment();
    }

    @Override
    public boolean isReadOnly() {
        return inner.isReadOnly();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        inner.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        inner.write(offset, src);
    }

    @Override
    public void flush() throws IOException {
        inner.flush();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
