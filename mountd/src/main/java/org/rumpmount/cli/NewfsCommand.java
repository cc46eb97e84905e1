package org.rumpmount.cli;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.fs.ffs.newfs.Newfs;
import org.rumpmount.fs.ffs.newfs.NewfsLayout;
import org.rumpmount.fs.ffs.newfs.NewfsOptions;
import org.rumpmount.fs.lfs.NewfsLfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** rumpmount newfs: a new, empty FFS or LFS on an image file (created or extended to size) or a device. */
@Command(name = "newfs",
        description = {"Make a new, empty FFS (UFS1 or UFS2) on IMAGE, as NetBSD's newfs lays it out, or with -t lfs an LFS as newfs_lfs does.",
            "IMAGE is created, or extended, when -s asks for more than it holds. Sizes are 512-byte sectors, or take a suffix b, k, m, g or t.",
            "For LFS, -B is the segment size (as newfs_lfs), -O 32 or 64 the dinode width and -E the byte order."})
final class NewfsCommand implements Callable<Integer> {
    private final Io io;

    @Option(names = "-t", paramLabel = "ffs|lfs", description = "File system type (default ffs).")
    String type = "ffs";

    @Option(names = "-O", paramLabel = "1|2|32|64", description = "FFS: UFS version 1 or 2 (default 2). LFS: 32- or 64-bit layout (default 32).")
    Integer version;

    @Option(names = "-b", paramLabel = "BSIZE", description = "Block size in bytes, 4096 to 65536 (default by size, as NetBSD).")
    Integer blockSize;

    @Option(names = "-f", paramLabel = "FSIZE", description = "Fragment size in bytes, block size / 8 to block size.")
    Integer fragmentSize;

    @Option(names = "-i", paramLabel = "BYTES", description = "Bytes of data space per inode.")
    Integer bytesPerInode;

    @Option(names = "-m", paramLabel = "PERCENT", description = "Space reserved for root, in percent (default 5).")
    Integer minfree;

    @Option(names = "-o", paramLabel = "space|time", description = "Optimise for space or for time.")
    String optimization;

    @Option(names = "-s", paramLabel = "SIZE", description = "File system size (default: the whole image or device).")
    String size;

    @Option(names = "-B", paramLabel = "le|be|SEGSIZE", description = "FFS: byte order (default: this machine's, little-endian here). LFS: segment size in bytes (suffix k or m allowed; default 1m, halved until enough segments fit).")
    String byteOrder;

    @Option(names = "-E", paramLabel = "le|be", description = "LFS: byte order (default little-endian).")
    String lfsByteOrder;

    @Option(names = "-M", paramLabel = "NSEG", description = "LFS: segments kept free for the cleaner (default nseg/10, at least 20).")
    Integer minfreeseg;

    @Option(names = "-R", paramLabel = "NSEG", description = "LFS: segments reserved for the cleaner (default minfreeseg/2+1, at least 15).")
    Integer resvseg;

    @Option(names = "-L", paramLabel = "LABEL", description = "Volume label (UFS2).")
    String label;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image file or device.")
    Path image;

    NewfsCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException, CommandFailure {
        if (type.equals("lfs")) {
            return lfs();
        }
        if (!type.equals("ffs")) {
            throw CommandFailure.usage("-t: '" + type + "' is not ffs or lfs");
        }
        if (lfsByteOrder != null || minfreeseg != null || resvseg != null) {
            throw CommandFailure.usage("-E, -M and -R are for -t lfs");
        }
        NewfsOptions.Builder b = NewfsOptions.builder().version(version == null ? 2 : version);
        Long bytes;
        try {
            bytes = size == null ? null : SizeArg.parse(size, "-s");
            if (blockSize != null) {
                b.blockSize(blockSize);
            }
            if (fragmentSize != null) {
                b.fragmentSize(fragmentSize);
            }
            if (bytesPerInode != null) {
                b.bytesPerInode(bytesPerInode);
            }
            if (minfree != null) {
                b.minfree(minfree);
            }
            if (optimization != null) {
                b.optimization(NewfsOptions.Optimization.valueOf(optimization.toUpperCase(Locale.ROOT)));
            }
            if (byteOrder != null) {
                b.byteOrder(ByteOrders.parse(byteOrder, "-B"));
            }
            if (label != null) {
                b.volumeLabel(label);
            }
            if (bytes != null) {
                b.sizeBytes(bytes);
            }
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
        NewfsOptions options;
        try {
            options = b.build();
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
        boolean exists = Files.exists(image);
        if (!exists && bytes == null) {
            throw CommandFailure.usage(image + " does not exist: give its size with -s");
        }
        try (BlockDevice dev = bytes != null && (!exists || Files.isRegularFile(image) && Files.size(image) < bytes)
                ? FileBlockDevice.create(image, bytes) : FileBlockDevice.open(image, false)) {
            if (dev.isReadOnly()) {
                throw new CommandFailure(RawText.ofHost(image + ": cannot be opened for writing"));
            }
            NewfsLayout l = Newfs.format(dev, options);
            io.out(RawText.ofHost(describe(l)));
            io.flush();
        }
        return ExitCodes.OK;
    }

    /** newfs -t lfs: the options as newfs_lfs takes them, and its report. */
    private int lfs() throws IOException, CommandFailure {
        if (bytesPerInode != null || optimization != null || label != null) {
            throw CommandFailure.usage("-i, -o and -L are for FFS; LFS has no inode table, no optimisation choice and no label");
        }
        boolean exists = Files.exists(image);
        Long bytes;
        int width = version == null ? 32 : version;
        NewfsLfs.Options o;
        try {
            if (width != 32 && width != 64) {
                throw new IllegalArgumentException("-O: " + width + " is not 32 or 64 for an LFS");
            }
            bytes = size == null ? null : SizeArg.parse(size, "-s");
            long ssize = byteOrder == null ? 0 : SizeArg.parse(byteOrder, "-B");
            if (ssize > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("-B: segment size " + ssize + " is too large");
            }
            if (!exists && bytes == null) {
                throw new IllegalArgumentException(image + " does not exist: give its size with -s");
            }
            long fsBytes = bytes != null ? bytes : Files.size(image);
            o = new NewfsLfs.Options(fsBytes, blockSize == null ? 0 : blockSize, fragmentSize == null ? 0 : fragmentSize,
                    (int) ssize, width == 64, lfsByteOrder == null ? ByteOrder.LITTLE_ENDIAN : ByteOrders.parse(lfsByteOrder, "-E"),
                    minfree == null ? 10 : minfree, minfreeseg == null ? 0 : minfreeseg, resvseg == null ? 0 : resvseg, 0,
                    System.currentTimeMillis() / 1000);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
        NewfsLfs.Result r;
        try (BlockDevice dev = bytes != null && (!exists || Files.isRegularFile(image) && Files.size(image) < bytes)
                ? FileBlockDevice.create(image, bytes) : FileBlockDevice.open(image, false)) {
            if (dev.isReadOnly()) {
                throw new CommandFailure(RawText.ofHost(image + ": cannot be opened for writing"));
            }
            if (bytes == null) {
                o = new NewfsLfs.Options(dev.size(), o.bsize(), o.fsize(), o.ssize(), o.is64(), o.order(), o.minfree(),
                        o.minfreeseg(), o.resvseg(), o.ident(), o.tstamp());
            }
            try {
                r = NewfsLfs.format(dev, o);
            } catch (org.rumpmount.vfs.VfsException e) {
                if (e.errno() == org.rumpmount.vfs.Errno.EINVAL) {
                    throw CommandFailure.usage(e.getMessage());
                }
                throw e;
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Creating a version 2 LFS with roll-forward ident 0x%x%n", r.ident()));
        sb.append(String.format(Locale.ROOT, "%.1fMB in %d segments of size %d%n", r.nseg() * (double) r.ssize() / 1048576.0,
                r.nseg(), r.ssize()));
        sb.append("super-block backups (for fsck -b #) at:\n");
        for (int i = 0; i < r.superblockSectors().size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(r.superblockSectors().get(i));
        }
        sb.append(".\n");
        io.out(RawText.ofHost(sb.toString()));
        io.flush();
        return ExitCodes.OK;
    }

    private String describe(NewfsLayout l) {
        long bytes = l.size() * l.fsize();
        return String.format(Locale.ROOT, "%s: %.1fMB (%d sectors) block size %d, fragment size %d%n"
                + "\tusing %d cylinder groups of %.2fMB, %d blks, %d inodes.%n",
                image, bytes / 1048576.0, bytes / 512, l.bsize(), l.fsize(), l.ncg(),
                (double) l.fpg() * l.fsize() / 1048576.0, l.fpg() / l.frag(), l.ipg());
    }
}
