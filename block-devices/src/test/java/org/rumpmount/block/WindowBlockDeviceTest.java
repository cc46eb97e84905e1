package org.rumpmount.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rumpmount.block.BlockDeviceException.Kind.CLOSED;
import static org.rumpmount.block.BlockDeviceException.Kind.MISALIGNED;
import static org.rumpmount.block.BlockDeviceException.Kind.OUT_OF_BOUNDS;
import static org.rumpmount.block.BlockDeviceException.Kind.READ_ONLY;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What a window adds to the contract: offsets, its own bounds, inherited properties, sharing a parent. */
final class WindowBlockDeviceTest {
    private static final int DISK = 16 * 512;

    private static MemoryBlockDevice disk() {
        return MemoryBlockDevice.of(BlockDeviceContract.pattern(DISK, 1), 512, false, false);
    }

    @Test
    void transfersLandAtTheWindowOffsetInTheParentAndNowhereElse() throws IOException {
        MemoryBlockDevice disk = disk();
        WindowBlockDevice w = WindowBlockDevice.of(disk, 2048, 1024);
        byte[] data = BlockDeviceContract.pattern(1024, 2);
        w.write(0, ByteBuffer.wrap(data));
        byte[] expected = BlockDeviceContract.pattern(DISK, 1);
        System.arraycopy(data, 0, expected, 2048, 1024);
        assertArrayEquals(expected, disk.snapshot());

        ByteBuffer dst = ByteBuffer.allocate(10);
        w.read(1014, dst);
        assertArrayEquals(Arrays.copyOfRange(data, 1014, 1024), dst.array());
        assertEquals(2048, w.offset());
        assertEquals(1024, w.size());
    }

    @Test
    void transfersAreBoundedByTheWindowEvenWhereTheParentHasRoom() throws IOException {
        MemoryBlockDevice disk = disk();
        WindowBlockDevice w = WindowBlockDevice.of(disk, 1024, 1024);
        BlockDeviceException past = assertThrows(BlockDeviceException.class,
                () -> w.write(512, ByteBuffer.allocate(1024)));
        assertEquals(OUT_OF_BOUNDS, past.kind());
        assertTrue(past.getMessage().startsWith(w.name() + ": write of 1024 bytes at offset 512"), past.getMessage());
        assertEquals(OUT_OF_BOUNDS, assertThrows(BlockDeviceException.class,
                () -> w.read(-512, ByteBuffer.allocate(512))).kind(), "must not reach the bytes before the window");
        assertArrayEquals(BlockDeviceContract.pattern(DISK, 1), disk.snapshot());
    }

    @Test
    void aWindowMustLieInsideItsParent() {
        MemoryBlockDevice disk = disk();
        long[][] bad = {{-512, 512}, {0, DISK + 1}, {DISK, 1}, {DISK + 512, 0}, {512, -1}, {Long.MAX_VALUE, 2}, {512, Long.MAX_VALUE}};
        for (long[] b : bad) {
            BlockDeviceException e = assertThrows(BlockDeviceException.class, () -> WindowBlockDevice.of(disk, b[0], b[1]),
                    Arrays.toString(b));
            assertEquals(OUT_OF_BOUNDS, e.kind());
            assertEquals(disk.name() + ": window of " + b[1] + " bytes at offset " + b[0]
                    + " does not fit in the device (size " + DISK + ")", e.getMessage());
        }
    }

    @Test
    void emptyAndWholeDiskWindowsAreAllowed() throws IOException {
        MemoryBlockDevice disk = disk();
        assertEquals(0, WindowBlockDevice.of(disk, DISK, 0).size());
        WindowBlockDevice whole = WindowBlockDevice.of(disk, 0, DISK);
        ByteBuffer all = ByteBuffer.allocate(DISK);
        whole.read(0, all);
        assertArrayEquals(BlockDeviceContract.pattern(DISK, 1), all.array());
    }

    @Test
    void aWindowOfAnAlignedParentMustBeAlignedAndInheritsTheDemand() throws IOException {
        MemoryBlockDevice disk = MemoryBlockDevice.of(new byte[8 * 4096], 4096, true, false);
        assertEquals(MISALIGNED, assertThrows(BlockDeviceException.class,
                () -> WindowBlockDevice.of(disk, 512, 4096)).kind());
        assertEquals(MISALIGNED, assertThrows(BlockDeviceException.class,
                () -> WindowBlockDevice.of(disk, 4096, 4000)).kind());
        WindowBlockDevice w = WindowBlockDevice.of(disk, 4096, 2 * 4096);
        assertEquals(4096, w.sectorSize());
        assertTrue(w.requiresAlignment());
        assertEquals(MISALIGNED, assertThrows(BlockDeviceException.class,
                () -> w.read(512, ByteBuffer.allocate(4096))).kind());
    }

    @Test
    void anUnalignedWindowOfAnUnalignedParentIsFine() throws IOException {
        MemoryBlockDevice disk = disk();
        WindowBlockDevice w = WindowBlockDevice.of(disk, 1001, 77);
        assertFalse(w.requiresAlignment());
        assertEquals(512, w.sectorSize());
        w.write(76, ByteBuffer.wrap(new byte[] {9}));
        assertEquals(9, disk.snapshot()[1077]);
    }

    @Test
    void readOnlyWhenAskedOrWhenTheParentIs() throws IOException {
        MemoryBlockDevice rw = disk();
        WindowBlockDevice asked = WindowBlockDevice.of(rw, 0, 512, true);
        assertTrue(asked.isReadOnly());
        assertEquals(READ_ONLY, assertThrows(BlockDeviceException.class,
                () -> asked.write(0, ByteBuffer.allocate(512))).kind());
        assertFalse(WindowBlockDevice.of(rw, 0, 512).isReadOnly());

        MemoryBlockDevice ro = MemoryBlockDevice.of(new byte[DISK], 512, false, true);
        WindowBlockDevice inherited = WindowBlockDevice.of(ro, 512, 512, false);
        assertTrue(inherited.isReadOnly());
        assertEquals(READ_ONLY, assertThrows(BlockDeviceException.class,
                () -> inherited.write(0, ByteBuffer.allocate(512))).kind());
        assertArrayEquals(BlockDeviceContract.pattern(DISK, 1), rw.snapshot());
    }

    @Test
    void nameSaysWhichPartOfWhichDevice() throws IOException {
        assertEquals("memory(8192 bytes)[offset=1024,length=512]", WindowBlockDevice.of(disk(), 1024, 512).name());
    }

    @Test
    void closingAWindowLeavesTheParentAndItsOtherWindowsOpen() throws IOException {
        MemoryBlockDevice disk = disk();
        WindowBlockDevice first = WindowBlockDevice.of(disk, 0, 4096);
        WindowBlockDevice second = WindowBlockDevice.of(disk, 4096, 4096);
        first.close();
        assertEquals(CLOSED, assertThrows(BlockDeviceException.class,
                () -> first.read(0, ByteBuffer.allocate(512))).kind());
        second.write(0, ByteBuffer.wrap(new byte[] {7}));
        ByteBuffer one = ByteBuffer.allocate(1);
        disk.read(4096, one);
        assertEquals(7, one.get(0));
        second.flush();
    }

    @Test
    void aClosedParentFailsTheWindowsTransfersAsClosed() throws IOException {
        MemoryBlockDevice disk = disk();
        WindowBlockDevice w = WindowBlockDevice.of(disk, 512, 512);
        disk.close();
        BlockDeviceException e = assertThrows(BlockDeviceException.class, () -> w.read(0, ByteBuffer.allocate(512)));
        assertEquals(CLOSED, e.kind());
        assertTrue(e.getMessage().contains(disk.name()), e.getMessage());
    }
}
