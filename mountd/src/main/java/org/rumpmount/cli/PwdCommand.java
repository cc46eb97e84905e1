package org.rumpmount.cli;

import picocli.CommandLine.Command;

/** pwd (shell only). */
@Command(name = "pwd", description = "Print the working directory.")
final class PwdCommand implements FsCommand {
    @Override
    public int run(FsContext ctx) {
        ctx.io().out(ctx.cwd() + "\n");
        return 0;
    }
}
