package org.rumpmount.block.part;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.block.BlockDeviceException;
import org.rumpmount.block.WindowBlockDevice;

/**
 * The partition tables found on one device, as a tree: top-level MBR or GPT entries (or the
 * entries of a bare disklabel), with logical partitions under their extended partition and
 * disklabel partitions under their MBR slice. Every entry is numbered from 1 in the order the tree
 * is listed (depth first), which is the number users give in {@code IMAGE@N}.
 *
 * <p>Damage that leaves the table usable is reported in {@link #warnings()}: a GPT read from its
 * backup copy, overlapping partitions, entries past the end of the disk (which are listed, but
 * cannot be opened).
 */
public final class PartitionTable {
    private final String deviceName;
    private final long deviceSize;
    private final List<Partition> roots;
    private final List<Partition> all;
    private final List<String> tables;
    private final List<String> warnings;

    PartitionTable(String deviceName, long deviceSize, List<Partition> roots, List<String> tables, List<String> warnings) {
        this.deviceName = deviceName;
        this.deviceSize = deviceSize;
        this.roots = List.copyOf(roots);
        List<Partition> flat = new ArrayList<>();
        for (Partition p : roots) {
            flatten(p, flat);
        }
        for (int i = 0; i < flat.size(); i++) {
            flat.get(i).number(i + 1);
        }
        this.all = List.copyOf(flat);
        this.tables = List.copyOf(tables);
        List<String> w = new ArrayList<>(warnings);
        checkOverlaps(this.roots, w);
        for (Partition p : all) {
            checkOverlaps(p.children(), w);
        }
        this.warnings = Collections.unmodifiableList(w);
    }

    private static void flatten(Partition p, List<Partition> out) {
        out.add(p);
        for (Partition c : p.children()) {
            flatten(c, out);
        }
    }

    /**
     * Warns about siblings of one table that share bytes. Raw partitions cover the others by design,
     * and an entry with a problem is already reported.
     */
    private void checkOverlaps(List<Partition> siblings, List<String> out) {
        List<Partition> sorted = new ArrayList<>();
        for (Partition p : siblings) {
            if (!p.isRaw() && p.problem() == null && p.size() > 0) {
                sorted.add(p);
            }
        }
        sorted.sort(Comparator.comparingLong(Partition::offset));
        for (int i = 0; i < sorted.size(); i++) {
            Partition a = sorted.get(i);
            for (int j = i + 1; j < sorted.size() && sorted.get(j).offset() < a.offset() + a.size(); j++) {
                Partition b = sorted.get(j);
                if (a.scheme() != b.scheme()) {
                    continue;
                }
                out.add(deviceName + ": " + a.describe() + " (bytes " + a.offset() + " to " + (a.offset() + a.size())
                        + ") overlaps " + b.describe() + " (bytes " + b.offset() + " to " + (b.offset() + b.size()) + ")");
            }
        }
    }

    /** The scanned device's name. */
    public String deviceName() {
        return deviceName;
    }

    /** Whether no partition table was found: the device is then one file system, or blank. */
    public boolean isEmpty() {
        return all.isEmpty() && tables.isEmpty();
    }

    /** The top-level entries. */
    public List<Partition> roots() {
        return roots;
    }

    /** Every entry, depth first, so that {@code partitions().get(n - 1).number() == n}. */
    public List<Partition> partitions() {
        return all;
    }

    /** One line per table found, saying which scheme, where, and in which byte order. */
    public List<String> tables() {
        return tables;
    }

    /** Damage that left the tables usable, each naming the device, table, entry and values. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * A window of {@code disk} (the device this table was read from) over {@code p}. Fails with a
     * message naming the entry when it cannot hold a file system: it lies outside the disk, or it
     * is an extended partition (a container of logical partitions).
     */
    public WindowBlockDevice open(BlockDevice disk, Partition p, boolean readOnly) throws PartitionTableException {
        if (!all.contains(p)) {
            throw new IllegalArgumentException(p + " is not in the partition table of " + deviceName);
        }
        if (p.problem() != null) {
            throw new PartitionTableException(deviceName + ": cannot open " + p.describe() + ": " + p.problem());
        }
        if (p.isContainer()) {
            throw new PartitionTableException(deviceName + ": " + p.describe() + " is an extended partition, a container"
                    + " of logical partitions; select one of those instead");
        }
        if (disk.size() != deviceSize) {
            throw new IllegalArgumentException(disk.name() + " (size " + disk.size() + ") is not the device "
                    + deviceName + " (size " + deviceSize + ") this table was read from");
        }
        try {
            return WindowBlockDevice.of(disk, p.offset(), p.size(), readOnly);
        } catch (BlockDeviceException e) {
            throw new PartitionTableException(deviceName + ": cannot open " + p.describe() + ": " + e.getMessage(), e);
        }
    }

    /** The tree as users see it: one line per entry, with its number, entry, type, range and any problem. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(deviceName).append(": ").append(deviceSize).append(" bytes");
        if (isEmpty()) {
            sb.append(", no partition table\n");
            return sb.append(warningLines()).toString();
        }
        sb.append('\n');
        for (String t : tables) {
            sb.append("  ").append(t).append('\n');
        }
        for (Partition p : all) {
            int depth = 0;
            for (Partition q = p.parent(); q != null; q = q.parent()) {
                depth++;
            }
            String entry = p.scheme() == PartitionScheme.MBR ? "mbr" + p.entry()
                    : p.scheme() == PartitionScheme.GPT ? "gpt" + p.entry() : p.entry();
            sb.append(String.format("%3d  %-8s %-13s %-28s offset %d, size %d", p.number(), "  ".repeat(depth) + entry,
                    p.typeCode().length() > 13 ? p.typeCode().substring(0, 8) + "..." : p.typeCode(),
                    p.typeName(), p.offset(), p.size()));
            if (!p.label().isEmpty()) {
                sb.append(", name \"").append(p.label()).append('"');
            }
            if (p.isRaw()) {
                sb.append(", raw");
            }
            if (p.isContainer()) {
                sb.append(", extended");
            }
            if (p.problem() != null) {
                sb.append(", UNUSABLE: ").append(p.problem());
            }
            sb.append('\n');
        }
        return sb.append(warningLines()).toString();
    }

    private String warningLines() {
        StringBuilder sb = new StringBuilder();
        for (String w : warnings) {
            sb.append("  warning: ").append(w).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
