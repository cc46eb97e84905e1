package org.rumpmount.fs.tmpfs;

import java.io.IOException;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.contract.FileSystemContract;

/** The file system contract, run against tmpfs. */
final class TmpfsContractTest extends FileSystemContract {

    /** 64 MiB: room for every test, and a fixed size so that free-space figures are exact. */
    static Mount mountTmpfs(Kernel kernel, String size) throws IOException {
        return kernel.mount("tmpfs", null, MountOptions.builder().option("size", size).build());
    }

    @Override
    protected Mount mountFresh(Kernel kernel) throws IOException {
        return mountTmpfs(kernel, "64m");
    }

    @Override
    protected long maxFileSize() {
        return TmpfsFileData.MAX_FILE_SIZE;
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
        return kernel.mount("tmpfs", null, MountOptions.builder().readOnly(true).option("size", "1m").build());
    }
}
