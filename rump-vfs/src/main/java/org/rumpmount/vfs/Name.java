package org.rumpmount.vfs;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One path component: a sequence of bytes, not text. File systems store names as bytes, and a
 * name that is not valid UTF-8 must survive every trip through the kernel unchanged.
 * Immutable; equality is byte equality.
 */
public final class Name implements Comparable<Name> {
    /** The longest name, in bytes (NetBSD's NAME_MAX, MAXNAMLEN). */
    public static final int NAME_MAX = 255;

    public static final Name DOT = new Name(new byte[] {'.'});
    public static final Name DOTDOT = new Name(new byte[] {'.', '.'});

    private final byte[] bytes;
    private final int hash;

    private Name(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * A name from its bytes (copied). Refuses an empty name or one holding '/' or NUL with EINVAL,
     * and one over {@link #NAME_MAX} bytes with ENAMETOOLONG.
     */
    public static Name of(byte[] bytes) throws VfsException {
        return of(bytes, 0, bytes.length);
    }

    public static Name of(byte[] bytes, int off, int len) throws VfsException {
        if (len == 0) {
            throw new VfsException(Errno.EINVAL, "empty file name");
        }
        if (len > NAME_MAX) {
            throw new VfsException(Errno.ENAMETOOLONG, "file name of " + len + " bytes (limit " + NAME_MAX + ")");
        }
        for (int i = off; i < off + len; i++) {
            if (bytes[i] == '/' || bytes[i] == 0) {
                throw new VfsException(Errno.EINVAL, "file name holds a " + (bytes[i] == 0 ? "NUL" : "'/'") + " byte");
            }
        }
        return new Name(Arrays.copyOfRange(bytes, off, off + len));
    }

    /** The UTF-8 encoding of {@code s} as a name. */
    public static Name of(String s) throws VfsException {
        return of(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A name exactly as stored on disk, checked only for what a reader can trust: no length
     * bound or byte check beyond non-emptiness is applied here because callers (directory readers)
     * validate the on-disk record themselves.
     */
    public static Name ofTrusted(byte[] bytes) {
        return new Name(bytes.clone());
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public byte byteAt(int i) {
        return bytes[i];
    }

    /** Copies the bytes into {@code dst} at {@code off}. */
    public void copyTo(byte[] dst, int off) {
        System.arraycopy(bytes, 0, dst, off, bytes.length);
    }

    public boolean isDot() {
        return bytes.length == 1 && bytes[0] == '.';
    }

    public boolean isDotDot() {
        return bytes.length == 2 && bytes[0] == '.' && bytes[1] == '.';
    }

    /** Decodes with {@code cs}; undecodable bytes become replacement characters. */
    public String toString(Charset cs) {
        return new String(bytes, cs);
    }

    /** A display form: UTF-8, with every byte that is not part of valid printable UTF-8 as \xNN. */
    @Override
    public String toString() {
        return Names.display(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Name n && n.hash == hash && Arrays.equals(n.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(Name o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }
}
