package org.rumpmount.fs.ffs.fsck;

/** Told what fsck is doing as it goes; every method does nothing unless overridden. */
public interface FsckProgress {
    FsckProgress NONE = new FsckProgress() {
    };

    /** A phase begins: 1 to 5, or 0 for setup; {@code title} as fsck_ffs prints it. */
    default void phase(int number, String title) {
    }

    /** One line of fsck_ffs-style output. */
    default void message(String line) {
    }

    /** Phase 1 has examined {@code done} of {@code total} inodes. */
    default void inodes(long done, long total) {
    }
}
