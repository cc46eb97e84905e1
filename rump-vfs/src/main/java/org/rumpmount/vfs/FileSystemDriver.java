package org.rumpmount.vfs;

import java.io.IOException;
import java.util.Optional;

/**
 * A file system type the kernel can mount: the plugin interface, found with
 * {@link java.util.ServiceLoader} (list implementations in
 * {@code META-INF/services/org.rumpmount.vfs.FileSystemDriver}).
 */
public interface FileSystemDriver {

    /** The type name used with {@code -t} ("ffs", "lfs", "tmpfs"). */
    String name();

    /** Whether mounting needs a block device (tmpfs does not). */
    default boolean needsDevice() {
        return true;
    }

    /**
     * Looks at {@code dev} and says whether it holds this file system. Must not write, must not
     * throw for foreign or corrupt data (that is an empty result), and must read little.
     * Device errors may be thrown.
     */
    Optional<ProbeResult> probe(org.rumpmount.block.BlockDevice dev) throws IOException;

    /**
     * Mounts: reads and validates the file system on {@code dev} (null when
     * {@link #needsDevice()} is false) and returns its per-mount operations. {@code mp} carries
     * the options, the host and the buffer cache. A read-write mount marks the file system dirty
     * on the device. Refuses a read-write mount of a file system that is not clean unless
     * {@link MountOptions#force()}, with EROFS or EFTYPE and a message saying why.
     */
    VfsOps mount(Mount mp, org.rumpmount.block.BlockDevice dev) throws IOException;
}
