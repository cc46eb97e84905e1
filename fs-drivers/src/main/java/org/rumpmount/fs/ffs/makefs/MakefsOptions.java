package org.rumpmount.fs.ffs.makefs;

import java.nio.ByteOrder;
import java.util.Objects;

/**
 * What makefs is asked to build, immutable; made with {@link #builder()}. A size of 0 means
 * "compute it from the tree", as NetBSD's makefs does without -s.
 */
public final class MakefsOptions {
    /** Told of each entry as it is copied: how many are done, of how many, and which. */
    @FunctionalInterface
    public interface ProgressListener {
        void copied(long done, long total, String imagePath);
    }

    private final int version;
    private final int blockSize;
    private final int fragmentSize;
    private final ByteOrder byteOrder;
    private final long sizeBytes;
    private final int minfree;
    private final ProgressListener progress;

    private MakefsOptions(Builder b) {
        version = b.version;
        blockSize = b.blockSize;
        fragmentSize = b.fragmentSize;
        byteOrder = b.byteOrder;
        sizeBytes = b.sizeBytes;
        minfree = b.minfree;
        progress = b.progress;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int version() {
        return version;
    }

    public int blockSize() {
        return blockSize;
    }

    public int fragmentSize() {
        return fragmentSize;
    }

    public ByteOrder byteOrder() {
        return byteOrder;
    }

    /** The image's fixed size in bytes, or 0 to compute it. */
    public long sizeBytes() {
        return sizeBytes;
    }

    public int minfree() {
        return minfree;
    }

    public ProgressListener progress() {
        return progress;
    }

    public static final class Builder {
        private int version = 2;
        private int blockSize = 8192;
        private int fragmentSize = 1024;
        private ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;
        private long sizeBytes;
        private int minfree = 5;
        private ProgressListener progress = (d, t, p) -> { };

        private Builder() {
        }

        /** 1 for UFS1, 2 for UFS2. */
        public Builder version(int v) {
            if (v != 1 && v != 2) {
                throw new IllegalArgumentException("version is " + v + ", expected 1 or 2");
            }
            version = v;
            return this;
        }

        /** Block and fragment size; checked together as newfs checks them. */
        public Builder blockSize(int bsize, int fsize) {
            blockSize = bsize;
            fragmentSize = fsize;
            return this;
        }

        public Builder byteOrder(ByteOrder o) {
            byteOrder = Objects.requireNonNull(o, "byte order");
            return this;
        }

        /** A fixed image size in bytes, or 0 to compute it from the tree. */
        public Builder sizeBytes(long s) {
            if (s < 0) {
                throw new IllegalArgumentException("size is " + s + " bytes, expected positive (or 0 to compute it)");
            }
            sizeBytes = s;
            return this;
        }

        public Builder minfree(int m) {
            if (m < 0 || m > 99) {
                throw new IllegalArgumentException("minfree is " + m + ", expected a percentage from 0 to 99");
            }
            minfree = m;
            return this;
        }

        public Builder progress(ProgressListener l) {
            progress = Objects.requireNonNull(l, "progress listener");
            return this;
        }

        public MakefsOptions build() {
            // Reuse newfs's checks of the block and fragment sizes so the messages agree.
            org.rumpmount.fs.ffs.newfs.NewfsOptions.builder().blockSize(blockSize).fragmentSize(fragmentSize).build();
            return new MakefsOptions(this);
        }
    }
}
