package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.VfsException;

/**
 * Where a volume's WAPBL journal is and whether it needs replay, as NetBSD's ffs_wapbl_replay_start
 * and wapbl_replay_start decide at mount time. The superblock's locator gives the journal's start
 * in units of its block size ({@code fs_journallocs}: address, count, block size, and for a
 * journal inside the file system its inode), for a journal after the end of the file system or
 * in a file inside it alike. Nothing is replayed here: the answer decides what to tell the user.
 */
final class WapblJournal {
    static final int UFS_WAPBL_VERSION = 1;
    static final int JOURNALLOC_NONE = 0;
    static final int JOURNALLOC_END_PARTITION = 1;
    static final int JOURNALLOC_IN_FILESYSTEM = 2;
    private static final int DEV_BSIZE = 512;
    private static final int MAX_LOG_BLOCK = 65536;

    /** What was found: whether replay is (or may be) needed, and a sentence that says so. */
    record State(boolean mayNeedReplay, String description) {
    }

    private WapblJournal() {
    }

    /** Inspects the journal of a volume whose superblock has FS_DOWAPBL. Never throws for a bad journal. */
    static State inspect(BlockDevice dev, Superblock sb) {
        if (sb.journalVersion != UFS_WAPBL_VERSION) {
            return new State(true, "the WAPBL journal's version " + sb.journalVersion + " (fs_journal_version) is not "
                    + UFS_WAPBL_VERSION + ", so whether it holds changes is unknown");
        }
        if (sb.journalLocation == JOURNALLOC_NONE) {
            return new State(false, "the superblock records no WAPBL journal location, so there is nothing to replay");
        }
        if (sb.journalLocation != JOURNALLOC_END_PARTITION && sb.journalLocation != JOURNALLOC_IN_FILESYSTEM) {
            return new State(true, "the WAPBL journal's location type " + sb.journalLocation
                    + " (fs_journal_location) is unknown, so whether it holds changes is unknown");
        }
        long addr = sb.journallocs[0];
        long count = sb.journallocs[1];
        long blksize = sb.journallocs[2];
        String where = "the WAPBL journal (fs_journallocs: address " + addr + ", " + count + " blocks of " + blksize
                + " bytes)";
        if (blksize < DEV_BSIZE || blksize > MAX_LOG_BLOCK || Long.bitCount(blksize) != 1 || addr < 0 || count < 2
                || addr > (dev.size() / blksize) || count > (dev.size() / blksize) - addr) {
            return new State(true, where + " does not lie on the device of " + dev.size()
                    + " bytes, so whether it holds changes is unknown");
        }
        long start = addr * blksize;
        ByteBuffer b;
        try {
            b = FfsIo.readBytes(dev, start, (int) (2 * blksize), "WAPBL journal header");
        } catch (VfsException e) {
            return new State(true, where + " cannot be read (" + e.getMessage() + "), so whether it holds changes is unknown");
        }
        WapblHeader h = WapblHeader.decode(b, 0, sb.order);
        if (!h.hasMagic()) {
            return new State(true, where + " has no journal header at byte " + start + " (wc_type 0x"
                    + Integer.toHexString(h.type) + ", not 0x" + Integer.toHexString(WapblHeader.WAPBL_WC_HEADER)
                    + "), so whether it holds changes is unknown");
        }
        // Both copies are written in turn; the one with the higher generation is current.
        WapblHeader h2 = WapblHeader.decode(b, (int) blksize, sb.order);
        if (h2.hasMagic() && h2.generation > h.generation) {
            h = h2;
        }
        String bad = h.inconsistency(count * blksize);
        if (bad != null) {
            return new State(true, where + " has a header at byte " + start + " whose " + bad
                    + ", so whether it holds changes is unknown");
        }
        if (h.isEmpty()) {
            return new State(false, where + " at byte " + start + " is empty (generation " + h.generation + ")");
        }
        return new State(true, where + " at byte " + start + " holds transactions not yet written to the file system"
                + " (generation " + h.generation + ", head " + h.head + ", tail " + h.tail + ")");
    }
}
