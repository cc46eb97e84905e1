package org.rumpmount.cli;

import java.io.IOException;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** cd (shell only): changes the working directory; ".." and "." are resolved by name, like sh's cd. */
@Command(name = "cd", description = "Change the working directory (default: /).")
final class CdCommand implements FsCommand {
    @Parameters(paramLabel = "DIR", arity = "0..1")
    String dir;

    @Override
    public int run(FsContext ctx) throws CommandFailure {
        String raw = dir == null ? "/" : ctx.raw(dir);
        String target = normalize(ctx.resolve(raw));
        try {
            if (ctx.fs().stat(target).type != VType.VDIR) {
                throw FsContext.failure(raw, Errno.ENOTDIR);
            }
        } catch (IOException e) {
            throw FsContext.failure(raw, e);
        }
        ctx.cwd(target);
        return 0;
    }

    /** An absolute path without ".", "..", empty components or a trailing slash. */
    static String normalize(String abs) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String p : abs.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(p);
            }
        }
        return "/" + String.join("/", parts);
    }
}
