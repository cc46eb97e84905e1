package org.rumpmount.fs.tmpfs;

import java.io.IOException;
import java.util.Optional;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.FileSystemDriver;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.ProbeResult;
import org.rumpmount.vfs.VfsOps;

/**
 * tmpfs: a file system held entirely in memory, with NetBSD tmpfs semantics. It needs no device
 * and recognises none. Options: {@code size=N[k|m|g|t]} (data limit), {@code inodes=N} (file
 * limit), {@code mode=}, {@code uid=}, {@code gid=} (of the root directory).
 */
public final class TmpfsDriver implements FileSystemDriver {
    public static final String NAME = "tmpfs";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsDevice() {
        return false;
    }

    /** A device never holds a tmpfs. */
    @Override
    public Optional<ProbeResult> probe(BlockDevice dev) {
        return Optional.empty();
    }

    @Override
    public VfsOps mount(Mount mp, BlockDevice dev) throws IOException {
        TmpfsArgs args = TmpfsArgs.parse(mp.options(), TmpfsArgs.defaultSizeBytes());
        return new TmpfsMount(mp, args);
    }
}
