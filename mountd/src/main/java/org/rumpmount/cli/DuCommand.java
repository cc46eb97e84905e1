package org.rumpmount.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** du: storage used by trees, in KiB rounded up (GNU du -k), a hard-linked file counted once. */
@Command(name = "du", description = "Show the storage each directory uses, in KiB (1024 bytes).")
final class DuCommand implements FsCommand {
    @Option(names = "-s", description = "Only a total for each argument.")
    boolean summary;

    @Option(names = "-a", description = "Show files too, not only directories.")
    boolean all;

    @Option(names = "-h", description = "Human-readable sizes (1.5K, 12M).")
    boolean human;

    @Option(names = "-k", description = "KiB (the default).")
    boolean kib;

    @Parameters(paramLabel = "PATH", arity = "0..*")
    List<String> paths = new ArrayList<>();

    private final Set<Long> seen = new HashSet<>();
    private int status;

    @Override
    public int run(FsContext ctx) {
        status = 0;
        for (String arg : paths.isEmpty() ? List.of(".") : paths) {
            String raw = ctx.raw(arg);
            try {
                walk(ctx, raw, ctx.resolve(raw), ctx.fs().lstat(ctx.resolve(raw)), 0);
            } catch (IOException e) {
                ctx.warn(raw, e);
                status = 1;
            }
        }
        return status;
    }

    private long walk(FsContext ctx, String shown, String abs, Vattr a, int depth) {
        long bytes = a.type != VType.VDIR && a.nlink > 1 && !seen.add(a.fileid) ? 0 : storage(a);
        if (a.type == VType.VDIR) {
            try {
                for (Dirent d : Entries.of(ctx.fs(), abs, false)) {
                    String n = Entries.name(d);
                    String childAbs = FsContext.join(abs, n);
                    try {
                        bytes += walk(ctx, FsContext.join(shown, n), childAbs, ctx.fs().lstat(childAbs), depth + 1);
                    } catch (IOException e) {
                        ctx.warn(FsContext.join(shown, n), e);
                        status = 1;
                    }
                }
            } catch (IOException e) {
                ctx.warn(shown, e);
                status = 1;
            }
        }
        if (depth == 0 || (!summary && (a.type == VType.VDIR || all))) {
            ctx.io().out((human ? HumanSize.of(bytes) : Long.toString(HumanSize.kibibytes(bytes))) + "\t" + shown + "\n");
        }
        return bytes;
    }

    /** Bytes of storage held, in whole 512-byte sectors as st_blocks counts them. */
    private static long storage(Vattr a) {
        return a.bytes <= 0 ? 0 : (a.bytes + 511) / 512 * 512;
    }
}
