package org.rumpmount.fs.lfs;

import java.util.TreeMap;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;

/**
 * The in-core inode kept in a vnode's data: the dinode as read from its inode block (or as last
 * changed), and the access time from the IFILE entry, which is what NetBSD reports for LFS
 * version 2. On a writable mount it also carries what has not reached the log yet: the changed
 * dinode bytes and the file's dirty data blocks, by logical block number, each holding the
 * block's full contents at its current size (a fragment run at the end of a small file).
 */
final class LfsInode {
    final long ino;
    volatile Dinode din;
    final VType type;
    volatile Timespec atime;
    /** The dinode bytes being changed; null until the first change. */
    DinodeImage image;
    /** Dirty data blocks not yet written to the log. */
    final TreeMap<Long, byte[]> dirtyBlocks = new TreeMap<>();
    /** Whether the dinode must be written at the next flush. */
    boolean inodeDirty;
    /** Indirect blocks read or made while the file changes, by their (negative) logical block number. */
    final TreeMap<Long, FileBlocks.Indirect> indirects = new TreeMap<>();
    /** The in-core indirect blocks changed since the file was last written. */
    final java.util.TreeSet<Long> dirtyIndirects = new java.util.TreeSet<>();
    /** Blocks held under indirect blocks with nothing dirty beneath them, as last counted (di_blocks). */
    final java.util.HashMap<Long, Long> heldCache = new java.util.HashMap<>();
    /**
     * A freed inode's last word: written once with no links so that roll-forward frees the
     * inode too, never pointed at by the IFILE and never counted as live.
     */
    boolean tombstone;
    /** Set when the inode has been given back to the free list. */
    volatile boolean freed;
    /** The file size the log's copy of the inode has: the size its blocks were written at. */
    long diskSize;

    LfsInode(long ino, Dinode din, VType type, Timespec atime) {
        this.ino = ino;
        this.din = din;
        this.type = type;
        this.atime = atime;
        this.diskSize = din.size;
    }

    long size() {
        return din.size;
    }

    /** The dinode bytes to change, made from the on-disk copy on first use. */
    DinodeImage edit(LfsLayout l) {
        if (image == null) {
            image = new DinodeImage(l, java.nio.ByteBuffer.wrap(din.raw).order(l.order()), 0);
        }
        return image;
    }

    /** Re-reads {@link #din} from the changed bytes and marks the inode for writing. */
    void changed() {
        din = image.decode();
        inodeDirty = true;
    }

    boolean isDirty() {
        return inodeDirty || !dirtyIndirects.isEmpty() || !dirtyBlocks.isEmpty();
    }

    @Override
    public String toString() {
        return "inode " + ino + " (" + type + ", " + din.size + " bytes)";
    }
}
