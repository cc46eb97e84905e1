package org.rumpmount.cli;

import java.io.IOException;
import org.rumpmount.vfs.FileHandle;
import org.rumpmount.vfs.OpenFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * write, as fs-utils' fsu_write: standard input, to its end, into FILE, which is created
 * (mode 0644) or truncated, or appended to with -a. In the shell, standard input is the rest of
 * the script (on a terminal, up to Ctrl-D).
 */
@Command(name = "write", description = "Write standard input into FILE (created or truncated; -a appends).")
final class WriteCommand implements FsCommand {
    @Option(names = "-a", description = "Append to FILE instead of replacing its contents.")
    boolean append;

    @Parameters(index = "0", paramLabel = "FILE")
    String file;

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public int run(FsContext ctx) throws CommandFailure {
        String raw = ctx.raw(file);
        int flags = OpenFlags.O_WRONLY | OpenFlags.O_CREAT | (append ? OpenFlags.O_APPEND : OpenFlags.O_TRUNC);
        try (FileHandle out = ctx.fs().open(ctx.resolve(raw), flags, 0666 & ~FsContext.UMASK)) {
            Copying.copy(ctx.io().in(), out);
        } catch (IOException e) {
            throw FsContext.failure(raw, e);
        }
        return 0;
    }
}
