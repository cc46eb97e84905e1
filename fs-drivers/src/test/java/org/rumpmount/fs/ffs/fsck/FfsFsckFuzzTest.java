package org.rumpmount.fs.ffs.fsck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rumpmount.block.FileBlockDevice;

/**
 * Hostile images: seeded random damage to the metadata of small images (superblock, group
 * headers, inode blocks, directory blocks) must end every fsck run with an fsck(8) exit code,
 * never an exception or a hang; and when -y says it repaired everything, a recheck with -n must
 * agree.
 */
class FfsFsckFuzzTest {
    private static final Set<Integer> EXITS = Set.of(0, 1, 4, 8);

    @ParameterizedTest
    @ValueSource(strings = {"ufs1-small", "ufs2-full", "ufs2-be"})
    void randomMetadataDamageNeverEscapes(String image) throws IOException {
        Path pristine = FsckImages.copy(image, "fuzz-base");
        byte[] clean = Files.readAllBytes(pristine);
        List<long[]> regions;
        try (ImageEditor ed = new ImageEditor(pristine)) {
            regions = new java.util.ArrayList<>();
            regions.add(new long[] {ed.sbAt, ed.sb.sbsize});
            for (int cg = 0; cg < ed.sb.ncg; cg++) {
                regions.add(new long[] {ed.sb.cgtod(cg) * ed.sb.fsize, ed.sb.cgsize});
                regions.add(new long[] {ed.sb.inoToFsba((long) cg * ed.sb.ipg) * ed.sb.fsize, ed.sb.bsize});
            }
            for (ImageEditor.Entry e : ed.entries.values()) {
                if (ed.isDir(e)) {
                    regions.add(ed.firstDirBlock(e.ino()));
                }
                if (regions.size() > 60) {
                    break;
                }
            }
        }
        Random rnd = new Random(0x5eed + image.hashCode() + Long.getLong("fsck.fuzz.seed", 0));
        Path img = pristine.resolveSibling(image + "-fuzz.img");
        for (int round = 0; round < Integer.getInteger("fsck.fuzz.rounds", 40); round++) {
            byte[] bad = clean.clone();
            int hits = 1 + rnd.nextInt(8);
            for (int h = 0; h < hits; h++) {
                long[] r = regions.get(rnd.nextInt(regions.size()));
                int at = (int) (r[0] + rnd.nextInt((int) r[1]));
                bad[at] = rnd.nextBoolean() ? (byte) rnd.nextInt(256) : (byte) (bad[at] ^ (1 << rnd.nextInt(8)));
            }
            Files.write(img, bad);
            int seed = round;
            FsckReport n1 = runBounded(img, FsckOptions.checkOnly(true), seed);
            FsckReport y = runBounded(img, FsckOptions.yes(true), seed);
            FsckReport n2 = runBounded(img, FsckOptions.checkOnly(true), seed);
            if (y.exitCode() <= FsckReport.EXIT_CORRECTED) {
                assertTrue(n2.exitCode() == FsckReport.EXIT_CLEAN, () -> "round " + seed + ": -y said it repaired "
                        + "everything, but a recheck disagrees.\nfirst:\n" + n1 + "\nrepair:\n" + y + "\nrecheck:\n" + n2);
            }
            Files.write(img, bad);
            runBounded(img, FsckOptions.preen(true), seed);
        }
    }

    private static FsckReport runBounded(Path img, FsckOptions o, int seed) {
        FsckReport r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> run(img, o), "round " + seed + " " + o);
        assertTrue(EXITS.contains(r.exitCode()), () -> "round " + seed + ": " + r);
        assertFalse(r.said("INTERNAL ERROR"), () -> "round " + seed + " " + o + ":\n" + r);
        return r;
    }

    private static FsckReport run(Path img, FsckOptions o) throws IOException {
        try (FileBlockDevice dev = FileBlockDevice.open(img, o.mode() == FsckOptions.Mode.CHECK_ONLY)) {
            return FfsFsck.check(dev, o);
        }
    }
}
