package org.rumpmount.block;

import java.io.IOException;

/** A failed device transfer, with the reason as a {@link Kind} and the device, offset and length in the message. */
public final class BlockDeviceException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why a transfer failed. */
    public enum Kind {
        /** The range is not inside the device. */
        OUT_OF_BOUNDS,
        /** The device demands sector-aligned transfers and this one is not. */
        MISALIGNED,
        /** A write to a read-only device. */
        READ_ONLY,
        /** The device has been closed. */
        CLOSED,
        /** The medium failed (a host I/O error, or an injected fault). */
        IO_ERROR
    }

    private final Kind kind;

    public BlockDeviceException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BlockDeviceException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
