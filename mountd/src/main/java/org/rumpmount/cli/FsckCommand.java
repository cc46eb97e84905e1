package org.rumpmount.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.fs.ffs.fsck.FfsFsck;
import org.rumpmount.fs.ffs.fsck.FsckOptions;
import org.rumpmount.fs.ffs.fsck.FsckProgress;
import org.rumpmount.fs.ffs.fsck.FsckReport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * rumpmount fsck: checks and repairs an unmounted FFS image, with fsck_ffs's phases and
 * fsck(8)'s exit codes (0 clean, 1 errors corrected, 4 errors left uncorrected, 8 operational
 * error, 16 usage error).
 */
@Command(name = "fsck",
        description = {"Check an FFS image (UFS1 or UFS2, either byte order) and repair it, in the five phases of NetBSD's fsck_ffs.",
            "Without -n, -y or -p it only checks (as -n). A clean file system is skipped unless -f."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the file system is clean", "1:errors were corrected", "4:errors were left uncorrected",
            "8:operational error (cannot read or write the image)", "16:usage error"})
final class FsckCommand implements Callable<Integer> {
    /** fsck(8)'s exit code for a usage error. */
    static final int USAGE = 16;

    private final Io io;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    static final class Mode {
        @Option(names = "-n", description = "Answer no to every question: report, never write.")
        boolean no;

        @Option(names = "-y", description = "Answer yes to every question: repair everything.")
        boolean yes;

        @Option(names = {"-p", "-a"}, description = "Preen: repair only what is safe without a person; stop otherwise.")
        boolean preen;
    }

    @Option(names = "-f", description = "Check even a file system marked clean.")
    boolean force;

    @Option(names = "-b", paramLabel = "SECTOR", description = "Use the alternate superblock at this 512-byte sector.")
    long alternate = -1;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image file or device.")
    Path image;

    FsckCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        FsckOptions options = mode.yes ? FsckOptions.yes(force) : mode.preen ? FsckOptions.preen(force) : FsckOptions.checkOnly(force);
        if (alternate >= 0) {
            options = options.withAlternateSuperblock(alternate);
        }
        boolean readOnly = options.mode() == FsckOptions.Mode.CHECK_ONLY;
        FsckReport report;
        try (BlockDevice dev = FileBlockDevice.open(image, readOnly)) {
            if (!readOnly && dev.isReadOnly()) {
                io.err(RawText.ofHost("rumpmount: fsck: " + image + ": cannot be opened for writing\n"));
                return FsckReport.EXIT_OPERATIONAL;
            }
            report = FfsFsck.check(dev, options, new FsckProgress() {
                @Override
                public void message(String line) {
                    io.out(RawText.ofHost(line + "\n"));
                }
            });
        } catch (IOException e) {
            io.err(RawText.ofHost("rumpmount: fsck: " + image + ": " + HostErrors.describe(e) + "\n"));
            return FsckReport.EXIT_OPERATIONAL;
        }
        io.flush();
        return report.exitCode();
    }
}
