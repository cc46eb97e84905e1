package org.rumpmount.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.FileHandle;
import org.rumpmount.vfs.VfsException;

/** Moving file contents between handles and host streams in 64 KiB (or 1 MiB) pieces. */
final class Copying {
    static final int CHUNK = 1 << 16;
    static final int BIG_CHUNK = 1 << 20;

    private Copying() {
    }

    /** Writes all of {@code b[0..len)} at {@code off}, however the driver splits it. */
    static void writeFully(FileHandle h, long off, byte[] b, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = h.write(off + done, ByteBuffer.wrap(b, done, len - done));
            if (n <= 0) {
                throw new VfsException(Errno.EIO, "write of " + (len - done) + " bytes at offset " + (off + done) + " made no progress");
            }
            done += n;
        }
    }

    /** Copies one open file to another, returning the bytes copied. */
    static long copy(FileHandle from, FileHandle to) throws IOException {
        byte[] b = new byte[CHUNK];
        long off = 0;
        while (true) {
            int n = from.read(off, ByteBuffer.wrap(b));
            if (n <= 0) {
                return off;
            }
            writeFully(to, off, b, n);
            off += n;
        }
    }

    /**
     * Copies an open file to a host stream, a MiB at a time: a driver may read a run of
     * contiguous blocks in one transfer, so larger requests mean fewer and longer transfers.
     */
    static void copy(FileHandle from, OutputStream to) throws IOException {
        byte[] b = new byte[BIG_CHUNK];
        long off = 0;
        while (true) {
            int n = from.read(off, ByteBuffer.wrap(b));
            if (n <= 0) {
                return;
            }
            to.write(b, 0, n);
            off += n;
        }
    }

    /** Copies a host stream into an open file from offset 0. */
    static void copy(InputStream from, FileHandle to) throws IOException {
        byte[] b = new byte[CHUNK];
        long off = 0;
        int n;
        while ((n = from.readNBytes(b, 0, b.length)) > 0) {
            writeFully(to, off, b, n);
            off += n;
        }
    }
}
