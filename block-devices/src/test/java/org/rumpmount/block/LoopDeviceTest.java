package org.rumpmount.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rumpmount.block.BlockDeviceException.Kind.MISALIGNED;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real raw block device: a loop device with 4 KiB sectors over a temporary file. It needs root
 * and changes host state (it attaches and detaches a loop device), so it runs only when asked:
 * {@code mvn -pl block-devices verify -Drumpmount.test.loop=true}.
 */
@EnabledIfSystemProperty(named = "rumpmount.test.loop", matches = "true")
final class LoopDeviceTest {
    @TempDir
    Path dir;

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    @Test
    void opensALoopDeviceWithItsSizeAndSectorSizeFromTheKernel() throws Exception {
        Path backing = dir.resolve("backing.img");
        Files.write(backing, BlockDeviceContract.pattern(1 << 20, 4));
        Path loop = Path.of(run("losetup", "--find", "--show", "--sector-size", "4096", backing.toString()));
        try {
            try (FileBlockDevice dev = FileBlockDevice.open(loop, new FileBlockDevice.Options(false, true))) {
                assertEquals(1 << 20, dev.size());
                assertEquals(4096, dev.sectorSize());
                assertTrue(dev.requiresAlignment());
                assertEquals(MISALIGNED, assertThrows(BlockDeviceException.class,
                        () -> dev.read(512, ByteBuffer.allocate(4096))).kind());
                ByteBuffer head = ByteBuffer.allocate(8192);
                dev.read(4096, head);
                assertArrayEquals(Arrays.copyOfRange(BlockDeviceContract.pattern(1 << 20, 4), 4096, 12288), head.array());
                dev.write((1 << 20) - 4096, ByteBuffer.wrap(BlockDeviceContract.pattern(4096, 5)));
                dev.flush();
                try (OtherProcess other = OtherProcess.open(loop, true)) {
                    assertFalse(other.held(), "the device lock must hold against another process");
                }
            }
            byte[] onDisk = Files.readAllBytes(backing);
            assertArrayEquals(BlockDeviceContract.pattern(4096, 5), Arrays.copyOfRange(onDisk, (1 << 20) - 4096, 1 << 20));
        } finally {
            run("losetup", "--detach", loop.toString());
        }
    }

    @Test
    void aReadOnlyLoopDeviceOpensReadOnlyEvenWhenAskedToWrite() throws Exception {
        Path backing = dir.resolve("readonly.img");
        Files.write(backing, BlockDeviceContract.pattern(64 * 1024, 6));
        Path loop = Path.of(run("losetup", "--find", "--show", "--read-only", backing.toString()));
        try (FileBlockDevice dev = FileBlockDevice.open(loop, false)) {
            assertTrue(dev.isReadOnly());
            assertEquals(64 * 1024, dev.size());
            assertEquals(512, dev.sectorSize());
            ByteBuffer all = ByteBuffer.allocate(64 * 1024);
            dev.read(0, all);
            assertArrayEquals(BlockDeviceContract.pattern(64 * 1024, 6), all.array());
            try (OtherProcess reader = OtherProcess.open(loop, true)) {
                assertTrue(reader.held(), "a read-only device takes a shared lock: " + reader.refusal());
            }
        } finally {
            run("losetup", "--detach", loop.toString());
        }
    }
}
