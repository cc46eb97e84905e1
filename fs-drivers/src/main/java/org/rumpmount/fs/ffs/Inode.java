package org.rumpmount.fs.ffs;

import org.rumpmount.vfs.VType;

/**
 * The in-core inode kept in a vnode's data: the inode number, its on-disk image and what the
 * driver has learned about it (a directory's name hash). Read-only mounts never change the
 * dinode; the write side will mark it modified and write it back.
 */
final class Inode {
    final long number;
    final Dinode din;
    final VType type;
    /**
     * A directory's name index: a large one's built on its first lookup, a small one's once it
     * has been scanned for {@link DirHash#SMALL_DIR_SCANS} lookups. Guarded by this inode.
     */
    private DirHash dirhash;
    /** Lookups answered by scanning this directory. Guarded by this inode. */
    private int scans;

    Inode(long number, Dinode din, VType type) {
        this.number = number;
        this.din = din;
        this.type = type;
    }

    long size() {
        return din.size;
    }

    synchronized DirHash dirhash() {
        return dirhash;
    }

    synchronized void setDirhash(DirHash h) {
        this.dirhash = h;
    }

    /** Counts one more lookup answered by a scan; returns the count. */
    synchronized int countScan() {
        return ++scans;
    }

    @Override
    public String toString() {
        return "inode " + number;
    }
}
