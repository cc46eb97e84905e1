package org.rumpmount.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.block.FileBlockDevice;
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
    private final BlockDevice device;
    private final Mount mount;
    private final PathFacade fs;
    private final String name;

    private MountedImage(Kernel kernel, BlockDevice device, Mount mount, String name) {
        this.kernel = kernel;
        this.device = device;
        this.mount = mount;
        this.name = name;
        this.fs = new PathFacade(mount, Credentials.ROOT).withCharset(StandardCharsets.ISO_8859_1);
    }

    /**
     * Mounts {@code opts.image} as {@code opts.type}. {@code readOnly} null means "read-write if
     * the image file can be written" (the shell's default).
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
        BlockDevice dev = null;
        if (!deviceless) {
            dev = openDevice(opts.image, readOnly == null ? false : readOnly);
        }
        try {
            boolean ro = readOnly != null ? readOnly : dev != null && dev.isReadOnly();
            MountOptions mo;
            try {
                mo = MountSpec.build(opts.options, ro);
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(RawText.ofHost(e.getMessage()));
            }
            Mount mp = kernel.mount(opts.type, dev, mo);
            try {
                return new MountedImage(kernel, dev, mp, deviceless ? opts.type : opts.image);
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
            throw new CommandFailure(RawText.ofHost(detail.startsWith(opts.image + ":") ? detail
                    : "cannot mount " + opts.image + ": " + detail));
        } catch (CommandFailure | RuntimeException e) {
            closeQuietly(dev, e);
            throw e;
        }
    }

    private static BlockDevice openDevice(String image, boolean readOnly) throws CommandFailure {
        Path p = Path.of(image);
        if (Files.isDirectory(p)) {
            throw new CommandFailure(RawText.ofHost(image + ": Is a directory"));
        }
        try {
            return FileBlockDevice.open(p, readOnly);
        } catch (IOException e) {
            throw new CommandFailure(RawText.ofHost(image + ": " + HostErrors.describe(e)));
        }
    }

    private static void closeQuietly(BlockDevice dev, Throwable primary) {
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
                device.flush();
            } catch (IOException e) {
                first = chain(first, e);
            }
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
