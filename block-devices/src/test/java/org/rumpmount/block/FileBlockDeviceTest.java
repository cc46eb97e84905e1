package org.rumpmount.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.rumpmount.block.BlockDeviceException.Kind.IO_ERROR;
import static org.rumpmount.block.BlockDeviceException.Kind.READ_ONLY;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an image file adds to the contract: locking, read-only fallback, short files, creation. */
final class FileBlockDeviceTest {
    @TempDir
    Path dir;

    private Path image(int size) throws IOException {
        Path p = Files.createTempFile(dir, "disk", ".img");
        Files.write(p, BlockDeviceContract.pattern(size, 1));
        return p;
    }

    private static String inUseMessage(Path image, boolean readOnly) {
        BlockDeviceException e = assertThrows(BlockDeviceException.class, () -> FileBlockDevice.open(image, readOnly));
        assertEquals(IO_ERROR, e.kind());
        assertTrue(e.getMessage().startsWith(image + " is in use"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void secondOpenInThisJvmIsRefusedAsInUseUntilTheFirstCloses() throws IOException {
        Path image = image(8192);
        FileBlockDevice first = FileBlockDevice.open(image, false);
        inUseMessage(image, false);
        inUseMessage(image, true);
        first.close();
        FileBlockDevice.open(image, false).close();
    }

    @Test
    void anotherProcessGetsTheSameInUseErrorAsThisJvm() throws Exception {
        Path image = image(8192);
        String inJvm;
        try (FileBlockDevice first = FileBlockDevice.open(image, false)) {
            inJvm = inUseMessage(image, false);
            try (OtherProcess other = OtherProcess.open(image, false)) {
                assertFalse(other.held());
                assertEquals(inJvm, other.refusal());
            }
        }
        try (OtherProcess other = OtherProcess.open(image, false)) {
            assertTrue(other.held(), other.refusal());
            assertEquals(inJvm, inUseMessage(image, false), "refused by another process, same words");
            inUseMessage(image, true);
        }
        FileBlockDevice.open(image, false).close();
    }

    @Test
    void aRefusedSecondOpenInThisJvmKeepsTheHostLock() throws Exception {
        Path image = image(8192);
        try (FileBlockDevice first = FileBlockDevice.open(image, false)) {
            inUseMessage(image, false);
            inUseMessage(image, true);
            // Closing a second descriptor would drop this process's POSIX lock; the other process must still be refused.
            try (OtherProcess other = OtherProcess.open(image, true)) {
                assertFalse(other.held(), "the host lock was lost by a refused open");
            }
            first.read(0, ByteBuffer.allocate(512));
        }
    }

    @Test
    void readersShareTheImageAndTheLastOneToCloseReleasesIt() throws Exception {
        Path image = image(8192);
        FileBlockDevice a = FileBlockDevice.open(image, true);
        FileBlockDevice b = FileBlockDevice.open(image, true);
        inUseMessage(image, false);
        try (OtherProcess reader = OtherProcess.open(image, true)) {
            assertTrue(reader.held(), reader.refusal());
        }
        a.close();
        ByteBuffer dst = ByteBuffer.allocate(16);
        b.read(100, dst);
        assertArrayEquals(java.util.Arrays.copyOfRange(BlockDeviceContract.pattern(8192, 1), 100, 116), dst.array());
        try (OtherProcess writer = OtherProcess.open(image, false)) {
            assertFalse(writer.held(), "a remaining reader must keep the shared lock");
        }
        b.close();
        try (OtherProcess writer = OtherProcess.open(image, false)) {
            assertTrue(writer.held(), writer.refusal());
        }
    }

    @Test
    void opensReadOnlyWhenAskedAndChangesNothing() throws IOException {
        Path image = image(4096);
        try (FileBlockDevice dev = FileBlockDevice.open(image, FileBlockDevice.Options.READ_ONLY)) {
            assertTrue(dev.isReadOnly());
            assertEquals(READ_ONLY, assertThrows(BlockDeviceException.class,
                    () -> dev.write(0, ByteBuffer.allocate(512))).kind());
        }
        assertArrayEquals(BlockDeviceContract.pattern(4096, 1), Files.readAllBytes(image));
    }

    @Test
    void opensReadOnlyWhenTheFileCannotBeWritten() throws Exception {
        Path image = image(4096);
        Files.setPosixFilePermissions(image, PosixFilePermissions.fromString("r--r--r--"));
        boolean immutable = false;
        if (Files.isWritable(image)) { // root ignores permission bits; the immutable flag stops even root
            immutable = new ProcessBuilder("chattr", "+i", image.toString()).start().waitFor() == 0;
        }
        try {
            assumeTrue(!Files.isWritable(image), "cannot make a file unwritable here");
            try (FileBlockDevice dev = FileBlockDevice.open(image, false)) {
                assertTrue(dev.isReadOnly());
                assertEquals(READ_ONLY, assertThrows(BlockDeviceException.class,
                        () -> dev.write(0, ByteBuffer.allocate(512))).kind());
                ByteBuffer dst = ByteBuffer.allocate(4096);
                dev.read(0, dst);
                assertArrayEquals(BlockDeviceContract.pattern(4096, 1), dst.array());
            }
        } finally {
            if (immutable) {
                new ProcessBuilder("chattr", "-i", image.toString()).start().waitFor();
            }
        }
    }

    @Test
    void aFileShorterThanAtOpenGivesAClearIoErrorNotZeros() throws IOException {
        Path image = image(8192);
        try (FileBlockDevice dev = FileBlockDevice.open(image, false)) {
            try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw")) {
                raf.setLength(4096); // someone else truncates the image under us
            }
            ByteBuffer dst = ByteBuffer.allocate(4096);
            BlockDeviceException e = assertThrows(BlockDeviceException.class, () -> dev.read(2048, dst));
            assertEquals(IO_ERROR, e.kind());
            assertTrue(e.getMessage().contains("end of file at offset 4096"), e.getMessage());
            assertTrue(e.getMessage().contains("4096 bytes at offset 2048"), e.getMessage());
            assertEquals(0, dst.position(), "a failed read leaves the buffer where it was");
        }
    }

    @Test
    void flushedWritesAreInTheFile() throws IOException {
        Path image = image(4096);
        byte[] data = "written through the device".getBytes(StandardCharsets.US_ASCII);
        try (FileBlockDevice dev = FileBlockDevice.open(image, false)) {
            dev.write(1000, ByteBuffer.wrap(data));
            dev.flush();
        }
        byte[] expected = BlockDeviceContract.pattern(4096, 1);
        System.arraycopy(data, 0, expected, 1000, data.length);
        assertArrayEquals(expected, Files.readAllBytes(image));
    }

    @Test
    void alignmentIsDemandedOnlyWhenAsked() throws IOException {
        Path image = image(4096);
        try (FileBlockDevice dev = FileBlockDevice.open(image, new FileBlockDevice.Options(false, true))) {
            assertTrue(dev.requiresAlignment());
            assertEquals(512, dev.sectorSize());
        }
        try (FileBlockDevice dev = FileBlockDevice.open(image, false)) {
            assertFalse(dev.requiresAlignment());
        }
    }

    @Test
    void refusesWhatIsNeitherAFileNorABlockDevice() throws IOException {
        for (Path p : new Path[] {Path.of("/dev/null"), dir}) {
            BlockDeviceException e = assertThrows(BlockDeviceException.class, () -> FileBlockDevice.open(p, true));
            assertEquals(p + " is neither a regular file nor a block device", e.getMessage());
        }
        assertThrows(NoSuchFileException.class, () -> FileBlockDevice.open(dir.resolve("missing.img"), true));
    }

    @Test
    void anInterruptedTransferFailsClearlyAndTheDeviceStillCloses() throws IOException {
        Path image = image(8192);
        FileBlockDevice dev = FileBlockDevice.open(image, false);
        Thread.currentThread().interrupt();
        BlockDeviceException e;
        try {
            e = assertThrows(BlockDeviceException.class, () -> dev.read(0, ByteBuffer.allocate(512)));
        } finally {
            Thread.interrupted();
        }
        assertEquals(IO_ERROR, e.kind());
        assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
        assertEquals(IO_ERROR, assertThrows(BlockDeviceException.class,
                () -> dev.write(0, ByteBuffer.allocate(512))).kind());
        dev.close();
        FileBlockDevice.open(image, false).close();
    }

    @Test
    void createMakesASparseImageOfTheRequestedSize() throws Exception {
        Path image = dir.resolve("new.img");
        long size = 64L << 20;
        try (FileBlockDevice dev = FileBlockDevice.create(image, size)) {
            assertEquals(size, dev.size());
            assertFalse(dev.isReadOnly());
            ByteBuffer tail = ByteBuffer.allocate(4096);
            dev.read(size - 4096, tail);
            assertArrayEquals(new byte[4096], tail.array());
            dev.write(size - 512, ByteBuffer.wrap(BlockDeviceContract.pattern(512, 3)));
            dev.flush();
            inUseMessage(image, true);
        }
        assertEquals(size, Files.size(image));
        Process stat = new ProcessBuilder("stat", "-c", "%b", image.toString()).start();
        long blocks = Long.parseLong(new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
        assertTrue(blocks * 512 < size / 16, "image should be sparse, has " + blocks + " blocks");
    }

    @Test
    void createExtendsASmallerImageAndKeepsItsBytes() throws IOException {
        Path image = image(4096);
        try (FileBlockDevice dev = FileBlockDevice.create(image, 16384)) {
            ByteBuffer all = ByteBuffer.allocate(16384);
            dev.read(0, all);
            byte[] expected = new byte[16384];
            System.arraycopy(BlockDeviceContract.pattern(4096, 1), 0, expected, 0, 4096);
            assertArrayEquals(expected, all.array());
        }
        try (FileBlockDevice dev = FileBlockDevice.create(image, 16384)) {
            assertEquals(16384, dev.size(), "creating at the existing size just opens it");
        }
    }

    @Test
    void createRefusesToShrinkOrToReplaceWhatIsNotAFile() throws IOException {
        Path image = image(8192);
        BlockDeviceException e = assertThrows(BlockDeviceException.class, () -> FileBlockDevice.create(image, 4096));
        assertEquals(image + " is already 8192 bytes, more than the requested 4096; refusing to shrink it", e.getMessage());
        assertArrayEquals(BlockDeviceContract.pattern(8192, 1), Files.readAllBytes(image));
        FileBlockDevice.open(image, false).close(); // the refused create let go of it
        assertThrows(BlockDeviceException.class, () -> FileBlockDevice.create(dir, 4096));
        assertThrows(IllegalArgumentException.class, () -> FileBlockDevice.create(dir.resolve("x.img"), -1));
    }
}
