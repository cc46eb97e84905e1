package org.rumpmount.fs.lfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * Segments whose data is dead are handed back to the writer only once the checkpoints in both
 * superblock copies call them empty: a mount after a power cut starts from the older copy.
 */
class EmptySegmentsTest {
    @Test
    void anEmptySegmentTurnsCleanOnlyOnceBothSuperblockCopiesSayItIsEmpty() throws IOException {
        // The emptied image: the removed tree left dirty segments holding nothing live.
        MemoryBlockDevice dev = MemoryBlockDevice.of(LfsContractTest.emptyImage(), 512, false, false);
        try (Kernel k = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(4 << 20))) {
            Mount mp = k.mount("lfs", dev, MountOptions.readWrite());
            LfsMount m = (LfsMount) mp.vfsOps();
            LfsFileSystem fs = m.fs();
            List<Long> empty = new ArrayList<>();
            for (long sn = 0; sn < fs.sb.nseg; sn++) {
                SegUse su = fs.segUse(sn);
                if (su.isDirty() && su.nbytes() == 0 && (su.flags() & SegUse.ACTIVE) == 0) {
                    empty.add(sn);
                }
            }
            assertTrue(empty.size() > 50, "empty dirty segments: " + empty.size());
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            // One checkpoint reaches one superblock copy; the other still holds an older one.
            long serial = fs.sb.serial;
            p.sync();
            assertTrue(fs.sb.serial > serial);
            for (long sn : empty) {
                assertTrue(fs.segUse(sn).isDirty(), "segment " + sn + " marked clean after one checkpoint");
            }
            // Checkpoints until both copies have had one: then they are clean, and counted so.
            long clean = fs.cleanerInfo().clean();
            long first = fs.sb.serial & 1;
            do {
                p.sync();
            } while ((fs.sb.serial & 1) == first);
            for (long sn : empty) {
                assertFalse(fs.segUse(sn).isDirty(), "segment " + sn + " still dirty after a checkpoint in each copy");
            }
            assertEquals(clean + empty.size(), fs.cleanerInfo().clean());
            assertEquals(empty.size(), m.cleaner.totals().segmentsCleaned());
            k.unmount(mp, false);
        }
        assertEquals(List.of(), LfsCheck.check(dev).problems());
    }
}
