package org.rumpmount.fs.ffs.fsck;

/**
 * How fsck runs, as fsck_ffs's flags: {@code -n} ({@link Mode#CHECK_ONLY}), {@code -y}
 * ({@link Mode#YES}), {@code -p} ({@link Mode#PREEN}); {@code -f} forces a check of a clean file
 * system; {@code -b N} names an alternate superblock by its address in 512-byte sectors
 * (negative: none).
 */
public record FsckOptions(Mode mode, boolean force, long alternateSuperblock) {
    /** What to answer to each question fsck_ffs would ask. */
    public enum Mode {
        /** Answer no to every question and never write (fsck_ffs -n). */
        CHECK_ONLY,
        /** Answer yes to every question (fsck_ffs -y). */
        YES,
        /** Fix only the inconsistencies expected after a crash; stop on any other (fsck_ffs -p). */
        PREEN
    }

    public FsckOptions {
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
    }

    public static FsckOptions checkOnly(boolean force) {
        return new FsckOptions(Mode.CHECK_ONLY, force, -1);
    }

    public static FsckOptions yes(boolean force) {
        return new FsckOptions(Mode.YES, force, -1);
    }

    public static FsckOptions preen(boolean force) {
        return new FsckOptions(Mode.PREEN, force, -1);
    }

    public FsckOptions withAlternateSuperblock(long sector) {
        return new FsckOptions(mode, force, sector);
    }
}
