package org.rumpmount.cli;

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
        return Targets.each(ctx, operands, (raw, to) -> {
            ctx.fs().rename(ctx.resolve(raw), ctx.resolve(to));
            return 0;
        }, (raw, to, e) -> ctx.warn("cannot move '" + raw + "' to '" + to + "': " + RawText.ofHost(HostErrors.describe(e))));
    }
}
