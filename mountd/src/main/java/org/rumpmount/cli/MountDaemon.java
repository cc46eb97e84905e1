package org.rumpmount.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.rumpmount.block.part.ImageSpec;
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
    private final ImageDevice device;
    private final Mount mount;
    private final PathFacade facade;
    private final FuseMount fuse;
    private final ScheduledExecutorService syncer;
    private boolean stopped;

    private MountDaemon(Kernel kernel, ImageDevice device, Mount mount, PathFacade facade,
            FuseMount fuse, ScheduledExecutorService syncer) {
        this.kernel = kernel;
        this.device = device;
        this.mount = mount;
        this.facade = facade;
        this.fuse = fuse;
        this.syncer = syncer;
    }

    /** Opens, mounts in our kernel, mounts on the host; returns once the host mount is live. */
    static MountDaemon start(String imageArg, Path mountPoint, DaemonOptions o) throws CommandFailure {
        DriverRegistry drivers = DriverRegistry.load();
        if (!"auto".equals(o.type()) && drivers.get(o.type()).isEmpty()) {
            throw CommandFailure.usage("unknown file system type '" + o.type() + "'; known types: "
                    + String.join(", ", drivers.all().stream().map(d -> d.name()).toList()));
        }
        ImageDevice dev = ImageDevice.open(imageArg, o.partition(), o.readOnly(), drivers, o.type());
        Path imagePath = Path.of(ImageSpec.parse(imageArg).image());
        Kernel kernel = null;
        try {
            kernel = new Kernel(Host.system(), drivers, new BufferCache(o.cacheBytes()));
            Mount mp = kernel.mount(o.type(), dev.device(),
                    MountOptions.builder().readOnly(o.readOnly()).force(o.force()).build());
            PathFacade facade = new PathFacade(mp, Credentials.ROOT).withCharset(StandardCharsets.ISO_8859_1);
            FuseOptions.Builder fb = FuseOptions.builder();
            o.attrTimeout().ifPresent(fb::attrTimeout);
            o.entryTimeout().ifPresent(fb::entryTimeout);
            o.negativeTimeout().ifPresent(fb::negativeTimeout);
            FuseOptions fo = fb
                    .readOnly(o.readOnly())
                    .allowOther(o.allowOther())
                    .defaultPermissions(o.defaultPermissions())
                    .fsName(o.fsName() != null ? o.fsName() : imagePath.toAbsolutePath().normalize().toString())
                    .subtype(o.subtype())
                    .debug(o.debug())
                    .uid(o.uid())
                    .gid(o.gid())
                    .umask(o.umask())
                    .singleThreaded(o.threads() == 1)
                    .workers(o.threads(), Math.max(o.threads(), DaemonOptions.MAX_THREADS))
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
            return new MountDaemon(kernel, dev, mp, facade, fuse, syncer);
        } catch (IOException e) {
            closeQuietly(kernel, dev);
            String detail = HostErrors.detail(e);
            throw new CommandFailure(RawText.ofHost("cannot mount " + imageArg + " on " + mountPoint + ": " + detail));
        } catch (RuntimeException e) {
            closeQuietly(kernel, dev);
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

    private static void closeQuietly(Kernel kernel, ImageDevice dev) {
        try {
            if (kernel != null) {
                kernel.close();
            }
        } catch (IOException ignored) {
            // the mount failed already; that failure is the one to report
        }
        try {
            dev.close();
        } catch (IOException ignored) {
            // as above
        }
    }

    Path mountPoint() {
        return fuse.mountPoint();
    }

    /** The partition table's warnings about the image served (see {@link ImageDevice#warnings()}). */
    java.util.List<String> warnings() {
        return device.warnings();
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
            // Never interrupt a sync in progress: an interrupt during FileChannel I/O closes the
            // image's channel, and the unmount that follows would fail with EIO. Let it finish.
            syncer.shutdown();
            awaitQuietly(syncer);
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
        try {
            device.close();
        } catch (IOException e) {
            first = chain(first, e);
        }
        if (first != null) {
            throw first;
        }
    }

    private static void awaitQuietly(ScheduledExecutorService pool) {
        try {
            while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                System.err.println("rumpmount: waiting for a periodic sync to finish before unmounting");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
