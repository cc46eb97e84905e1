package org.rumpmount.fs.lfs;

import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;

/**
 * The in-core inode kept in a vnode's data: the dinode as read from its inode block, and the
 * access time from the IFILE entry, which is what NetBSD reports for LFS version 2.
 */
final class LfsInode {
    final long ino;
    final Dinode din;
    final VType type;
    final Timespec atime;

    LfsInode(long ino, Dinode din, VType type, Timespec atime) {
        this.ino = ino;
        this.din = din;
        this.type = type;
        this.atime = atime;
    }

    long size() {
        return din.size;
    }

    @Override
    public String toString() {
        return "inode " + ino + " (" + type + ", " + din.size + " bytes)";
    }
}
