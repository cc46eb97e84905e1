package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * One directory chunk of {@link #DIRBLKSIZ} bytes: a run of struct direct records whose
 * d_reclen values tile the chunk exactly. The new format (4.4BSD) has d_type and an 8-bit
 * d_namlen; the old one (4.2BSD) has a 16-bit d_namlen in the disk's byte order where the new
 * one has both bytes. Records are validated as NetBSD's ufs_dirbadentry does, plus a check that
 * the name carries no '/' and the inode number exists.
 */
public final class DirectoryBlock {
    public static final int DIRBLKSIZ = 512;
    public static final int MAXNAMLEN = 255;
    /** Bytes of a record before its name. */
    public static final int HEADER = 8;

    public static final int DT_UNKNOWN = 0;
    public static final int DT_FIFO = 1;
    public static final int DT_CHR = 2;
    public static final int DT_DIR = 4;
    public static final int DT_BLK = 6;
    public static final int DT_REG = 8;
    public static final int DT_LNK = 10;
    public static final int DT_SOCK = 12;
    static final int DT_WHT = 14;

    private DirectoryBlock() {
    }

    /** One record: {@code offset} is its byte offset in the directory; ino 0 marks free space. */
    public record Entry(long offset, long ino, int reclen, int type, byte[] name) {
    }

    /** The space a record with a name of {@code namlen} bytes needs (UFS_DIRSIZ). */
    public static int dirsiz(int namlen) {
        return HEADER + ((namlen + 1 + 3) & ~3);
    }

    /**
     * Decodes the chunk at {@code off} of {@code b} (in the file system's byte order), which lies at
     * byte {@code dirOffset} of directory inode {@code dirIno}. Entries with d_ino 0 are
     * included, so the write side can find free space. Inode numbers must be below
     * {@code inodeCount}.
     */
    public static List<Entry> decode(ByteBuffer b, int off, boolean oldFormat, long dirIno, long dirOffset, long inodeCount)
            throws VfsException {
        List<Entry> out = new ArrayList<>(DIRBLKSIZ / 16);
        int pos = 0;
        while (pos < DIRBLKSIZ) {
            int at = off + pos;
            long ino = b.getInt(at) & 0xffffffffL;
            int reclen = b.getShort(at + 4) & 0xffff;
            int type;
            int namlen;
            if (oldFormat) {
                type = DT_UNKNOWN;
                namlen = b.getShort(at + 6) & 0xffff;
            } else {
                type = b.get(at + 6) & 0xff;
                namlen = b.get(at + 7) & 0xff;
            }
            // Messages are built only for a bad record: this loop runs for every entry of every scan.
            long entryOffset = dirOffset + pos;
            if (reclen == 0 || (reclen & 3) != 0 || reclen > DIRBLKSIZ - pos) {
                throw corrupt(where(dirIno, entryOffset), "d_reclen " + reclen + " is not a positive multiple of 4 within the "
                        + (DIRBLKSIZ - pos) + " bytes left in its " + DIRBLKSIZ + "-byte chunk");
            }
            if (namlen > MAXNAMLEN) {
                throw corrupt(where(dirIno, entryOffset), "d_namlen " + namlen + " exceeds " + MAXNAMLEN);
            }
            if (reclen < dirsiz(namlen)) {
                throw corrupt(where(dirIno, entryOffset), "d_reclen " + reclen + " is smaller than the " + dirsiz(namlen)
                        + " bytes a " + namlen + "-byte name needs");
            }
            byte[] name = new byte[namlen];
            b.get(at + HEADER, name);
            if (ino != 0) {
                if (ino >= inodeCount) {
                    throw corrupt(where(dirIno, entryOffset), "d_ino " + ino + " is beyond the last inode " + (inodeCount - 1));
                }
                if (namlen == 0) {
                    throw corrupt(where(dirIno, entryOffset), "empty name for inode " + ino);
                }
                for (byte c : name) {
                    if (c == 0 || c == '/') {
                        throw corrupt(where(dirIno, entryOffset), "name holds a " + (c == 0 ? "NUL" : "'/'") + " byte");
                    }
                }
            }
            out.add(new Entry(dirOffset + pos, ino, reclen, type, name));
            pos += reclen;
        }
        return out;
    }

    private static String where(long dirIno, long entryOffset) {
        return "directory inode " + dirIno + ", entry at offset " + entryOffset;
    }

    /**
     * Writes one record at {@code at} of {@code b}: the write side's counterpart of
     * {@link #decode}. The name's padding is zeroed.
     */
    public static void encode(ByteBuffer b, int at, long ino, int reclen, int type, byte[] name, boolean oldFormat) {
        if (name.length > MAXNAMLEN || reclen < dirsiz(name.length) || (reclen & 3) != 0) {
            throw new IllegalArgumentException("record of " + reclen + " bytes cannot hold a " + name.length
                    + "-byte name");
        }
        b.putInt(at, (int) ino).putShort(at + 4, (short) reclen);
        if (oldFormat) {
            b.putShort(at + 6, (short) name.length);
        } else {
            b.put(at + 6, (byte) type).put(at + 7, (byte) name.length);
        }
        b.put(at + HEADER, name);
        for (int i = at + HEADER + name.length; i < at + dirsiz(name.length); i++) {
            b.put(i, (byte) 0);
        }
    }

    private static VfsException corrupt(String where, String what) {
        return new VfsException(Errno.EIO, where + ": " + what);
    }
}
