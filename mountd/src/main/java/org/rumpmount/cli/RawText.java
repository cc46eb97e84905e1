package org.rumpmount.cli;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * File names are bytes. Inside the CLI a name or path is carried as a "raw" String holding one
 * char (0..255) per byte, so that it passes through {@code PathFacade.withCharset(ISO_8859_1)}
 * and back out to stdout unchanged, whatever the bytes are.
 *
 * <p>Command-line arguments reach Java already decoded with the host charset
 * ({@code sun.jnu.encoding}, from the locale); {@link ArgvBytes} recovers their original bytes
 * on Linux, and otherwise re-encoding with that charset gives them back whenever the decoding
 * was lossless (always for ASCII, and for valid UTF-8 in a UTF-8 locale). Lines typed into the
 * shell are read as bytes and need neither.
 */
final class RawText {
    /** The charset the JVM uses for argv, file names and the terminal. */
    static final Charset HOST = hostCharset();

    private RawText() {
    }

    private static Charset hostCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }

    /** The raw form of bytes. */
    static String of(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** The bytes a raw String stands for. */
    static byte[] bytes(String raw) {
        return raw.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The raw form of a command-line argument or other host text (messages, host paths). */
    static String ofHost(String text) {
        return of(text.getBytes(HOST));
    }

    /** Host text from a raw String, for a host path typed into the shell. */
    static String toHost(String raw) {
        return new String(bytes(raw), HOST);
    }
}
