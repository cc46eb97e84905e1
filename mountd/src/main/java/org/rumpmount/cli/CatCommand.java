package org.rumpmount.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.FileHandle;
import org.rumpmount.vfs.OpenFlags;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.VfsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** cat: file contents to stdout, byte for byte. */
@Command(name = "cat", description = "Write files' contents to stdout.")
final class CatCommand implements FsCommand {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to print.")
    List<String> files = new ArrayList<>();

    @Override
    public int run(FsContext ctx) {
        int status = 0;
        for (String arg : files) {
            String raw = ctx.raw(arg);
            try {
                if (ctx.fs().stat(ctx.resolve(raw)).type == VType.VDIR) {
                    throw new VfsException(Errno.EISDIR, raw);
                }
                try (FileHandle h = ctx.fs().open(ctx.resolve(raw), OpenFlags.O_RDONLY, 0)) {
                    Copying.copy(h, ctx.io().rawOut());
                }
            } catch (IOException e) {
                ctx.warn(raw, e);
                status = 1;
            }
        }
        return status;
    }
}
