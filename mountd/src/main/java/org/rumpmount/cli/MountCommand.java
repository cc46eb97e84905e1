package org.rumpmount.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * rumpmount mount: serves an image on a host directory through FUSE. Without -f it returns once
 * the mount is live and leaves a daemon serving it, as mount(8) expects of a mount helper.
 */
@Command(name = "mount",
        description = {"Mount IMAGE (or IMAGE@N, partition N) on the host directory MOUNTPOINT through FUSE.",
            "Without -f, returns once the mount is live and keeps serving it in the background;"
                + " unmount with 'fusermount3 -u MOUNTPOINT' or 'umount MOUNTPOINT' (root), or send SIGTERM to the daemon.",
            "",
            "Options (-o, comma separated): ro, rw, type=TYPE (default auto), force (read-write on a file system"
                + " that is not clean), allow_other, default_permissions (default) or no_default_permissions,"
                + " fsname=NAME, subtype=NAME, cache_size=BYTES[k|m|g], sync_interval=5s (0: off), part=N,"
                + " threads=N (threads serving requests at first, default 2; 1: one only), debug.",
            "uid=N, gid=N, umask=OCTAL: report every file as owned by user N and group N, its mode masked;"
                + " the host kernel then checks permissions against what is reported (stored owners stay).",
            "attr_timeout=S (default 0), entry_timeout=S (default 3600), negative_timeout=S (default 0):"
                + " how many seconds the host kernel may cache attributes, names and absent names.",
            "dev, suid, exec, atime, their no- forms and the other options mount(8) adds are accepted and left to the host."},
        sortOptions = false)
final class MountCommand implements Callable<Integer> {
    private final Io io;

    @Option(names = "-f", description = "Stay in the foreground; log to standard error.")
    boolean foreground;

    @Option(names = "-o", paramLabel = "OPTIONS", description = "Mount options, comma separated (above).")
    java.util.List<String> options = new java.util.ArrayList<>();

    @Option(names = "--ready-line", hidden = true,
            description = "Print 'ready' on standard output once mounted (the background parent waits for it).")
    boolean readyLine;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image file or device; IMAGE@N picks partition N.")
    String image;

    @Parameters(index = "1", paramLabel = "MOUNTPOINT", description = "An existing empty directory.")
    String mountPoint;

    MountCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws CommandFailure {
        String list = String.join(",", options);
        DaemonOptions o;
        try {
            o = MountOptionsParser.parse(list);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
        Path mp = Path.of(mountPoint).toAbsolutePath().normalize();
        if (!foreground) {
            return Daemonizer.spawn(io, o, list, image, mp);
        }
        return serve(o, mp);
    }

    private int serve(DaemonOptions o, Path mp) throws CommandFailure {
        if (!HeapLimit.jvmHasMaximum()) {
            // Started by hand (java -jar) rather than by a launcher or the background mode: the
            // daemon still works, but its heap is not bounded by its cache.
            byte[] b = RawText.bytes(RawText.ofHost("rumpmount: mount: warning: the JVM was given no heap maximum"
                    + " (-Xmx), so its memory is not bounded by cache_size; the rumpmount launcher gives "
                    + HeapLimit.flag(o.cacheBytes(), java.util.Map.of()).orElseThrow() + " for these options\n"));
            System.err.write(b, 0, b.length);
            System.err.flush();
        }
        MountDaemon d;
        try {
            d = MountDaemon.start(image, mp, o);
        } catch (CommandFailure e) {
            if (readyLine) {
                Daemonizer.reportFailure(e.getMessage());
            }
            throw e;
        }
        Thread hook = new Thread(() -> stopQuietly(d), "unmount on exit");
        Runtime.getRuntime().addShutdownHook(hook);
        for (String w : d.warnings()) {
            if (readyLine) {
                Daemonizer.reportWarning(RawText.ofHost(w));
            } else {
                byte[] b = RawText.bytes(RawText.ofHost("rumpmount: mount: warning: " + w + "\n"));
                System.err.write(b, 0, b.length);
                System.err.flush();
            }
        }
        if (readyLine) {
            Daemonizer.reportReady();
        }
        try {
            d.awaitUnmounted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            d.stop();
        } catch (IOException e) {
            throw new CommandFailure(RawText.ofHost("unmounting " + image + " from " + mp + ": " + HostErrors.detail(e)));
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already: the hook has run or will find the daemon stopped
        }
        return ExitCodes.OK;
    }

    private static void stopQuietly(MountDaemon d) {
        try {
            d.stop();
        } catch (IOException | RuntimeException e) {
            PrintStream err = System.err;
            err.println("rumpmount: mount: unmounting " + d.mountPoint() + ": "
                    + (e instanceof IOException io ? HostErrors.detail(io) : e.toString()));
        }
    }
}
