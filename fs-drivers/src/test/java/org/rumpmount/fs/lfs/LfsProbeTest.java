package org.rumpmount.fs.lfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.ProbeResult;
import org.tukaani.xz.XZInputStream;

/** The probe recognises LFS and nothing else, and never throws for foreign data. */
class LfsProbeTest {
    private final LfsDriver driver = new LfsDriver();

    @ParameterizedTest
    @ValueSource(strings = {"nb-lfs-default", "nb-lfs-4k"})
    void recognisesLfsImages(String image) throws Exception {
        try (FileBlockDevice dev = FileBlockDevice.open(TestImages.image(image), true)) {
            ProbeResult r = driver.probe(dev).orElseThrow();
            assertEquals("lfs", r.type());
            assertTrue(r.description().contains("LFS v2 (32-bit, little-endian)") && r.description().contains("clean"),
                    r.description());
        }
    }

    /** FFS images (including UFS2 with its superblock at 8192, where LFS keeps its own) are not LFS. */
    @ParameterizedTest
    @ValueSource(strings = {"ufs1-le", "ufs1-small", "ufs2-le", "ufs2-be", "ufs2-full", "nb-ffs2"})
    void ignoresFfsImages(String image) throws Exception {
        byte[] head = new byte[1 << 20];
        int n;
        try (InputStream in = new XZInputStream(Files.newInputStream(TestImages.shared().resolve("images").resolve(image + ".img.xz")))) {
            n = in.readNBytes(head, 0, head.length);
        }
        assertEquals(head.length, n);
        assertEquals(Optional.empty(), driver.probe(MemoryBlockDevice.of(head, 512, false, true)));
    }

    @Test
    void ignoresZerosRandomAndTinyDevices() throws Exception {
        assertEquals(Optional.empty(), driver.probe(MemoryBlockDevice.create(1 << 20)));
        assertEquals(Optional.empty(), driver.probe(MemoryBlockDevice.create(4096)));
        assertEquals(Optional.empty(), driver.probe(MemoryBlockDevice.create(8192 + 100)));
        Random r = new Random(1234);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[16384];
            r.nextBytes(junk);
            assertEquals(Optional.empty(), driver.probe(MemoryBlockDevice.of(junk, 512, false, true)));
        }
    }

    @Test
    void aMagicWithoutAGoodChecksumIsNotEnough() throws Exception {
        byte[] b = new byte[65536];
        ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(8192, LfsLayout.LFS_MAGIC).putInt(8196, 2)
                .putInt(8192 + 508, 12345);
        assertEquals(Optional.empty(), driver.probe(MemoryBlockDevice.of(b, 512, false, true)));
    }
}
