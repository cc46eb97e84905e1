package org.rumpmount.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.block.WindowBlockDevice;
import org.rumpmount.block.part.ImageSpec;
import org.rumpmount.block.part.Partition;
import org.rumpmount.block.part.PartitionScanner;
import org.rumpmount.block.part.PartitionSelector;
import org.rumpmount.fuse.FuseMount;
import org.rumpmount.fuse.FuseOptions;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Host;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * One image served on a host directory through FUSE until it is unmounted: by a signal
 * (SIGTERM, SIGINT: a shutdown hook unmounts), or from outside with {@code fusermount3 -u} or
 * {@code umount}, after which the kernel side is unmounted here. Either way the file system is
 * synced and marked clean and the device closed. A timer syncs every few seconds, since sync(1)
 * on the host never reaches a FUSE server.
 */
final class MountDaemon {
    private static final long POLL_MILLIS = 200;

    private final Kernel kernel;
    private final BlockDevice device;
    private final BlockDevice whole;
    private final Mount mount;
    private final PathFacade facade;
    private final FuseMount fuse;
    private final ScheduledExecutorService syncer;
    private boolean stopped;

    private MountDaemon(Kernel kernel, BlockDevice device, BlockDevice whole, Mount mount, PathFacade facade,
            FuseMount fuse, ScheduledExecutorService syncer) {
        this.kernel = kernel;
        this.device = device;
        this.whole = whole;
        this.mount = mount;
        this.facade = facade;
        this.fuse = fuse;
        this.syncer = syncer;
    }

    /** Opens, mounts in our kernel, mounts on the host; returns once the host mount is live. */
    static MountDaemon start(String imageArg, Path mountPoint, DaemonOptions o) throws CommandFailure {
        ImageSpec spec;
        try {
            spec = ImageSpec.parse(imageArg);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
        if (spec.selector().isPresent() && o.partition().isPresent()) {
            throw CommandFailure.usage("partition given twice: " + imageArg + " and part=" + o.partition().get());
        }
        String image = spec.image();
        Path imagePath = Path.of(image);
        if (Files.isDirectory(imagePath)) {
            throw new CommandFailure(RawText.ofHost(image + ": Is a directory"));
        }
        BlockDevice whole;
        try {
            whole = FileBlockDevice.open(imagePath, o.readOnly());
        } catch (IOException e) {
            String why = HostErrors.describe(e);
            if (!o.readOnly() && why.toLowerCase().contains("lock")) {
                why += " (is it mounted read-write already? an image is served by one read-write mount at a time)";
            }
            throw new CommandFailure(RawText.ofHost(image + ": " + why));
        }
        BlockDevice dev = whole;
        Kernel kernel = null;
        try {
            PartitionSelector sel = spec.selector().orElse(null);
            if (sel == null && o.partition().isPresent()) {
                try {
                    sel = PartitionSelector.parse(o.partition().get());
                } catch (IllegalArgumentException e) {
                    throw CommandFailure.usage(e.getMessage());
                }
            }
            if (sel != null) {
                Partition p = sel.select(PartitionScanner.scan(whole));
                dev = WindowBlockDevice.of(whole, p.offset(), p.size(), o.readOnly());
            }
            kernel = new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(o.cacheBytes()));
            if (!"auto".equals(o.type()) && kernel.drivers().get(o.type()).isEmpty()) {
                throw CommandFailure.usage("unknown file system type '" + o.type() + "'; known types: "
                        + String.join(", ", kernel.drivers().all().stream().map(d -> d.name()).toList()));
            }
            Mount mp = kernel.mount(o.type(), dev,
                    MountOptions.builder().readOnly(o.readOnly()).force(o.force()).build());
            PathFacade facade = new PathFacade(mp, Credentials.ROOT).withCharset(StandardCharsets.ISO_8859_1);
            FuseOptions fo = FuseOptions.builder()
                    .readOnly(o.readOnly())
                    .allowOther(o.allowOther())
                    .defaultPermissions(o.defaultPermissions())
                    .fsName(o.fsName() != null ? o.fsName() : imagePath.toAbsolutePath().normalize().toString())
                    .subtype(o.subtype())
                    .debug(o.debug())
                    .build();
            FuseMount fuse;
            try {
                fuse = FuseMount.mount(facade, mountPoint, fo);
            } catch (IOException | RuntimeException e) {
                kernel.unmount(mp, true);
                throw e;
            }
            ScheduledExecutorService syncer = null;
            if (!o.readOnly() && !o.syncInterval().isZero()) {
                syncer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "periodic-sync");
                    t.setDaemon(true);
                    return t;
                });
                long ms = o.syncInterval().toMillis();
                syncer.scheduleWithFixedDelay(() -> syncQuietly(facade), ms, ms, TimeUnit.MILLISECONDS);
            }
            return new MountDaemon(kernel, dev, whole, mp, facade, fuse, syncer);
        } catch (IOException e) {
            closeQuietly(kernel, dev, whole);
            String detail = HostErrors.detail(e);
            throw new CommandFailure(RawText.ofHost("cannot mount " + imageArg + " on " + mountPoint + ": " + detail));
        } catch (CommandFailure | RuntimeException e) {
            closeQuietly(kernel, dev, whole);
            throw e;
        }
    }

    private static void syncQuietly(PathFacade facade) {
        try {
            facade.sync();
        } catch (IOException | RuntimeException e) {
            System.err.println("rumpmount: periodic sync failed: " + HostErrors.detail(
                    e instanceof IOException io ? io : new IOException(e.toString())));
        }
    }

    private static void closeQuietly(Kernel kernel, BlockDevice dev, BlockDevice whole) {
        try {
            if (kernel != null) {
                kernel.close();
            }
        } catch (IOException ignored) {
            // the mount failed already; that failure is the one to report
        }
        for (BlockDevice d : new BlockDevice[] {dev, whole}) {
            try {
                if (d != null) {
                    d.close();
                }
            } catch (IOException ignored) {
                // as above
            }
        }
    }

    Path mountPoint() {
        return fuse.mountPoint();
    }

    /** Waits until the host mount is gone (unmounted from outside, or by {@link #stop}). */
    void awaitUnmounted() throws InterruptedException {
        while (!isStopped() && HostMounts.isMountPoint(fuse.mountPoint())) {
            Thread.sleep(POLL_MILLIS);
        }
    }

    private synchronized boolean isStopped() {
        return stopped;
    }

    /**
     * Takes the mount down: the host side first if it is still there, then the kernel side
     * (which syncs and marks the file system clean), then the device. Safe to call twice.
     */
    synchronized void stop() throws IOException {
        if (stopped) {
            return;
        }
        stopped = true;
        if (syncer != null) {
            syncer.shutdownNow();
        }
        IOException first = null;
        boolean hostGone = !HostMounts.isMountPoint(fuse.mountPoint());
        if (!hostGone) {
            try {
                fuse.close();
            } catch (IOException e) {
                first = e;
            }
        }
        try {
            try {
                kernel.unmount(mount, false);
            } catch (VfsException e) {
                if (e.errno() != Errno.EBUSY) {
                    throw e;
                }
                // Files the host had open when the mount was removed from outside are orphans now.
                kernel.unmount(mount, true);
            }
        } catch (IOException e) {
            first = chain(first, e);
        }
        try {
            kernel.close();
        } catch (IOException e) {
            first = chain(first, e);
        }
        for (BlockDevice d : device == whole ? new BlockDevice[] {whole} : new BlockDevice[] {device, whole}) {
            try {
                d.flush();
                d.close();
            } catch (IOException e) {
                first = chain(first, e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static IOException chain(IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
