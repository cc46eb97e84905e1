package org.rumpmount.block.part;

import java.io.IOException;

/**
 * A partition table that cannot be used: both GPT headers damaged, a loop in an MBR's chain of
 * extended boot records, a selector that names no partition, a partition that lies past the end
 * of the disk. The message names the device, the table, the entry and the values that are wrong.
 */
public final class PartitionTableException extends IOException {
    private static final long serialVersionUID = 1L;

    public PartitionTableException(String message) {
        super(message);
    }

    public PartitionTableException(String message, Throwable cause) {
        super(message, cause);
    }
}
