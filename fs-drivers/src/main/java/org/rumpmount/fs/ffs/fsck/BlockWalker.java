package org.rumpmount.fs.ffs.fsck;

import java.nio.ByteBuffer;
import org.rumpmount.fs.ffs.Dinode;
import org.rumpmount.fs.ffs.Superblock;
import org.rumpmount.vfs.VfsException;

/**
 * Visits every block pointer of an inode, as fsck_ffs's ckinode and iblock: the direct pointers,
 * then the indirect trees. The visitor decides whether an indirect block is read and descended
 * (fsck never descends one it cannot trust, which also stops a tree that points at itself), and
 * may stop the walk. A pointer past the end of the file (one that maps only logical blocks at or
 * beyond di_size) is first offered to {@link Visitor#pastEnd}; unless the visitor takes it there,
 * it still holds its block and is visited as a whole block.
 */
final class BlockWalker {
    /** What is done with each pointer. */
    interface Visitor {
        /** A data block: {@code frags} fragments at {@code frag}. False stops the walk. */
        boolean data(long lbn, long frag, int frags) throws VfsException;

        /** An indirect block of {@code level} (1 single, 2 double, 3 triple). True descends into it. */
        boolean indirect(long frag, int level) throws VfsException;

        /** Whether the walk has been stopped. */
        default boolean stopped() {
            return false;
        }

        /**
         * A pointer that maps nothing below di_size: a data block ({@code level} 0) or an indirect
         * block of {@code level}, covering from logical block {@code firstLbn}. It lives in the
         * inode ({@code holder} 0; {@code slot} indexes di_db, then di_ib from NDADDR on) or in
         * the indirect block at fragment {@code holder}. True: the visitor has dealt with it and
         * the walk skips it; false: it is visited as any other pointer.
         */
        default boolean pastEnd(long holder, int slot, long frag, int level, long firstLbn) throws VfsException {
            return false;
        }
    }

    private final Superblock sb;
    private final Disk disk;

    BlockWalker(Superblock sb, Disk disk) {
        this.sb = sb;
        this.disk = disk;
    }

    /** Whether an inode of this mode and size keeps block pointers rather than a device number or a short link. */
    static boolean hasBlocks(Superblock sb, Dinode d) {
        int fmt = d.ifmt();
        if (fmt == Dinode.IFREG || fmt == Dinode.IFDIR) {
            return true;
        }
        if (fmt == Dinode.IFLNK) {
            return !(d.size < sb.maxsymlinklen && d.blocks == 0 && sb.maxsymlinklen > 0);
        }
        return false;
    }

    void walk(Dinode d, Visitor v) throws VfsException {
        long size = d.size;
        long ndb = size <= 0 ? 0 : (size - 1) / sb.bsize + 1;
        for (int i = 0; i < Dinode.NDADDR && !v.stopped(); i++) {
            long addr = d.db[i];
            if (addr == 0) {
                continue;
            }
            if (i >= ndb && v.pastEnd(0, i, addr, 0, i)) {
                continue;
            }
            int frags = i < ndb ? sb.blksize(size, i) / sb.fsize : sb.frag;
            if (!v.data(i, addr, frags)) {
                return;
            }
        }
        long lbn = Dinode.NDADDR;
        long span = 1;
        for (int level = 1; level <= Dinode.NIADDR && !v.stopped(); level++) {
            span *= sb.nindir;
            long addr = d.ib[level - 1];
            if (addr != 0 && !(lbn >= ndb && v.pastEnd(0, Dinode.NDADDR + level - 1, addr, level, lbn))) {
                indirect(d, addr, level, lbn, ndb, v);
            }
            lbn += span;
        }
    }

    /** Walks the indirect block of {@code level} at {@code addr}, which maps from logical block {@code firstLbn}. */
    void indirect(Dinode d, long addr, int level, long firstLbn, Visitor v) throws VfsException {
        long ndb = d.size <= 0 ? 0 : (d.size - 1) / sb.bsize + 1;
        indirect(d, addr, level, firstLbn, ndb, v);
    }

    private void indirect(Dinode d, long addr, int level, long firstLbn, long ndb, Visitor v) throws VfsException {
        if (!v.indirect(addr, level)) {
            return;
        }
        ByteBuffer b = disk.readFrags(addr, sb.bsize, "level-" + level + " indirect block");
        long childSpan = 1;
        for (int i = 1; i < level; i++) {
            childSpan *= sb.nindir;
        }
        for (int slot = 0; slot < sb.nindir && !v.stopped(); slot++) {
            long p = sb.ufs2 ? b.getLong(slot * 8) : b.getInt(slot * 4);
            if (p == 0) {
                continue;
            }
            long lbn = firstLbn + slot * childSpan;
            if (lbn >= ndb && v.pastEnd(addr, slot, p, level - 1, lbn)) {
                continue;
            }
            if (level == 1) {
                int frags = lbn < ndb ? sb.blksize(d.size, lbn) / sb.fsize : sb.frag;
                if (!v.data(lbn, p, frags)) {
                    return;
                }
            } else {
                indirect(d, p, level - 1, lbn, ndb, v);
            }
        }
    }
}
