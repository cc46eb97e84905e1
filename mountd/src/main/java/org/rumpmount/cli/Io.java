package org.rumpmount.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * The streams of one run: stdin, stdout and stderr as bytes. Names are written as the raw bytes
 * they are (see {@link RawText}); nothing on the way out re-encodes them through a charset.
 */
final class Io {
    private final InputStream in;
    private final OutputStream out;
    private final OutputStream err;
    private final boolean interactive;

    Io(InputStream in, OutputStream out, OutputStream err, boolean interactive) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    /** The process's own streams; stdout and stderr are the file descriptors, not System.out's encoder. */
    static Io system() {
        return new Io(System.in,
                new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                new FileOutputStream(FileDescriptor.err),
                System.console() != null);
    }

    InputStream in() {
        return in;
    }

    /** Whether stdin and stdout are a terminal (the shell prompts only then). */
    boolean interactive() {
        return interactive;
    }

    OutputStream rawOut() {
        return out;
    }

    /** Writes a raw String to stdout. */
    void out(String raw) {
        write(out, RawText.bytes(raw));
    }

    void outBytes(byte[] b, int off, int len) {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a raw String to stderr, after flushing stdout so the two keep their order. */
    void err(String raw) {
        flush();
        write(err, RawText.bytes(raw));
        try {
            err.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A writer over stdout in the host charset, for picocli's help text. */
    PrintWriter outWriter() {
        return new PrintWriter(new OutputStreamWriter(out, RawText.HOST), true);
    }

    PrintWriter errWriter() {
        return new PrintWriter(new OutputStreamWriter(err, RawText.HOST), true) {
            @Override
            public void write(String s, int off, int len) {
                Io.this.flush();
                super.write(s, off, len);
            }
        };
    }

    private static void write(OutputStream s, byte[] b) {
        try {
            s.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
