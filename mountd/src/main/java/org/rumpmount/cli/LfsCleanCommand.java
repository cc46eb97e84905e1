package org.rumpmount.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.rumpmount.fs.lfs.LfsCleaner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * rumpmount lfs-clean: runs the LFS cleaner on an image by hand (lfs_cleanerd run once): mount
 * read-write, copy the live blocks out of the segments worth cleaning, checkpoint until they
 * are marked clean, unmount.
 */
@Command(name = "lfs-clean",
        description = {"Clean an LFS image: copy the live blocks of the dirty segments that free",
            "the most space for the least copying (lfs_cleanerd's cost-benefit rule) to the",
            "end of the log, mark those segments clean and unmount. Prints the segments",
            "cleaned and the bytes moved."})
final class LfsCleanCommand implements Callable<Integer> {
    private final Io io;

    @Option(names = "-n", paramLabel = "SEGMENTS",
            description = "Stop once this many segments have been cleaned (default: go on while cleaning frees space).")
    Long segments;

    @Option(names = "-o", paramLabel = "OPTIONS",
            description = "Mount options, comma separated: force, part=N (a partition, as IMAGE@N).")
    String options;

    @Parameters(index = "0", paramLabel = "IMAGE",
            description = "The LFS image file (or device), or IMAGE@N for its partition N.")
    String image;

    LfsCleanCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws CommandFailure, IOException {
        if (segments != null && segments < 0) {
            throw CommandFailure.usage("-n takes a number of segments, not " + segments);
        }
        ImageOptions opts = new ImageOptions();
        opts.type = "lfs";
        opts.options = options;
        opts.image = image;
        LfsCleaner.Result r;
        String name;
        try (MountedImage m = MountedImage.open(opts, false)) {
            name = m.name();
            try {
                r = LfsCleaner.clean(m.mount(), segments == null ? Long.MAX_VALUE : segments);
            } catch (IOException e) {
                throw new CommandFailure(RawText.ofHost(name + ": " + HostErrors.detail(e)));
            }
        }
        io.out(RawText.ofHost(name + ": " + r.segmentsCleaned() + " segments cleaned (" + r.segmentsCopied()
                + " copied from, the rest already empty), " + r.bytesMoved() + " bytes moved; "
                + r.cleanSegments() + " of " + r.totalSegments() + " segments clean\n"));
        io.flush();
        return ExitCodes.OK;
    }
}
