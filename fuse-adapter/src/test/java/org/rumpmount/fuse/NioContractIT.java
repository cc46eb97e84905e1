package org.rumpmount.fuse;

import org.junit.jupiter.api.Nested;

/** {@link NioContract} over each kind of file system a mount serves. */
class NioContractIT {
    @Nested
    class OnTmpfs extends NioContract {
        @Override
        FuseFixture.Backing backing() {
            return FuseFixture.Backing.TMPFS;
        }
    }

    /** A read-write FFS image made by our newfs; fsck must find it clean after the unmount. */
    @Nested
    class OnFfs extends NioContract {
        @Override
        FuseFixture.Backing backing() {
            return FuseFixture.Backing.FFS;
        }
    }
}
