package org.rumpmount.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** exit (shell only). */
@Command(name = "exit", description = "Leave the shell with status N, or that of the last failed command.")
final class ExitCommand implements FsCommand {
    @Parameters(paramLabel = "N", arity = "0..1")
    Integer status;

    private final Shell shell;

    ExitCommand(Shell shell) {
        this.shell = shell;
    }

    @Override
    public int run(FsContext ctx) {
        shell.exit(status);
        return status == null ? 0 : status;
    }
}
