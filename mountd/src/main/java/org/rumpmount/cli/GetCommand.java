package org.rumpmount.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.FileHandle;
import org.rumpmount.vfs.OpenFlags;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * get: copies out of the image onto the host: files with their permission bits, with -r whole
 * trees including symbolic links. Devices and FIFOs are skipped with a warning, and so are names
 * the host charset cannot represent.
 */
@Command(name = "get", description = "Copy IMAGE_PATH out of the image to HOST_PATH (into it, if a directory).")
final class GetCommand implements FsCommand {
    @Option(names = {"-r", "-R"}, description = "Copy directories recursively.")
    boolean recursive;

    @Parameters(index = "0", paramLabel = "IMAGE_PATH")
    String source;

    @Parameters(index = "1", paramLabel = "HOST_PATH")
    String dest;

    private int status;

    @Override
    public int run(FsContext ctx) throws CommandFailure {
        status = 0;
        String raw = ctx.raw(source);
        String abs = ctx.resolve(raw);
        Vattr a;
        try {
            a = ctx.fs().stat(abs);
        } catch (IOException e) {
            throw FsContext.failure(raw, e);
        }
        if (a.type == VType.VDIR && !recursive) {
            throw new CommandFailure("-r not specified; omitting directory '" + raw + "'");
        }
        Path to = ctx.hostPath(dest);
        if (Files.isDirectory(to)) {
            String base = FsContext.baseName(raw);
            if (base.equals("/")) {
                throw new CommandFailure("cannot copy the root directory into an existing directory; name a new one");
            }
            Path named = hostName(ctx, raw, base);
            if (named == null) {
                return 1;
            }
            to = to.resolve(named);
        }
        copy(ctx, raw, abs, a, to);
        return status;
    }

    /** The host form of a raw name, or null (with a warning) when the host cannot spell it. */
    private Path hostName(FsContext ctx, String shown, String rawName) {
        String host = RawText.toHost(rawName);
        if (!RawText.ofHost(host).equals(rawName)) {
            ctx.warn(shown + ": skipped: the name's bytes are not valid in the host charset " + RawText.HOST);
            status = 1;
            return null;
        }
        return Path.of(host);
    }

    private void copy(FsContext ctx, String shown, String abs, Vattr a, Path to) {
        try {
            switch (a.type) {
                case VREG -> {
                    try (FileHandle in = ctx.fs().open(abs, OpenFlags.O_RDONLY, 0);
                         OutputStream out = Files.newOutputStream(to)) {
                        Copying.copy(in, out);
                    }
                    Files.setPosixFilePermissions(to, HostModes.toPermissions(a.mode));
                }
                case VLNK -> Files.createSymbolicLink(to, Path.of(RawText.toHost(RawText.of(ctx.fs().readlink(abs)))));
                case VDIR -> {
                    if (!Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createDirectory(to);
                    }
                    for (Dirent d : Entries.of(ctx.fs(), abs, false)) {
                        String n = Entries.name(d);
                        String childAbs = FsContext.join(abs, n);
                        String childShown = FsContext.join(shown, n);
                        Path named = hostName(ctx, childShown, n);
                        if (named == null) {
                            continue;
                        }
                        try {
                            copy(ctx, childShown, childAbs, ctx.fs().lstat(childAbs), to.resolve(named));
                        } catch (IOException e) {
                            ctx.warn(childShown, e);
                            status = 1;
                        }
                    }
                    Files.setPosixFilePermissions(to, HostModes.toPermissions(a.mode | 0700));
                }
                default -> {
                    ctx.warn(shown + ": skipped: " + ModeString.typeWords(a.type, a.size) + " (only files, directories and symbolic links are copied out)");
                    status = 1;
                }
            }
        } catch (IOException e) {
            ctx.warn(shown, e);
            status = 1;
        }
    }
}
