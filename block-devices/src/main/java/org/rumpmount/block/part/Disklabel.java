package org.rumpmount.block.part;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The BSD disklabel (struct disklabel in NetBSD's and FreeBSD's sys/sys/disklabel.h), in either
 * byte order: the magic 0x82564557 at bytes 0 and 132, the sector size at 40, sectors per unit at
 * 60, the checksum at 136, d_npartitions at 138, and from byte 148 one 16-byte entry per partition
 * (p_size, p_offset, p_fsize, p_fstype, p_frag, p_cpg). The checksum makes the XOR of every 16-bit
 * word from the start through the last partition entry zero, which holds in either byte order.
 *
 * <p>OpenBSD's label (its sys/sys/disklabel.h) has the same header and entry size, but at most 16
 * entries, and since d_version 1 (the 16-bit word at byte 114) addresses 48-bit sectors: the
 * entry's bytes 8 and 10, p_fsize elsewhere, are p_offseth and p_sizeh, the high 16 bits of offset
 * and size, and d_secperunith at byte 112 those of the disk's size. A version 0 label keeps the
 * old entry layout, and OpenBSD reads it with the high parts 0.
 */
record Disklabel(int at, ByteOrder order, long secsize, long secperunit, String typename, String packname,
        List<Entry> partitions) {

    static final int MAGIC = 0x82564557;
    static final int MAGIC2_OFFSET = 132;
    static final int CHECKSUM_OFFSET = 136;
    static final int NPARTITIONS_OFFSET = 138;
    static final int PARTITIONS_OFFSET = 148;
    static final int PARTITION_SIZE = 16;
    /** NetBSD's MAXMAXPARTITIONS: the most entries that fit with the header in a 512-byte sector. */
    static final int MAX_PARTITIONS = 22;
    /** OpenBSD's MAXPARTITIONS, on every port. */
    static final int OPENBSD_MAX_PARTITIONS = 16;
    private static final int OPENBSD_SECPERUNITH_OFFSET = 112;
    private static final int OPENBSD_VERSION_OFFSET = 114;

    /** One partition entry; offset and size in the label's sectors. */
    record Entry(int index, long size, long offset, int fstype) {
    }

    /** The result of a search: a label, or the reason the last candidate was rejected. */
    record Found(Disklabel label, String rejected) {
    }

    /**
     * Searches {@code region} in 4-byte steps, as NetBSD's kernel does (ports put the label at
     * different offsets of sectors 0 to 2), for both magics in either byte order, and accepts the
     * first candidate whose partition count and checksum are valid.
     */
    static Found find(ByteBuffer region) {
        return find(region, false);
    }

    /** As {@link #find(ByteBuffer)}, reading OpenBSD's layout when {@code openbsd} is set. */
    static Found find(ByteBuffer region, boolean openbsd) {
        int max = openbsd ? OPENBSD_MAX_PARTITIONS : MAX_PARTITIONS;
        String rejected = null;
        int base = region.position();
        int limit = region.limit();
        for (int at = base; at + PARTITIONS_OFFSET <= limit; at += 4) {
            ByteOrder order = magicOrder(region, at);
            if (order == null) {
                continue;
            }
            ByteBuffer b = region.duplicate().order(order);
            int n = b.getShort(at + NPARTITIONS_OFFSET) & 0xffff;
            int end = at + PARTITIONS_OFFSET + n * PARTITION_SIZE;
            if (n > max || end > limit) {
                rejected = "disklabel at byte " + (at - base) + " claims " + n + " partitions (at most " + max + ")";
                continue;
            }
            int sum = 0;
            for (int i = at; i < end; i += 2) {
                sum ^= b.getShort(i) & 0xffff;
            }
            if (sum != 0) {
                int stored = b.getShort(at + CHECKSUM_OFFSET) & 0xffff;
                rejected = String.format("disklabel at byte %d has checksum 0x%04x, but the label's words give 0x%04x",
                        at - base, stored, stored ^ sum);
                continue;
            }
            boolean wide = openbsd && (b.getShort(at + OPENBSD_VERSION_OFFSET) & 0xffff) == 1;
            return new Found(decode(b, at, base, n, wide), null);
        }
        return new Found(null, rejected);
    }

    private static ByteOrder magicOrder(ByteBuffer region, int at) {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            ByteBuffer b = region.duplicate().order(order);
            if (b.getInt(at) == MAGIC && b.getInt(at + MAGIC2_OFFSET) == MAGIC) {
                return order;
            }
        }
        return null;
    }

    /** Decodes the label at {@code at}; {@code wide}: OpenBSD's 48-bit form, with high parts. */
    private static Disklabel decode(ByteBuffer b, int at, int base, int n, boolean wide) {
        List<Entry> parts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int p = at + PARTITIONS_OFFSET + i * PARTITION_SIZE;
            long size = Integer.toUnsignedLong(b.getInt(p));
            long offset = Integer.toUnsignedLong(b.getInt(p + 4));
            if (wide) {
                offset |= (long) (b.getShort(p + 8) & 0xffff) << 32;
                size |= (long) (b.getShort(p + 10) & 0xffff) << 32;
            }
            parts.add(new Entry(i, size, offset, b.get(p + 12) & 0xff));
        }
        long secperunit = Integer.toUnsignedLong(b.getInt(at + 60));
        if (wide) {
            secperunit |= (long) (b.getShort(at + OPENBSD_SECPERUNITH_OFFSET) & 0xffff) << 32;
        }
        return new Disklabel(at - base, b.order(), Integer.toUnsignedLong(b.getInt(at + 40)), secperunit,
                text(b, at + 8), text(b, at + 24), List.copyOf(parts));
    }

    private static String text(ByteBuffer b, int at) {
        byte[] bytes = new byte[16];
        b.duplicate().position(at).get(bytes);
        int len = 0;
        while (len < bytes.length && bytes[len] != 0) {
            len++;
        }
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
    }
}
