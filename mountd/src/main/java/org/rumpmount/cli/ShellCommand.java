package org.rumpmount.cli;

import java.io.IOException;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
            for (String w : m.warnings()) {
                io.err(RawText.ofHost("rumpmount: shell: warning: " + w + "\n"));
            }
            FsContext ctx = new FsContext(m.fs(), io, m.name(), true, zone);
            Shell shell = new Shell(ctx);
            Thread hook = unmountOnInterrupt(m, shell.running());
            try {
                int status = shell.run();
                io.flush();
                return status;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run
                }
            }
        }
    }

    /**
     * Ctrl-C or a kill while the shell waits for input still unmounts cleanly, so a read-write
     * image is left clean. While a command runs, the hook waits a little for it; a command that
     * does not finish by then is cut off as by a crash.
     */
    private static Thread unmountOnInterrupt(MountedImage m, ReentrantLock running) {
        Thread hook = new Thread(() -> {
            try {
                if (running.tryLock(2, TimeUnit.SECONDS)) {
                    try {
                        m.close();
                    } finally {
                        running.unlock();
                    }
                }
            } catch (InterruptedException | IOException | RuntimeException e) {
                // the process is ending; nothing is left to report to
            }
        }, "rumpmount-unmount");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }
}
