package org.rumpmount.fs.ffs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.VfsException;

/**
 * A volume whose superblock has FS_DOWAPBL mounts read-only, and the journal header decides what
 * the user is told: a journal holding transactions (head and tail not both 0) gives a warning
 * that the most recent changes may be missing; an empty one gives none; a header that cannot be
 * trusted gives a warning too. The images are copies of ufs2-full with a journal appended after
 * the file system, where NetBSD puts an end-of-partition journal.
 */
class WapblJournalTest {
    private static final int SB = 8192;
    private static final int JOURNAL_BYTES = 64 * 1024;
    private static final int LOG_BLOCK = 512;
    private static final long CIRC_OFF = 2 * LOG_BLOCK;

    /** ufs2-full with FS_DOWAPBL, an end-of-partition journal locator, and the journal's two header blocks. */
    private static byte[] journaled(long gen1, long head1, long tail1, long gen2, long head2, long tail2) throws IOException {
        byte[] fs = FfsDriverTest.bytes("ufs2-full");
        byte[] img = Arrays.copyOf(fs, fs.length + JOURNAL_BYTES);
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(SB + 1312, b.getInt(SB + 1312) | Superblock.FS_DOWAPBL);
        b.put(SB + 864, (byte) WapblJournal.UFS_WAPBL_VERSION).put(SB + 865, (byte) WapblJournal.JOURNALLOC_END_PARTITION);
        b.putLong(SB + 872, fs.length / LOG_BLOCK).putLong(SB + 880, JOURNAL_BYTES / LOG_BLOCK).putLong(SB + 888, LOG_BLOCK);
        WapblHeader.encode(b, fs.length, ByteOrder.LITTLE_ENDIAN, gen1, 9, 9, head1, tail1, CIRC_OFF, JOURNAL_BYTES - CIRC_OFF);
        WapblHeader.encode(b, fs.length + LOG_BLOCK, ByteOrder.LITTLE_ENDIAN, gen2, 9, 9, head2, tail2, CIRC_OFF,
                JOURNAL_BYTES - CIRC_OFF);
        return img;
    }

    /** Mounts read-only, walks the whole tree, and returns the driver's warnings. */
    private static List<String> mountAndWalk(byte[] img) throws IOException {
        LogCapture log = LogCapture.of(FfsDriver.class, Level.WARNING);
        try (log; Kernel k = FfsGoldenTest.kernel()) {
            MemoryBlockDevice dev = FfsDriverTest.device(img, true);
            Mount mp = k.mount("ffs", dev, MountOptions.readOnly());
            TreeWalker w = new TreeWalker(mp, Long.MAX_VALUE, Integer.MAX_VALUE);
            w.walk();
            assertEquals(476, w.nodes.size());
            assertArrayEquals(img, dev.snapshot(), "a read-only mount writes nothing");
        }
        return log.messages();
    }

    @Test
    void aJournalHoldingTransactionsMountsReadOnlyWithAWarningThatChangesMayBeMissing() throws IOException {
        List<String> w = mountAndWalk(journaled(7, CIRC_OFF + 3 * LOG_BLOCK, CIRC_OFF, 6, 0, 0));
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("holds transactions not yet written") && w.get(0).contains("head 2560, tail 1024")
                && w.get(0).contains("read-only") && w.get(0).contains("most recent changes may be missing"), w.get(0));
    }

    @Test
    void anEmptyJournalNeedsNoReplayAndGivesNoWarning() throws IOException {
        assertEquals(List.of(), mountAndWalk(journaled(7, 0, 0, 6, CIRC_OFF + LOG_BLOCK, CIRC_OFF)));
    }

    @Test
    void theHeaderCopyWithTheHigherGenerationIsTheOneRead() throws IOException {
        List<String> w = mountAndWalk(journaled(7, 0, 0, 8, CIRC_OFF + 2 * LOG_BLOCK, CIRC_OFF + LOG_BLOCK));
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("generation 8, head 2048, tail 1536"), w.get(0));
    }

    @Test
    void aHeaderWithoutTheMagicNumberIsReportedAndMayHoldChanges() throws IOException {
        byte[] img = journaled(7, 0, 0, 6, 0, 0);
        int at = FfsDriverTest.bytes("ufs2-full").length;
        ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).putInt(at, 0x12345678);
        List<String> w = mountAndWalk(img);
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("no journal header at byte " + at) && w.get(0).contains("wc_type 0x12345678")
                && w.get(0).contains("may be missing"), w.get(0));
    }

    @Test
    void headAndTailOutsideTheCircularRegionAreReported() throws IOException {
        List<String> w = mountAndWalk(journaled(7, 1L << 40, CIRC_OFF, 6, 0, 0));
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("lies outside its circular region"), w.get(0));
    }

    @Test
    void aLocatorPastTheEndOfTheDeviceIsReported() throws IOException {
        byte[] img = journaled(7, 0, 0, 6, 0, 0);
        ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).putLong(SB + 872, Long.MAX_VALUE / 2);
        List<String> w = mountAndWalk(img);
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("does not lie on the device"), w.get(0));
    }

    @Test
    void aJournaledVolumeStillRefusesReadWriteMounts() throws IOException {
        byte[] img = journaled(7, 0, 0, 6, 0, 0);
        try (Kernel k = FfsGoldenTest.kernel()) {
            MemoryBlockDevice dev = FfsDriverTest.device(img, false);
            VfsException e = assertThrows(VfsException.class, () -> k.mount("ffs", dev, MountOptions.readWrite()));
            assertEquals(Errno.EROFS, e.errno());
            assertArrayEquals(img, dev.snapshot(), "a refused mount writes nothing");
        }
    }
}
