package org.rumpmount.cli;

import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** rumpmount shell: the fs-utils commands, interactively, on one mount. */
@Command(name = "shell",
        description = {
            "Run commands on a mounted image, one per line, with cd and pwd; 'help' lists them.",
            "Mounts read-write when the image file is writable, unless -o ro. A prompt is shown",
            "only when stdin is a terminal. At end of input (or 'exit') the exit code is that of",
            "the last command that failed (1, or 2 for a usage error), or 0; 'exit N' gives N."})
final class ShellCommand implements Callable<Integer> {
    @Mixin
    ImageOptions image = new ImageOptions();

    private final Io io;
    private final ZoneId zone;

    ShellCommand(Io io, ZoneId zone) {
        this.io = io;
        this.zone = zone;
    }

    @Override
    public Integer call() throws Exception {
        try (MountedImage m = MountedImage.open(image, MountSpec.readOnly(image.options))) {
            FsContext ctx = new FsContext(m.fs(), io, m.name(), true, zone);
            int status = new Shell(ctx).run();
            io.flush();
            return status;
        }
    }
}
