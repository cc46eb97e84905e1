package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.util.Optional;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.FileSystemDriver;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.ProbeResult;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.VfsOps;

/** NetBSD's log-structured file system, format version 2, 32- and 64-bit, either byte order. Reading only, for now. */
public final class LfsDriver implements FileSystemDriver {

    @Override
    public String name() {
        return "lfs";
    }

    /** Recognises an LFS by the magic at LFS_LABELPAD with a correct superblock checksum. */
    @Override
    public Optional<ProbeResult> probe(BlockDevice dev) throws IOException {
        Superblock sb = LfsFileSystem.readSuperblock(dev, Superblock.LABELPAD);
        if (sb == null || !sb.checksumOk()) {
            return Optional.empty();
        }
        String state;
        try {
            sb.validate(dev.size());
            state = sb.isClean() ? "clean" : "not clean";
        } catch (VfsException e) {
            state = "damaged: " + e.getMessage();
        }
        return Optional.of(new ProbeResult(name(), "LFS v" + sb.version + " (" + sb.layout + "), "
                + sb.bsize + "/" + sb.fsize + ", " + sb.nseg + " segments of " + sb.ssize + " bytes, "
                + (sb.size * sb.fsize) + " bytes, " + state));
    }

    @Override
    public VfsOps mount(Mount mp, BlockDevice dev) throws IOException {
        if (!mp.isReadOnly()) {
            throw new VfsException(Errno.EROFS, dev.name() + ": writing LFS is not supported yet; mount it read-only");
        }
        return new LfsMount(mp, LfsFileSystem.open(dev, mp.bufferCache()));
    }
}
