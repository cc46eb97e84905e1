package org.rumpmount.block.part;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a BSD disklabel at the start of the disk or of an MBR slice and turns its entries into
 * partitions, with offsets as the label's flavour defines them.
 *
 * <ul>
 *   <li>NetBSD: {@code p_offset} counts from the start of the whole disk, also for a label inside
 *       an MBR partition of type 0xA9 (found in its sector 1, LABELSECTOR). The raw partition is c
 *       on most ports and d on i386 and amd64 (RAW_PART 3, with c then the NetBSD slice).</li>
 *   <li>FreeBSD (slice type 0xA5): the label lies in sector 1 of the slice inside the 8 KiB boot
 *       area (BBSIZE 8192, LABELSECTOR 1, LABELOFFSET 0); offsets count from the raw partition c's
 *       {@code p_offset}, as GEOM's BSD scheme reads them. Modern labels set c's offset to 0 and
 *       so are slice-relative; older ones set it to the slice's start and hold absolute offsets:
 *       subtracting c's offset reads both, and entries that start before c are ignored.</li>
 *   <li>OpenBSD (slice type 0xA6): the label lies in sector 1 of the slice (LABELSECTOR) and its
 *       offsets count from the start of the disk, in 48 bits since label version 1; c is the
 *       whole disk (RAW_PART 2 on every port).</li>
 * </ul>
 */
final class DisklabelReader {
    /** Labels lie within the first three sectors (NetBSD's SCANBLOCKS). */
    private static final int SCAN_SECTORS = 3;
    private static final int FREEBSD_RAW_PART = 2;

    private DisklabelReader() {
    }

    /** The label found, its partitions, and a description of where it was found. */
    record Result(List<Partition> partitions, String description) {
    }

    /**
     * Reads the label of {@code flavour} at the start of {@code slice} (or of the disk, when
     * {@code slice} is {@code null}); {@code null} when there is none.
     */
    static Result read(Scan scan, Partition slice, PartitionScheme flavour) throws PartitionTableException {
        long start = slice == null ? 0 : slice.offset();
        long length = slice == null ? scan.device.size() : slice.size();
        int regionLength = (int) Math.min(SCAN_SECTORS * (long) scan.sectorSize, length);
        if (regionLength < Disklabel.PARTITIONS_OFFSET || !scan.fits(start, regionLength)) {
            return null;
        }
        String where = slice == null ? "the start of the disk" : slice.describe();
        Disklabel.Found found = Disklabel.find(scan.read(start, regionLength, "disklabel area of " + where),
                flavour == PartitionScheme.OPENBSD_DISKLABEL);
        if (found.label() == null) {
            if (found.rejected() != null) {
                scan.warn(flavour.displayName() + " in " + where + " ignored: " + found.rejected());
            }
            return null;
        }
        Disklabel label = found.label();
        long secsize = sectorSize(scan, label, where);
        List<Partition> out = flavour == PartitionScheme.FREEBSD_DISKLABEL
                ? freebsd(scan, label, secsize, slice, start, length)
                : diskRelative(scan, flavour, label, secsize, slice, start, length);
        String description = flavour.displayName() + " ("
                + (label.order() == ByteOrder.BIG_ENDIAN ? "big-endian" : "little-endian") + ", "
                + label.partitions().size() + " entries) at byte " + (start + label.at()) + " in " + where;
        return new Result(out, description);
    }

    private static long sectorSize(Scan scan, Disklabel label, String where) {
        long s = label.secsize();
        if (s < 256 || s > 65536 || Long.bitCount(s) != 1) {
            scan.warn("disklabel in " + where + " has sector size " + s + "; using the device's " + scan.sectorSize);
            return scan.sectorSize;
        }
        if (s != scan.sectorSize) {
            scan.warn("disklabel in " + where + " has sector size " + s + ", the device " + scan.sectorSize
                    + "; the label's offsets are read in its own sectors");
        }
        return s;
    }

    /**
     * NetBSD's and OpenBSD's labels, whose offsets count from the start of the disk. NetBSD's raw
     * partition is c or d, over the disk or the slice; OpenBSD's is c, over the disk.
     */
    private static List<Partition> diskRelative(Scan scan, PartitionScheme scheme, Disklabel label, long secsize,
            Partition slice, long start, long length) {
        List<Partition> out = new ArrayList<>();
        long disk = scan.device.size();
        boolean openbsd = scheme == PartitionScheme.OPENBSD_DISKLABEL;
        for (Disklabel.Entry e : label.partitions()) {
            if (e.size() == 0) {
                continue;
            }
            long offset = bytes(e.offset(), secsize);
            long size = bytes(e.size(), secsize);
            boolean wholeDisk = offset == 0 && (size >= disk || e.size() == label.secperunit());
            boolean wholeSlice = !openbsd && slice != null && offset == start && size == length;
            boolean raw = (e.index() == 2 || (!openbsd && e.index() == 3)) && (wholeDisk || wholeSlice);
            String problem = raw ? null : beyond(scan, scheme, e, offset, size, 0, disk, "the disk");
            out.add(partition(scheme, e, offset, raw ? Math.min(size, disk - offset) : size, raw, slice, problem));
        }
        return out;
    }

    private static List<Partition> freebsd(Scan scan, Disklabel label, long secsize, Partition slice, long start,
            long length) {
        List<Partition> out = new ArrayList<>();
        long base = label.partitions().size() > FREEBSD_RAW_PART ? label.partitions().get(FREEBSD_RAW_PART).offset() : 0;
        for (Disklabel.Entry e : label.partitions()) {
            if (e.size() == 0) {
                continue;
            }
            if (e.offset() < base) {
                scan.warn("FreeBSD disklabel partition " + letter(e) + " starts at sector " + e.offset()
                        + ", before the raw partition c (sector " + base + "); ignored, as FreeBSD does");
                continue;
            }
            long offset = start + (e.offset() - base) * secsize;
            long size = e.size() * secsize;
            boolean raw = e.index() == FREEBSD_RAW_PART;
            String problem = beyond(scan, PartitionScheme.FREEBSD_DISKLABEL, e, offset, size, start, start + length,
                    slice == null ? "the disk" : slice.describe());
            out.add(partition(PartitionScheme.FREEBSD_DISKLABEL, e, offset, size, raw, slice, problem));
        }
        return out;
    }

    /**
     * Sectors in bytes; OpenBSD's 48-bit sector numbers times a 64 KiB sector would overflow, so
     * the product saturates (and so lies past the end of any device).
     */
    private static long bytes(long sectors, long secsize) {
        return sectors > Long.MAX_VALUE / secsize ? Long.MAX_VALUE : sectors * secsize;
    }

    /** A warning and a problem when the partition does not lie in {@code [lo, hi)}, else {@code null}. */
    private static String beyond(Scan scan, PartitionScheme scheme, Disklabel.Entry e, long offset, long size, long lo,
            long hi, String container) {
        if (offset >= lo && offset <= hi && size <= hi - offset) {
            return null;
        }
        long end = offset > Long.MAX_VALUE - size ? Long.MAX_VALUE : offset + size;
        String problem = scheme.displayName() + " partition " + letter(e) + " (offset " + e.offset() + ", size "
                + e.size() + " sectors: bytes " + offset + " to " + end + ") extends past the end of "
                + container + " (byte " + hi + ")";
        scan.warn(problem);
        return problem;
    }

    private static Partition partition(PartitionScheme scheme, Disklabel.Entry e, long offset, long size, boolean raw,
            Partition slice, String problem) {
        return new Partition(scheme, e.index(), letter(e), "", PartitionTypes.fstypeName(scheme, e.fstype()),
                Integer.toString(e.fstype()), offset, size, raw, false, slice, problem);
    }

    private static String letter(Disklabel.Entry e) {
        return String.valueOf((char) ('a' + e.index()));
    }
}
