package org.rumpmount.fs.ffs.newfs;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * What newfs(8) is asked to build, immutable; made with {@link #builder()}. Each setter checks its
 * own range and names the newfs option it stands for; checks that need the device's size happen
 * when {@link Newfs} plans the layout. Zero for block size, fragment size, bytes per inode, size
 * and maxbpg means "choose as NetBSD's newfs does".
 */
public final class NewfsOptions {
    /** Optimization preference (fs_optim): FS_OPTTIME 0, FS_OPTSPACE 1. */
    public enum Optimization {
        TIME(0), SPACE(1);

        final int code;

        Optimization(int code) {
            this.code = code;
        }
    }

    static final int MINBSIZE = 4096;
    static final int MAXBSIZE = 65536;
    static final int MAXFRAG = 8;
    /** newfs's AVFILESIZ and AFPDIR. */
    static final int DEFAULT_AVGFILESIZE = 16384;
    static final int DEFAULT_AVGFPDIR = 64;

    private final int version;
    private final int blockSize;
    private final int fragmentSize;
    private final int bytesPerInode;
    private final int minfree;
    private final Optimization optimization;
    private final long sizeBytes;
    private final ByteOrder byteOrder;
    private final String volumeLabel;
    private final int avgFileSize;
    private final int avgFilesPerDir;
    private final int maxBlocksPerGroup;
    private final long rootUid;
    private final long rootGid;

    private NewfsOptions(Builder b) {
        version = b.version;
        blockSize = b.blockSize;
        fragmentSize = b.fragmentSize;
        bytesPerInode = b.bytesPerInode;
        minfree = b.minfree;
        optimization = b.optimization;
        sizeBytes = b.sizeBytes;
        byteOrder = b.byteOrder;
        volumeLabel = b.volumeLabel;
        avgFileSize = b.avgFileSize;
        avgFilesPerDir = b.avgFilesPerDir;
        maxBlocksPerGroup = b.maxBlocksPerGroup;
        rootUid = b.rootUid;
        rootGid = b.rootGid;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to derive variants. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.version = version;
        b.blockSize = blockSize;
        b.fragmentSize = fragmentSize;
        b.bytesPerInode = bytesPerInode;
        b.minfree = minfree;
        b.optimization = optimization;
        b.sizeBytes = sizeBytes;
        b.byteOrder = byteOrder;
        b.volumeLabel = volumeLabel;
        b.avgFileSize = avgFileSize;
        b.avgFilesPerDir = avgFilesPerDir;
        b.maxBlocksPerGroup = maxBlocksPerGroup;
        b.rootUid = rootUid;
        b.rootGid = rootGid;
        return b;
    }

    public int version() {
        return version;
    }

    /** Block size in bytes; 0 until chosen from the file system's size. */
    public int blockSize() {
        return blockSize;
    }

    public int fragmentSize() {
        return fragmentSize;
    }

    public int bytesPerInode() {
        return bytesPerInode;
    }

    public int minfree() {
        return minfree;
    }

    public Optimization optimization() {
        return optimization;
    }

    /** Size of the file system in bytes; 0 means the whole device. */
    public long sizeBytes() {
        return sizeBytes;
    }

    public ByteOrder byteOrder() {
        return byteOrder;
    }

    public String volumeLabel() {
        return volumeLabel;
    }

    public int avgFileSize() {
        return avgFileSize;
    }

    public int avgFilesPerDir() {
        return avgFilesPerDir;
    }

    public int maxBlocksPerGroup() {
        return maxBlocksPerGroup;
    }

    public long rootUid() {
        return rootUid;
    }

    public long rootGid() {
        return rootGid;
    }

    @Override
    public String toString() {
        return "-O " + version + " -b " + blockSize + " -f " + fragmentSize + " -i " + bytesPerInode + " -m " + minfree
                + " -o " + optimization.name().toLowerCase() + " -s " + sizeBytes + " -B "
                + (byteOrder == ByteOrder.BIG_ENDIAN ? "be" : "le");
    }

    public static final class Builder {
        private int version = 2;
        private int blockSize;
        private int fragmentSize;
        private int bytesPerInode;
        private int minfree = 5;
        private Optimization optimization = Optimization.TIME;
        private long sizeBytes;
        private ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;
        private String volumeLabel = "";
        private int avgFileSize = DEFAULT_AVGFILESIZE;
        private int avgFilesPerDir = DEFAULT_AVGFPDIR;
        private int maxBlocksPerGroup;
        private long rootUid;
        private long rootGid;

        private Builder() {
        }

        /** -O: 1 for UFS1 (FFSv1), 2 for UFS2 (FFSv2). */
        public Builder version(int v) {
            if (v != 1 && v != 2) {
                throw new IllegalArgumentException("-O (UFS version) is " + v + ", expected 1 or 2");
            }
            version = v;
            return this;
        }

        /** -b: a power of two from 4096 to 65536, or 0 to choose from the size. */
        public Builder blockSize(int b) {
            if (b != 0 && (b < MINBSIZE || b > MAXBSIZE || Integer.bitCount(b) != 1)) {
                throw new IllegalArgumentException("-b (block size) is " + b + ", expected a power of two from "
                        + MINBSIZE + " to " + MAXBSIZE);
            }
            blockSize = b;
            return this;
        }

        /** -f: a power of two from 512 to 65536; checked against -b when built (bsize/8 .. bsize). */
        public Builder fragmentSize(int f) {
            if (f != 0 && (f < 512 || f > MAXBSIZE || Integer.bitCount(f) != 1)) {
                throw new IllegalArgumentException("-f (fragment size) is " + f
                        + ", expected a power of two from 512 to " + MAXBSIZE);
            }
            fragmentSize = f;
            return this;
        }

        /** -i: bytes of data space per inode, or 0 for newfs's default of four fragments. */
        public Builder bytesPerInode(int i) {
            if (i < 0) {
                throw new IllegalArgumentException("-i (bytes per inode) is " + i + ", expected positive");
            }
            bytesPerInode = i;
            return this;
        }

        /** -m: the percentage of space kept back from ordinary users, 0 to 99. */
        public Builder minfree(int m) {
            if (m < 0 || m > 99) {
                throw new IllegalArgumentException("-m (minfree) is " + m + ", expected a percentage from 0 to 99");
            }
            minfree = m;
            return this;
        }

        /** -o: space or time. */
        public Builder optimization(Optimization o) {
            optimization = java.util.Objects.requireNonNull(o, "-o (optimization)");
            return this;
        }

        /** -s: bytes of the device to use (rounded down to whole fragments), or 0 for all of it. */
        public Builder sizeBytes(long s) {
            if (s < 0) {
                throw new IllegalArgumentException("-s (size) is " + s + " bytes, expected positive");
            }
            sizeBytes = s;
            return this;
        }

        /** -B: the byte order of every on-disk structure. */
        public Builder byteOrder(ByteOrder o) {
            byteOrder = java.util.Objects.requireNonNull(o, "-B (byte order)");
            return this;
        }

        /** fs_volname (UFS2 only): at most 31 bytes of UTF-8, no NUL or '/'. */
        public Builder volumeLabel(String label) {
            byte[] b = label.getBytes(StandardCharsets.UTF_8);
            if (b.length > 31 || label.indexOf('\0') >= 0 || label.indexOf('/') >= 0) {
                throw new IllegalArgumentException("volume label \"" + label + "\" must be at most 31 bytes of UTF-8"
                        + " without NUL or '/' (it is " + b.length + " bytes)");
            }
            volumeLabel = label;
            return this;
        }

        /** -g: the expected average file size (fs_avgfilesize). */
        public Builder avgFileSize(int g) {
            if (g <= 0) {
                throw new IllegalArgumentException("-g (average file size) is " + g + ", expected positive");
            }
            avgFileSize = g;
            return this;
        }

        /** -h: the expected number of files per directory (fs_avgfpdir). */
        public Builder avgFilesPerDir(int h) {
            if (h <= 0) {
                throw new IllegalArgumentException("-h (average files per directory) is " + h + ", expected positive");
            }
            avgFilesPerDir = h;
            return this;
        }

        /** -e: the most blocks one file may take from a group before moving on (fs_maxbpg); 0 for newfs's bsize/4. */
        public Builder maxBlocksPerGroup(int e) {
            if (e < 0) {
                throw new IllegalArgumentException("-e (maxbpg) is " + e + ", expected positive");
            }
            maxBlocksPerGroup = e;
            return this;
        }

        /** Owner of the root directory (newfs uses its effective ids; here the caller says). */
        public Builder rootOwner(long uid, long gid) {
            if (uid < 0 || uid > 0xffffffffL || gid < 0 || gid > 0xffffffffL) {
                throw new IllegalArgumentException("root owner " + uid + ":" + gid + " out of the 32-bit range");
            }
            rootUid = uid;
            rootGid = gid;
            return this;
        }

        public NewfsOptions build() {
            if (blockSize != 0 && fragmentSize != 0) {
                if (fragmentSize > blockSize) {
                    throw new IllegalArgumentException("-f (fragment size) " + fragmentSize
                            + " is larger than -b (block size) " + blockSize);
                }
                if (blockSize / fragmentSize > MAXFRAG) {
                    throw new IllegalArgumentException("-f (fragment size) " + fragmentSize + " is too small: with -b "
                            + blockSize + " it must be at least " + blockSize / MAXFRAG + " (at most " + MAXFRAG
                            + " fragments per block)");
                }
            }
            if (version == 1 && !volumeLabel.isEmpty()) {
                throw new IllegalArgumentException("a volume label needs UFS2 (-O 2); UFS1 has no fs_volname");
            }
            return new NewfsOptions(this);
        }
    }
}
