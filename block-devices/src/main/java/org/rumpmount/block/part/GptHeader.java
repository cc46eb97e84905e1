package org.rumpmount.block.part;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * The GPT header (UEFI spec 5.3.2; struct gpt_hdr in NetBSD's disklabel_gpt.h), little-endian:
 * "EFI PART", revision, header size, header CRC32 (computed with the field zeroed), its own LBA,
 * the other copy's LBA, the usable LBA range, the disk GUID, and where the entry array lies, its
 * entry count and size and its CRC32.
 */
record GptHeader(long revision, int headerSize, long headerCrc, long myLba, long alternateLba, long firstUsable,
        long lastUsable, UUID diskGuid, long entriesLba, long entryCount, long entrySize, long entriesCrc) {

    static final byte[] SIGNATURE = "EFI PART".getBytes(StandardCharsets.US_ASCII);
    static final int MIN_HEADER_SIZE = 92;
    static final int MIN_ENTRY_SIZE = 128;
    /** The largest entry array accepted: 32 times the usual 128 entries of 128 bytes; the count comes from the disk. */
    static final long MAX_ARRAY_BYTES = 512 * 1024;

    static boolean hasSignature(ByteBuffer sector) {
        if (sector.remaining() < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (sector.get(sector.position() + i) != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    static GptHeader decode(ByteBuffer sector) {
        ByteBuffer b = sector.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int p = b.position();
        return new GptHeader(Integer.toUnsignedLong(b.getInt(p + 8)), b.getInt(p + 12),
                Integer.toUnsignedLong(b.getInt(p + 16)), b.getLong(p + 24), b.getLong(p + 32), b.getLong(p + 40),
                b.getLong(p + 48), guid(b, p + 56), b.getLong(p + 72), Integer.toUnsignedLong(b.getInt(p + 80)),
                Integer.toUnsignedLong(b.getInt(p + 84)), Integer.toUnsignedLong(b.getInt(p + 88)));
    }

    /**
     * Why the header in {@code sector}, read from {@code lba} of a disk of {@code sectors} sectors,
     * cannot be trusted, or {@code null} when it can. The entry array is checked separately.
     */
    static String problem(ByteBuffer sector, long lba, long sectors) {
        if (!hasSignature(sector)) {
            return "no \"EFI PART\" signature";
        }
        GptHeader h = decode(sector);
        int sectorSize = sector.remaining();
        if (h.headerSize < MIN_HEADER_SIZE || h.headerSize > sectorSize) {
            return "header size " + h.headerSize + " is outside " + MIN_HEADER_SIZE + ".." + sectorSize;
        }
        long computed = crc(sector, h.headerSize, 16);
        if (computed != h.headerCrc) {
            return String.format("header CRC32 0x%08x does not match the computed 0x%08x", h.headerCrc, computed);
        }
        if (h.myLba != lba) {
            return "the header says it lies at LBA " + h.myLba + ", but it was read from LBA " + lba;
        }
        if (h.entrySize < MIN_ENTRY_SIZE || h.entrySize % 8 != 0) {
            return "entry size " + h.entrySize + " is not a multiple of 8 of at least " + MIN_ENTRY_SIZE;
        }
        if (h.entryCount * h.entrySize > MAX_ARRAY_BYTES) {
            return h.entryCount + " entries of " + h.entrySize + " bytes exceed the " + MAX_ARRAY_BYTES
                    + "-byte limit for an entry array";
        }
        long arraySectors = (h.arrayBytes() + sectorSize - 1) / sectorSize;
        if (h.entriesLba < 1 || h.entriesLba >= sectors || arraySectors > sectors - h.entriesLba) {
            return "the entry array (" + arraySectors + " sectors at LBA " + h.entriesLba
                    + ") lies outside the disk (" + sectors + " sectors)";
        }
        if (h.firstUsable < 1 || h.firstUsable > h.lastUsable + 1) {
            return "the usable range LBA " + h.firstUsable + " to " + h.lastUsable + " is empty or starts at LBA 0";
        }
        return null;
    }

    int arrayBytes() {
        return (int) (entryCount * entrySize);
    }

    /** CRC32 of the first {@code length} bytes, counting the four at {@code zeroedAt} (if not negative) as zeros. */
    static long crc(ByteBuffer buf, int length, int zeroedAt) {
        byte[] bytes = new byte[length];
        buf.duplicate().get(bytes);
        if (zeroedAt >= 0) {
            for (int i = 0; i < 4; i++) {
                bytes[zeroedAt + i] = 0;
            }
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    /** A GUID as stored on disk: the first three fields little-endian, the last eight bytes in order. */
    static UUID guid(ByteBuffer b, int at) {
        ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long timeLow = Integer.toUnsignedLong(le.getInt(at));
        long timeMid = le.getShort(at + 4) & 0xffffL;
        long timeHi = le.getShort(at + 6) & 0xffffL;
        long msb = timeLow << 32 | timeMid << 16 | timeHi;
        long lsb = b.duplicate().order(ByteOrder.BIG_ENDIAN).getLong(at + 8);
        return new UUID(msb, lsb);
    }
}
