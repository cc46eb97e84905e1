package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.rumpmount.block.BlockDevice;

/**
 * What dumplfs shows of an unmounted LFS, as text: the superblock's fields, both checkpoints
 * (each superblock copy that holds one, with its serial number, log position and time, and
 * which one a mount uses), the cleaner info, and the segment usage table, one line per segment.
 * Reads only; fields are named as in struct dlfs, times are UTC.
 */
public final class LfsDumper {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

    private LfsDumper() {
    }

    /** The dump of the LFS on {@code dev}; EFTYPE when there is none, EIO when what it points at cannot be read. */
    public static String dump(BlockDevice dev) throws IOException {
        LfsFileSystem fs = LfsFileSystem.open(dev);
        Superblock sb = fs.sb;
        StringBuilder out = new StringBuilder();
        superblock(out, sb);
        checkpoints(out, dev, fs);
        cleanerInfo(out, fs.cleanerInfo());
        segments(out, fs);
        return out.toString();
    }

    static String time(long sec) {
        return TIME.format(Instant.ofEpochSecond(sec));
    }

    private static void field(StringBuilder out, String name, Object value) {
        out.append(String.format("    %-12s %s%n", name, value));
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static void superblock(StringBuilder out, Superblock sb) {
        out.append("LFS superblock at byte ").append(sb.location).append(" (")
                .append(sb.layout.is64() ? "64-bit" : "32-bit").append(", ")
                .append(sb.layout.order().toString().toLowerCase(Locale.ROOT).replace('_', '-')).append(")\n");
        field(out, "magic", hex(sb.magic));
        field(out, "version", sb.version);
        field(out, "size", sb.size);
        field(out, "dsize", sb.dsize);
        field(out, "ssize", sb.ssize);
        field(out, "bsize", sb.bsize);
        field(out, "fsize", sb.fsize);
        field(out, "frag", sb.frag);
        field(out, "ibsize", sb.ibsize);
        field(out, "sumsize", sb.sumsize);
        field(out, "minfree", sb.minfree);
        field(out, "inopb", sb.inopb);
        field(out, "ifpb", sb.ifpb);
        field(out, "sepb", sb.sepb);
        field(out, "nindir", sb.nindir);
        field(out, "nseg", sb.nseg);
        field(out, "fsbpseg", sb.fsbpseg);
        field(out, "cleansz", sb.cleansz);
        field(out, "segtabsz", sb.segtabsz);
        field(out, "minfreeseg", sb.minfreeseg);
        field(out, "maxfilesize", hex(sb.maxfilesize));
        field(out, "maxsymlinklen", sb.maxsymlinklen);
        field(out, "seg0addr", sb.s0addr);
        field(out, "ident", hex(sb.ident & 0xffffffffL));
        field(out, "inodefmt", sb.inodefmt);
        field(out, "pflags", hex(sb.pflags) + ((sb.pflags & Superblock.PF_CLEAN) != 0 ? " (clean)" : " (not clean)"));
        StringBuilder offs = new StringBuilder();
        for (long a : sb.sboffs) {
            if (a > 0) {
                offs.append(offs.length() == 0 ? "" : " ").append(hex(a));
            }
        }
        field(out, "sboffs", offs);
    }

    /** Each superblock copy at dlfs_sboffs[0] and [1]: the two checkpoints NetBSD alternates between. */
    private static void checkpoints(StringBuilder out, BlockDevice dev, LfsFileSystem fs) throws IOException {
        Superblock sb = fs.sb;
        out.append("\nCheckpoints\n");
        out.append(String.format("    %-4s %-12s %10s %10s %10s %10s %10s %8s %8s  %s%n", "copy", "at", "serial",
                "offset", "curseg", "nextseg", "idaddr", "nclean", "nfiles", "tstamp"));
        for (int i = 0; i < 2; i++) {
            long frag = sb.sboffs[i];
            if (frag <= 0) {
                out.append(String.format("    %-4d none%n", i));
                continue;
            }
            long at = sb.byteOffset(frag);
            Superblock c = at + Superblock.DISK_SIZE <= dev.size() ? LfsFileSystem.readSuperblock(dev, at) : null;
            if (c == null) {
                out.append(String.format("    %-4d %-12s no superblock there%n", i, hex(frag)));
                continue;
            }
            String note = c.cksum != c.computedCksum ? "  (checksum " + hex(c.cksum) + ", computed "
                    + hex(c.computedCksum) + ")" : c.location == sb.location ? "  (mounted)" : "";
            out.append(String.format("    %-4d %-12s %10d %10s %10s %10s %10s %8d %8d  %s (%d)%s%n", i, hex(frag),
                    c.serial, hex(c.offset), hex(c.curseg), hex(c.nextseg), hex(c.idaddr), c.nclean, c.nfiles,
                    time(c.tstamp), c.tstamp, note));
        }
    }

    private static void cleanerInfo(StringBuilder out, CleanerInfo ci) {
        out.append("\nCleaner info\n");
        field(out, "clean", ci.clean());
        field(out, "dirty", ci.dirty());
        field(out, "bfree", ci.bfree());
        field(out, "avail", ci.avail());
        field(out, "free_head", ci.freeHead());
        field(out, "free_tail", ci.freeTail());
        field(out, "flags", hex(ci.flags()));
    }

    /** The flags of a segment usage entry as letters, in NetBSD's SEGUSE_* order; '-' for each one clear. */
    static String flags(int f) {
        char[] c = {'A', 'D', 'S', 'E', 'e', 'I'};
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < c.length; i++) {
            s.append((f & (1 << i)) != 0 ? c[i] : '-');
        }
        return s.toString();
    }

    private static void segments(StringBuilder out, LfsFileSystem fs) throws IOException {
        Superblock sb = fs.sb;
        out.append("\nSegment usage table (flags: A active, D dirty, S superblock, E error, e empty, I invalid)\n");
        out.append(String.format("    %6s  %-6s %10s %6s %6s  %s%n", "segnum", "flags", "nbytes", "nsums", "ninos",
                "lastmod"));
        for (long sn = 0; sn < sb.nseg; sn++) {
            SegUse su = fs.segUse(sn);
            out.append(String.format("    %6d  %-6s %10d %6d %6d  %s (%d)%n", sn, flags(su.flags()), su.nbytes(),
                    su.nsums(), su.ninos(), time(su.lastmod()), su.lastmod()));
        }
    }
}
