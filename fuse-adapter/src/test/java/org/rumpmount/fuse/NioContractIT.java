package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.Errno;

/** {@link NioContract} over each kind of file system a mount serves. */
class NioContractIT {
    @Nested
    class OnTmpfs extends NioContract {
        @Override
        FuseFixture.Backing backing() {
            return FuseFixture.Backing.TMPFS;
        }

        /** A tmpfs keeps nothing across a remount: there are no existing files to protect. Not a test here. */
        @Override
        void aReadOnlyMountRefusesEveryChangeToExistingFilesWithEROFS() {
        }
    }

    /** UFS1 in big-endian byte order with 4 KiB blocks, made by our newfs; fsck must find it clean after the unmount. */
    @Nested
    class OnFfsUfs1BigEndian extends NioContract {
        @Override
        FuseFixture.Backing backing() {
            return FuseFixture.Backing.FFS_UFS1_BE;
        }
    }

    /** An LFS made by our newfs -t lfs and mounted as type lfs; fsck_lfs must find it clean after the unmount. */
    @Nested
    class OnLfs extends NioContract {
        @Override
        FuseFixture.Backing backing() {
            return FuseFixture.Backing.LFS;
        }
    }

    /** A read-write UFS2 image made by our newfs; fsck must find it clean after the unmount. */
    @Nested
    class OnFfs extends NioContract {
        @Override
        FuseFixture.Backing backing() {
            return FuseFixture.Backing.FFS;
        }

        /** Disk full is an error of the write that meets it, never of the mount. */
        @Test
        void aFullFileSystemIsENOSPCAndTakesWritesAgainOnceSpaceIsFreed() throws IOException {
            Path filler = dir().resolve("filler");
            ByteBuffer mib = ByteBuffer.wrap(NioContract.pattern(1 << 20, 9));
            long written = 0;
            Errno got = null;
            try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                while (written < 2 * FuseFixture.FFS_BYTES) {
                    mib.rewind();
                    written += ch.write(mib);
                }
            } catch (IOException e) {
                got = HostErrno.of(e);
            }
            if (got == null) {
                fail(written + " bytes went onto a file system of " + FuseFixture.FFS_BYTES);
            }
            assertEquals(Errno.ENOSPC, got);
            assertTrue(written > FuseFixture.FFS_BYTES / 2, "only " + written + " bytes fitted");
            Files.delete(filler);
            Files.write(dir().resolve("after"), NioContract.pattern(4 << 20, 10));
            assertEquals(4 << 20, Files.size(dir().resolve("after")));
            String options = MountInfo.find(fixture().dir).orElseThrow().options();
            assertTrue(options.startsWith("rw"), "mount options now: " + options);
        }
    }
}
