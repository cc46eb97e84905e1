package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.block.ForwardingBlockDevice;
import org.rumpmount.block.MemoryBlockDevice;
import org.rumpmount.fs.ffs.newfs.Newfs;
import org.rumpmount.fs.ffs.newfs.NewfsOptions;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;

/**
 * The worker threads of a mount (see {@link FuseSession}): requests behind slow ones are still
 * served, because a thread is added whenever every one is busy in the file system.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WorkerThreadsIT {
    /** A device whose writes wait while the gate is shut. */
    private static final class GatedDevice extends ForwardingBlockDevice {
        private volatile CountDownLatch gate;

        GatedDevice(BlockDevice inner) {
            super(inner);
        }

        void shut() {
            gate = new CountDownLatch(1);
        }

        void open() {
            CountDownLatch g = gate;
            gate = null;
            if (g != null) {
                g.countDown();
            }
        }

        @Override
        public void write(long offset, ByteBuffer src) throws IOException {
            CountDownLatch g = gate;
            if (g != null) {
                try {
                    if (!g.await(60, TimeUnit.SECONDS)) {
                        throw new IOException("test gate never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted at the test gate", e);
                }
            }
            super.write(offset, src);
        }
    }

    @BeforeAll
    static void fuse() throws IOException {
        FuseFixture.requireFuse();
    }

    @Test
    void whileEveryThreadWaitsOnTheDiskAnotherServesTheNextRequest() throws Exception {
        MemoryBlockDevice mem = MemoryBlockDevice.create(32 << 20);
        Newfs.format(mem, NewfsOptions.builder().build());
        GatedDevice dev = new GatedDevice(mem);
        Path dir = Files.createTempDirectory("rumpmount-workers-");
        try (Kernel k = Kernel.create()) {
            Mount mp = k.mount("ffs", dev, MountOptions.readWrite());
            PathFacade facade = new PathFacade(mp, Credentials.ROOT);
            FuseOptions options = FuseOptions.builder().fsName(FuseFixture.FSNAME).workers(2, 16).build();
            try (FuseMount m = FuseMount.mount(facade, dir, options)) {
                // Counted before any call of the test's own: the writes below overlap (the kernel
                // sends each file's RELEASE while the next file is being made), and two calls at
                // once rightly start a third thread.
                assertEquals(2, m.workerThreads(), "threads at the start");
                // Threads of their own: the common pool may have a single one on a small machine.
                ExecutorService callers = Executors.newFixedThreadPool(4);
                // The gate opens before the mount closes, whatever happens: else the waiting
                // fsyncs keep the mount busy.
                try {
                    int slow = 3;
                    for (int i = 0; i < slow; i++) {
                        Files.writeString(dir.resolve("f" + i), "dirty " + i);
                    }
                    dev.shut();
                    // Each fsync writes to the device and waits there: more slow calls than threads.
                    List<CompletableFuture<Void>> syncs = new ArrayList<>();
                    for (int i = 0; i < slow; i++) {
                        Path f = dir.resolve("f" + i);
                        syncs.add(CompletableFuture.runAsync(() -> {
                            try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
                                c.force(true);
                            } catch (IOException e) {
                                throw new RuntimeException(e);
                            }
                        }, callers));
                    }
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (m.workerThreads() < slow + 1 && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    // Served while every fsync still waits on the device.
                    CompletableFuture<Object> stat = CompletableFuture.supplyAsync(() -> {
                        try {
                            return Files.readAttributes(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS).get("mode");
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    }, callers);
                    // With threads fixed at two, this times out: the request waits behind the fsyncs.
                    assertEquals(040000, ((Integer) stat.get(20, TimeUnit.SECONDS)) & 0170000);
                    assertFalse(syncs.stream().anyMatch(CompletableFuture::isDone), "an fsync ended with the gate shut");
                    // One more whenever all are busy: one per waiting fsync and a spare, at least.
                    assertTrue(m.workerThreads() > slow, "threads while " + slow + " calls wait: " + m.workerThreads());
                    dev.open();
                    for (CompletableFuture<Void> s : syncs) {
                        s.get(60, TimeUnit.SECONDS);
                    }
                    assertEquals("dirty 1", new String(Files.readAllBytes(dir.resolve("f1")), StandardCharsets.UTF_8));
                } finally {
                    dev.open();
                    callers.shutdown();
                }
            }
            k.unmount(mp, false);
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void singleThreadedHasOneThreadWhateverTheLoad() throws IOException {
        try (FuseFixture f = FuseFixture.mount(b -> b.singleThreaded(true))) {
            for (int i = 0; i < 20; i++) {
                Files.writeString(f.path("a" + i), "x");
            }
            assertEquals(1, f.fuse.workerThreads());
        }
    }
}
