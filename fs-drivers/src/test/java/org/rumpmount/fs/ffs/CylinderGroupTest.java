package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.vfs.VfsException;

/** Cylinder group headers: their summaries add up to the superblock's, in either byte order. */
class CylinderGroupTest {

    @ParameterizedTest
    @ValueSource(strings = {"ufs1-le", "ufs1-small", "ufs2-le", "ufs2-be", "ufs2-full", "nb-ffs2"})
    void groupSummariesAddUpToTheSuperblock(String image) throws IOException {
        try (FileBlockDevice dev = FileBlockDevice.open(TestImages.image(image), true)) {
            SuperblockLocator.Found f = SuperblockLocator.locate(dev);
            Superblock sb = f.sb();
            FfsIo io = new FfsIo(dev, sb, new org.rumpmount.vfs.buf.BufferCache(1 << 20));
            long[] sum = new long[4];
            for (int cg = 0; cg < sb.ncg; cg++) {
                CylinderGroup g = CylinderGroup.read(io, sb, cg);
                for (int i = 0; i < 4; i++) {
                    sum[i] += g.cs[i];
                }
                ByteBuffer raw = io.readFrags(sb.cgtod(cg), sb.cgsize, "cg");
                ByteOrder other = sb.order == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
                ByteBuffer swapped = ByteBuffer.allocate(sb.cgsize).order(other);
                g.encode(swapped);
                CylinderGroup back = CylinderGroup.decode(swapped);
                assertArrayEquals(g.cs, back.cs);
                assertEquals(g.iusedoff, back.iusedoff);
                assertEquals(g.time, back.time);
                ByteBuffer same = ByteBuffer.wrap(raw.array().clone()).order(sb.order);
                g.encode(same);
                assertArrayEquals(raw.array(), same.array(), image + " cg " + cg + ": encode is the identity");
            }
            assertArrayEquals(sb.summary(), sum, image);
            VfsException e = assertThrows(VfsException.class, () -> CylinderGroup.read(io, sb, sb.ncg));
            assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        }
    }
}
