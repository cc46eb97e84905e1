package org.rumpmount.cli;

import java.io.IOException;
import java.util.List;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VType;

/**
 * The SOURCE... DEST rule of mv, cp and ln: with one source DEST may be the new name, or an
 * existing directory to put it in; with several, DEST must be a directory.
 */
final class Targets {
    private Targets() {
    }

    /** What a command does with one SOURCE (as typed) and its new name; returns its exit status. */
    @FunctionalInterface
    interface Action {
        int apply(String source, String dest) throws IOException;
    }

    /** How a command reports the failure of one SOURCE. */
    @FunctionalInterface
    interface Failure {
        void report(String source, String dest, IOException e);
    }

    /**
     * Runs {@code action} on each SOURCE of the SOURCE... DEST operands (the last is DEST) with
     * its new name: DEST itself, or DEST/basename(SOURCE) when DEST is a directory. A source that
     * fails is reported by {@code failure} and the rest go on. Returns the actions' statuses or-ed
     * together, a failure counting as 1. Fails before doing anything when several sources meet a
     * DEST that is not a directory.
     */
    static int each(FsContext ctx, List<String> operands, Action action, Failure failure) throws CommandFailure {
        List<String> sources = operands.subList(0, operands.size() - 1);
        String dest = ctx.raw(operands.get(operands.size() - 1));
        boolean into = intoDirectory(ctx, sources, dest);
        int status = 0;
        for (String arg : sources) {
            String raw = ctx.raw(arg);
            String to = into ? FsContext.join(dest, FsContext.baseName(raw)) : dest;
            try {
                status |= action.apply(raw, to);
            } catch (IOException e) {
                failure.report(raw, to, e);
                status = 1;
            }
        }
        return status;
    }

    /** Whether {@code abs} is an existing directory (following links). */
    static boolean isDirectory(FsContext ctx, String abs) throws IOException {
        try {
            return ctx.fs().stat(abs).type == VType.VDIR;
        } catch (IOException e) {
            if (FsContext.is(e, Errno.ENOENT)) {
                return false;
            }
            throw e;
        }
    }

    /** Whether DEST receives the sources inside it; fails when several sources meet a non-directory. */
    private static boolean intoDirectory(FsContext ctx, List<String> sources, String rawDest) throws CommandFailure {
        boolean dir;
        try {
            dir = isDirectory(ctx, ctx.resolve(rawDest));
        } catch (IOException e) {
            throw FsContext.failure(rawDest, e);
        }
        if (!dir && sources.size() > 1) {
            throw new CommandFailure("target '" + rawDest + "' is not a directory");
        }
        return dir;
    }
}
