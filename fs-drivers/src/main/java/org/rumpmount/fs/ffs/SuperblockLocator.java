package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * Finds the superblock as ffs_mountfs does: tries each location of SBLOCKSEARCH in NetBSD's
 * order, accepts either byte order, skips a UFS1 superblock at the UFS2-only location (there it
 * is likely the first alternate of a 64 KiB-block file system) and any copy whose recorded
 * location differs from where it was found (an alternate), and validates what is left.
 * UFS2 at 8192 is accepted: makefs puts it there and records 8192 as its location.
 */
public final class SuperblockLocator {
    /** A superblock and where it was found. */
    public record Found(Superblock sb, long offset) {
    }

    private SuperblockLocator() {
    }

    /** The valid superblock, or EFTYPE naming why each candidate was refused. */
    public static Found locate(BlockDevice dev) throws VfsException {
        VfsException firstInvalid = null;
        for (long loc : Superblock.SBLOCKSEARCH) {
            if (loc > dev.size() - Superblock.SIZEOF_FS) {
                continue;
            }
            int len = (int) Math.min(Superblock.SBLOCKSIZE, dev.size() - loc);
            ByteBuffer b = FfsIo.readBytes(dev, loc, len, "superblock candidate");
            ByteOrder order = Superblock.orderOf(b);
            if (order == null) {
                continue;
            }
            Superblock sb = Superblock.decode(b, order);
            if (!sb.ufs2 && loc == Superblock.SBLOCK_UFS2) {
                continue;
            }
            if (sb.recordedLocation(loc) != loc) {
                continue;
            }
            try {
                SuperblockValidator.validate(sb, loc, dev.size());
            } catch (VfsException e) {
                if (firstInvalid == null) {
                    firstInvalid = e;
                }
                continue;
            }
            if (sb.sbsize < sb.raw.length) {
                sb.raw = java.util.Arrays.copyOf(sb.raw, sb.sbsize);
            }
            return new Found(sb, loc);
        }
        if (firstInvalid != null) {
            throw firstInvalid;
        }
        throw new VfsException(Errno.EFTYPE, dev.name() + ": no FFS superblock at any of byte offsets 65536, 8192, 0,"
                + " 262144");
    }
}
