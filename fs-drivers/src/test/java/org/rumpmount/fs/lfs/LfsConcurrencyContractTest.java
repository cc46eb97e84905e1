package org.rumpmount.fs.lfs;

import java.io.IOException;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.contract.ConcurrencyContract;

/** The concurrency contract, run against LFS on the emptied NetBSD image (see {@link LfsContractTest}). */
final class LfsConcurrencyContractTest extends ConcurrencyContract {
    @Override
    protected Mount mountFresh(Kernel kernel) throws IOException {
        byte[] img = LfsContractTest.emptyImage().clone();
        return kernel.mount("lfs", MemoryBlockDevice.of(img, 512, false, false), MountOptions.readWrite());
    }

}
