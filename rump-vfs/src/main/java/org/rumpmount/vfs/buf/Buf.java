package org.rumpmount.vfs.buf;

import java.io.IOException;
import java.nio.ByteBuffer;

/** One cached block. API placeholder: the implementation lands with its tests. */
public final class Buf {
    public ByteBuffer data() {
        throw new UnsupportedOperationException();
    }

    public long offset() {
        throw new UnsupportedOperationException();
    }

    public int size() {
        throw new UnsupportedOperationException();
    }

    public void brelse() {
        throw new UnsupportedOperationException();
    }

    public void bwrite() throws IOException {
        throw new UnsupportedOperationException();
    }

    public void bdwrite() {
        throw new UnsupportedOperationException();
    }
}
