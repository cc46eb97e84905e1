package org.rumpmount.cli;

import java.io.IOException;
import java.util.ArrayList;
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

    /** One SOURCE as typed (raw) and the name it gets: DEST itself, or DEST/basename(SOURCE). */
    record Pair(String source, String dest) {
    }

    /**
     * The SOURCE... DEST operands as pairs, the last operand being DEST; fails when several
     * sources meet a DEST that is not a directory.
     */
    static List<Pair> pairs(FsContext ctx, List<String> operands) throws CommandFailure {
        List<String> sources = operands.subList(0, operands.size() - 1);
        String dest = ctx.raw(operands.get(operands.size() - 1));
        boolean into = intoDirectory(ctx, sources, dest);
        List<Pair> pairs = new ArrayList<>(sources.size());
        for (String arg : sources) {
            String raw = ctx.raw(arg);
            pairs.add(new Pair(raw, into ? FsContext.join(dest, FsContext.baseName(raw)) : dest));
        }
        return pairs;
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
