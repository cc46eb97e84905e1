package org.rumpmount.block.part;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The 512-byte PC boot record: the MBR in sector 0, and each extended boot record (EBR) of a
 * logical-partition chain. Four 16-byte entries at byte 446 and the signature 0x55 0xAA at 510;
 * all fields little-endian, addresses in sectors.
 */
final class BootRecord {
    static final int SIZE = 512;
    private static final int ENTRIES_OFFSET = 446;
    private static final int ENTRY_SIZE = 16;
    private static final int SIGNATURE_OFFSET = 510;

    /** One slot: boot flag, system ID, first sector and sector count (relative to a base that depends on the record). */
    record Entry(int slot, int status, int type, long start, long sectors) {
        boolean isEmpty() {
            return type == PartitionTypes.MBR_EMPTY || sectors == 0;
        }
    }

    private final List<Entry> entries;
    private final boolean signed;

    private BootRecord(List<Entry> entries, boolean signed) {
        this.entries = entries;
        this.signed = signed;
    }

    static BootRecord decode(ByteBuffer sector) {
        ByteBuffer b = sector.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int base = b.position();
        boolean signed = (b.get(base + SIGNATURE_OFFSET) & 0xff) == 0x55 && (b.get(base + SIGNATURE_OFFSET + 1) & 0xff) == 0xaa;
        List<Entry> entries = new ArrayList<>(4);
        for (int i = 0; i < 4; i++) {
            int e = base + ENTRIES_OFFSET + i * ENTRY_SIZE;
            entries.add(new Entry(i + 1, b.get(e) & 0xff, b.get(e + 4) & 0xff,
                    Integer.toUnsignedLong(b.getInt(e + 8)), Integer.toUnsignedLong(b.getInt(e + 12))));
        }
        return new BootRecord(List.copyOf(entries), signed);
    }

    /** Whether the record ends in 0x55 0xAA. */
    boolean signed() {
        return signed;
    }

    List<Entry> entries() {
        return entries;
    }

    /**
     * Why these bytes, though signed, are not a partition table, or {@code null} when they may be
     * one. Volume boot records (a FAT boot sector, a BSD boot block before a bare disklabel) also
     * end in 0x55 0xAA; their code and data land where the entries would be, and rarely leave
     * every boot flag at 0x00 or 0x80, as Linux also checks.
     */
    String notATable() {
        if (!signed) {
            return "no 0x55AA signature";
        }
        for (Entry e : entries) {
            if (e.status() != 0x00 && e.status() != 0x80) {
                return String.format("entry %d has boot flag 0x%02x (only 0x00 and 0x80 are valid)", e.slot(), e.status());
            }
        }
        return null;
    }

    /** Whether an entry has the GPT protective type 0xEE. */
    boolean protective() {
        return entries.stream().anyMatch(e -> e.type() == PartitionTypes.MBR_GPT_PROTECTIVE);
    }
}
