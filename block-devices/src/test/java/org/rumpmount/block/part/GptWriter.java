package org.rumpmount.block.part;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Writes a GPT for any sector size, for tests of layouts sgdisk cannot make on an image file (4 KiB
 * sectors): a protective MBR, the primary header at LBA 1 with 128 entries from LBA 2, and the
 * backup header in the last sector with its entries just before it.
 */
final class GptWriter {
    /** One entry: type GUID, first and last LBA, name. */
    record Entry(UUID type, long first, long last, String name) {
    }

    private GptWriter() {
    }

    static byte[] disk(int sectorSize, long sectors, Entry... entries) {
        ByteBuffer disk = ByteBuffer.allocate((int) (sectorSize * sectors)).order(ByteOrder.LITTLE_ENDIAN);
        disk.put(446 + 4, (byte) 0xee).putInt(446 + 8, 1).putInt(446 + 12, (int) Math.min(sectors - 1, 0xffffffffL));
        disk.put(510, (byte) 0x55).put(511, (byte) 0xaa);
        byte[] array = new byte[128 * 128];
        ByteBuffer a = ByteBuffer.wrap(array).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < entries.length; i++) {
            int at = i * 128;
            guid(a, at, entries[i].type());
            guid(a, at + 16, UUID.nameUUIDFromBytes(entries[i].name().getBytes(StandardCharsets.UTF_8)));
            a.putLong(at + 32, entries[i].first()).putLong(at + 40, entries[i].last());
            byte[] name = entries[i].name().getBytes(StandardCharsets.UTF_16LE);
            a.put(at + 56, name, 0, Math.min(name.length, 72));
        }
        long arraySectors = array.length / sectorSize + (array.length % sectorSize == 0 ? 0 : 1);
        long last = sectors - 1;
        long backupArray = last - arraySectors;
        disk.put((int) (2L * sectorSize), array);
        disk.put((int) (backupArray * sectorSize), array);
        long firstUsable = 2 + arraySectors;
        long lastUsable = backupArray - 1;
        disk.put(sectorSize, header(1, last, firstUsable, lastUsable, 2, array));
        disk.put((int) (last * sectorSize), header(last, 1, firstUsable, lastUsable, backupArray, array));
        return disk.array();
    }

    private static byte[] header(long self, long alt, long firstUsable, long lastUsable, long arrayLba, byte[] array) {
        ByteBuffer h = ByteBuffer.allocate(92).order(ByteOrder.LITTLE_ENDIAN);
        h.put("EFI PART".getBytes(StandardCharsets.US_ASCII));
        h.putInt(8, 0x00010000).putInt(12, 92).putLong(24, self).putLong(32, alt).putLong(40, firstUsable)
                .putLong(48, lastUsable).putLong(72, arrayLba).putInt(80, 128).putInt(84, 128);
        guid(h, 56, UUID.nameUUIDFromBytes(new byte[] {1}));
        h.putInt(88, (int) crc(array));
        h.putInt(16, (int) crc(h.array()));
        return h.array();
    }

    private static long crc(byte[] bytes) {
        CRC32 c = new CRC32();
        c.update(bytes);
        return c.getValue();
    }

    private static void guid(ByteBuffer b, int at, UUID u) {
        long msb = u.getMostSignificantBits();
        b.putInt(at, (int) (msb >>> 32)).putShort(at + 4, (short) (msb >>> 16)).putShort(at + 6, (short) msb);
        ByteBuffer.wrap(b.array(), b.arrayOffset() + at + 8, 8).order(ByteOrder.BIG_ENDIAN).putLong(u.getLeastSignificantBits());
    }
}
