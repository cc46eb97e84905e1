package org.rumpmount.block.part;

import java.nio.file.Path;
import org.rumpmount.block.FileBlockDevice;

/** Scans an image file, for tests that compare the result with another tool's view after closing it. */
final class PartitionScannerSupport {
    private PartitionScannerSupport() {
    }

    static PartitionTable scan(Path img) throws Exception {
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            return PartitionScanner.scan(dev);
        }
    }
}
