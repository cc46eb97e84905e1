package org.rumpmount.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** mkdir: new directories, mode 0755 unless -m says otherwise. */
@Command(name = "mkdir", description = "Make directories (mode 0755: umask 022).")
final class MkdirCommand implements FsCommand {
    @Option(names = "-p", description = "Make missing parents too; an existing directory is no error.")
    boolean parents;

    @Option(names = "-m", paramLabel = "MODE", description = "Mode, octal or symbolic (relative to a=rwx).")
    String mode;

    @Parameters(paramLabel = "DIR", arity = "1..*")
    List<String> dirs = new ArrayList<>();

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public int run(FsContext ctx) throws CommandFailure {
        int bits = 0777 & ~FsContext.UMASK;
        if (mode != null) {
            try {
                bits = ModeChange.parse(mode).apply(0777, true, 0);
            } catch (IllegalArgumentException e) {
                throw CommandFailure.usage(e.getMessage());
            }
        }
        int status = 0;
        for (String arg : dirs) {
            String raw = ctx.raw(arg);
            try {
                if (parents) {
                    makeParents(ctx, ctx.resolve(raw));
                }
                String abs = ctx.resolve(raw);
                if (parents && exists(ctx, abs)) {
                    continue;
                }
                ctx.fs().mkdir(abs, bits);
                if (mode != null) {
                    ctx.fs().chmod(abs, bits); // the mode exactly, set-id bits included
                }
            } catch (IOException e) {
                ctx.warn(raw, e);
                status = 1;
            }
        }
        return status;
    }

    /** Makes every missing directory above {@code abs}, as mkdir -p does (u+wx for them). */
    private static void makeParents(FsContext ctx, String abs) throws IOException {
        int end = abs.length();
        while (end > 1 && abs.charAt(end - 1) == '/') {
            end--;
        }
        for (int slash = abs.indexOf('/', 1); slash > 0 && slash < end; slash = abs.indexOf('/', slash + 1)) {
            String prefix = abs.substring(0, slash);
            if (prefix.endsWith("/")) {
                continue;
            }
            if (!exists(ctx, prefix)) {
                ctx.fs().mkdir(prefix, 0777 & ~FsContext.UMASK | 0300);
            }
        }
    }

    /** Whether {@code abs} exists as a directory; ENOTDIR when it exists as something else. */
    private static boolean exists(FsContext ctx, String abs) throws IOException {
        try {
            Vattr a = ctx.fs().stat(abs);
            if (a.type != VType.VDIR) {
                throw new org.rumpmount.vfs.VfsException(Errno.ENOTDIR, abs);
            }
            return true;
        } catch (IOException e) {
            if (FsContext.is(e, Errno.ENOENT)) {
                return false;
            }
            throw e;
        }
    }
}
