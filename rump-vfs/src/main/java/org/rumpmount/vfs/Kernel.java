package org.rumpmount.vfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * The userspace kernel: drivers, the mount table, the buffer cache and the host. One per
 * process is usual; tests make as many as they like.
 */
public final class Kernel implements AutoCloseable {
    /** Default buffer cache cap: 64 MiB. */
    public static final long DEFAULT_CACHE_BYTES = 64L << 20;

    private final Host host;
    private final DriverRegistry drivers;
    private final BufferCache bufferCache;
    private final AtomicLong nextMountId = new AtomicLong(1);
    private final ConcurrentHashMap<Long, Mount> mounts = new ConcurrentHashMap<>();

    public Kernel(Host host, DriverRegistry drivers, BufferCache bufferCache) {
        this.host = host;
        this.drivers = drivers;
        this.bufferCache = bufferCache;
    }

    /** A kernel with the system host, every driver on the class path and a 64 MiB cache. */
    public static Kernel create() {
        return new Kernel(Host.system(), DriverRegistry.load(), new BufferCache(DEFAULT_CACHE_BYTES));
    }

    public Host host() {
        return host;
    }

    public DriverRegistry drivers() {
        return drivers;
    }

    public BufferCache bufferCache() {
        return bufferCache;
    }

    /** The mounts in place, oldest first. */
    public List<Mount> mounts() {
        List<Mount> l = new ArrayList<>(mounts.values());
        l.sort((a, b) -> Long.compare(a.id(), b.id()));
        return l;
    }

    /**
     * Mounts {@code dev} (null for a driver that needs none) as {@code type}, or as whatever
     * single driver recognises it when {@code type} is "auto". The device stays the caller's:
     * closing it after unmount is the caller's job.
     */
    public Mount mount(String type, BlockDevice dev, MountOptions options) throws IOException {
        FileSystemDriver driver = resolve(type, dev);
        if (driver.needsDevice() && dev == null) {
            throw new VfsException(Errno.EINVAL, driver.name() + " needs a device to mount");
        }
        if (!options.isReadOnly() && dev != null && dev.isReadOnly()) {
            throw new VfsException(Errno.EROFS, dev.name() + " is read-only; mount it with -o ro");
        }
        Mount mp = new Mount(nextMountId.getAndIncrement(), driver.name(), dev, options, host, bufferCache);
        VfsOps ops = driver.mount(mp, dev);
        mp.attach(ops);
        mounts.put(mp.id(), mp);
        return mp;
    }

    private FileSystemDriver resolve(String type, BlockDevice dev) throws IOException {
        if (!"auto".equals(type)) {
            return drivers.get(type).orElseThrow(() -> new VfsException(Errno.ENODEV,
                    "unknown file system type '" + type + "' (known: "
                            + drivers.all().stream().map(FileSystemDriver::name).collect(Collectors.joining(", ")) + ")"));
        }
        if (dev == null) {
            throw new VfsException(Errno.EINVAL, "type auto needs a device to probe");
        }
        List<DriverRegistry.Match> found = drivers.probe(dev);
        if (found.isEmpty()) {
            throw new VfsException(Errno.EFTYPE, dev.name() + ": no known file system found");
        }
        if (found.size() > 1) {
            throw new VfsException(Errno.EFTYPE, dev.name() + ": recognised as several types ("
                    + found.stream().map(m -> m.driver().name()).collect(Collectors.joining(", ")) + "); choose one with -t");
        }
        return found.get(0).driver();
    }

    /**
     * Unmounts: reclaims every vnode, lets the driver sync and mark clean, then writes back and
     * drops the device's buffers, so nothing of this mount stays cached and a later mount of
     * the same device reads what is on it. EBUSY while vnodes are still referenced, unless
     * {@code force}.
     */
    public void unmount(Mount mp, boolean force) throws IOException {
        if (mp.isUnmounted()) {
            return;
        }
        List<Vnode> busy = mp.vnodes().flush();
        if (!busy.isEmpty() && !force) {
            throw new VfsException(Errno.EBUSY, mp + " has " + busy.size() + " vnode(s) in use, e.g. " + busy.get(0));
        }
        boolean done = false;
        try {
            mp.vfsOps().unmount(force);
            if (mp.device() != null) {
                if (mp.isReadOnly()) {
                    bufferCache.invalidate(mp.device());
                } else {
                    bufferCache.purge(mp.device());
                }
            }
            done = true;
        } finally {
            // A forced unmount ends the mount even when the driver's write-back failed.
            if (done || force) {
                mp.markUnmounted();
                mounts.remove(mp.id());
            }
        }
    }

    /** Unmounts everything, forcing. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Mount mp : mounts()) {
            try {
                unmount(mp, true);
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
