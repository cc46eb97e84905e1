package org.rumpmount.block.part;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes BSD disklabels for tests, from the on-disk definition in sys/sys/disklabel.h (Debian has
 * no tool that writes them): header fields at their byte offsets, one 16-byte entry per partition
 * from byte 148, and a checksum that makes the XOR of all 16-bit words zero. mountd's tests build
 * whole disks with it too.
 */
public final class LabelWriter {
    public static final int MAGIC = 0x82564557;

    /** A partition entry: letter, size and offset in sectors, fstype. */
    public record Part(char letter, long size, long offset, int fstype) {
    }

    private LabelWriter() {
    }

    public static byte[] label(ByteOrder order, int secsize, long secperunit, int npartitions, Part... parts) {
        ByteBuffer b = ByteBuffer.allocate(148 + 16 * npartitions).order(order);
        b.putInt(0, MAGIC);
        b.putShort(4, (short) 4); // d_type: DKTYPE_SCSI
        b.put(8, "testdisk".getBytes(StandardCharsets.US_ASCII));
        b.put(24, "rumpmount".getBytes(StandardCharsets.US_ASCII));
        b.putInt(40, secsize);
        b.putInt(44, 32); // sectors per track
        b.putInt(48, 64); // tracks per cylinder
        b.putInt(56, 32 * 64);
        b.putInt(52, (int) (secperunit / (32 * 64)));
        b.putInt(60, (int) secperunit);
        b.putShort(72, (short) 3600);
        b.putInt(132, MAGIC);
        b.putShort(138, (short) npartitions);
        b.putInt(140, 8192); // d_bbsize
        b.putInt(144, 8192); // d_sbsize
        for (Part p : parts) {
            int at = 148 + 16 * (p.letter() - 'a');
            b.putInt(at, (int) p.size());
            b.putInt(at + 4, (int) p.offset());
            b.putInt(at + 8, p.fstype() == 7 ? 1024 : 0); // p_fsize
            b.put(at + 12, (byte) p.fstype());
            b.put(at + 13, (byte) (p.fstype() == 7 ? 8 : 0)); // p_frag
        }
        return checksummed(b);
    }

    /**
     * OpenBSD's version 1 label (its sys/sys/disklabel.h), 16 entries: 48-bit sector numbers, the
     * high 16 bits of each entry's offset and size in its bytes 8 and 10 (p_offseth, p_sizeh) and
     * of the disk's size in d_secperunith at byte 112; d_version 1 at byte 114.
     */
    public static byte[] openbsd(ByteOrder order, int secsize, long secperunit, Part... parts) {
        ByteBuffer b = ByteBuffer.wrap(label(order, secsize, secperunit, 16)).order(order);
        b.putInt(52, (int) Math.min(secperunit / (32 * 64), 0xffffffffL));
        b.putShort(112, (short) (secperunit >>> 32));
        b.putShort(114, (short) 1);
        for (Part p : parts) {
            int at = 148 + 16 * (p.letter() - 'a');
            b.putInt(at, (int) p.size());
            b.putInt(at + 4, (int) p.offset());
            b.putShort(at + 8, (short) (p.offset() >>> 32));
            b.putShort(at + 10, (short) (p.size() >>> 32));
            b.put(at + 12, (byte) p.fstype());
            // p_fragblock for FFS with 16 KiB blocks of 8 fragments: (log2(bsize) - 12) << 3 | (log2(frag) + 1).
            b.put(at + 13, (byte) (p.fstype() == 7 ? (14 - 12) << 3 | (3 + 1) : 0));
        }
        return checksummed(b);
    }

    private static byte[] checksummed(ByteBuffer b) {
        b.putShort(136, (short) 0);
        int sum = 0;
        for (int i = 0; i < b.capacity(); i += 2) {
            sum ^= b.getShort(i) & 0xffff;
        }
        b.putShort(136, (short) sum);
        return b.array();
    }
}
