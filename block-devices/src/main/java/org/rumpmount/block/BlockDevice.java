package org.rumpmount.block;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where bytes live: a fixed-size array of bytes addressed by byte offset.
 *
 * <p>The contract every implementation keeps (and {@code BlockDeviceContract} checks):
 * <ul>
 *   <li>{@link #read} and {@link #write} transfer exactly {@code buf.remaining()} bytes at
 *       {@code offset} or throw; there are no short transfers. On success the buffer's position
 *       has advanced by that count.</li>
 *   <li>A transfer that does not lie wholly inside {@code [0, size())} fails with
 *       {@link BlockDeviceException.Kind#OUT_OF_BOUNDS} and transfers nothing. File systems read
 *       from hostile images, so this check is the last line of defence.</li>
 *   <li>When {@link #requiresAlignment()} is true, offset and length must be multiples of
 *       {@link #sectorSize()}, else {@link BlockDeviceException.Kind#MISALIGNED}.</li>
 *   <li>A write to a read-only device fails with {@link BlockDeviceException.Kind#READ_ONLY} and
 *       changes nothing. Read-only is enforced here, below every driver.</li>
 *   <li>{@link #flush()} returns once every completed write is durable on the medium below.</li>
 *   <li>After {@link #close()}, every call but {@code close} fails with
 *       {@link BlockDeviceException.Kind#CLOSED}; close is idempotent.</li>
 *   <li>Implementations are safe for concurrent use by many threads (positional I/O).</li>
 * </ul>
 */
public interface BlockDevice extends Closeable {

    /** Size in bytes. */
    long size();

    /** The device's sector size in bytes (a power of two, at least 1; 512 for image files). */
    int sectorSize();

    /** Whether transfers must be multiples of {@link #sectorSize()} at aligned offsets. */
    boolean requiresAlignment();

    /** Whether writes are refused. */
    boolean isReadOnly();

    /** A short human-readable name for messages, e.g. the image path or "memory(1 MiB)". */
    String name();

    /** Reads {@code dst.remaining()} bytes at {@code offset} into {@code dst}. */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** Writes {@code src.remaining()} bytes from {@code src} at {@code offset}. */
    void write(long offset, ByteBuffer src) throws IOException;

    /** Makes every completed write durable. A no-op on a read-only device. */
    void flush() throws IOException;

    @Override
    void close() throws IOException;
}
