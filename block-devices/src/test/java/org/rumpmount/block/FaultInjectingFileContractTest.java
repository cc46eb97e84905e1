package org.rumpmount.block;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract for the fault-injecting wrapper with no faults planned, over an aligned image file. */
final class FaultInjectingFileContractTest extends BlockDeviceContract {
    @TempDir
    Path dir;

    @Override
    protected BlockDevice open(byte[] contents, boolean readOnly) throws IOException {
        Path image = Files.createTempFile(dir, "faulty", ".img");
        Files.write(image, contents);
        return FaultInjectingBlockDevice.wrap(FileBlockDevice.open(image, new FileBlockDevice.Options(readOnly, true)),
                FaultPlan.NONE);
    }
}
