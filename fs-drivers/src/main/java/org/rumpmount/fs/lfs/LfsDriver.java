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

/**
 * NetBSD's log-structured file system, format version 2, 32- and 64-bit, either byte order.
 * Writable mounts append to the log and, when clean segments run low, clean dirty ones by
 * copying their live blocks forward ({@link LfsCleaner} runs the cleaner on demand).
 */
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
        LfsFileSystem fs = LfsFileSystem.open(dev, mp.bufferCache());
        if (mp.isReadOnly()) {
            return new LfsMount(mp, fs);
        }
        if (dev.isReadOnly()) {
            throw new VfsException(Errno.EROFS, dev.name() + ": the device is read-only; mount the LFS read-only");
        }
        // NetBSD sets LFS_PF_CLEAN at unmount and clears it when mounting for writing; without it
        // the log may end in partial segments no checkpoint covers, which roll-forward (not done
        // here) would have to recover first.
        if (!fs.sb.isClean() && !mp.options().force()) {
            throw new VfsException(Errno.EROFS, dev.name() + ": the LFS was not unmounted cleanly (serial "
                    + fs.sb.serial + "); mount it read-only, or force a writable mount");
        }
        fs.loadIfileForWriting();
        SegmentWriter w = new SegmentWriter(fs, mp.host());
        w.markDirtyOnDisk();
        w.emptySegments.settleAtMount();
        if (!fs.sb.isClean()) {
            // What was written after the last checkpoint comes back, then a checkpoint makes it stay.
            if (new RollForward(fs, w).run() > 0) {
                w.flush(java.util.List.of(), true, true, fs.sb.pflags & ~Superblock.PF_CLEAN);
            }
        }
        w.emptySegments.markCurrentActive();
        return new LfsMount(mp, fs, w);
    }
}
