package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.nio.ByteOrder;
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

    /** The image's dlfs_maxfilesize: every block the triple indirect tree reaches (8 KiB blocks, 1024 pointers each). */
    @Override
    protected long maxFileSize() {
        long n = 8192 / 8;
        return (Dinode.NDADDR + n + n * n + n * n * n) * 8192;
    }
}
