package org.rumpmount.block.part;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rumpmount.block.MemoryBlockDevice;

/** Choosing a partition by number, disklabel letter or GPT name, and splitting IMAGE@SELECTOR. */
final class PartitionSelectorTest {
    private static final int SECTORS = 8192;

    /** An MBR with two NetBSD slices, each with its own label, and a Linux partition. */
    private static PartitionTable twoNetbsdSlices() throws Exception {
        byte[] disk = new byte[SECTORS * 512];
        ByteBuffer b = ByteBuffer.wrap(disk).order(ByteOrder.LITTLE_ENDIAN);
        entry(b, 1, 0xa9, 64, 2048);
        entry(b, 2, 0xa9, 2112, 2048);
        entry(b, 3, 0x83, 4160, 1024);
        b.put(510, (byte) 0x55).put(511, (byte) 0xaa);
        b.put(65 * 512, LabelWriter.label(ByteOrder.LITTLE_ENDIAN, 512, SECTORS, 8,
                new LabelWriter.Part('a', 2048, 64, 7), new LabelWriter.Part('d', SECTORS, 0, 0)));
        b.put(2113 * 512, LabelWriter.label(ByteOrder.BIG_ENDIAN, 512, SECTORS, 8,
                new LabelWriter.Part('a', 1024, 2112, 7), new LabelWriter.Part('b', 1024, 3136, 1)));
        return PartitionScanner.scan(MemoryBlockDevice.of(disk, 512, false, true));
    }

    private static void entry(ByteBuffer b, int slot, int type, int start, int size) {
        int at = 446 + (slot - 1) * 16;
        b.put(at + 4, (byte) type).putInt(at + 8, start).putInt(at + 12, size);
    }

    @Test
    void numbersFollowTheListedTreeDepthFirst() throws Exception {
        PartitionTable t = twoNetbsdSlices();
        assertEquals(List.of("1", "a", "d", "2", "a", "b", "3"), t.partitions().stream().map(Partition::entry).toList());
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), t.partitions().stream().map(Partition::number).toList());
        assertEquals("b", PartitionSelector.parse("6").select(t).entry());
        assertEquals(t.partitions().get(6), PartitionSelector.parse("7").select(t));
        assertTrue(t.describe().contains("\n  6    b      1             swap "), t.describe());
        assertTrue(t.describe().contains("\n  3    d      0             unused                       offset 0, size 4194304, raw\n"),
                t.describe());
    }

    @Test
    void aLetterHeldByOneLabelSelectsItAndOneHeldByTwoIsAmbiguous() throws Exception {
        PartitionTable t = twoNetbsdSlices();
        assertEquals(3136L * 512, PartitionSelector.parse("b").select(t).offset());
        PartitionTableException e = assertThrows(PartitionTableException.class, () -> PartitionSelector.parse("a").select(t));
        assertEquals("memory(4194304 bytes): disklabel partition a is ambiguous: it names 2 (NetBSD disklabel partition"
                + " a, 4.2BSD, in MBR partition 1), 5 (NetBSD disklabel partition a, 4.2BSD, in MBR partition 2);"
                + " give the number instead", e.getMessage());
    }

    @Test
    void aSelectorThatMatchesNothingListsTheChoices() throws Exception {
        PartitionTable t = twoNetbsdSlices();
        PartitionTableException e = assertThrows(PartitionTableException.class, () -> PartitionSelector.parse("9").select(t));
        assertTrue(e.getMessage().startsWith("memory(4194304 bytes): no partition number 9; the table lists 7 partitions"
                + " (1 to 7): 1 (MBR partition 1, NetBSD), 2 (NetBSD disklabel partition a"), e.getMessage());
        e = assertThrows(PartitionTableException.class, () -> PartitionSelector.parse("0").select(t));
        assertTrue(e.getMessage().contains("no partition number 0"), e.getMessage());
        e = assertThrows(PartitionTableException.class, () -> PartitionSelector.parse("99999999999999999999").select(t));
        assertTrue(e.getMessage().contains("no partition number 99999999999999999999"), e.getMessage());
        e = assertThrows(PartitionTableException.class, () -> PartitionSelector.parse("e").select(t));
        assertTrue(e.getMessage().startsWith("memory(4194304 bytes): no partition \"e\"; choose one of: 1 (MBR"),
                e.getMessage());
        e = assertThrows(PartitionTableException.class, () -> PartitionSelector.parse("root").select(t));
        assertTrue(e.getMessage().contains("no partition \"root\""), e.getMessage());
    }

    @Test
    void aDeviceWithoutATableHasNothingToSelect() throws Exception {
        PartitionTable t = PartitionScanner.scan(MemoryBlockDevice.create(65536));
        assertTrue(t.isEmpty());
        PartitionTableException e = assertThrows(PartitionTableException.class, () -> PartitionSelector.parse("1").select(t));
        assertEquals("memory(65536 bytes): partition \"1\" requested, but the device holds no partition table", e.getMessage());
    }

    @Test
    void emptySelectorsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PartitionSelector.parse(""));
        assertThrows(IllegalArgumentException.class, () -> PartitionSelector.parse(" "));
    }

    @Test
    void imageArgumentsSplitAtTheLastAt() {
        Set<String> files = Set.of("/images/disk.img", "/images/odd@name.img");
        ImageSpec plain = ImageSpec.parse("/images/disk.img", files::contains);
        assertEquals(new ImageSpec("/images/disk.img", Optional.empty()), plain);
        ImageSpec numbered = ImageSpec.parse("/images/disk.img@3", files::contains);
        assertEquals("/images/disk.img", numbered.image());
        assertEquals("3", numbered.selector().orElseThrow().text());
        assertEquals("/images/disk.img@3", numbered.toString());
        assertEquals("netbsd root", ImageSpec.parse("/images/disk.img@netbsd root", files::contains).selector()
                .orElseThrow().text());
        assertEquals("a", ImageSpec.parse("/images/x@y/disk.img@a", files::contains).selector().orElseThrow().text());
        assertEquals("/images/x@y/disk.img", ImageSpec.parse("/images/x@y/disk.img@a", files::contains).image());
        assertEquals(Optional.empty(), ImageSpec.parse("/images/odd@name.img", files::contains).selector(),
                "an existing file whose name holds an @ is that file");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageSpec.parse("/images/disk.img@", files::contains));
        assertTrue(e.getMessage().contains("no partition after the '@'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageSpec.parse("@1", files::contains));
        assertThrows(IllegalArgumentException.class, () -> ImageSpec.parse("", files::contains));
    }
}
