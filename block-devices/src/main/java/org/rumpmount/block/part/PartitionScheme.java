package org.rumpmount.block.part;

/** The kinds of partition table this package reads. */
public enum PartitionScheme {
    /** The PC master boot record, with logical partitions in a chain of extended boot records. */
    MBR("MBR"),
    /** The UEFI GUID partition table. */
    GPT("GPT"),
    /** NetBSD's disklabel: offsets count from the start of the whole disk. */
    NETBSD_DISKLABEL("NetBSD disklabel"),
    /** FreeBSD's bsdlabel inside an MBR slice: offsets count from the raw partition's start. */
    FREEBSD_DISKLABEL("FreeBSD disklabel"),
    /**
     * OpenBSD's disklabel inside an MBR partition of type 0xA6: offsets count from the start of
     * the whole disk, in 48 bits; at most 16 partitions, c the whole disk.
     */
    OPENBSD_DISKLABEL("OpenBSD disklabel");

    private final String displayName;

    PartitionScheme(String displayName) {
        this.displayName = displayName;
    }

    /** The name used in listings and messages. */
    public String displayName() {
        return displayName;
    }

    /** Whether this scheme names its partitions by letter ({@code a}, {@code b}, ...). */
    public boolean isDisklabel() {
        return this == NETBSD_DISKLABEL || this == FREEBSD_DISKLABEL || this == OPENBSD_DISKLABEL;
    }
}
