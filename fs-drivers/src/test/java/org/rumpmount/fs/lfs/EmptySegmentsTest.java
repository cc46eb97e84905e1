package org.rumpmount.fs.lfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.block.FileBlockDevice;
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
 * superblock copies call them empty: a mount after a power cut starts from the older copy. The
 * usage entries' EMPTY flag says, as NetBSD's LFS_WRITESEGENTRY keeps it, whether a segment
 * claims no bytes: what lfs_cleanerd and the kernel's automatic cleaning read.
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

    /** The usage entries whose EMPTY flag disagrees with su_nbytes, as sentences. */
    static List<String> emptyFlagsWrong(BlockDevice dev) throws IOException {
        LfsFileSystem fs = LfsFileSystem.open(dev);
        List<String> wrong = new ArrayList<>();
        for (long sn = 0; sn < fs.sb.nseg; sn++) {
            SegUse su = fs.segUse(sn);
            if (((su.flags() & SegUse.EMPTY) != 0) != (su.nbytes() == 0)) {
                wrong.add("segment " + sn + ": " + su);
            }
        }
        return wrong;
    }

    /** NetBSD's own images keep the rule: EMPTY exactly on the entries that claim no bytes. */
    @ParameterizedTest
    @ValueSource(strings = {"nb-lfs-4k", "nb-lfs-default"})
    void netbsdImagesMarkExactlyTheSegmentsClaimingNoBytesEmpty(String name) throws IOException {
        try (FileBlockDevice dev = FileBlockDevice.open(TestImages.image(name), true)) {
            assertEquals(List.of(), emptyFlagsWrong(dev));
        }
    }

    @ParameterizedTest(name = "lfs64={0}")
    @ValueSource(booleans = {false, true})
    void writesCleaningAndRemovalsKeepTheEmptyFlagInStepWithTheBytesClaimed(boolean is64) throws IOException {
        long size = 16 << 20;
        MemoryBlockDevice dev = MemoryBlockDevice.create((int) size);
        NewfsLfs.format(dev, new NewfsLfs.Options(size, 4096, 1024, 64 << 10, is64, ByteOrder.LITTLE_ENDIAN, 10, 0, 0,
                0x3456789b, 1_700_000_000L));
        assertEquals(List.of(), emptyFlagsWrong(dev), "as newfs left it");
        Random rnd = new Random(5);
        try (Kernel k = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(4 << 20))) {
            Mount mp = k.mount("lfs", dev, MountOptions.readWrite());
            LfsMount m = (LfsMount) mp.vfsOps();
            PathFacade p = new PathFacade(mp, Credentials.ROOT);
            for (int i = 0; i < 200; i++) {
                byte[] b = new byte[1 + rnd.nextInt(400_000)];
                rnd.nextBytes(b);
                p.writeAll("/f" + rnd.nextInt(12), b);
                if (i % 7 == 0) {
                    p.sync();
                }
            }
            for (int i = 0; i < 12; i += 2) {
                p.unlink("/f" + i);
            }
            p.sync();
            LfsCleaner.clean(mp, 8);
            // In core too: every entry written on this mount follows the rule.
            LfsFileSystem fs = m.fs();
            for (long sn = 0; sn < fs.sb.nseg; sn++) {
                SegUse su = fs.segUse(sn);
                assertEquals(su.nbytes() == 0, (su.flags() & SegUse.EMPTY) != 0, "segment " + sn + ": " + su);
            }
            assertTrue(m.cleaner.totals().segmentsCleaned() > 0, "segments marked clean: " + m.cleaner.totals());
            k.unmount(mp, false);
        }
        assertEquals(List.of(), emptyFlagsWrong(dev), "after the mount");
        assertEquals(List.of(), LfsCheck.check(dev).problems());
    }

    /**
     * A writable mount sets every entry's EMPTY flag right and clears ACTIVE and INVAL left on
     * segments other than the one the log goes on in, as lfs_mountfs does, whatever the image
     * said: here an image whose flags were spoilt on disk.
     */
    @Test
    void aWritableMountSettlesTheFlagsOfEverySegment() throws IOException {
        byte[] img = TestImages.bytes("nb-lfs-4k");
        MemoryBlockDevice dev = MemoryBlockDevice.of(img, 512, false, false);
        LfsFileSystem fs = LfsFileSystem.open(dev);
        Superblock sb = fs.sb;
        long cur = sb.dtosn(sb.offset);
        long full = -1;
        long clean = -1;
        for (long sn = 1; sn < sb.nseg && (full < 0 || clean < 0); sn++) {
            SegUse su = fs.segUse(sn);
            // Not an entry starting its IFILE block: the data checksum covers those bytes.
            if (sn % sb.sepb == 0 || sn == cur) {
                continue;
            }
            if (full < 0 && su.isDirty() && su.nbytes() > 0) {
                full = sn;
            } else if (clean < 0 && !su.isDirty()) {
                clean = sn;
            }
        }
        assertTrue(full > 0 && clean > 0, "segments found: " + full + ", " + clean);
        spoil(dev, fs, full, SegUse.EMPTY | SegUse.ACTIVE, 0);
        spoil(dev, fs, clean, SegUse.INVAL, SegUse.EMPTY);
        fs = LfsFileSystem.open(dev);
        assertEquals(SegUse.EMPTY | SegUse.ACTIVE, fs.segUse(full).flags() & (SegUse.EMPTY | SegUse.ACTIVE));
        assertEquals(SegUse.INVAL, fs.segUse(clean).flags() & (SegUse.EMPTY | SegUse.INVAL));

        try (Kernel k = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(4 << 20))) {
            Mount mp = k.mount("lfs", dev, MountOptions.readWrite());
            k.unmount(mp, false);
        }
        fs = LfsFileSystem.open(dev);
        assertEquals(0, fs.segUse(full).flags() & (SegUse.EMPTY | SegUse.ACTIVE), "segment " + full + ": " + fs.segUse(full));
        assertEquals(SegUse.EMPTY, fs.segUse(clean).flags() & (SegUse.EMPTY | SegUse.INVAL),
                "segment " + clean + ": " + fs.segUse(clean));
        assertEquals(List.of(), emptyFlagsWrong(dev));
        long active = 0;
        for (long sn = 0; sn < fs.sb.nseg; sn++) {
            if ((fs.segUse(sn).flags() & SegUse.ACTIVE) != 0) {
                active++;
                assertEquals(fs.sb.dtosn(fs.sb.curseg), sn, "the one active segment is the current one");
            }
        }
        assertEquals(1, active);
        assertEquals(List.of(), LfsCheck.check(dev).problems());
    }

    /** Sets {@code set} and clears {@code clear} in segment {@code sn}'s usage entry where the IFILE block holding it lies. */
    private static void spoil(MemoryBlockDevice dev, LfsFileSystem fs, long sn, int set, int clear) throws IOException {
        Superblock sb = fs.sb;
        long daddr = fs.address(fs.ifile, fs.segUseBlock(sn));
        long at = sb.byteOffset(daddr) + (sn % sb.sepb) * sb.layout.segUseSize() + 12;
        ByteBuffer b = ByteBuffer.allocate(4).order(sb.layout.order());
        dev.read(at, b);
        int flags = (b.getInt(0) | set) & ~clear;
        b.putInt(0, flags).rewind();
        dev.write(at, b);
    }
}
