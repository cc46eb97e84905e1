package org.rumpmount.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.FileSystemDriver;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;

/**
 * An image opened, mounted and ready for path calls; closing unmounts it, syncing a read-write
 * mount, and closes the device, whatever happened before.
 *
 * <p>Calls are made as root (uid 0): the user who can open the image file owns everything in it,
 * as with NetBSD's fs-utils, so the image file's own permissions are the only check.
 */
final class MountedImage implements AutoCloseable {
    private final Kernel kernel;
    private final ImageDevice device;
    private final Mount mount;
    private final PathFacade fs;
    private final String name;

    private MountedImage(Kernel kernel, ImageDevice device, Mount mount, String name) {
        this.kernel = kernel;
        this.device = device;
        this.mount = mount;
        this.name = name;
        this.fs = new PathFacade(mount, Credentials.ROOT).withCharset(StandardCharsets.ISO_8859_1);
    }

    /**
     * Mounts {@code opts.image} (IMAGE or IMAGE@PART, or -o part=PART; see {@link ImageDevice}) as
     * {@code opts.type}. {@code readOnly} null means "read-write if the image file can be
     * written" (the shell's default).
     */
    static MountedImage open(ImageOptions opts, Boolean readOnly) throws IOException, CommandFailure {
        Kernel kernel = Kernel.create();
        Optional<FileSystemDriver> driver = kernel.drivers().get(opts.type);
        if (!"auto".equals(opts.type) && driver.isEmpty()) {
            String known = String.join(", ", kernel.drivers().all().stream().map(FileSystemDriver::name).toList());
            throw new CommandFailure(RawText.ofHost("unknown file system type '" + opts.type + "'; known types: "
                    + (known.isEmpty() ? "none" : known)));
        }
        boolean deviceless = driver.isPresent() && !driver.get().needsDevice();
        if (deviceless && !"none".equals(opts.image)) {
            throw new CommandFailure(RawText.ofHost(opts.type + " needs no image: give 'none' instead of '" + opts.image + "'"));
        }
        Optional<String> part;
        try {
            part = MountSpec.partition(opts.options);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
        if (deviceless && part.isPresent()) {
            throw CommandFailure.usage(opts.type + " has no device, so no partitions: drop part=" + part.get());
        }
        ImageDevice dev = null;
        if (!deviceless) {
            dev = ImageDevice.open(opts.image, part, readOnly == null ? false : readOnly, kernel.drivers(), opts.type);
        }
        try {
            boolean ro = readOnly != null ? readOnly : dev != null && dev.device().isReadOnly();
            MountOptions mo;
            try {
                mo = MountSpec.build(opts.options, ro);
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(RawText.ofHost(e.getMessage()));
            }
            Mount mp = kernel.mount(opts.type, dev == null ? null : dev.device(), mo);
            try {
                return new MountedImage(kernel, dev, mp, deviceless ? opts.type : dev.name());
            } catch (RuntimeException e) {
                try {
                    kernel.close();
                } catch (IOException ce) {
                    e.addSuppressed(ce);
                }
                throw e;
            }
        } catch (IOException e) {
            closeQuietly(dev, e);
            String detail = HostErrors.detail(e);
            String name = dev == null ? opts.image : dev.name();
            throw new CommandFailure(RawText.ofHost(detail.startsWith(name + ":") ? detail
                    : "cannot mount " + name + ": " + detail));
        } catch (CommandFailure | RuntimeException e) {
            closeQuietly(dev, e);
            throw e;
        }
    }

    private static void closeQuietly(ImageDevice dev, Throwable primary) {
        if (dev == null) {
            return;
        }
        try {
            dev.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    /** Path calls as root, with names passed as raw bytes. */
    PathFacade fs() {
        return fs;
    }

    /** The partition table's warnings (see {@link ImageDevice#warnings()}); none for a device-less file system. */
    java.util.List<String> warnings() {
        return device == null ? java.util.List.of() : device.warnings();
    }

    /** The kernel's mount, for what only its driver offers (lfs-clean). */
    Mount mount() {
        return mount;
    }

    /** The image name for df's first column. */
    String name() {
        return name;
    }

    private boolean closed;

    /** Unmounts and closes the device; a second call does nothing. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException first = null;
        try {
            kernel.unmount(mount, false);
        } catch (IOException e) {
            first = e;
        }
        try {
            kernel.close();
        } catch (IOException e) {
            first = chain(first, e);
        }
        if (device != null) {
            try {
                device.close();
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
