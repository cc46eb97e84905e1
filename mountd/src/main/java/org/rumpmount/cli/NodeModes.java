package org.rumpmount.cli;

import java.io.IOException;
import org.rumpmount.vfs.VType;

/** The mode of a new FIFO or device node, and its making, shared by mkfifo and mknod. */
final class NodeModes {
    private NodeModes() {
    }

    /** The bits for -m MODE (symbolic relative to a=rw, as mkfifo(1)), or 0666 less the umask. */
    static int of(String mode) throws CommandFailure {
        if (mode == null) {
            return 0666 & ~FsContext.UMASK;
        }
        try {
            return ModeChange.parse(mode).apply(0666, false, 0);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
    }

    /** Makes the node; with an explicit mode, sets it exactly afterwards, set-id and sticky bits included. */
    static void make(FsContext ctx, String abs, VType type, int bits, long rdev, boolean exact) throws IOException {
        ctx.fs().mknod(abs, type, bits, rdev);
        if (exact) {
            ctx.fs().chmod(abs, bits);
        }
    }
}
