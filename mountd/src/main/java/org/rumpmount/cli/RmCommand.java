package org.rumpmount.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** rm: removes files, and with -r whole trees. */
@Command(name = "rm", description = "Remove files; with -r, directories and their contents.")
final class RmCommand implements FsCommand {
    @Option(names = {"-r", "-R"}, description = "Remove directories and their contents.")
    boolean recursive;

    @Option(names = "-f", description = "Ignore missing files; never fail for them.")
    boolean force;

    @Parameters(paramLabel = "PATH", arity = "0..*")
    List<String> paths = new ArrayList<>();

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public int run(FsContext ctx) throws CommandFailure {
        if (paths.isEmpty() && !force) {
            throw CommandFailure.usage("missing operand");
        }
        int status = 0;
        for (String arg : paths) {
            String raw = ctx.raw(arg);
            String base = FsContext.baseName(raw);
            if (base.equals(".") || base.equals("..")) {
                ctx.warn("refusing to remove '.' or '..' directory: skipping '" + raw + "'");
                status = 1;
                continue;
            }
            String abs = ctx.resolve(raw);
            if (recursive && abs.replace("/", "").isEmpty()) {
                ctx.warn("it is dangerous to operate recursively on '/'");
                status = 1;
                continue;
            }
            try {
                Vattr a = ctx.fs().lstat(abs);
                if (a.type == VType.VDIR) {
                    if (!recursive) {
                        throw new VfsException(Errno.EISDIR, raw);
                    }
                    status |= removeTree(ctx, raw, abs);
                } else {
                    ctx.fs().unlink(abs);
                }
            } catch (IOException e) {
                if (!(force && FsContext.is(e, Errno.ENOENT))) {
                    ctx.warn(raw, e);
                    status = 1;
                }
            }
        }
        return status;
    }

    private static int removeTree(FsContext ctx, String shown, String abs) throws IOException {
        int status = 0;
        for (Dirent d : Entries.of(ctx.fs(), abs, false)) {
            String n = Entries.name(d);
            String childAbs = FsContext.join(abs, n);
            String childShown = FsContext.join(shown, n);
            try {
                if (ctx.fs().lstat(childAbs).type == VType.VDIR) {
                    status |= removeTree(ctx, childShown, childAbs);
                } else {
                    ctx.fs().unlink(childAbs);
                }
            } catch (IOException e) {
                ctx.warn(childShown, e);
                status = 1;
            }
        }
        if (status == 0) {
            ctx.fs().rmdir(abs);
        }
        return status;
    }
}
