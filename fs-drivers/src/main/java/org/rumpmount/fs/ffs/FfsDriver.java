package org.rumpmount.fs.ffs;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.logging.Logger;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.FileSystemDriver;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.ProbeResult;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.VfsOps;
import org.rumpmount.vfs.VType;

/** NetBSD's Fast File System, UFS1 and UFS2 in either byte order: type "ffs". */
public final class FfsDriver implements FileSystemDriver {
    private static final Logger LOG = Logger.getLogger(FfsDriver.class.getName());

    @Override
    public String name() {
        return "ffs";
    }

    @Override
    public Optional<ProbeResult> probe(BlockDevice dev) throws IOException {
        SuperblockLocator.Found f;
        try {
            f = SuperblockLocator.locate(dev);
        } catch (VfsException e) {
            // Foreign or corrupt data is "not ours"; a failing device is the caller's to hear about.
            if (e.getCause() instanceof IOException io && !(io instanceof VfsException)) {
                throw io;
            }
            return Optional.empty();
        }
        return Optional.of(new ProbeResult(name(), describe(f)));
    }

    static String describe(SuperblockLocator.Found f) {
        Superblock sb = f.sb();
        return (sb.ufs2 ? "FFSv2 (UFS2)" : "FFSv1 (UFS1)") + ", "
                + (sb.order == ByteOrder.BIG_ENDIAN ? "big" : "little") + "-endian, superblock at " + f.offset()
                + ", bsize " + sb.bsize + "/fsize " + sb.fsize + ", " + sb.totalFrags() * sb.fsize + " bytes, "
                + ((sb.clean & Superblock.FS_ISCLEAN) != 0 ? "clean" : "not clean")
                + ((sb.fsFlags() & Superblock.FS_DOWAPBL) != 0 ? ", journaled (WAPBL)" : "");
    }

    @Override
    public VfsOps mount(Mount mp, BlockDevice dev) throws IOException {
        if (dev == null) {
            throw new VfsException(Errno.EINVAL, "ffs needs a device to mount");
        }
        SuperblockLocator.Found f = SuperblockLocator.locate(dev);
        Superblock sb = f.sb();
        if (!mp.isReadOnly()) {
            refuseUnsafeWrites(dev, sb, mp.options().force());
        }
        if ((sb.fsFlags() & Superblock.FS_DOWAPBL) != 0 && mp.isReadOnly()) {
            // NetBSD clears FS_DOWAPBL when it closes the journal at unmount, so a volume that still
            // has it was not unmounted cleanly, and its log may hold committed transactions that
            // NetBSD would replay into memory for a read-only mount. Without replay the last changes
            // are missing from what we show, which is safe but worth saying when the log is not empty.
            WapblJournal.State j = WapblJournal.inspect(dev, sb);
            if (j.mayNeedReplay()) {
                LOG.warning(dev.name() + ": " + j.description() + "; mounting read-only without replaying the journal,"
                        + " so the most recent changes may be missing");
            } else {
                LOG.fine(dev.name() + ": " + j.description());
            }
        }
        FfsFileSystem fs = new FfsFileSystem(dev, mp.bufferCache(), sb, f.offset());
        // Check the root without the vnode cache: the kernel attaches these ops only after we return.
        Inode root = fs.loadInode(FfsFileSystem.ROOTINO);
        if (root.type != VType.VDIR) {
            throw new VfsException(Errno.EFTYPE, dev.name() + ": root inode " + FfsFileSystem.ROOTINO + " is a "
                    + root.type + ", not a directory");
        }
        if (!mp.isReadOnly()) {
            fs.upgradeOldFields();
            fs.enableWrites(mp.host());
            // Dirty on the device before anything else is written, so a crash from here on is seen.
            sb.clean = 0;
            sb.ronly = 0;
            fs.writeSuperblock();
        }
        return new FfsVfsOps(mp, fs);
    }

    /** The read-write mount policy: what makes writing unsafe, and which of it force may override. */
    private static void refuseUnsafeWrites(BlockDevice dev, Superblock sb, boolean force) throws VfsException {
        if (sb.oldFormat()) {
            throw new VfsException(Errno.EROFS, dev.name() + ": 4.2BSD inode format (fs_old_inodefmt "
                    + sb.oldInodefmt + ") can only be mounted read-only");
        }
        if ((sb.fsFlags() & Superblock.FS_DOWAPBL) != 0) {
            throw new VfsException(Errno.EROFS, dev.name() + ": the WAPBL journal is open and may need replay, which"
                    + " this driver does not do; mount read-only, or replay it with NetBSD's fsck_ffs first");
        }
        if ((sb.fsFlags() & Superblock.FS_DOSOFTDEP) != 0) {
            throw new VfsException(Errno.EROFS, dev.name() + ": soft dependencies (FS_DOSOFTDEP) are not supported"
                    + " for writing; mount read-only");
        }
        if ((sb.clean & Superblock.FS_ISCLEAN) == 0 && !force) {
            throw new VfsException(Errno.EROFS, dev.name() + ": file system is not clean (fs_clean 0x"
                    + Integer.toHexString(sb.clean) + "); run fsck, mount read-only, or force the mount");
        }
    }
}
