package org.rumpmount.fs.tmpfs;

import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;

/**
 * One file of a tmpfs (NetBSD's struct tmpfs_node): its attributes and, by type, its directory
 * entries, its data pages or its link target.
 *
 * <p>The mutable fields are guarded by the file's vnode lock. atime is volatile because reads,
 * which hold the lock shared, update it.
 */
final class TmpfsNode {
    /** The most links a file may have (NetBSD's LINK_MAX). */
    static final long LINK_MAX = 32767;


    final long fileid;
    final long gen;
    final VType type;
    /** Device number for VCHR and VBLK, else 0. */
    final long rdev;
    /** Set for VDIR. */
    final TmpfsDirectory dir;
    /** Set for VREG. */
    final TmpfsFileData data;
    /** Set for VLNK. */
    final byte[] target;

    int mode;
    long uid;
    long gid;
    long nlink;
    long flags;
    volatile Timespec atime;
    Timespec mtime;
    Timespec ctime;
    Timespec birthtime;

    /**
     * Set once the node's storage and its place in the budget have been given back. Volatile
     * because vget reads it without the vnode lock.
     */
    volatile boolean freed;

    TmpfsNode(long fileid, long gen, VType type, long rdev, TmpfsDirectory dir, TmpfsFileData data, byte[] target,
              int mode, long uid, long gid, Timespec now) {
        this.fileid = fileid;
        this.gen = gen;
        this.type = type;
        this.rdev = rdev;
        this.dir = dir;
        this.data = data;
        this.target = target;
        this.mode = mode & 07777;
        this.uid = uid;
        this.gid = gid;
        this.atime = now;
        this.mtime = now;
        this.ctime = now;
        this.birthtime = now;
    }

    boolean isDir() {
        return type == VType.VDIR;
    }

    /** A directory that has been removed: nothing may be created in it. */
    boolean isRemovedDir() {
        return isDir() && nlink == 0;
    }

    long size() {
        return switch (type) {
            case VDIR -> dir.size();
            case VREG -> data.size();
            case VLNK -> target.length;
            default -> 0;
        };
    }

    /** Bytes of storage held: pages for a file (holes excluded), the size in pages otherwise. */
    long bytes() {
        if (type == VType.VREG) {
            return data.bytesHeld();
        }
        long s = size();
        return (s + TmpfsFileData.PAGE_SIZE - 1) / TmpfsFileData.PAGE_SIZE * TmpfsFileData.PAGE_SIZE;
    }

    void touchChanged(Timespec now) {
        ctime = now;
    }

    void touchModified(Timespec now) {
        mtime = now;
        ctime = now;
    }

    Vattr attributes(long fsid) {
        Vattr va = new Vattr();
        va.type = type;
        va.mode = mode;
        va.nlink = nlink;
        va.uid = uid;
        va.gid = gid;
        va.fsid = fsid;
        va.fileid = fileid;
        va.size = size();
        va.blocksize = TmpfsFileData.PAGE_SIZE;
        va.atime = atime;
        va.mtime = mtime;
        va.ctime = ctime;
        va.birthtime = birthtime;
        va.gen = gen;
        va.flags = flags;
        va.rdev = rdev;
        va.bytes = bytes();
        va.vaflags = 0;
        return va;
    }

    @Override
    public String toString() {
        return "tmpfs node " + fileid + " (" + type + ")";
    }
}
