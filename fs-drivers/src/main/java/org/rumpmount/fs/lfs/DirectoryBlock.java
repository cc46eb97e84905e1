package org.rumpmount.fs.lfs;

import java.nio.ByteBuffer;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.VfsException;

/**
 * The ULFS directory format (lfs_dirheader32 / lfs_dirheader64, the same shape as FFS's struct
 * direct): a directory is a run of {@link #DIRBLKSIZ}-byte chunks; each chunk is a chain of
 * entries whose record lengths add up to the chunk; an entry with inode 0 is unused space.
 * Names are stored NUL-terminated and padded to four bytes.
 */
final class DirectoryBlock {
    /** Directory chunk size (LFS_DIRBLKSIZ = DEV_BSIZE). */
    static final int DIRBLKSIZ = 512;
    static final int MAXNAMLEN = 255;
    static final int DT_WHT = 14;

    /** One entry as found: where it starts, where the next one starts, what it names. */
    record Entry(long offset, long nextOffset, long ino, int type, byte[] name) {
    }

    private DirectoryBlock() {
    }

    /** The space an entry with a name of {@code namlen} bytes needs (LFS_DIRECTSIZ). */
    static int entrySize(LfsLayout l, int namlen) {
        return l.dirHeaderSize() + ((namlen + 1 + 3) & ~3);
    }

    /**
     * Decodes the entry at byte {@code pos} of chunk {@code b} (which starts at directory offset
     * {@code chunkOffset}), checking it as ufs_dirbadentry does. EIO naming directory and offset.
     */
    static Entry decode(LfsLayout l, ByteBuffer b, int pos, long chunkOffset, long dirIno) throws VfsException {
        int h = l.dirHeaderSize();
        long at = chunkOffset + pos;
        if (pos + h > DIRBLKSIZ) {
            throw bad(dirIno, at, "header crosses the " + DIRBLKSIZ + "-byte chunk");
        }
        long ino = l.is64() ? b.getLong(pos) : b.getInt(pos) & 0xffffffffL;
        int reclen = b.getShort(pos + h - 4) & 0xffff;
        int type = b.get(pos + h - 2) & 0xff;
        int namlen = b.get(pos + h - 1) & 0xff;
        if (reclen < h || (reclen & 3) != 0 || pos + reclen > DIRBLKSIZ) {
            throw bad(dirIno, at, "record length " + reclen);
        }
        if (ino == 0) {
            return new Entry(at, at + reclen, 0, type, new byte[0]);
        }
        if (ino < 0) {
            throw bad(dirIno, at, "inode number " + Long.toUnsignedString(ino));
        }
        if (namlen == 0 || entrySize(l, namlen) > reclen) {
            throw bad(dirIno, at, "name length " + namlen + " in a record of " + reclen);
        }
        byte[] name = new byte[namlen];
        b.duplicate().position(pos + h).get(name);
        for (byte c : name) {
            if (c == 0 || c == '/') {
                throw bad(dirIno, at, "name holds a " + (c == 0 ? "NUL" : "'/'") + " byte");
            }
        }
        return new Entry(at, at + reclen, ino, type, name);
    }

    /** The vnode type a d_type value stands for; VNON for DT_UNKNOWN and unknown codes. */
    static VType vtype(int dtype) {
        return switch (dtype) {
            case 1 -> VType.VFIFO;
            case 2 -> VType.VCHR;
            case 4 -> VType.VDIR;
            case 6 -> VType.VBLK;
            case 8 -> VType.VREG;
            case 10 -> VType.VLNK;
            case 12 -> VType.VSOCK;
            default -> VType.VNON;
        };
    }

    private static VfsException bad(long dirIno, long at, String why) {
        return new VfsException(Errno.EIO, "directory inode " + dirIno + ": bad entry at byte offset " + at + ": " + why);
    }
}
