package org.rumpmount.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** chmod: octal or symbolic modes. A mode starting with '-' needs "--" before it ("chmod -- -w f"). */
@Command(name = "chmod", description = "Change permission bits: octal (0755) or symbolic (u+x,go-w, a=rX).")
final class ChmodCommand implements FsCommand {
    @Parameters(index = "0", paramLabel = "MODE")
    String mode;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH")
    List<String> paths = new ArrayList<>();

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public int run(FsContext ctx) throws CommandFailure {
        ModeChange change;
        try {
            change = ModeChange.parse(mode);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
        int status = 0;
        for (String arg : paths) {
            String raw = ctx.raw(arg);
            String abs = ctx.resolve(raw);
            try {
                Vattr a = ctx.fs().stat(abs);
                ctx.fs().chmod(abs, change.apply(a.mode, a.type == VType.VDIR, FsContext.UMASK));
            } catch (IOException e) {
                ctx.warn(raw, e);
                status = 1;
            }
        }
        return status;
    }
}
