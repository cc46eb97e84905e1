package org.rumpmount.fs.ffs.fsck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.block.ForwardingBlockDevice;
import org.rumpmount.block.MemoryBlockDevice;

/** Preen's limits, the alternate superblock option, the no-write guarantee of -n and progress reports. */
class FfsFsckModesTest {
    @ParameterizedTest
    @ValueSource(strings = {"ufs1-le", "ufs2-be"})
    void preenFixesWhatACrashLeaves(String image) throws IOException {
        Path img = FsckImages.copy(image, "preen-ok");
        long ino;
        try (ImageEditor ed = new ImageEditor(img)) {
            ImageEditor.Entry f = ed.find(e -> ed.isFile(e) && e.inode().nlink == 1 && ed.countWithIno(e.ino()) == 1
                    && e.inode().size > 0);
            ino = f.ino();
            ed.setNlink(ino, 2);
            ed.addToSuperblockFreeBlocks(2);
            ed.addToCgFreeFrags(1, 1);
        }
        FsckReport p = FsckImages.run(img, FsckOptions.preen(true));
        assertEquals(FsckReport.EXIT_CORRECTED, p.exitCode(), p::toString);
        assertTrue(p.said("LINK COUNT FILE I=" + ino), p::toString);
        assertTrue(p.said("(ADJUSTED)"), p::toString);
        assertTrue(p.said("FREE BLK COUNT(S) WRONG IN SUPERBLK"), p::toString);
        assertEquals(FsckReport.EXIT_CLEAN, FsckImages.run(img, FsckOptions.checkOnly(true)).exitCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ufs1-le", "ufs2-le"})
    void preenStopsAtADuplicateBlock(String image) throws IOException {
        Path img = FsckImages.copy(image, "preen-dup");
        try (ImageEditor ed = new ImageEditor(img)) {
            ImageEditor.Entry a = ed.find(e -> ed.isFile(e) && e.inode().size >= ed.sb.bsize && e.inode().db[0] != 0);
            ImageEditor.Entry b = ed.find(e -> ed.isFile(e) && e.inode().size >= ed.sb.bsize && e.inode().db[0] != 0
                    && e.ino() != a.ino());
            ed.setDb0(b.ino(), a.inode().db[0]);
        }
        String before = FsckImages.sha256(img);
        FsckReport p = FsckImages.run(img, FsckOptions.preen(true));
        assertEquals(FsckReport.EXIT_UNCORRECTED, p.exitCode(), p::toString);
        assertTrue(p.said("UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY."), p::toString);
        assertEquals(before, FsckImages.sha256(img), "preen wrote before it stopped");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ufs1-le", "ufs2-be"})
    void alternateSuperblockByOption(String image) throws IOException {
        Path img = FsckImages.copy(image, "alt");
        long sector;
        try (ImageEditor ed = new ImageEditor(img)) {
            sector = (ed.sb.cgstart(1) + ed.sb.sblkno) * ed.sb.fsize / 512;
            ed.zero(ed.sbAt, 2048);
        }
        FsckReport n = FsckImages.run(img, FsckOptions.checkOnly(true).withAlternateSuperblock(sector));
        assertEquals(FsckReport.EXIT_UNCORRECTED, n.exitCode(), n::toString);
        assertTrue(n.said("USING ALTERNATE SUPERBLOCK AT " + sector), n::toString);
        FsckReport y = FsckImages.run(img, FsckOptions.yes(true).withAlternateSuperblock(sector));
        assertEquals(FsckReport.EXIT_CORRECTED, y.exitCode(), y::toString);
        FsckReport again = FsckImages.run(img, FsckOptions.checkOnly(true));
        assertEquals(FsckReport.EXIT_CLEAN, again.exitCode(), again::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ufs1-le", "ufs2-be"})
    void aDirtyButConsistentFileSystemIsCheckedAndMarkedClean(String image) throws IOException {
        Path img = FsckImages.copy(image, "dirty");
        try (ImageEditor ed = new ImageEditor(img)) {
            ed.disk.writeBytes(ed.sbAt + 209, new byte[] {0}, "fs_clean");
        }
        FsckReport n = FsckImages.run(img, FsckOptions.checkOnly(false));
        assertFalse(n.skippedClean(), n::toString);
        assertEquals(FsckReport.EXIT_CLEAN, n.exitCode(), n::toString);
        FsckReport y = FsckImages.run(img, FsckOptions.yes(false));
        assertFalse(y.skippedClean(), y::toString);
        assertEquals(FsckReport.EXIT_CLEAN, y.exitCode(), y::toString);
        FsckReport again = FsckImages.run(img, FsckOptions.checkOnly(false));
        assertTrue(again.skippedClean(), again::toString);
    }

    @Test
    void checkOnlyNeverReachesTheDevice() throws IOException {
        Path img = FsckImages.copy("ufs2-le", "nowrite");
        try (ImageEditor ed = new ImageEditor(img)) {
            ed.addToSuperblockFreeBlocks(1);
        }
        byte[] bytes = Files.readAllBytes(img);
        CountingDevice dev = new CountingDevice(bytes);
        FsckReport r = FfsFsck.check(dev, FsckOptions.checkOnly(true));
        assertEquals(FsckReport.EXIT_UNCORRECTED, r.exitCode(), r::toString);
        assertEquals(0, dev.writes);
        NoWriteDevice guard = new NoWriteDevice(dev);
        assertThrows(IOException.class, () -> guard.write(0, ByteBuffer.allocate(512)));
        assertEquals(1, guard.writeAttempts());
        assertEquals(0, dev.writes);
    }

    @Test
    void yesOnAReadOnlyDeviceIsAnOperationalError() throws IOException {
        Path img = FsckImages.copy("ufs1-le", "rofs");
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            FsckReport r = FfsFsck.check(dev, FsckOptions.yes(true));
            assertEquals(FsckReport.EXIT_OPERATIONAL, r.exitCode(), r::toString);
        }
    }

    @Test
    void progressNamesEveryPhase() throws IOException {
        Path img = FsckImages.copy("ufs2-full", "progress");
        List<Integer> phases = new ArrayList<>();
        List<long[]> inodes = new ArrayList<>();
        try (FileBlockDevice dev = FileBlockDevice.open(img, true)) {
            FfsFsck.check(dev, FsckOptions.checkOnly(true), new FsckProgress() {
                @Override
                public void phase(int number, String title) {
                    phases.add(number);
                }

                @Override
                public void inodes(long done, long total) {
                    inodes.add(new long[] {done, total});
                }
            });
        }
        assertEquals(List.of(1, 2, 3, 4, 5), phases);
        assertFalse(inodes.isEmpty());
        long[] last = inodes.get(inodes.size() - 1);
        assertEquals(last[1], last[0]);
    }

    /** A memory device that counts the writes that reach it. */
    static final class CountingDevice extends ForwardingBlockDevice {
        int writes;

        CountingDevice(byte[] content) {
            super(MemoryBlockDevice.of(content, 512, false, false));
        }

        @Override
        public String name() {
            return "counting " + inner.name();
        }

        @Override
        public void write(long offset, ByteBuffer src) throws IOException {
            writes++;
            inner.write(offset, src);
        }
    }
}
