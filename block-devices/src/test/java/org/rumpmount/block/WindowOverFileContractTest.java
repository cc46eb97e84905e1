package org.rumpmount.block;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract for a window at an unaligned offset of an image file; read-only comes from the parent. */
final class WindowOverFileContractTest extends BlockDeviceContract {
    static final int BEFORE = 1000;
    static final int AFTER = 777;

    @TempDir
    Path dir;

    @Override
    protected BlockDevice open(byte[] contents, boolean readOnly) throws IOException {
        byte[] disk = pattern(BEFORE + contents.length + AFTER, 97);
        System.arraycopy(contents, 0, disk, BEFORE, contents.length);
        Path image = Files.createTempFile(dir, "window", ".img");
        Files.write(image, disk);
        FileBlockDevice parent = track(FileBlockDevice.open(image, readOnly));
        return WindowBlockDevice.of(parent, BEFORE, contents.length);
    }
}
