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
        this.out = new Stdout(out);
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

    /**
     * stdout failed (a closed pipe, a full disk): what is written after that is lost, so a
     * failure to write ends the command with "write error" and exit status 1.
     */
    static final class WriteError extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        WriteError(IOException cause) {
            super(cause);
        }
    }

    /** stdout that turns a failed write into a {@link WriteError} and remembers it. */
    private final class Stdout extends java.io.FilterOutputStream {
        Stdout(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                throw failed(e);
            }
        }
    }

    private volatile boolean broken;
    private IOException writeFailure;
    private boolean writeFailureReported;

    private synchronized WriteError failed(IOException e) {
        broken = true;
        if (writeFailure == null) {
            writeFailure = e;
        }
        return new WriteError(e);
    }

    /** Whether a write to stdout has failed. */
    boolean stdoutBroken() {
        return broken;
    }

    /** The first failure of stdout not yet reported to the user, or null; it counts as reported now. */
    synchronized IOException unreportedWriteFailure() {
        if (writeFailure == null || writeFailureReported) {
            return null;
        }
        writeFailureReported = true;
        return writeFailure;
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
        byte[] b = RawText.bytes(raw);
        write(out, b, 0, b.length);
    }

    void outBytes(byte[] b, int off, int len) {
        write(out, b, off, len);
    }

    /** Writes a raw String to stderr, after flushing stdout so the two keep their order. */
    void err(String raw) {
        if (!broken) {
            try {
                flush();
            } catch (WriteError e) {
                // reported by whoever wrote; stderr still works
            }
        }
        byte[] b = RawText.bytes(raw);
        write(err, b, 0, b.length);
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
            throw new WriteError(e);
        }
    }

    /**
     * A writer over stdout in the host charset, for picocli's help text. Like any PrintWriter it
     * swallows a failed write; {@link #unreportedWriteFailure()} still knows of it.
     */
    PrintWriter outWriter() {
        OutputStream quiet = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    out.write(b, off, len);
                } catch (WriteError | IOException e) {
                    // recorded by Stdout
                }
            }

            @Override
            public void flush() {
                try {
                    out.flush();
                } catch (WriteError | IOException e) {
                    // recorded by Stdout
                }
            }
        };
        return new PrintWriter(new OutputStreamWriter(quiet, RawText.HOST), true);
    }

    PrintWriter errWriter() {
        return new PrintWriter(new OutputStreamWriter(err, RawText.HOST), true) {
            @Override
            public void write(String s, int off, int len) {
                if (!broken) {
                    try {
                        Io.this.flush();
                    } catch (WriteError e) {
                        // stderr still works
                    }
                }
                super.write(s, off, len);
            }
        };
    }

    private static void write(OutputStream s, byte[] b, int off, int len) {
        try {
            s.write(b, off, len);
        } catch (WriteError e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
