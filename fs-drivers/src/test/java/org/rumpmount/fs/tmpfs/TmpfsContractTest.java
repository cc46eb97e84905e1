package org.rumpmount.fs.tmpfs;

import java.io.IOException;
import org.junit.jupiter.api.Assumptions;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.contract.FileSystemContract;

/** The file system contract, run against tmpfs. */
final class TmpfsContractTest extends FileSystemContract {

    /**
     * A tmpfs of {@code size}. The suite is skipped, not failed, in a build that has no tmpfs
     * driver on the class path.
     */
    static Mount mountTmpfs(Kernel kernel, String size) throws IOException {
        Assumptions.assumeTrue(kernel.drivers().get("tmpfs").isPresent(), "no tmpfs driver in this build");
        return kernel.mount("tmpfs", null, MountOptions.builder().option("size", size).build());
    }

    /** 64 MiB: room for every test, and a fixed size so that free-space figures are exact. */
    @Override
    protected Mount mountFresh(Kernel kernel) throws IOException {
        return mountTmpfs(kernel, "64m");
    }

    /** tmpfs's own limit: the largest page-aligned size a long holds (NetBSD's tmpfs uses off_t). */
    @Override
    protected long maxFileSize() {
        return Long.MAX_VALUE & ~4095L;
    }

    @Override
    protected boolean hasSpaceLimit() {
        return true;
    }

    @Override
    protected Mount mountSmall(Kernel kernel, long bytes) throws IOException {
        return mountTmpfs(kernel, Long.toString(bytes));
    }

    /** tmpfs has no device to remount: its contents die with the mount. */
    @Override
    protected Mount remountReadOnly(Kernel kernel, Mount rw) {
        return null;
    }

    @Override
    protected Mount mountEmptyReadOnly(Kernel kernel) throws IOException {
        Assumptions.assumeTrue(kernel.drivers().get("tmpfs").isPresent(), "no tmpfs driver in this build");
        return kernel.mount("tmpfs", null, MountOptions.builder().readOnly(true).option("size", "1m").build());
    }
}
