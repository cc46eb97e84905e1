package org.rumpmount.fs.ffs.makefs;

import org.rumpmount.block.BlockDevice;
import org.rumpmount.block.ForwardingBlockDevice;

/**
 * The image makefs writes, with flushes left out. Newfs and the driver flush the device at each
 * step that must reach the disk before the next (after formatting, before and after the
 * superblock); that order protects a file system in use across a crash, while a half-made image
 * is worth nothing after one. makefs hands over a new file as cp(1) does: written, in the host's
 * page cache, with no wait for the disk (a wait that costs more than the copy).
 */
final class UnflushedImage extends ForwardingBlockDevice {
    UnflushedImage(BlockDevice inner) {
        super(inner);
    }

    @Override
    public void flush() {
        // See the class comment.
    }
}
