package org.rumpmount.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.rumpmount.vfs.DriverRegistry;

/** The commands run on tmpfs, the one driver that needs no image; these tests wait for it. */
final class TmpfsPresent {
    private TmpfsPresent() {
    }

    static void assume() {
        assumeTrue(DriverRegistry.load().get("tmpfs").isPresent(), "the tmpfs driver is not on the class path");
    }
}
