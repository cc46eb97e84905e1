package org.rumpmount.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.rumpmount.vfs.VType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** mkfifo: named pipes, mode 0644 (0666 less umask 022) unless -m says otherwise. */
@Command(name = "mkfifo", description = "Make named pipes (FIFOs), mode 0644 unless -m.")
final class MkfifoCommand implements FsCommand {
    @Option(names = "-m", paramLabel = "MODE", description = "Mode, octal or symbolic (relative to a=rw).")
    String mode;

    @Parameters(paramLabel = "NAME", arity = "1..*")
    List<String> names = new ArrayList<>();

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public int run(FsContext ctx) throws CommandFailure {
        int bits = NodeModes.of(mode);
        int status = 0;
        for (String arg : names) {
            String raw = ctx.raw(arg);
            try {
                NodeModes.make(ctx, ctx.resolve(raw), VType.VFIFO, bits, 0, mode != null);
            } catch (IOException e) {
                ctx.warn(raw, e);
                status = 1;
            }
        }
        return status;
    }
}
