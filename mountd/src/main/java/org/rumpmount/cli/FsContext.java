package org.rumpmount.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VfsException;

/**
 * What a command runs against: the mounted file system (names as raw bytes), the working
 * directory, the streams, and how its arguments arrived (decoded argv, or raw shell input).
 */
final class FsContext {
    /** Permission bits removed from new files and directories, as a umask of 022 would. */
    static final int UMASK = 022;

    private final PathFacade fs;
    private final Io io;
    private final String fsName;
    private final boolean rawArgs;
    private final ZoneId zone;
    private String cwd = "/";
    private String prefix = "";

    FsContext(PathFacade fs, Io io, String fsName, boolean rawArgs, ZoneId zone) {
        this.fs = fs;
        this.io = io;
        this.fsName = fsName;
        this.rawArgs = rawArgs;
        this.zone = zone;
    }

    PathFacade fs() {
        return fs;
    }

    Io io() {
        return io;
    }

    /** The name of what is mounted (image path, or the type for tmpfs). */
    String fsName() {
        return fsName;
    }

    ZoneId zone() {
        return zone;
    }

    Timespec now() {
        return fs.mount().host().now();
    }

    /** The raw working directory, always absolute. */
    String cwd() {
        return cwd;
    }

    void cwd(String rawAbsolute) {
        this.cwd = rawAbsolute;
    }

    /** Sets what precedes each message: "rumpmount: ls: " or, in the shell, "ls: ". */
    void prefix(String p) {
        this.prefix = p;
    }

    String prefix() {
        return prefix;
    }

    /** An argument as raw bytes. */
    String raw(String arg) {
        return rawArgs ? arg : ArgvBytes.raw(arg);
    }

    /** An image path argument, absolute and raw, for the facade. */
    String path(String arg) {
        return resolve(raw(arg));
    }

    /** A raw path made absolute against the working directory. */
    String resolve(String raw) {
        if (raw.startsWith("/")) {
            return raw;
        }
        return cwd.endsWith("/") ? cwd + raw : cwd + "/" + raw;
    }

    /** A host path argument. */
    Path hostPath(String arg) {
        return Path.of(rawArgs ? RawText.toHost(arg) : arg);
    }

    /** Reports "prefix: operand: reason" on stderr; the command goes on. */
    void warn(String rawOperand, IOException e) {
        warn(rawOperand + ": " + RawText.ofHost(HostErrors.describe(e)));
    }

    void warn(String rawMessage) {
        io.err(prefix + rawMessage + "\n");
    }

    /** A failure naming the operand, with the errno's text. */
    static CommandFailure failure(String rawOperand, IOException e) {
        return new CommandFailure(rawOperand + ": " + RawText.ofHost(HostErrors.describe(e)));
    }

    static CommandFailure failure(String rawOperand, Errno errno) {
        return failure(rawOperand, new VfsException(errno, rawOperand));
    }

    /** Whether {@code e} is the kernel saying {@code errno}. */
    static boolean is(IOException e, Errno errno) {
        return e instanceof VfsException ve && ve.errno() == errno;
    }

    /** The last component of a raw path ("/a/b/" gives "b"; "/" gives "/"). */
    static String baseName(String raw) {
        String s = raw;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        int slash = s.lastIndexOf('/');
        return slash < 0 || s.equals("/") ? s : s.substring(slash + 1);
    }

    /** A raw path joined with one more name. */
    static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }
}
