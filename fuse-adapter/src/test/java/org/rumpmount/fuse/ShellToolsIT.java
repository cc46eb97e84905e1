package org.rumpmount.fuse;

import org.junit.jupiter.api.Nested;

/** {@link ShellTools} over each kind of file system a mount serves. */
class ShellToolsIT {
    @Nested
    class OnTmpfs extends ShellTools {
        @Override
        FuseFixture.Backing backing() {
            return FuseFixture.Backing.TMPFS;
        }
    }

    /** A read-write FFS image made by our newfs; fsck must find it clean after the unmount. */
    @Nested
    class OnFfs extends ShellTools {
        @Override
        FuseFixture.Backing backing() {
            return FuseFixture.Backing.FFS;
        }
    }

    /** A read-write copy of a reference image made by Debian's makefs, already holding a large tree. */
    @Nested
    class OnReferenceImageCopy extends ShellTools {
        @Override
        FuseFixture.Backing backing() {
            return FuseFixture.Backing.FFS_REFERENCE_COPY;
        }
    }
}
