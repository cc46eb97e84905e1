package org.rumpmount.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** ln: hard links, or with -s symbolic links whose target is stored exactly as given. */
@Command(name = "ln", description = "Make LINK a link to TARGET (hard, or symbolic with -s); or links to TARGETs in directory DIR.")
final class LnCommand implements FsCommand {
    @Option(names = "-s", description = "Symbolic link: TARGET is stored as given, not resolved.")
    boolean symbolic;

    @Parameters(paramLabel = "TARGET... LINK|DIR", hideParamSyntax = true, arity = "2..*",
            description = "What to link to, then the link's name or the directory to put links in.")
    List<String> operands = new ArrayList<>();

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public int run(FsContext ctx) throws CommandFailure {
        return Targets.each(ctx, operands, (target, link) -> {
            if (symbolic) {
                ctx.fs().symlink(target, ctx.resolve(link));
            } else {
                ctx.fs().link(ctx.resolve(target), ctx.resolve(link));
            }
            return 0;
        }, (target, link, e) -> ctx.warn("failed to create " + (symbolic ? "symbolic " : "hard ") + "link '" + link
                + "' -> '" + target + "': " + RawText.ofHost(HostErrors.describe(e))));
    }
}
