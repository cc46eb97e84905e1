package org.rumpmount.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** mv: renames within the file system. */
@Command(name = "mv", description = "Rename SOURCE to DEST, or move SOURCEs into directory DEST.")
final class MvCommand implements FsCommand {
    @Parameters(paramLabel = "SOURCE... DEST", hideParamSyntax = true, arity = "2..*",
            description = "What to rename, then the new name or the directory to move into.")
    List<String> operands = new ArrayList<>();

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public int run(FsContext ctx) throws CommandFailure {
        int status = 0;
        for (Targets.Pair p : Targets.pairs(ctx, operands)) {
            String raw = p.source();
            String to = p.dest();
            try {
                ctx.fs().rename(ctx.resolve(raw), ctx.resolve(to));
            } catch (IOException e) {
                ctx.warn("cannot move '" + raw + "' to '" + to + "': " + RawText.ofHost(HostErrors.describe(e)));
                status = 1;
            }
        }
        return status;
    }
}
