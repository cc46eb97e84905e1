package org.rumpmount.fs.lfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rumpmount.block.FileBlockDevice;

/** The consistency check finds nothing wrong in the images NetBSD made and its fsck_lfs passed. */
class LfsCheckTest {
    @ParameterizedTest
    @ValueSource(strings = {"nb-lfs-4k", "nb-lfs-default"})
    void netbsdImagesAreConsistent(String name) throws Exception {
        try (FileBlockDevice dev = FileBlockDevice.open(TestImages.image(name), true)) {
            LfsCheck.Report r = LfsCheck.check(dev);
            assertEquals(List.of(), r.problems());
        }
    }
}
