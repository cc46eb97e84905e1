package org.rumpmount.fs.tmpfs;

import java.io.IOException;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.contract.ConcurrencyContract;

/** The concurrency contract, run against tmpfs. */
final class TmpfsConcurrencyContractTest extends ConcurrencyContract {

    @Override
    protected Mount mountFresh(Kernel kernel) throws IOException {
        return TmpfsContractTest.mountTmpfs(kernel, "256m");
    }
}
