package org.rumpmount.fs.ffs.fsck;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.fs.ffs.Dinode;
import org.rumpmount.fs.ffs.Superblock;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * fsck's path to the device: straight to it, no cache (fsck owns the unmounted device). Every
 * address is checked against the file system before use; writes go through whole sectors so a
 * device that demands alignment is served too.
 */
final class Disk {
    private final BlockDevice dev;
    private final boolean writable;
    private Superblock sb;
    private long writes;

    Disk(BlockDevice dev, boolean writable) {
        this.dev = dev;
        this.writable = writable;
    }

    void setSuperblock(Superblock sb) {
        this.sb = sb;
    }

    BlockDevice device() {
        return dev;
    }

    long writes() {
        return writes;
    }

    /** {@code len} bytes at byte {@code offset}, in the file system's byte order. */
    ByteBuffer readBytes(long offset, int len, String what) throws VfsException {
        if (offset < 0 || len < 0 || offset > dev.size() - len) {
            throw new VfsException(Errno.EIO, dev.name() + ": " + what + " at byte offset " + offset + " (" + len
                    + " bytes) lies beyond the device's " + dev.size() + " bytes");
        }
        int ss = dev.requiresAlignment() ? dev.sectorSize() : 1;
        long start = offset / ss * ss;
        long end = (offset + len + ss - 1) / ss * ss;
        ByteBuffer b = ByteBuffer.allocate((int) (end - start));
        try {
            dev.read(start, b);
        } catch (VfsException e) {
            throw e;
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, dev.name() + ": reading " + what + " at byte offset " + offset + " ("
                    + len + " bytes) failed: " + e.getMessage(), e);
        }
        byte[] out = new byte[len];
        b.get((int) (offset - start), out);
        ByteBuffer r = ByteBuffer.wrap(out);
        return sb == null ? r : r.order(sb.order);
    }

    ByteBuffer readFrags(long frag, int len, String what) throws VfsException {
        checkFrags(frag, len, what);
        return readBytes(frag * sb.fsize, len, what);
    }

    void writeBytes(long offset, byte[] data, String what) throws VfsException {
        if (!writable) {
            throw new VfsException(Errno.EROFS, dev.name() + ": refusing to write " + what + " in check-only mode");
        }
        if (offset < 0 || offset > dev.size() - data.length) {
            throw new VfsException(Errno.EIO, dev.name() + ": " + what + " at byte offset " + offset + " ("
                    + data.length + " bytes) lies beyond the device's " + dev.size() + " bytes");
        }
        int ss = dev.requiresAlignment() ? dev.sectorSize() : 1;
        long start = offset / ss * ss;
        long end = (offset + data.length + ss - 1) / ss * ss;
        ByteBuffer b;
        if (start == offset && end == offset + data.length) {
            b = ByteBuffer.wrap(data);
        } else {
            ByteBuffer old = readBytes(start, (int) (end - start), what);
            b = ByteBuffer.wrap(old.array());
            b.put((int) (offset - start), data);
        }
        try {
            dev.write(start, b);
        } catch (VfsException e) {
            throw e;
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, dev.name() + ": writing " + what + " at byte offset " + offset + " ("
                    + data.length + " bytes) failed: " + e.getMessage(), e);
        }
        writes++;
    }

    void writeFrags(long frag, byte[] data, String what) throws VfsException {
        checkFrags(frag, data.length, what);
        writeBytes(frag * sb.fsize, data, what);
    }

    Dinode readInode(long ino) throws VfsException {
        ByteBuffer b = readBytes(inodeOffset(ino), sb.dinodeSize(), "inode " + ino);
        return Dinode.decode(b, 0, sb.ufs2);
    }

    void writeInode(long ino, Dinode d) throws VfsException {
        ByteBuffer b = ByteBuffer.allocate(sb.dinodeSize()).order(sb.order);
        d.ufs2 = sb.ufs2;
        d.encode(b, 0);
        writeBytes(inodeOffset(ino), b.array(), "inode " + ino);
    }

    long inodeOffset(long ino) throws VfsException {
        if (ino < 0 || ino >= sb.inodeCount()) {
            throw new VfsException(Errno.EINVAL, dev.name() + ": inode " + ino + " out of range 0.."
                    + (sb.inodeCount() - 1));
        }
        return sb.inoToFsba(ino) * sb.fsize + sb.inoToFsbo(ino);
    }

    void flush() throws VfsException {
        if (!writable) {
            return;
        }
        try {
            dev.flush();
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, dev.name() + ": flush failed: " + e.getMessage(), e);
        }
    }

    private void checkFrags(long frag, int len, String what) throws VfsException {
        long frags = (len + sb.fsize - 1L) / sb.fsize;
        if (frag < 0 || frag > sb.totalFrags() - frags) {
            throw new VfsException(Errno.EIO, dev.name() + ": " + what + " at fragment " + frag + " (" + len
                    + " bytes) lies outside the file system of " + sb.totalFrags() + " fragments");
        }
    }
}
