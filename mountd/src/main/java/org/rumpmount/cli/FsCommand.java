package org.rumpmount.cli;

import java.io.IOException;

/**
 * One fs-utils command, written once: picocli fills its options and operands, then it runs
 * against a mounted file system. The same object serves a one-shot run on an image and a line
 * typed into the shell.
 */
interface FsCommand {

    /**
     * Runs and returns the exit status: 0, or 1 when some operand failed (each failure already
     * reported through {@link FsContext#warn}). A failure that ends the command is thrown.
     */
    int run(FsContext ctx) throws IOException, CommandFailure;

    /** Whether the command changes the file system, so a one-shot run mounts read-write. */
    default boolean writes() {
        return false;
    }
}
