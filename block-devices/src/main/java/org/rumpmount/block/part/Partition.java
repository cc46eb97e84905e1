package org.rumpmount.block.part;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One entry of a partition table, placed in the tree of tables a disk holds: an MBR slot, a
 * logical partition inside an extended partition, a GPT entry, or a disklabel partition inside an
 * MBR slice (its parent).
 *
 * <p>Offsets and sizes are in bytes from the start of the scanned device, whatever the table's own
 * units and origin were (sectors, slice-relative or disk-relative), so a window can be made
 * directly. An entry the table describes but that cannot be used (it lies past the end of the disk
 * or outside its parent) is kept, with {@link #problem()} saying why, so a listing shows it and
 * opening it gives that reason.
 */
public final class Partition {
    private final PartitionScheme scheme;
    private final int index;
    private final String entry;
    private final String label;
    private final String typeName;
    private final String typeCode;
    private final long offset;
    private final long size;
    private final boolean raw;
    private final boolean container;
    private final Partition parent;
    private final String problem;
    private final List<Partition> children = new ArrayList<>();
    private int number;

    Partition(PartitionScheme scheme, int index, String entry, String label, String typeName, String typeCode,
            long offset, long size, boolean raw, boolean container, Partition parent, String problem) {
        this.scheme = scheme;
        this.index = index;
        this.entry = entry;
        this.label = label;
        this.typeName = typeName;
        this.typeCode = typeCode;
        this.offset = offset;
        this.size = size;
        this.raw = raw;
        this.container = container;
        this.parent = parent;
        this.problem = problem;
    }

    /** The table this entry belongs to. */
    public PartitionScheme scheme() {
        return scheme;
    }

    /**
     * The entry's number in its own table: the MBR slot 1..4 or, for a logical partition, 5 and up
     * in chain order (as Linux numbers them); the GPT entry number from 1; the disklabel partition
     * index from 0 ({@code a} is 0).
     */
    public int index() {
        return index;
    }

    /** The entry as its own table names it: "1", "5", "a". */
    public String entry() {
        return entry;
    }

    /** The disklabel letter, or {@code 0} when this is not a disklabel partition. */
    public char letter() {
        return scheme.isDisklabel() ? (char) ('a' + index) : 0;
    }

    /** The GPT partition name, or the empty string. */
    public String label() {
        return label;
    }

    /** The partition type in words, e.g. "NetBSD FFS", "4.2BSD", "Linux". */
    public String typeName() {
        return typeName;
    }

    /** The partition type as stored: "0xa9", a GUID, or a disklabel fstype number. */
    public String typeCode() {
        return typeCode;
    }

    /** Start in bytes from the start of the scanned device. */
    public long offset() {
        return offset;
    }

    /** Length in bytes. */
    public long size() {
        return size;
    }

    /**
     * Whether this is a disklabel's raw partition (c, or d on i386 and amd64), which covers the
     * whole disk or slice rather than holding a file system of its own.
     */
    public boolean isRaw() {
        return raw;
    }

    /** Whether this is an MBR extended partition, holding logical partitions rather than data. */
    public boolean isContainer() {
        return container;
    }

    /** The entry this one is nested in, or {@code null} for a top-level entry. */
    public Partition parent() {
        return parent;
    }

    /** Entries nested in this one: logical partitions, or the partitions of a disklabel in this slice. */
    public List<Partition> children() {
        return Collections.unmodifiableList(children);
    }

    /** Why this entry cannot be opened, or {@code null} when it can. */
    public String problem() {
        return problem;
    }

    /** The 1-based number in the table's flattened listing, as users select it with {@code IMAGE@N}. */
    public int number() {
        return number;
    }

    /** "MBR 1", "NetBSD disklabel a", "GPT 2 "netbsd root"": how messages name this entry. */
    public String describe() {
        String s = scheme.displayName() + " partition " + entry;
        return label.isEmpty() ? s : s + " \"" + label + "\"";
    }

    void addChild(Partition child) {
        children.add(child);
    }

    void number(int n) {
        this.number = n;
    }

    @Override
    public String toString() {
        return describe() + " (" + typeName + ", offset " + offset + ", size " + size + ")";
    }
}
