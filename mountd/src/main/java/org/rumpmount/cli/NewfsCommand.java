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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** rumpmount newfs: a new, empty FFS on an image file (created or extended to size) or a device. */
@Command(name = "newfs",
        description = {"Make a new, empty FFS (UFS1 or UFS2) on IMAGE, as NetBSD's newfs lays it out.",
            "IMAGE is created, or extended, when -s asks for more than it holds. Sizes are 512-byte sectors, or take a suffix b, k, m, g or t."})
final class NewfsCommand implements Callable<Integer> {
    private final Io io;

    @Option(names = "-O", paramLabel = "1|2", description = "UFS version: 1 or 2 (default 2).")
    int version = 2;

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

    @Option(names = "-B", paramLabel = "le|be", description = "Byte order (default: this machine's, little-endian here).")
    String byteOrder;

    @Option(names = "-L", paramLabel = "LABEL", description = "Volume label (UFS2).")
    String label;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image file or device.")
    Path image;

    NewfsCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException, CommandFailure {
        NewfsOptions.Builder b = NewfsOptions.builder().version(version);
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

    private String describe(NewfsLayout l) {
        long bytes = l.size() * l.fsize();
        return String.format(Locale.ROOT, "%s: %.1fMB (%d sectors) block size %d, fragment size %d%n"
                + "\tusing %d cylinder groups of %.2fMB, %d blks, %d inodes.%n",
                image, bytes / 1048576.0, bytes / 512, l.bsize(), l.fsize(), l.ncg(),
                (double) l.fpg() * l.fsize() / 1048576.0, l.fpg() / l.frag(), l.ipg());
    }
}
