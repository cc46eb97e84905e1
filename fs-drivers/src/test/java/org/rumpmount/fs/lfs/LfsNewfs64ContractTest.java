package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.contract.FileSystemContract;

/**
 * The file system contract over a 64-bit (lfs64), big-endian LFS that {@link NewfsLfs} made:
 * the layout no NetBSD-made image here has. 8 KiB blocks, 1 KiB fragments, 256 KiB segments
 * in 32 MiB; each test gets a fresh image in memory.
 */
final class LfsNewfs64ContractTest extends FileSystemContract {
    private static final long SIZE = 32 << 20;
    private static byte[] fresh;

    private static synchronized byte[] freshImage() throws IOException {
        if (fresh == null) {
            MemoryBlockDevice dev = MemoryBlockDevice.of(new byte[(int) SIZE], 512, false, false);
            NewfsLfs.format(dev, new NewfsLfs.Options(SIZE, 8192, 1024, 256 << 10, true, ByteOrder.BIG_ENDIAN, 10, 0, 0,
                    0x64be64be, 1_700_000_000L));
            byte[] img = new byte[(int) SIZE];
            dev.read(0, java.nio.ByteBuffer.wrap(img));
            fresh = img;
        }
        return fresh;
    }

    @Override
    protected Mount mountFresh(Kernel kernel) throws IOException {
        return kernel.mount("lfs", MemoryBlockDevice.of(freshImage().clone(), 512, false, false), MountOptions.readWrite());
    }

    /** What this driver writes: the direct blocks and those behind the single indirect block (8 KiB blocks, 8-byte pointers). */
    @Override
    protected long maxFileSize() {
        return (Dinode.NDADDR + 8192L / 8) * 8192;
    }

    private static final String SINGLE_INDIRECT = "blocks behind a double indirect block are not written by "
            + "this driver (EFBIG past 8486912 bytes with 8 KiB blocks and 64-bit pointers)";

    @Override
    @Test
    @Disabled(SINGLE_INDIRECT)
    public void shrinkingInStepsKeepsTheRightPrefixAtEveryStep() {
    }

    @Override
    @ParameterizedTest(name = "a file of {0} bytes reads back intact")
    @ValueSource(ints = {0, 1, 511, 512, 513, 4095, 4096, 4097, 8191, 8192, 8193, 32768, 65537, 131072 + 7, 1 << 20, (12 << 20) + 3})
    public void filesOfEverySizeReadBackIntact(int size) throws IOException {
        Assumptions.assumeTrue(size <= maxFileSize(), SINGLE_INDIRECT);
        super.filesOfEverySizeReadBackIntact(size);
    }

    /** A hole beyond 4 GiB lies behind double indirect blocks, which this driver does not write. */
    @Override
    protected boolean supportsSparseFiles() {
        return false;
    }
}
