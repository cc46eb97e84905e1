package org.rumpmount.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * chflags, as NetBSD's chflags(1): FLAGS is an octal number or NetBSD's flag names. With -R a
 * directory's contents change before the directory itself, and symbolic links met on the way
 * are left alone unless -h.
 */
@Command(name = "chflags", description = "Change file flags: octal, or names (uchg, uappnd, nodump, opaque, "
        + "schg, sappnd, arch), each cleared with \"no\" in front (nouchg).")
final class ChflagsCommand implements FsCommand {
    @Option(names = "-R", description = "Change directories' contents too.")
    boolean recursive;

    @Option(names = "-h", description = "Change a symbolic link itself, not what it points to.")
    boolean noFollow;

    @Parameters(index = "0", paramLabel = "FLAGS")
    String flags;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH")
    List<String> paths = new ArrayList<>();

    private FileFlagNames.Change change;
    private int status;

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public int run(FsContext ctx) throws CommandFailure {
        try {
            change = FileFlagNames.parse(flags);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
        status = 0;
        for (String arg : paths) {
            String raw = ctx.raw(arg);
            String abs = ctx.resolve(raw);
            try {
                Vattr a = noFollow ? ctx.fs().lstat(abs) : ctx.fs().stat(abs);
                if (recursive && a.type == VType.VDIR) {
                    walk(ctx, raw, abs);
                }
                apply(ctx, abs, a, !noFollow);
            } catch (IOException e) {
                ctx.warn(raw, e);
                status = 1;
            }
        }
        return status;
    }

    private void walk(FsContext ctx, String shown, String abs) throws IOException {
        for (Dirent d : Entries.of(ctx.fs(), abs, false)) {
            String n = Entries.name(d);
            String childAbs = FsContext.join(abs, n);
            String childShown = FsContext.join(shown, n);
            try {
                Vattr a = ctx.fs().lstat(childAbs);
                if (a.type == VType.VLNK && !noFollow) {
                    continue;
                }
                if (a.type == VType.VDIR) {
                    walk(ctx, childShown, childAbs);
                }
                apply(ctx, childAbs, a, false);
            } catch (IOException e) {
                ctx.warn(childShown, e);
                status = 1;
            }
        }
    }

    private void apply(FsContext ctx, String abs, Vattr a, boolean follow) throws IOException {
        long old = a.flags == Vattr.VNOVAL ? 0 : a.flags;
        long updated = change.apply(old);
        if (updated == old) {
            return;
        }
        if (follow) {
            ctx.fs().chflags(abs, updated);
        } else {
            ctx.fs().lchflags(abs, updated);
        }
    }
}
