package org.rumpmount.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.rumpmount.vfs.Vattr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** chown: numeric owner and group; the image's ids are not the host's, so names are refused. */
@Command(name = "chown", description = "Change owner and/or group: UID, UID:GID or :GID (numeric).")
final class ChownCommand implements FsCommand {
    static final long MAX_ID = 0xFFFF_FFFEL;

    @Option(names = "-h", description = "Change a symbolic link itself, not what it points to.")
    boolean noDereference;

    @Parameters(index = "0", paramLabel = "OWNER")
    String owner;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH")
    List<String> paths = new ArrayList<>();

    @Override
    public boolean writes() {
        return true;
    }

    /** uid and gid; -1 leaves one alone. */
    static long[] parseOwner(String s) throws CommandFailure {
        int colon = s.indexOf(':');
        String u = colon < 0 ? s : s.substring(0, colon);
        String g = colon < 0 ? "" : s.substring(colon + 1);
        if (u.isEmpty() && g.isEmpty()) {
            throw CommandFailure.usage("invalid owner: '" + s + "'");
        }
        return new long[] {u.isEmpty() ? -1 : parseId(u, "user"), g.isEmpty() ? -1 : parseId(g, "group")};
    }

    private static long parseId(String s, String what) throws CommandFailure {
        if (!s.chars().allMatch(c -> c >= '0' && c <= '9') || s.length() > 10 || Long.parseLong(s) > MAX_ID) {
            throw CommandFailure.usage("invalid " + what + ": '" + s + "' (numeric ids 0.." + MAX_ID + " only)");
        }
        return Long.parseLong(s);
    }

    @Override
    public int run(FsContext ctx) throws CommandFailure {
        long[] ids = parseOwner(owner);
        int status = 0;
        for (String arg : paths) {
            String raw = ctx.raw(arg);
            String abs = ctx.resolve(raw);
            try {
                Vattr a = noDereference ? ctx.fs().lstat(abs) : ctx.fs().stat(abs);
                long uid = ids[0] < 0 ? a.uid : ids[0];
                long gid = ids[1] < 0 ? a.gid : ids[1];
                if (noDereference) {
                    ctx.fs().lchown(abs, uid, gid);
                } else {
                    ctx.fs().chown(abs, uid, gid);
                }
            } catch (IOException e) {
                ctx.warn(raw, e);
                status = 1;
            }
        }
        return status;
    }
}
