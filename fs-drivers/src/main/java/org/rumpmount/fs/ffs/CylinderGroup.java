package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * A cylinder group header (NetBSD's struct cg) with the offsets of its maps. Reading needs
 * only its summary; the allocation maps matter to the write side, which is why the map offsets
 * are decoded and checked to lie inside the group's block.
 */
public final class CylinderGroup {
    static final int CG_MAGIC = 0x090255;

    int magic;
    int oldTime;
    long cgx;
    int oldNcyl;
    int oldNiblk;
    long ndblk;
    /** cg_cs: ndir, nbfree, nifree, nffree. */
    public final int[] cs = new int[4];
    long rotor;
    long frotor;
    long irotor;
    public final long[] frsum = new long[SuperblockValidator.MAXFRAG];
    public int oldBtotoff;
    public int oldBoff;
    public long iusedoff;
    public long freeoff;
    long nextfreeoff;
    public long clustersumoff;
    public long clusteroff;
    long nclusterblks;
    long niblk;
    public long initediblk;
    long time;

    public static CylinderGroup decode(ByteBuffer b) {
        CylinderGroup g = new CylinderGroup();
        g.magic = b.getInt(4);
        g.oldTime = b.getInt(8);
        g.cgx = b.getInt(12) & 0xffffffffL;
        g.oldNcyl = b.getShort(16);
        g.oldNiblk = b.getShort(18);
        g.ndblk = b.getInt(20) & 0xffffffffL;
        for (int i = 0; i < 4; i++) {
            g.cs[i] = b.getInt(24 + 4 * i);
        }
        g.rotor = b.getInt(40) & 0xffffffffL;
        g.frotor = b.getInt(44) & 0xffffffffL;
        g.irotor = b.getInt(48) & 0xffffffffL;
        for (int i = 0; i < g.frsum.length; i++) {
            g.frsum[i] = b.getInt(52 + 4 * i) & 0xffffffffL;
        }
        g.oldBtotoff = b.getInt(84);
        g.oldBoff = b.getInt(88);
        g.iusedoff = b.getInt(92) & 0xffffffffL;
        g.freeoff = b.getInt(96) & 0xffffffffL;
        g.nextfreeoff = b.getInt(100) & 0xffffffffL;
        g.clustersumoff = b.getInt(104) & 0xffffffffL;
        g.clusteroff = b.getInt(108) & 0xffffffffL;
        g.nclusterblks = b.getInt(112) & 0xffffffffL;
        g.niblk = b.getInt(116) & 0xffffffffL;
        g.initediblk = b.getInt(120) & 0xffffffffL;
        g.time = b.getLong(136);
        return g;
    }

    public void encode(ByteBuffer b) {
        b.putInt(4, magic).putInt(8, oldTime).putInt(12, (int) cgx);
        b.putShort(16, (short) oldNcyl).putShort(18, (short) oldNiblk).putInt(20, (int) ndblk);
        for (int i = 0; i < 4; i++) {
            b.putInt(24 + 4 * i, cs[i]);
        }
        b.putInt(40, (int) rotor).putInt(44, (int) frotor).putInt(48, (int) irotor);
        for (int i = 0; i < frsum.length; i++) {
            b.putInt(52 + 4 * i, (int) frsum[i]);
        }
        b.putInt(84, oldBtotoff).putInt(88, oldBoff).putInt(92, (int) iusedoff).putInt(96, (int) freeoff);
        b.putInt(100, (int) nextfreeoff).putInt(104, (int) clustersumoff).putInt(108, (int) clusteroff);
        b.putInt(112, (int) nclusterblks).putInt(116, (int) niblk).putInt(120, (int) initediblk);
        b.putLong(136, time);
    }

    /** Reads and checks cylinder group {@code cg}'s header. */
    static CylinderGroup read(FfsIo io, Superblock sb, int cg) throws VfsException {
        if (cg < 0 || cg >= sb.ncg) {
            throw new VfsException(Errno.EINVAL, "cylinder group " + cg + " out of range 0.." + (sb.ncg - 1));
        }
        ByteBuffer b = io.readFrags(sb.cgtod(cg), sb.cgsize, "cylinder group " + cg + " header");
        CylinderGroup g = decode(b);
        g.check(sb, cg);
        return g;
    }

    public void check(Superblock sb, int cg) throws VfsException {
        String where = "cylinder group " + cg + ": ";
        if (magic != CG_MAGIC) {
            throw new VfsException(Errno.EIO, where + "bad magic 0x" + Integer.toHexString(magic) + ", expected 0x"
                    + Integer.toHexString(CG_MAGIC));
        }
        if (cgx != cg) {
            throw new VfsException(Errno.EIO, where + "cg_cgx is " + cgx + ", expected " + cg);
        }
        long[][] maps = {{iusedoff, (sb.ipg + 7L) / 8}, {freeoff, (sb.fpg + 7L) / 8}};
        String[] names = {"cg_iusedoff", "cg_freeoff"};
        for (int i = 0; i < maps.length; i++) {
            if (maps[i][0] < 0 || maps[i][0] + maps[i][1] > sb.cgsize) {
                throw new VfsException(Errno.EIO, where + names[i] + " " + maps[i][0] + " with a map of " + maps[i][1]
                        + " bytes overruns the group's " + sb.cgsize + " bytes");
            }
        }
        if (nextfreeoff > sb.cgsize) {
            throw new VfsException(Errno.EIO, where + "cg_nextfreeoff " + nextfreeoff + " beyond fs_cgsize " + sb.cgsize);
        }
    }
}
