package org.rumpmount.fuse;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VfsException;

/**
 * A {@link PathFacade} mounted on a host directory through FUSE, for as long as this object is
 * open. {@link #mount} returns only once the Linux mount table shows the mount, and
 * {@link #unmount} only once it is gone: libfuse's own calls do neither (jnr-fuse waits a fixed
 * two seconds and unmounts in the background).
 *
 * <p>Names survive byte-exact only when the JVM's default charset is ISO-8859-1 (run with
 * {@code -Dfile.encoding=ISO-8859-1}); see {@link FuseNames}. Otherwise a warning is logged.
 */
public final class FuseMount implements AutoCloseable {
    private static final Logger LOG = System.getLogger(FuseMount.class.getName());
    private static final Path DEV_FUSE = Path.of("/dev/fuse");
    private static final long POLL_MILLIS = 20;

    private final Path mountPoint;
    private final FuseOptions options;
    private final RumpFuseFs fs;
    private final CompletableFuture<Integer> session;
    private final FuseSession workers;
    private volatile boolean mounted = true;

    private FuseMount(Path mountPoint, FuseOptions options, RumpFuseFs fs, CompletableFuture<Integer> session,
            FuseSession workers) {
        this.mountPoint = mountPoint;
        this.options = options;
        this.fs = fs;
        this.session = session;
        this.workers = workers;
    }

    /** Whether this machine has the FUSE device at all. */
    public static boolean deviceAvailable() {
        return Files.exists(DEV_FUSE);
    }

    /**
     * Mounts {@code facade} on directory {@code dir}, read-only if the file system is. A dead FUSE mount left on {@code dir} by a
     * crashed server is cleared first; a live mount there is refused with EBUSY. Fails with
     * ETIMEDOUT if the mount does not appear within {@link FuseOptions#timeout()}, and with the
     * libfuse exit code if libfuse gives up before that.
     */
    public static FuseMount mount(PathFacade facade, Path dir, FuseOptions requested) throws IOException {
        Objects.requireNonNull(facade, "facade");
        Objects.requireNonNull(requested, "options");
        // A read-only file system is mounted read-only on the host too, so that Linux refuses
        // writes up front and the mount table says so.
        FuseOptions options = facade.mount().isReadOnly() && !requested.readOnly()
                ? requested.toBuilder().readOnly(true).build() : requested;
        if (!deviceAvailable()) {
            throw new VfsException(Errno.ENODEV, DEV_FUSE + " is missing: FUSE is not available here"
                    + " (load the fuse module, or give the container the device)");
        }
        Path abs = dir.toAbsolutePath().normalize();
        clearStale(abs);
        if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new VfsException(Files.exists(abs) ? Errno.ENOTDIR : Errno.ENOENT,
                    "mount point " + abs + " is not an existing directory");
        }
        Path mp = abs.toRealPath();
        try (java.util.stream.Stream<Path> entries = Files.list(mp)) {
            if (entries.findAny().isPresent()) {
                // libfuse 2 refuses too, with a message on standard error only.
                throw new VfsException(Errno.ENOTEMPTY, "mount point " + mp + " is not empty");
            }
        }
        Optional<MountInfo.Entry> there = MountInfo.find(mp);
        if (there.isPresent()) {
            throw new VfsException(Errno.EBUSY, "mount point " + mp + " already has " + there.get().fsType()
                    + " from " + there.get().source() + " mounted on it");
        }
        if (!FuseNames.isByteExact()) {
            LOG.log(Level.WARNING, "default charset is " + FuseNames.pathCharset() + ", not ISO-8859-1: names that"
                    + " are not valid " + FuseNames.pathCharset() + " will not survive FUSE"
                    + " (run the JVM with -Dfile.encoding=ISO-8859-1)");
        }
        RumpFuseFs fs = new RumpFuseFs(facade, null, options.reported());
        CompletableFuture<Integer> session = new CompletableFuture<>();
        FuseSession fuseSession = FuseSession.of(fs, mp, options.sessionArgs(), options.minWorkers(),
                options.maxWorkers());
        Thread t = new Thread(() -> {
            try {
                fs.adoptMount(mp);
                int rc = fuseSession.run();
                fs.markUnmounted();
                session.complete(rc);
            } catch (Throwable e) {
                session.completeExceptionally(e);
            }
        }, "fuse-session " + mp);
        t.setDaemon(true);
        t.start();
        FuseMount m = new FuseMount(mp, options, fs, session, fuseSession);
        m.awaitMounted();
        return m;
    }

    private void awaitMounted() throws IOException {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        while (true) {
            Optional<MountInfo.Entry> e = MountInfo.find(mountPoint);
            if (e.isPresent() && e.get().fsType().startsWith("fuse")) {
                return;
            }
            if (session.isDone()) {
                mounted = false;
                throw new VfsException(Errno.EIO, "FUSE mount on " + mountPoint + " failed: " + sessionOutcome()
                        + " (libfuse prints the reason on standard error)");
            }
            if (System.nanoTime() > deadline) {
                // It may still appear; make sure it does not outlive this failure.
                try {
                    Fusermount.unmount(mountPoint, true);
                } catch (IOException ignored) {
                    // nothing was mounted
                }
                mounted = false;
                throw new VfsException(Errno.ETIMEDOUT, "FUSE mount on " + mountPoint + " did not appear in "
                        + options.timeout().toMillis() + " ms");
            }
            sleep();
        }
    }

    private String sessionOutcome() {
        try {
            return "libfuse returned " + session.getNow(null);
        } catch (RuntimeException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            return c.toString() + (c.getCause() != null ? " (" + c.getCause() + ")" : "");
        }
    }

    public Path mountPoint() {
        return mountPoint;
    }

    public FuseOptions options() {
        return options;
    }

    /** Whether the mount is in place (as far as this object knows: it has not been unmounted). */
    public boolean isMounted() {
        return mounted;
    }

    /** Files opened through the mount and not yet released. */
    public int openFiles() {
        return fs.openHandles();
    }

    /** Threads serving requests so far (see {@link FuseSession}). */
    int workerThreads() {
        return workers.workersStarted();
    }

    /** The largest read request the kernel has sent, in bytes. */
    long largestRead() {
        return fs.largestRead();
    }

    /** The largest write request the kernel has sent, in bytes. */
    long largestWrite() {
        return fs.largestWrite();
    }

    /**
     * Unmounts with fusermount and waits until the mount table no longer shows the mount and the
     * FUSE session has ended. EBUSY when files on it are in use (then it stays mounted).
     */
    public void unmount() throws IOException {
        if (!mounted) {
            return;
        }
        Fusermount.unmount(mountPoint, false);
        awaitGone(mountPoint, options.timeout());
        mounted = false;
        awaitSessionEnd();
    }

    /** After the mount is gone, libfuse's loop ends; then no callback can use a handle. */
    private void awaitSessionEnd() throws IOException {
        try {
            session.get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "FUSE session on " + mountPoint + " ended with an error", e.getCause());
        } catch (TimeoutException e) {
            LOG.log(Level.WARNING, "FUSE session on " + mountPoint + " still running "
                    + options.timeout().toMillis() + " ms after unmount");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fs.markUnmounted();
        fs.closeAllHandles();
    }

    /**
     * Unmounts; if the mount is busy, detaches it lazily (it goes away once its last file is
     * closed) rather than leave it behind.
     */
    @Override
    public void close() throws IOException {
        if (!mounted) {
            return;
        }
        try {
            unmount();
        } catch (VfsException e) {
            if (e.errno() != Errno.EBUSY) {
                throw e;
            }
            LOG.log(Level.WARNING, mountPoint + " is busy; detaching it lazily");
            Fusermount.unmount(mountPoint, true);
            awaitGone(mountPoint, options.timeout());
            mounted = false;
            // Processes still using the detached mount keep the session and its open files; the
            // session's destroy callback closes the files when the last of them is done.
            fs.markUnmounted();
        }
    }

    /**
     * Clears a dead FUSE mount on {@code dir}: one whose server is gone, so that every access
     * fails with ENOTCONN ("Transport endpoint is not connected"), as a killed JVM leaves behind.
     * Returns whether there was one. A live mount is left alone.
     */
    public static boolean clearStale(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Optional<MountInfo.Entry> e = MountInfo.find(abs);
        if (e.isEmpty() || !e.get().fsType().startsWith("fuse") || !isDisconnected(abs)) {
            return false;
        }
        LOG.log(Level.WARNING, "clearing dead FUSE mount " + e.get().source() + " on " + abs);
        Fusermount.unmount(abs, false);
        awaitGone(abs, Duration.ofSeconds(10));
        return true;
    }

    /** Whether accessing {@code dir} fails the way a FUSE mount without a server does. */
    static boolean isDisconnected(Path dir) {
        try {
            Files.readAttributes(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return false;
        } catch (FileSystemException e) {
            String r = e.getReason();
            return r != null && r.contains("not connected");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void awaitGone(Path mp, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (MountInfo.find(mp).isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new VfsException(Errno.ETIMEDOUT, "FUSE mount on " + mp + " still in the mount table "
                        + timeout.toMillis() + " ms after unmount");
            }
            sleep();
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VfsException(Errno.EINTR, "interrupted while waiting for the mount table");
        }
    }

    @Override
    public String toString() {
        return "FUSE mount on " + mountPoint + " (" + options + ")" + (mounted ? "" : " [unmounted]");
    }
}
