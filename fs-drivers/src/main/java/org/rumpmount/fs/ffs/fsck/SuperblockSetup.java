package org.rumpmount.fs.ffs.fsck;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.rumpmount.fs.ffs.Superblock;
import org.rumpmount.fs.ffs.SuperblockLocator;
import org.rumpmount.fs.ffs.SuperblockValidator;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * Finds the superblock fsck works from (fsck_ffs setup.c): the one named by -b, else the
 * primary, else the first valid alternate found by scanning the device for a superblock that lies
 * where its own geometry puts a cylinder group's copy. A primary found good is compared with the
 * copy in the last cylinder group, as readsb does.
 */
final class SuperblockSetup {
    /** The superblock, the byte offset of the primary, and whether the primary was unusable. */
    record Result(Superblock sb, long primaryAt, boolean primaryBad, String why) {
    }

    private SuperblockSetup() {
    }

    static Result find(Disk disk, FsckOptions o) throws VfsException {
        long devSize = disk.device().size();
        if (o.alternateSuperblock() >= 0) {
            long at = o.alternateSuperblock() * SuperblockValidator.DEV_BSIZE;
            Superblock sb = candidate(disk, at, devSize);
            if (sb == null) {
                throw new VfsException(Errno.EFTYPE, disk.device().name() + ": no valid superblock at sector "
                        + o.alternateSuperblock() + " (byte " + at + ")");
            }
            return new Result(sb, primaryOf(sb), true, "USING ALTERNATE SUPERBLOCK AT " + o.alternateSuperblock());
        }
        try {
            SuperblockLocator.Found f = SuperblockLocator.locate(disk.device());
            return new Result(f.sb(), f.offset(), false, null);
        } catch (VfsException e) {
            Superblock alt = scan(disk, devSize);
            if (alt == null) {
                throw new VfsException(e.errno(), e.getMessage() + "; SEARCH FOR ALTERNATE SUPER-BLOCK FAILED");
            }
            return new Result(alt, primaryOf(alt), true, "BAD SUPER BLOCK: " + e.getMessage());
        }
    }

    /** A description of how the alternate in the last group disagrees with {@code sb}; null when it agrees. */
    static String compareWithAlternate(Disk disk, Superblock sb) throws VfsException {
        if (sb.ncg < 2) {
            return null;
        }
        long at = (sb.cgstart(sb.ncg - 1) + sb.sblkno) * sb.fsize;
        Superblock alt = candidate(disk, at, disk.device().size());
        if (alt == null) {
            return "NO VALID ALTERNATE SUPERBLOCK AT BYTE " + at;
        }
        long[][] pairs = {{sb.sblkno, alt.sblkno}, {sb.cblkno, alt.cblkno}, {sb.iblkno, alt.iblkno},
            {sb.dblkno, alt.dblkno}, {sb.ncg, alt.ncg}, {sb.bsize, alt.bsize}, {sb.fsize, alt.fsize},
            {sb.frag, alt.frag}, {sb.ipg, alt.ipg}, {sb.fpg, alt.fpg}, {sb.magic, alt.magic},
            {sb.cgsize, alt.cgsize}, {sb.totalFrags(), alt.totalFrags()}, {sb.csAddr(), alt.csAddr()}};
        String[] names = {"sblkno", "cblkno", "iblkno", "dblkno", "ncg", "bsize", "fsize", "frag", "ipg", "fpg",
            "magic", "cgsize", "size", "csaddr"};
        for (int i = 0; i < pairs.length; i++) {
            if (pairs[i][0] != pairs[i][1]) {
                return "VALUES IN SUPER BLOCK DISAGREE WITH THOSE IN FIRST ALTERNATE (fs_" + names[i] + " "
                        + pairs[i][0] + " vs " + pairs[i][1] + ")";
            }
        }
        return null;
    }

    private static long primaryOf(Superblock sb) {
        return sb.hasNewFields() && sb.sblockloc > 0 ? sb.sblockloc : 8192;
    }

    /** A valid superblock at byte {@code at}, or null. */
    static Superblock candidate(Disk disk, long at, long devSize) throws VfsException {
        if (at < 0 || at > devSize - Superblock.SIZEOF_FS) {
            return null;
        }
        int len = (int) Math.min(Superblock.SBLOCKSIZE, devSize - at);
        ByteBuffer b = disk.readBytes(at, len, "superblock candidate").order(ByteOrder.LITTLE_ENDIAN);
        ByteOrder order = Superblock.orderOf(b);
        if (order == null) {
            return null;
        }
        Superblock sb = Superblock.decode(b, order);
        try {
            SuperblockValidator.validate(sb, at, devSize);
        } catch (VfsException e) {
            return null;
        }
        if (sb.sbsize < sb.raw.length) {
            sb.raw = java.util.Arrays.copyOf(sb.raw, sb.sbsize);
        }
        return sb;
    }

    /**
     * The first valid superblock, past the standard locations, that sits where its own geometry
     * puts some cylinder group's copy. Reads the device once, in large pieces.
     */
    private static Superblock scan(Disk disk, long devSize) throws VfsException {
        int piece = 1 << 20;
        int sector = SuperblockValidator.DEV_BSIZE;
        for (long base = 0; base < devSize; base += piece) {
            int len = (int) Math.min(piece, devSize - base);
            ByteBuffer b = disk.readBytes(base, len, "device scan for alternate superblocks");
            for (int off = 0; off + Superblock.MAGIC_OFFSET + 4 <= len; off += sector) {
                int le = b.order(ByteOrder.LITTLE_ENDIAN).getInt(off + Superblock.MAGIC_OFFSET);
                int be = Integer.reverseBytes(le);
                if (le != Superblock.FS_UFS1_MAGIC && le != Superblock.FS_UFS2_MAGIC
                        && be != Superblock.FS_UFS1_MAGIC && be != Superblock.FS_UFS2_MAGIC) {
                    continue;
                }
                long at = base + off;
                Superblock sb = candidate(disk, at, devSize);
                if (sb != null && isCopyLocation(sb, at)) {
                    return sb;
                }
            }
        }
        return null;
    }

    private static boolean isCopyLocation(Superblock sb, long at) {
        if (at % sb.fsize != 0) {
            return false;
        }
        long frag = at / sb.fsize - sb.sblkno;
        long cg = Math.max(0, frag / sb.fpg);
        for (long c = Math.max(0, cg - 1); c <= cg + 1 && c < sb.ncg; c++) {
            if (sb.cgstart(c) == frag && at != primaryOf(sb)) {
                return true;
            }
        }
        return false;
    }

    static void write(Disk disk, Superblock sb, long at) throws VfsException {
        byte[] bytes = sb.encode(sb.order);
        disk.writeBytes(at, bytes, "superblock");
    }

}
