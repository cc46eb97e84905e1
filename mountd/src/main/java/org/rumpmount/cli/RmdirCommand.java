package org.rumpmount.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** rmdir: removes empty directories. */
@Command(name = "rmdir", description = "Remove empty directories.")
final class RmdirCommand implements FsCommand {
    @Parameters(paramLabel = "DIR", arity = "1..*")
    List<String> dirs = new ArrayList<>();

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public int run(FsContext ctx) {
        int status = 0;
        for (String arg : dirs) {
            String raw = ctx.raw(arg);
            try {
                ctx.fs().rmdir(ctx.resolve(raw));
            } catch (IOException e) {
                ctx.warn(raw, e);
                status = 1;
            }
        }
        return status;
    }
}
