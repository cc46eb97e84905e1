package org.rumpmount.cli;

/**
 * A command failed in a way the user should read: the message is raw text (see {@link RawText})
 * naming what failed, e.g. {@code /x: No such file or directory}. Exit status 1, or 2 for a
 * usage error found after parsing (a bad mode or id).
 */
final class CommandFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    CommandFailure(String rawMessage) {
        this(rawMessage, ExitCodes.FAILED);
    }

    private CommandFailure(String rawMessage, int status) {
        super(rawMessage);
        this.status = status;
    }

    /** A usage error: a bad argument value. */
    static CommandFailure usage(String message) {
        return new CommandFailure(RawText.ofHost(message), ExitCodes.USAGE);
    }

    int status() {
        return status;
    }
}
