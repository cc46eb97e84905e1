package org.rumpmount.block.part;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the MBR in sector 0 and, for each extended partition, its chain of extended boot records.
 *
 * <p>In each EBR the first data entry is a logical partition whose start counts from that EBR's
 * own sector; the extended entry links to the next EBR, its start counting from the first EBR
 * (the extended partition's start). A hostile chain may loop or run on forever, so every EBR is
 * remembered and the chain is bounded: a loop or an overlong chain is an error, never a hang.
 */
final class MbrReader {
    /** More logical partitions than any real disk holds (Linux stops its walk far earlier). */
    static final int MAX_LOGICAL = 128;

    private final Scan scan;
    private int nextLogical = 5;

    private MbrReader(Scan scan) {
        this.scan = scan;
    }

    /** The MBR's partitions, or {@code null} when sector 0 holds no MBR partition table. */
    static List<Partition> read(Scan scan, BootRecord mbr) throws PartitionTableException {
        if (mbr.notATable() != null) {
            return null;
        }
        return new MbrReader(scan).primaries(mbr);
    }

    private List<Partition> primaries(BootRecord mbr) throws PartitionTableException {
        List<Partition> out = new ArrayList<>();
        for (BootRecord.Entry e : mbr.entries()) {
            if (e.isEmpty()) {
                continue;
            }
            boolean extended = PartitionTypes.isMbrExtended(e.type());
            String problem = beyondDisk("MBR entry " + e.slot(), e.start(), e.sectors());
            Partition p = partition(e.slot(), e, e.start(), extended, null, problem);
            out.add(p);
            if (extended && problem == null) {
                logicals(p, e.start(), e.start() + e.sectors());
            }
        }
        return out;
    }

    private void logicals(Partition container, long extBase, long extEnd) throws PartitionTableException {
        Map<Long, Integer> seen = new HashMap<>();
        long ebr = extBase;
        while (true) {
            int logical = nextLogical;
            Integer before = seen.putIfAbsent(ebr, logical);
            if (before != null) {
                throw new PartitionTableException(scan.name() + ": MBR extended partition " + container.entry()
                        + ": the chain of extended boot records loops: the EBR read for logical partition "
                        + (logical - 1) + " links to LBA " + ebr + ", already read for logical partition " + before);
            }
            if (seen.size() > MAX_LOGICAL) {
                throw new PartitionTableException(scan.name() + ": MBR extended partition " + container.entry()
                        + ": more than " + MAX_LOGICAL + " extended boot records in the chain (now at LBA " + ebr
                        + "); the chain is corrupt");
            }
            if (ebr < extBase || ebr >= extEnd) {
                scan.warn("MBR extended partition " + container.entry() + ": the link after logical partition "
                        + (logical - 1) + " points to LBA " + ebr + ", outside the extended partition (LBA " + extBase
                        + " to " + (extEnd - 1) + "); ignoring the rest of the chain");
                return;
            }
            BootRecord record = BootRecord.decode(scan.read(ebr * scan.sectorSize, BootRecord.SIZE,
                    "extended boot record at LBA " + ebr));
            if (!record.signed()) {
                scan.warn("MBR extended partition " + container.entry() + ": the extended boot record at LBA " + ebr
                        + " has no 0x55AA signature; ignoring it and the rest of the chain");
                return;
            }
            BootRecord.Entry link = null;
            for (BootRecord.Entry e : record.entries()) {
                if (e.isEmpty()) {
                    continue;
                }
                if (PartitionTypes.isMbrExtended(e.type())) {
                    if (link == null) {
                        link = e;
                    }
                    continue;
                }
                long start = ebr + e.start();
                String where = "logical partition " + nextLogical + " (EBR at LBA " + ebr + ")";
                String problem = beyondDisk(where, start, e.sectors());
                if (problem == null && (start < extBase || start + e.sectors() > extEnd)) {
                    problem = where + " spans LBA " + start + " to " + (start + e.sectors() - 1)
                            + ", outside its extended partition (LBA " + extBase + " to " + (extEnd - 1) + ")";
                    scan.warn(problem);
                }
                Partition p = partition(nextLogical++, e, start, false, container, problem);
                container.addChild(p);
            }
            if (link == null) {
                return;
            }
            ebr = extBase + link.start();
        }
    }

    private Partition partition(int index, BootRecord.Entry e, long start, boolean container, Partition parent,
            String problem) {
        return new Partition(PartitionScheme.MBR, index, Integer.toString(index), "", PartitionTypes.mbrName(e.type()),
                PartitionTypes.mbrCode(e.type()), start * scan.sectorSize, e.sectors() * scan.sectorSize, false,
                container, parent, problem);
    }

    /** A warning and a problem when the entry ends past the last sector, else {@code null}. */
    private String beyondDisk(String what, long start, long sectors) {
        if (start + sectors <= scan.sectors) {
            return null;
        }
        String problem = what + " spans LBA " + start + " to " + (start + sectors - 1)
                + ", past the end of the disk (" + scan.sectors + " sectors of " + scan.sectorSize + " bytes)";
        scan.warn(problem);
        return problem;
    }
}
