package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.contract.ConcurrencyContract;
import org.rumpmount.vfs.contract.FileSystemContract;

/**
 * The file system contract, run against FFS: UFS1 and UFS2, both byte orders, three block
 * sizes, each on a fresh image made by Debian's makefs. After every test the image is unmounted
 * and the independent checker must find every bitmap, count and link consistent.
 */
final class FfsContractTest {
    private FfsContractTest() {
    }

    static Mount mountFresh(Kernel kernel, FreshImages.Config c) throws IOException {
        byte[] image;
        try {
            image = FreshImages.fresh(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return kernel.mount("ffs", MemoryBlockDevice.of(image, 512, false, false), MountOptions.readWrite());
    }

    static long limit(Mount m) {
        return FileWriter.limit(((FfsVfsOps) m.vfsOps()).fileSystem().sb);
    }

    /** After unmount: the independent checker must agree with every count on the device. */
    static void checkAndClose(BlockDevice dev) throws IOException {
        if (dev instanceof MemoryBlockDevice m) {
            List<String> problems = FfsChecker.check(m.snapshot());
            assertEquals(List.of(), problems, "FFS inconsistent after the test");
        }
        if (dev != null) {
            dev.close();
        }
    }

    abstract static class OnConfig extends FileSystemContract {
        abstract FreshImages.Config config();

        @Override
        protected Mount mountFresh(Kernel kernel) throws IOException {
            return FfsContractTest.mountFresh(kernel, config());
        }

        @Override
        protected boolean hasBirthTime() {
            return config().version() == 2;
        }

        @Override
        protected long maxFileSize() {
            return limit(mount);
        }

        @Override
        protected boolean hasSpaceLimit() {
            return true;
        }

        /** The tiny geometry: a few MiB, whatever {@code bytes} asks, so that ENOSPC comes quickly. */
        @Override
        protected Mount mountSmall(Kernel kernel, long bytes) throws IOException {
            return FfsContractTest.mountFresh(kernel, config().version() == 1 ? FreshImages.UFS1_LE_TINY : FreshImages.UFS2_LE_TINY);
        }

        @Override
        protected void disposeDevice(BlockDevice dev) throws IOException {
            checkAndClose(dev);
        }
    }

    @Nested
    final class Ufs2LittleEndian16k extends OnConfig {
        @Override
        FreshImages.Config config() {
            return FreshImages.UFS2_LE_16K;
        }
    }

    @Nested
    final class Ufs2BigEndian16k extends OnConfig {
        @Override
        FreshImages.Config config() {
            return FreshImages.UFS2_BE_16K;
        }
    }

    @Nested
    final class Ufs1LittleEndian8k extends OnConfig {
        @Override
        FreshImages.Config config() {
            return FreshImages.UFS1_LE_8K;
        }
    }

    /** Big enough for the suite's largest file (12 MiB). */
    static final FreshImages.Config UFS1_BE_4K_32M = new FreshImages.Config("ufs1-be-4k-32m", 1, "be", 4096, 512, "32m", 4096, 1024);

    @Nested
    final class Ufs1BigEndian4k extends OnConfig {
        @Override
        FreshImages.Config config() {
            return UFS1_BE_4K_32M;
        }
    }

    /**
     * For the hammer: one inode per 2 KiB, so that tens of thousands of racing creates run out
     * of nothing (ENOSPC is not among the errors a racing program may see).
     */
    static final FreshImages.Config UFS2_LE_16K_HAMMER = new FreshImages.Config("ufs2-le-16k-hammer", 2, "le", 16384, 2048, "64m", 2048, 1024);

    @Nested
    final class Concurrency extends ConcurrencyContract {
        @Override
        protected Mount mountFresh(Kernel kernel) throws IOException {
            return FfsContractTest.mountFresh(kernel, UFS2_LE_16K_HAMMER);
        }

        /**
         * The hammer's tree grows with its steps (subtrees renamed out of the workers' reach stay);
         * at about 50,000 steps a worker it has filled this 64 MiB image with thousands of
         * directories in chains hundreds deep, all reachable and consistent. 20,000 stay well inside.
         */
        @Override
        protected long hammerSteps() {
            return 20_000;
        }

        @Override
        protected void disposeDevice(BlockDevice dev) throws IOException {
            checkAndClose(dev);
        }
    }

    /**
     * The concurrency contract again with every directory indexed, as a read-heavy mount once had
     * it: the index must stay exact while threads race on small directories too.
     */
    @Nested
    final class ConcurrencyAllIndexed extends ConcurrencyContract {
        @Override
        protected Mount mountFresh(Kernel kernel) throws IOException {
            Mount m = FfsContractTest.mountFresh(kernel, UFS2_LE_16K_HAMMER);
            ((FfsVfsOps) m.vfsOps()).fileSystem().dirs.indexFrom = 0;
            return m;
        }

        @Override
        protected long hammerSteps() {
            return 20_000;
        }

        @Override
        protected void disposeDevice(BlockDevice dev) throws IOException {
            checkAndClose(dev);
        }
    }
}
