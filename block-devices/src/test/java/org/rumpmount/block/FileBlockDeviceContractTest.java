package org.rumpmount.block;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract for an image file. */
final class FileBlockDeviceContractTest extends BlockDeviceContract {
    @TempDir
    Path dir;

    @Override
    protected BlockDevice open(byte[] contents, boolean readOnly) throws IOException {
        Path image = Files.createTempFile(dir, "contract", ".img");
        Files.write(image, contents);
        return FileBlockDevice.open(image, FileBlockDevice.Options.READ_WRITE.withReadOnly(readOnly));
    }
}
