package org.rumpmount.fuse;

import com.kenai.jffi.MemoryIO;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Struct;
import ru.serce.jnrfuse.struct.FuseOperations;

/**
 * What libfuse's {@code fuse_main} does, with the request loop on Java threads of our own:
 * {@code fuse_setup} (parse the arguments, mount, make the session), then worker threads that
 * each read a request from /dev/fuse and serve it ({@code fuse_session_receive_buf},
 * {@code fuse_session_process_buf}), then {@code fuse_teardown} once the file system is
 * unmounted. {@link #run} does it all on the thread that owns the mount.
 *
 * <p>Why not libfuse's own loop ({@code fuse_loop_mt}): its workers are native threads, and jffi
 * attaches such a thread to the JVM for each callback and detaches it afterwards (for a thread's
 * first 1,000 callbacks, each time with a new Java Thread object), while libfuse starts a thread
 * whenever none is idle and ends one when more than ten are. Here a worker is a Java thread for
 * the life of the mount: attached once, with its request buffer made once.
 *
 * <p>The threading model: {@code minWorkers} threads (2 by default) from the start, each blocked
 * in read(2) on /dev/fuse when idle; the kernel hands each request to one of them. A worker
 * blocks only inside a file system callback (a read from the disk, an fsync), so the session
 * counts the callbacks in progress ({@link CallGuard.Occupancy}): when every worker is inside one,
 * one more is started, up to {@code maxWorkers}, so that requests behind slow ones keep being
 * served (libfuse's rule: a new thread when none is idle). Workers are never ended before the
 * session is: after a burst they wait, rather than start and stop again. Not one worker by
 * default: a request arriving while the only one is in a slow call would wait for it.
 *
 * <p>The end: when the file system is unmounted (fusermount -u, umount, or after a lazy unmount
 * its last user leaving), every read on /dev/fuse fails with ENODEV, libfuse marks the session
 * ended, and each worker returns. The session is then torn down, which calls the file system's
 * destroy. If the loop ends on an error instead (a read failing otherwise), the mount is detached
 * so that the other workers' reads end too. A worker still in libfuse
 * {@link #STRAGGLER_WAIT_MS} ms after the end keeps the session's memory: the session is then not
 * destroyed, never freed under a thread that may still use it.
 */
final class FuseSession implements CallGuard.Occupancy {
    private static final Logger LOG = System.getLogger(FuseSession.class.getName());
    private static final LibFuseSession LIB = LibraryLoader.create(LibFuseSession.class).failImmediately()
            .load("libfuse.so.2");
    private static final MemoryIO MEM = MemoryIO.getInstance();

    /** struct fuse_buf: size_t size, enum flags, void *mem, int fd, off_t pos (x86_64 / aarch64). */
    private static final int BUF_SIZE = 0;
    private static final int BUF_FLAGS = 8;
    private static final int BUF_MEM = 16;
    private static final int BUF_FD = 24;
    private static final int BUF_POS = 32;
    private static final int BUF_STRUCT = 40;
    private static final int EINTR = 4;
    static final long STRAGGLER_WAIT_MS = 5_000;

    private final FuseOperations operations;
    private final String[] argv;
    private final int minWorkers;
    private final int maxWorkers;
    private final Path mountPoint;
    /** Callbacks in progress: counted on every request, so not under a lock all workers share. */
    private final AtomicInteger busy = new AtomicInteger();
    /** Workers started; written under the lock on {@link #workers}. */
    private volatile int workerCount;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean failed;
    /** Guarded by {@link #workers}: how many workers have returned, and whether no more may start. */
    private int ended;
    private boolean closing;
    private long session;
    private long chan;
    private long bufSize;

    private FuseSession(FuseOperations operations, String[] argv, int minWorkers, int maxWorkers, Path mountPoint) {
        this.operations = operations;
        this.argv = argv;
        this.minWorkers = minWorkers;
        this.maxWorkers = maxWorkers;
        this.mountPoint = mountPoint;
    }

    /**
     * A session to mount {@code fs} on {@code mountPoint} with libfuse's command line {@code args}
     * (as fuse_main would get them after the program name and mount point); {@link #run} serves it.
     */
    static FuseSession of(RumpFuseFs fs, Path mountPoint, String[] args, int minWorkers, int maxWorkers) {
        if (minWorkers < 1 || maxWorkers < minWorkers) {
            throw new IllegalArgumentException("FUSE workers " + minWorkers + ".." + maxWorkers + ": need 1 <= min <= max");
        }
        String[] argv = new String[args.length + 3];
        argv[0] = "rumpmount";
        // Foreground: libfuse must not fork the JVM.
        argv[1] = "-f";
        argv[2] = mountPoint.toString();
        System.arraycopy(args, 0, argv, 3, args.length);
        FuseSession s = new FuseSession(fs.operations(), argv, minWorkers, maxWorkers, mountPoint);
        fs.watchCalls(s);
        return s;
    }

    /** Worker threads started so far (they end only with the session). */
    int workersStarted() {
        synchronized (workers) {
            return workers.size();
        }
    }

    /**
     * Mounts, serves until unmounted, tears down. Returns fuse_main's exit status: 0, or 1 when
     * the mount failed or the loop ended on an error.
     */
    int run() {
        long out = MEM.allocateMemory(16, true);
        try {
            long fuse = LIB.fuse_setup(argv.length, argv, operations, Struct.size(operations), out, out + 8, 0);
            if (fuse == 0) {
                return 1;
            }
            long mountpoint = MEM.getAddress(out);
            session = LIB.fuse_get_session(fuse);
            chan = LIB.fuse_session_next_chan(session, 0);
            bufSize = LIB.fuse_chan_bufsize(chan);
            synchronized (workers) {
                for (int i = 0; i < minWorkers; i++) {
                    startWorker();
                }
            }
            boolean allEnded = awaitWorkers();
            if (allEnded) {
                LIB.fuse_teardown(fuse, mountpoint);
            } else {
                LOG.log(Level.WARNING, "FUSE session on " + mountPoint + ": a worker is still in libfuse "
                        + STRAGGLER_WAIT_MS + " ms after the session ended; leaving the session's memory to it");
            }
            return failed ? 1 : 0;
        } finally {
            MEM.freeMemory(out);
        }
    }

    /**
     * Waits until a worker returns (the session has ended), then until all have, at most
     * {@link #STRAGGLER_WAIT_MS} more. Whether they all did.
     */
    private boolean awaitWorkers() {
        try {
            synchronized (workers) {
                while (ended == 0) {
                    workers.wait();
                }
                // No worker starts from now on: the session is ending.
                closing = true;
            }
            if (failed) {
                // Ended on an error, not by an unmount: the others are still blocked in read(2)
                // on a live mount. Detaching it wakes them (ENODEV), as libfuse's loop would by
                // cancelling its threads before its teardown unmounts.
                try {
                    Fusermount.unmount(mountPoint, true);
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "FUSE session on " + mountPoint + ": unmounting after the error failed", e);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STRAGGLER_WAIT_MS);
            synchronized (workers) {
                while (ended < workers.size()) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        return false;
                    }
                    workers.wait(left);
                }
            }
            return true;
        } catch (InterruptedException e) {
            // Nobody interrupts this thread on purpose; the mount's end is the signal to stop.
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts one more worker; the caller holds the lock on {@link #workers}. */
    private void startWorker() {
        Thread t = new Thread(this::work, "fuse-worker-" + workers.size() + " " + mountPoint);
        t.setDaemon(true);
        workers.add(t);
        workerCount = workers.size();
        t.start();
    }

    /** Another worker when every one is busy, unless there are enough already. */
    private void grow() {
        synchronized (workers) {
            if (!closing && workers.size() < maxWorkers) {
                if (busy.get() < workerCount) {
                    return;
                }
                startWorker();
            }
        }
    }

    /** One worker: takes a request, serves it, until the session ends. */
    private void work() {
        long buf = MEM.allocateMemory(BUF_STRUCT + 8, true);
        long chp = buf + BUF_STRUCT;
        long mem = MEM.allocateMemory(bufSize, false);
        try {
            while (true) {
                // receive_buf may have changed the struct (size; with splice, flags and fd): reset it.
                MEM.putLong(buf + BUF_SIZE, bufSize);
                MEM.putInt(buf + BUF_FLAGS, 0);
                MEM.putAddress(buf + BUF_MEM, mem);
                MEM.putInt(buf + BUF_FD, -1);
                MEM.putLong(buf + BUF_POS, 0);
                MEM.putAddress(chp, chan);
                int res = LIB.fuse_session_receive_buf(session, buf, chp);
                if (res == -EINTR) {
                    continue;
                }
                if (res <= 0) {
                    if (res < 0) {
                        LOG.log(Level.ERROR, "FUSE session on " + mountPoint + ": reading a request failed with errno "
                                + -res + "; ending the session");
                        failed = true;
                        LIB.fuse_session_exit(session);
                    }
                    return;
                }
                LIB.fuse_session_process_buf(session, buf, MEM.getAddress(chp));
            }
        } catch (Throwable t) {
            // Not from a callback (CallGuard answers those): from this loop itself. The session
            // cannot be served without its workers; end it rather than leave requests unread.
            LOG.log(Level.ERROR, "FUSE session on " + mountPoint + ": worker failed; ending the session", t);
            failed = true;
            LIB.fuse_session_exit(session);
        } finally {
            MEM.freeMemory(mem);
            MEM.freeMemory(buf);
            synchronized (workers) {
                ended++;
                workers.notifyAll();
            }
        }
    }

    /**
     * A callback starts. A worker blocks only inside one (a read from the disk, an fsync): when
     * every worker is inside one, one more is started (up to the maximum), so that requests
     * behind a slow one keep being served, as libfuse's loop starts a thread when none is idle.
     */
    @Override
    public void enter() {
        if (busy.incrementAndGet() >= workerCount) {
            grow();
        }
    }

    @Override
    public void exit() {
        busy.decrementAndGet();
    }
}
