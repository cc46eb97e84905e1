package org.rumpmount.vfs;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An open file: a referenced vnode plus the flags and credentials it was opened with.
 * Operations on a handle do not re-check the path's permissions (as with a file descriptor).
 * API placeholder: the implementation lands with its tests.
 */
public final class FileHandle implements AutoCloseable {
    public Vnode vnode() { throw new UnsupportedOperationException(); }
    public int flags() { throw new UnsupportedOperationException(); }
    public int read(long offset, ByteBuffer dst) throws IOException { throw new UnsupportedOperationException(); }
    public int write(long offset, ByteBuffer src) throws IOException { throw new UnsupportedOperationException(); }
    public Vattr getattr() throws IOException { throw new UnsupportedOperationException(); }
    public void truncate(long size) throws IOException { throw new UnsupportedOperationException(); }
    public void fsync(boolean dataOnly) throws IOException { throw new UnsupportedOperationException(); }
    @Override
    public void close() throws IOException { throw new UnsupportedOperationException(); }
}
