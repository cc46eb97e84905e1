package org.rumpmount.cli;

import java.util.concurrent.Callable;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.FileSystemDriver;
import picocli.CommandLine.Command;

/** rumpmount drivers: the file system types this build can mount. */
@Command(name = "drivers", description = "List the file system drivers: type name and whether it needs a device.")
final class DriversCommand implements Callable<Integer> {
    private final Io io;

    DriversCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        StringBuilder sb = new StringBuilder();
        for (FileSystemDriver d : DriverRegistry.load().all()) {
            sb.append(String.format("%-8s %s%n", d.name(), d.needsDevice() ? "needs an image or device" : "needs no device (image: none)"));
        }
        io.out(RawText.ofHost(sb.toString().replace(System.lineSeparator(), "\n")));
        io.flush();
        return 0;
    }
}
