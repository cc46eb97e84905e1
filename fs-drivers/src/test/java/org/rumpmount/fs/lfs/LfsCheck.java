package org.rumpmount.fs.lfs;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.rumpmount.block.BlockDevice;

/**
 * The check the LFS tests run on an unmounted image: LfsFsck without repairs (fsck_lfs -n), its
 * problems as sentences, and the segment usage discrepancies apart, for tests on images whose
 * accounting was not consistent to begin with (they compare those before and after).
 */
final class LfsCheck {
    private LfsCheck() {
    }

    /** What the check found: problems in sentences; by segment, usage claimed minus live bytes found. */
    record Report(List<String> problems, Map<Long, Long> excess) {
    }

    static Report check(BlockDevice dev) throws IOException {
        LfsFsck.Report r = LfsFsck.check(dev, false, line -> { });
        return new Report(r.problems().stream().map(LfsFsck.Problem::toString).toList(), r.usageExcess());
    }
}
