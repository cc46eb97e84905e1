package org.rumpmount.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.FileHandle;
import org.rumpmount.vfs.OpenFlags;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * cp within the file system. New files get the source's permission bits minus the umask, as cp
 * without -p; with -r, symbolic links are copied as links and devices and FIFOs as nodes.
 */
@Command(name = "cp", description = "Copy SOURCE to DEST, or SOURCEs into directory DEST, inside the image.")
final class CpCommand implements FsCommand {
    @Option(names = {"-r", "-R"}, description = "Copy directories recursively.")
    boolean recursive;

    @Parameters(paramLabel = "SOURCE... DEST", hideParamSyntax = true, arity = "2..*",
            description = "What to copy, then the new name or the directory to copy into.")
    List<String> operands = new ArrayList<>();

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public int run(FsContext ctx) throws CommandFailure {
        return Targets.each(ctx, operands, (raw, to) -> copyOne(ctx, raw, to), (raw, to, e) -> ctx.warn(raw, e));
    }

    private int copyOne(FsContext ctx, String raw, String to) throws IOException {
        String from = ctx.resolve(raw);
        Vattr a = recursive ? ctx.fs().lstat(from) : ctx.fs().stat(from);
        if (a.type == VType.VDIR && !recursive) {
            ctx.warn("-r not specified; omitting directory '" + raw + "'");
            return 1;
        }
        String toAbs = ctx.resolve(to);
        if (a.type == VType.VDIR && (toAbs + "/").startsWith(from.endsWith("/") ? from : from + "/")) {
            ctx.warn("cannot copy a directory, '" + raw + "', into itself, '" + to + "'");
            return 1;
        }
        return copy(ctx, raw, from, a, toAbs);
    }

    private static int copy(FsContext ctx, String shown, String from, Vattr a, String to) throws IOException {
        int mode = a.mode & 0777 & ~FsContext.UMASK;
        switch (a.type) {
            case VREG -> {
                try (FileHandle in = ctx.fs().open(from, OpenFlags.O_RDONLY, 0);
                     FileHandle out = ctx.fs().open(to, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_TRUNC, mode)) {
                    Copying.copy(in, out);
                }
                return 0;
            }
            case VLNK -> {
                ctx.fs().symlink(RawText.of(ctx.fs().readlink(from)), to);
                return 0;
            }
            case VFIFO, VCHR, VBLK, VSOCK -> {
                ctx.fs().mknod(to, a.type, mode, a.rdev);
                return 0;
            }
            case VDIR -> {
                if (!Targets.isDirectory(ctx, to)) {
                    ctx.fs().mkdir(to, mode | 0700);
                }
                int status = 0;
                for (Dirent d : Entries.of(ctx.fs(), from, false)) {
                    String n = Entries.name(d);
                    String childFrom = FsContext.join(from, n);
                    try {
                        status |= copy(ctx, FsContext.join(shown, n), childFrom, ctx.fs().lstat(childFrom), FsContext.join(to, n));
                    } catch (IOException e) {
                        ctx.warn(FsContext.join(shown, n), e);
                        status = 1;
                    }
                }
                ctx.fs().chmod(to, mode);
                return status;
            }
            default -> throw new VfsException(Errno.EFTYPE, shown);
        }
    }
}
