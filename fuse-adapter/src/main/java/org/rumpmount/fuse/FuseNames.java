package org.rumpmount.fuse;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.rumpmount.vfs.Name;

/**
 * How a file name crosses the FUSE boundary.
 *
 * <p>A name is bytes. jnr-fuse hands paths to Java as Strings decoded with the JVM's default
 * charset, and that decoding happens before our code runs. The only charset under which every
 * byte sequence survives decoding and re-encoding is ISO-8859-1 (one byte, one char), so the
 * adapter's JVM is meant to run with {@code -Dfile.encoding=ISO-8859-1} and the adapter encodes
 * paths back to bytes with that same default charset ({@link #pathCharset()}). Under another
 * default (UTF-8, or ASCII with LANG=C on Java 17) valid names in that charset still work, but
 * other byte sequences are lost; {@link #isByteExact()} tells which case holds.
 *
 * <p>In the other direction (readdir) names go out as their raw bytes, never through a String,
 * so a listing is byte-exact whatever the charset.
 */
final class FuseNames {
    private FuseNames() {
    }

    /** The charset jnr-fuse decoded paths with, and so the one to encode them back with. */
    static Charset pathCharset() {
        return Charset.defaultCharset();
    }

    /** Whether every byte sequence survives the path decoding (default charset ISO-8859-1). */
    static boolean isByteExact() {
        return StandardCharsets.ISO_8859_1.equals(pathCharset());
    }

    /** The name as a NUL-terminated C string for the readdir filler. */
    static ByteBuffer cString(Name name) {
        byte[] b = new byte[name.length() + 1];
        name.copyTo(b, 0);
        return ByteBuffer.wrap(b);
    }
}
