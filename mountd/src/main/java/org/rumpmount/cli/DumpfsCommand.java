package org.rumpmount.cli;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.rumpmount.fs.lfs.LfsDumper;
import org.rumpmount.vfs.DriverRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * rumpmount dumpfs: an LFS image's superblock, both checkpoints, cleaner info and segment usage
 * table, as NetBSD's dumplfs shows them. Reads only.
 */
@Command(name = "dumpfs",
        description = {"Show the superblock of the LFS in IMAGE, its two checkpoints (superblock copy, serial,",
            "log offset, time; the one a mount uses is marked), the cleaner info, and the segment usage",
            "table: per segment its flags, live bytes, summaries, inode blocks and last change.",
            "IMAGE@N picks a partition. Reads only."})
final class DumpfsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image file or device (IMAGE@N: partition N).")
    String image;

    private final Io io;

    DumpfsCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws CommandFailure, IOException {
        DriverRegistry drivers = DriverRegistry.load();
        try (ImageDevice dev = ImageDevice.open(image, Optional.empty(), true, drivers, "auto")) {
            List<DriverRegistry.Match> found = drivers.probe(dev.device());
            if (found.stream().noneMatch(m -> m.driver().name().equals("lfs"))) {
                String what = found.isEmpty() ? "no file system that a driver recognises"
                        : String.join(", ", found.stream().map(m -> m.result().type()).toList());
                throw new CommandFailure(RawText.ofHost(dev.name() + ": holds " + what
                        + "; dumpfs shows LFS file systems only"));
            }
            io.out(RawText.ofHost(LfsDumper.dump(dev.device())));
            io.flush();
            return ExitCodes.OK;
        }
    }
}
