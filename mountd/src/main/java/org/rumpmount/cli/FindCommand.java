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

/** find: walks trees depth first, names in byte order, printing paths that pass every test. */
@Command(name = "find", description = "Print the paths under each starting point that match every test given.")
final class FindCommand implements FsCommand {
    @Option(names = "-name", paramLabel = "GLOB", description = "Base name matches the shell pattern GLOB.")
    String name;

    @Option(names = "-type", paramLabel = "T", description = "File type: f, d, l, p, c, b or s.")
    String type;

    @Option(names = "-print", description = "Print the path (the default action).")
    boolean print;

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Starting points (default: the working directory).")
    List<String> paths = new ArrayList<>();

    private Glob glob;
    private VType wanted;

    @Override
    public int run(FsContext ctx) throws CommandFailure {
        glob = name == null ? null : new Glob(ctx.raw(name));
        wanted = type == null ? null : parseType(type);
        int status = 0;
        for (String arg : paths.isEmpty() ? List.of(".") : paths) {
            String raw = ctx.raw(arg);
            try {
                status |= walk(ctx, raw, ctx.resolve(raw), ctx.fs().lstat(ctx.resolve(raw)));
            } catch (IOException e) {
                ctx.warn(raw, e);
                status = 1;
            }
        }
        return status;
    }

    static VType parseType(String t) throws CommandFailure {
        return switch (t) {
            case "f" -> VType.VREG;
            case "d" -> VType.VDIR;
            case "l" -> VType.VLNK;
            case "p" -> VType.VFIFO;
            case "c" -> VType.VCHR;
            case "b" -> VType.VBLK;
            case "s" -> VType.VSOCK;
            default -> throw CommandFailure.usage("unknown argument to -type: " + t);
        };
    }

    private int walk(FsContext ctx, String shown, String abs, Vattr a) {
        if ((glob == null || glob.matches(FsContext.baseName(shown))) && (wanted == null || a.type == wanted)) {
            ctx.io().out(shown + "\n");
        }
        if (a.type != VType.VDIR) {
            return 0;
        }
        int status = 0;
        List<Dirent> entries;
        try {
            entries = Entries.of(ctx.fs(), abs, false);
        } catch (IOException e) {
            ctx.warn(shown, e);
            return 1;
        }
        for (Dirent d : entries) {
            String n = Entries.name(d);
            String childShown = FsContext.join(shown, n);
            String childAbs = FsContext.join(abs, n);
            try {
                status |= walk(ctx, childShown, childAbs, ctx.fs().lstat(childAbs));
            } catch (IOException e) {
                ctx.warn(childShown, e);
                status = 1;
            }
        }
        return status;
    }
}
