package org.rumpmount.fs.ffs.fsck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rumpmount.fs.ffs.TestImages;

/** Every pristine reference image checks clean, and the figures agree with NetBSD's own fsck_ffs. */
class FfsFsckCleanTest {
    @ParameterizedTest
    @ValueSource(strings = {"ufs1-le", "ufs1-small", "ufs2-le", "ufs2-be", "ufs2-full", "nb-ffs2"})
    void pristineImageIsClean(String name) throws IOException {
        Path img = FsckImages.copy(name, "clean");
        String before = FsckImages.sha256(img);
        FsckReport r = FsckImages.run(img, FsckOptions.checkOnly(true));
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(0, r.problemsFound(), r::toString);
        assertTrue(r.summary().matches("\\d+ files, \\d+ used, \\d+ free \\(\\d+ frags, \\d+ blocks, \\d+\\.\\d% "
                + "fragmentation\\)"), r.summary());
        assertEquals(before, FsckImages.sha256(img));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ufs1-le", "ufs2-be"})
    void cleanImageIsSkippedWithoutForce(String name) throws IOException {
        Path img = FsckImages.copy(name, "skip");
        FsckReport r = FsckImages.run(img, FsckOptions.checkOnly(false));
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.skippedClean(), r::toString);
        assertTrue(r.said("file system is clean; not checking"), r::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nb-ffs2"})
    void summaryMatchesNetBsdFsck(String name) throws IOException {
        String netbsd = Files.readAllLines(TestImages.shared().resolve("images/" + name + ".fsck.txt")).stream()
                .filter(l -> l.contains(" files, ")).findFirst().orElseThrow();
        FsckReport r = FsckImages.run(FsckImages.copy(name, "netbsd"), FsckOptions.checkOnly(true));
        assertEquals(netbsd.trim(), r.summary());
    }
}
