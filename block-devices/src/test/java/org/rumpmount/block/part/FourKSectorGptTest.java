package org.rumpmount.block.part;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.block.WindowBlockDevice;

/** GPTs laid out in 4 KiB sectors: on a device with 4 KiB sectors that demands aligned I/O, and copied to an image file. */
final class FourKSectorGptTest {
    private static final UUID NETBSD_FFS = UUID.fromString("49f48d5a-b10e-11dc-b99b-0019d1879648");
    private static final UUID NETBSD_LFS = UUID.fromString("49f48d82-b10e-11dc-b99b-0019d1879648");
    private static final long SECTORS = 1024;

    private static byte[] disk() {
        return GptWriter.disk(4096, SECTORS, new GptWriter.Entry(NETBSD_FFS, 256, 511, "root"),
                new GptWriter.Entry(NETBSD_LFS, 512, 1015, "var"));
    }

    @Test
    void aDeviceWithFourKSectorsThatDemandsAlignmentIsReadInWholeSectors() throws Exception {
        byte[] bytes = disk();
        bytes[256 * 4096 + 7] = 42;
        MemoryBlockDevice dev = MemoryBlockDevice.of(bytes, 4096, true, true);
        PartitionTable t = PartitionScanner.scan(dev);
        assertEquals(List.of("GPT (4096-byte sectors) behind a protective MBR"), t.tables());
        assertEquals(List.of(), t.warnings());
        Partition root = PartitionSelector.parse("root").select(t);
        assertEquals(256L * 4096, root.offset());
        assertEquals(256L * 4096, root.size());
        assertEquals("NetBSD LFS", PartitionSelector.parse("2").select(t).typeName());
        try (WindowBlockDevice w = t.open(dev, root, true)) {
            ByteBuffer b = ByteBuffer.allocate(4096);
            w.read(0, b);
            assertEquals(42, b.get(7));
        }
    }

    @Test
    void aFourKGptCopiedToAFiveTwelveByteImageIsFoundAtByte4096() throws Exception {
        PartitionTable t = PartitionScanner.scan(MemoryBlockDevice.of(disk(), 512, false, true));
        assertEquals(List.of("GPT (4096-byte sectors) behind a protective MBR"), t.tables());
        assertEquals(512L * 4096, t.partitions().get(1).offset());
        assertEquals(504L * 4096, t.partitions().get(1).size());
        assertTrue(t.warnings().isEmpty(), t.warnings().toString());
    }
}
