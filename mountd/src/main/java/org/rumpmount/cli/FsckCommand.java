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
import org.rumpmount.fs.lfs.LfsFsck;
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
        description = {"Check an FFS image (UFS1 or UFS2, either byte order) and repair it, in the five phases of NetBSD's fsck_ffs,",
            "or an LFS image (-t lfs, or found by its superblock) with the checks of fsck_lfs.",
            "Without -n, -y or -p it only checks (as -n). A clean FFS is skipped unless -f; an LFS is always checked."},
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

    @Option(names = "-t", paramLabel = "ffs|lfs", description = "File system type (default: found from the image).")
    String type;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image file or device.")
    Path image;

    FsckCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        if (type != null && !type.equals("ffs") && !type.equals("lfs")) {
            io.err(RawText.ofHost("rumpmount: fsck: -t: '" + type + "' is not ffs or lfs\n"));
            return USAGE;
        }
        boolean lfs = "lfs".equals(type);
        if (type == null) {
            try (BlockDevice dev = FileBlockDevice.open(image, true)) {
                lfs = LfsFsck.looksLikeLfs(dev);
            } catch (IOException e) {
                io.err(RawText.ofHost("rumpmount: fsck: " + image + ": " + HostErrors.describe(e) + "\n"));
                return FsckReport.EXIT_OPERATIONAL;
            }
        }
        if (lfs) {
            return lfs();
        }
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

    /**
     * fsck -t lfs: -n (or nothing) only reads; -y repairs what LfsFsck repairs in place; -p only
     * what fsck_lfs -p repairs by itself, stopping with exit code 4 at anything else.
     */
    private int lfs() {
        if (alternate >= 0) {
            io.err(RawText.ofHost("rumpmount: fsck: -b is for FFS; an LFS is read from its newest checkpoint\n"));
            return USAGE;
        }
        boolean repair = mode.yes || mode.preen;
        LfsFsck.Mode lfsMode = mode.yes ? LfsFsck.Mode.YES : mode.preen ? LfsFsck.Mode.PREEN : LfsFsck.Mode.CHECK_ONLY;
        LfsFsck.Report report;
        try (BlockDevice dev = FileBlockDevice.open(image, !repair)) {
            if (repair && dev.isReadOnly()) {
                io.err(RawText.ofHost("rumpmount: fsck: " + image + ": cannot be opened for writing\n"));
                return LfsFsck.EXIT_OPERATIONAL;
            }
            report = LfsFsck.check(dev, lfsMode, line -> io.out(RawText.ofHost(line + "\n")));
        } catch (IOException | RuntimeException e) {
            io.err(RawText.ofHost("rumpmount: fsck: " + image + ": " + (e instanceof IOException io2 ? HostErrors.describe(io2)
                    : e.toString()) + "\n"));
            return LfsFsck.EXIT_OPERATIONAL;
        }
        io.out(RawText.ofHost(report.clean() ? "** The file system is clean\n"
                : report.needsManualRun() ? "preen stopped; nothing was written: run fsck -y, or -n to look\n"
                : report.problems().size() + " problem(s) found" + (report.exitCode() == LfsFsck.EXIT_FIXED ? ", all repaired\n"
                        : (repair ? ", some left unrepaired\n" : "; nothing was written (-n)\n"))));
        io.flush();
        return report.exitCode();
    }
}
