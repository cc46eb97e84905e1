package org.rumpmount.block;

import static org.rumpmount.block.BlockDeviceException.Kind.CLOSED;
import static org.rumpmount.block.BlockDeviceException.Kind.IO_ERROR;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * A device that fails on purpose, as a {@link FaultPlan} says, for tests of crash safety and error
 * handling; it otherwise passes every call to the device it wraps.
 *
 * <p>It counts the reads, writes, written bytes and flushes it sees, so a test can run a workload
 * once without faults to learn how many writes it makes, then replay it with a power cut after
 * each of them and check that what survived on the medium is consistent.
 *
 * <p>Injected failures are {@link BlockDeviceException.Kind#IO_ERROR}s whose message says that
 * they were injected and names the operation's number, offset and length. A failed write changes
 * nothing. Once the power is cut, writes and flushes report success and do nothing; reads still
 * reach the medium and so show what survived.
 *
 * <p>Fault decisions and numbering happen under one lock, so they follow the order in which calls
 * arrive; with several threads that order, and so a random run, is only as reproducible as the
 * threads' interleaving. Closing this device closes the one it wraps: it stands in for that
 * device in the code under test, which closes what it opened; the test then inspects the medium.
 */
public final class FaultInjectingBlockDevice extends ForwardingBlockDevice {
    private final FaultPlan plan;
    private final Random random;
    private long reads;
    private long writes;
    private long bytesWritten;
    private long flushes;
    private boolean powerLost;
    private volatile boolean closed;

    private FaultInjectingBlockDevice(BlockDevice inner, FaultPlan plan) {
        super(inner);
        this.plan = plan;
        this.random = new Random(plan.seed);
    }

    /** Wraps {@code inner}, failing as {@code plan} says. */
    public static FaultInjectingBlockDevice wrap(BlockDevice inner, FaultPlan plan) {
        return new FaultInjectingBlockDevice(inner, plan);
    }

    /** Reads seen so far, including failed ones. */
    public synchronized long reads() {
        return reads;
    }

    /** Writes seen so far, including failed and dropped ones. */
    public synchronized long writes() {
        return writes;
    }

    /** Bytes of all writes seen so far, including failed and dropped ones. */
    public synchronized long bytesWritten() {
        return bytesWritten;
    }

    /** Flushes seen so far, including failed ones. */
    public synchronized long flushes() {
        return flushes;
    }

    /** Whether the power cut has happened: later writes are being dropped. */
    public synchronized boolean powerLost() {
        return powerLost;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        ensureOpen();
        int n = dst.remaining();
        DeviceChecks.checkRead(this, offset, n);
        long number;
        boolean fail;
        synchronized (this) {
            number = ++reads;
            fail = randomFailure();
        }
        if (fail) {
            throw injected("random failure of read #" + number, offset, n);
        }
        inner.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        ensureOpen();
        int n = src.remaining();
        DeviceChecks.checkWrite(this, offset, n);
        long number;
        int keep;
        synchronized (this) {
            number = ++writes;
            long before = bytesWritten;
            bytesWritten += n;
            boolean randomly = randomFailure(); // drawn on every write, so other faults do not shift the sequence
            if (powerLost) {
                keep = 0;
            } else if (plan.failsWrite(number)) {
                throw injected("failure of write #" + number, offset, n);
            } else if (randomly) {
                throw injected("random failure of write #" + number, offset, n);
            } else {
                keep = survivingBytes(number, before, offset, n);
            }
        }
        if (keep == n) {
            inner.write(offset, src);
        } else {
            if (keep > 0) {
                inner.write(offset, src.slice().limit(keep));
            }
            src.position(src.limit()); // reported as written in full: the software never learns
        }
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        synchronized (this) {
            long number = ++flushes;
            if (powerLost) {
                return;
            }
            if (plan.failsFlush(number)) {
                throw new BlockDeviceException(IO_ERROR, inner.name() + ": injected failure of flush #" + number);
            }
        }
        inner.flush();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        inner.close();
    }

    /** How many leading bytes of write {@code number} reach the medium; sets {@link #powerLost} at the cut. */
    private int survivingBytes(long number, long before, long offset, int n) {
        if (plan.cutAfterWrites != FaultPlan.NEVER) {
            if (number <= plan.cutAfterWrites) {
                return n;
            }
            powerLost = true;
            return tornPrefix(offset, n, plan.tornSectors);
        }
        if (plan.cutAfterBytes != FaultPlan.NEVER) {
            if (before + n <= plan.cutAfterBytes) {
                return n;
            }
            powerLost = true;
            if (!plan.tornAtByteCut) {
                return 0;
            }
            long cut = offset + (plan.cutAfterBytes - before);
            return (int) Math.max(0, cut - cut % sectorSize() - offset);
        }
        return n;
    }

    /** Bytes from {@code offset} up to the {@code sectors}-th sector boundary strictly inside the write. */
    private int tornPrefix(long offset, int n, int sectors) {
        if (sectors == 0) {
            return 0;
        }
        long s = sectorSize();
        long first = offset - offset % s + s;
        long lastInside = (offset + n - 1) - (offset + n - 1) % s;
        if (lastInside <= offset) {
            return 0; // the write lies within one sector, which a disk writes whole or not at all
        }
        long boundary = Math.min(first + (sectors - 1) * s, lastInside);
        return (int) (boundary - offset);
    }

    private boolean randomFailure() {
        return plan.failureProbability > 0 && random.nextDouble() < plan.failureProbability;
    }

    private BlockDeviceException injected(String what, long offset, int length) {
        return new BlockDeviceException(IO_ERROR, inner.name() + ": injected " + what + " (" + length
                + " bytes at offset " + offset + ")");
    }

    private void ensureOpen() throws BlockDeviceException {
        if (closed) {
            throw new BlockDeviceException(CLOSED, name() + " is closed");
        }
    }
}
