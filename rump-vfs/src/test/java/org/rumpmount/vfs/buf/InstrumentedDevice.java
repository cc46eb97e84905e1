package org.rumpmount.vfs.buf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.block.BlockDeviceException;
import org.rumpmount.block.MemoryBlockDevice;

/**
 * A memory device that counts and logs what reaches it, fails on demand, and can stop a read
 * at its start (to hold threads inside the device while a test looks at the cache).
 */
final class InstrumentedDevice implements BlockDevice {
    /** Called at the start of every read with its offset; may block. */
    interface ReadHook {
        void onRead(long offset) throws Exception;
    }

    private final MemoryBlockDevice mem;
    private final String name;
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger flushes = new AtomicInteger();
    private final ConcurrentHashMap<Long, AtomicInteger> readsAt = new ConcurrentHashMap<>();
    /** "write OFFSET" and "flush", in the order they happened. */
    private final List<String> log = new ArrayList<>();
    volatile boolean failReads;
    volatile boolean failWrites;
    volatile ReadHook readHook;

    private InstrumentedDevice(MemoryBlockDevice mem, String name) {
        this.mem = mem;
        this.name = name;
    }

    static InstrumentedDevice create(String name, int size) {
        return new InstrumentedDevice(MemoryBlockDevice.create(size), name);
    }

    /** A device whose byte at position i is {@code (byte) (i * 7 + i / 4096)}: every block differs. */
    static InstrumentedDevice patterned(String name, int size) {
        return new InstrumentedDevice(MemoryBlockDevice.of(pattern(size), 512, false, false), name);
    }

    static InstrumentedDevice readOnly(String name, int size) {
        return new InstrumentedDevice(MemoryBlockDevice.of(pattern(size), 512, false, true), name);
    }

    static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 7 + i / 4096);
        }
        return b;
    }

    int readsAt(long offset) {
        AtomicInteger n = readsAt.get(offset);
        return n == null ? 0 : n.get();
    }

    List<String> log() {
        synchronized (log) {
            return new ArrayList<>(log);
        }
    }

    byte[] snapshot() {
        return mem.snapshot();
    }

    @Override
    public long size() {
        return mem.size();
    }

    @Override
    public int sectorSize() {
        return mem.sectorSize();
    }

    @Override
    public boolean requiresAlignment() {
        return mem.requiresAlignment();
    }

    @Override
    public boolean isReadOnly() {
        return mem.isReadOnly();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        ReadHook hook = readHook;
        if (hook != null) {
            try {
                hook.onRead(offset);
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("read hook failed", e);
            }
        }
        if (failReads) {
            throw new BlockDeviceException(BlockDeviceException.Kind.IO_ERROR, name + ": injected read error at " + offset);
        }
        mem.read(offset, dst);
        reads.incrementAndGet();
        readsAt.computeIfAbsent(offset, o -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        if (failWrites) {
            throw new BlockDeviceException(BlockDeviceException.Kind.IO_ERROR, name + ": injected write error at " + offset);
        }
        mem.write(offset, src);
        writes.incrementAndGet();
        synchronized (log) {
            log.add("write " + offset);
        }
    }

    @Override
    public void flush() throws IOException {
        mem.flush();
        flushes.incrementAndGet();
        synchronized (log) {
            log.add("flush");
        }
    }

    @Override
    public void close() {
        mem.close();
    }
}
