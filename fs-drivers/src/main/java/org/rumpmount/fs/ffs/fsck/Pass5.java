package org.rumpmount.fs.ffs.fsck;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.rumpmount.fs.ffs.CylinderGroup;
import org.rumpmount.fs.ffs.Superblock;
import org.rumpmount.vfs.VfsException;

/**
 * Phase 5, Check Cyl groups (fsck_ffs pass5.c): each group's inode and fragment maps, its
 * counts, fragment-run summary and cluster map are rebuilt from what phases 1 to 4 found in use,
 * and compared with the disk; so are the per-group summaries in the fs_csaddr area and the
 * superblock's fs_cstotal. A group header that fails its checks is rebuilt from the superblock
 * ({@link CylinderGroupTemplate}) and then filled in like the others.
 */
final class Pass5 {
    private final FsckState st;
    private final Superblock sb;
    final long[] total = new long[4];

    Pass5(FsckState st) {
        this.st = st;
        this.sb = st.sb;
    }

    void run() throws VfsException, FsckState.PreenStop {
        boolean mapsAsked = false;
        boolean mapsFix = false;
        boolean sumAsked = false;
        boolean sumFix = false;
        int csFrags = (int) ((sb.cssize + sb.fsize - 1L) / sb.fsize);
        ByteBuffer csum = st.disk.readFrags(sb.csAddr(), csFrags * sb.fsize, "cylinder group summary area");
        boolean csumDirty = false;
        for (int cg = 0; cg < sb.ncg; cg++) {
            ByteBuffer raw = st.disk.readFrags(sb.cgtod(cg), sb.cgsize, "cylinder group " + cg + " header");
            CylinderGroup g = CylinderGroup.decode(raw);
            boolean rebuilt = false;
            try {
                g.check(sb, cg);
            } catch (VfsException e) {
                // pass5.c rebuilds every header from the superblock's geometry; a bad one is not a
                // crash's doing, so preen stops here.
                if (!st.ask("CG " + cg + ": BAD HEADER (" + e.getMessage() + ")", "REBUILD", false)) {
                    continue;
                }
                raw = CylinderGroupTemplate.make(sb, cg, st.initedInodes[cg]);
                g = CylinderGroup.decode(raw);
                rebuilt = true;
            }
            ByteBuffer want = ByteBuffer.wrap(raw.array().clone()).order(sb.order);
            CylinderGroup n = CylinderGroup.decode(want);
            int[] cs = rebuild(cg, want, n);
            n.encode(want);
            boolean mapsDiffer = !Arrays.equals(maps(raw, g), maps(want, n));
            boolean restDiffer = !Arrays.equals(cs, g.cs) || !Arrays.equals(n.frsum, g.frsum)
                    || (!mapsDiffer && !Arrays.equals(raw.array(), want.array()));
            boolean write = rebuilt;
            if (mapsDiffer) {
                if (!mapsAsked) {
                    mapsAsked = true;
                    mapsFix = st.ask("BLK(S) MISSING IN BIT MAPS", "SALVAGE", true);
                }
                write |= mapsFix;
            }
            if (restDiffer) {
                if (!sumAsked) {
                    sumAsked = true;
                    sumFix = st.ask("SUMMARY INFORMATION BAD", "SALVAGE", true);
                }
                write |= sumFix;
            }
            if (write) {
                st.disk.writeFrags(sb.cgtod(cg), want.array(), "cylinder group " + cg + " header");
            }
            int at = cg * 16;
            if (at + 16 <= csum.capacity()) {
                int[] disk = {csum.getInt(at), csum.getInt(at + 4), csum.getInt(at + 8), csum.getInt(at + 12)};
                if (!Arrays.equals(disk, cs)) {
                    if (!sumAsked) {
                        sumAsked = true;
                        sumFix = st.ask("SUMMARY INFORMATION BAD", "SALVAGE", true);
                    }
                    if (sumFix) {
                        for (int k = 0; k < 4; k++) {
                            csum.putInt(at + 4 * k, cs[k]);
                        }
                        csumDirty = true;
                    }
                }
            }
            for (int k = 0; k < 4; k++) {
                total[k] += cs[k];
            }
        }
        if (csumDirty) {
            st.disk.writeFrags(sb.csAddr(), csum.array(), "cylinder group summary area");
        }
        if (!Arrays.equals(sb.summary(), total)) {
            if (st.ask("FREE BLK COUNT(S) WRONG IN SUPERBLK", "SALVAGE", true)) {
                setSummary(sb, total);
                st.superblockDirty = true;
            }
        }
    }

    static void setSummary(Superblock sb, long[] t) {
        for (int k = 0; k < 4; k++) {
            sb.cstotal[k] = t[k];
            sb.oldCstotal[k] = (int) t[k];
        }
    }

    private byte[] maps(ByteBuffer b, CylinderGroup g) {
        int ilen = (int) ((sb.ipg + 7L) / 8);
        int flen = (int) ((sb.fpg + 7L) / 8);
        byte[] out = new byte[ilen + flen];
        b.get((int) g.iusedoff, out, 0, ilen);
        b.get((int) g.freeoff, out, ilen, flen);
        return out;
    }

    /** Rewrites the maps and summaries of {@code b} (a copy of group {@code cg}'s header); returns cg_cs. */
    private int[] rebuild(int cg, ByteBuffer b, CylinderGroup n) {
        int[] cs = new int[4];
        long ino0 = (long) cg * sb.ipg;
        int iused = (int) n.iusedoff;
        for (int i = 0; i < (sb.ipg + 7) / 8; i++) {
            b.put(iused + i, (byte) 0);
        }
        cs[2] = sb.ipg;
        for (int i = 0; i < sb.ipg; i++) {
            long ino = ino0 + i;
            byte s = st.state[(int) ino];
            boolean inUse = ino < FsckState.ROOTINO || s != FsckState.USTATE;
            if (inUse) {
                b.put(iused + i / 8, (byte) (b.get(iused + i / 8) | (1 << (i % 8))));
                cs[2]--;
                if (s == FsckState.DSTATE || s == FsckState.DCLEAR) {
                    cs[0]++;
                }
            }
        }
        long base = sb.cgbase(cg);
        long ndblk = Math.min(sb.fpg, sb.totalFrags() - base);
        int free = (int) n.freeoff;
        for (int i = 0; i < (sb.fpg + 7) / 8; i++) {
            b.put(free + i, (byte) 0);
        }
        Arrays.fill(n.frsum, 0);
        int frag = sb.frag;
        long nblocks = (ndblk + frag - 1) / frag;
        boolean[] blockFree = new boolean[(int) nblocks];
        for (long blk = 0; blk < nblocks; blk++) {
            int freeHere = 0;
            int run = 0;
            boolean whole = true;
            for (int k = 0; k < frag; k++) {
                long d = blk * frag + k;
                boolean isFree = d < ndblk && !st.used.get((int) (base + d));
                if (isFree) {
                    b.put(free + (int) (d / 8), (byte) (b.get(free + (int) (d / 8)) | (1 << (d % 8))));
                    freeHere++;
                    run++;
                } else {
                    whole = false;
                    if (run > 0) {
                        n.frsum[run]++;
                        run = 0;
                    }
                }
            }
            if (whole) {
                cs[1]++;
                blockFree[(int) blk] = true;
            } else {
                if (run > 0) {
                    n.frsum[run]++;
                }
                cs[3] += freeHere;
            }
        }
        if (sb.contigsumsize > 0 && n.clusteroff > 0 && n.clustersumoff > 0) {
            long nclusters = ndblk / frag;
            int coff = (int) n.clusteroff;
            for (int i = 0; i < (nblocks + 7) / 8 && coff + i < b.capacity(); i++) {
                b.put(coff + i, (byte) 0);
            }
            int[] sums = new int[sb.contigsumsize + 1];
            int run = 0;
            for (long blk = 0; blk < nclusters; blk++) {
                if (blockFree[(int) blk]) {
                    b.put(coff + (int) (blk / 8), (byte) (b.get(coff + (int) (blk / 8)) | (1 << (blk % 8))));
                    run++;
                } else if (run > 0) {
                    sums[Math.min(run, sb.contigsumsize)]++;
                    run = 0;
                }
            }
            if (run > 0) {
                sums[Math.min(run, sb.contigsumsize)]++;
            }
            for (int i = 1; i <= sb.contigsumsize; i++) {
                int at = (int) n.clustersumoff + 4 * i;
                if (at + 4 <= b.capacity()) {
                    b.putInt(at, sums[i]);
                }
            }
        }
        if (!sb.hasNewFields() && sb.oldCpg == 1 && sb.oldNrpos <= 1 && n.oldBtotoff > 0 && n.oldBoff > 0) {
            // A file system from before FS_FLAGS_UPDATED keeps the old per-cylinder tables; with one
            // cylinder and one rotational position both count the group's free blocks. Newer kernels
            // leave them alone, and so does fsck_ffs.
            b.putInt(n.oldBtotoff, cs[1]);
            b.putShort(n.oldBoff, (short) cs[1]);
        }
        System.arraycopy(cs, 0, n.cs, 0, 4);
        return cs;
    }
}
