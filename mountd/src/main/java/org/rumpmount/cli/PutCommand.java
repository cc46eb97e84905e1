package org.rumpmount.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.FileHandle;
import org.rumpmount.vfs.OpenFlags;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.VfsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * put: copies from the host into the image: files with their permission bits, with -r whole
 * trees including symbolic links (stored with their target as is). Files that are hard links
 * of one another on the host stay links of one file in the image, as with cp -a. Other host
 * file types are skipped with a warning.
 */
@Command(name = "put", description = "Copy HOST_PATH into the image as IMAGE_PATH (into it, if a directory).")
final class PutCommand implements FsCommand {
    @Option(names = {"-r", "-R"}, description = "Copy directories recursively.")
    boolean recursive;

    @Parameters(index = "0", paramLabel = "HOST_PATH")
    String source;

    @Parameters(index = "1", paramLabel = "IMAGE_PATH")
    String dest;

    private int status;
    /** Host file (device and inode) of each multiply linked file copied so far, to its path in the image. */
    private final Map<Object, String> copiedLinks = new HashMap<>();

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public int run(FsContext ctx) throws CommandFailure {
        status = 0;
        Path from = ctx.hostPath(source);
        String shown = ctx.raw(source);
        if (!Files.exists(from)) {
            throw new CommandFailure(shown + ": No such file or directory");
        }
        if (Files.isDirectory(from) && !recursive) {
            throw new CommandFailure("-r not specified; omitting directory '" + shown + "'");
        }
        String rawDest = ctx.raw(dest);
        String to = ctx.resolve(rawDest);
        try {
            if (Targets.isDirectory(ctx, to)) {
                Path name = from.toAbsolutePath().normalize().getFileName();
                if (name == null) {
                    throw new CommandFailure("cannot copy the host's root into an existing directory; name a new one");
                }
                to = FsContext.join(to, RawText.ofHost(name.toString()));
            }
        } catch (IOException e) {
            throw FsContext.failure(rawDest, e);
        }
        copy(ctx, shown, from, to);
        return status;
    }

    private void copy(FsContext ctx, String shown, Path from, String to) {
        try {
            if (recursive && Files.isSymbolicLink(from)) {
                ctx.fs().symlink(RawText.ofHost(Files.readSymbolicLink(from).toString()), to);
            } else if (Files.isRegularFile(from)) {
                Object key = multiplyLinked(from);
                String first = key == null ? null : copiedLinks.get(key);
                if (first != null) {
                    linkTo(ctx, first, to);
                    return;
                }
                int mode = HostModes.toMode(Files.getPosixFilePermissions(from));
                try (InputStream in = Files.newInputStream(from);
                     FileHandle out = ctx.fs().open(to, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_TRUNC, mode)) {
                    Copying.copy(in, out);
                }
                if (key != null) {
                    copiedLinks.put(key, to);
                }
            } else if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
                int mode = HostModes.toMode(Files.getPosixFilePermissions(from));
                if (!Targets.isDirectory(ctx, to)) {
                    ctx.fs().mkdir(to, mode | 0700);
                }
                List<Path> children;
                try (Stream<Path> s = Files.list(from)) {
                    children = s.sorted().toList();
                }
                for (Path c : children) {
                    String n = RawText.ofHost(c.getFileName().toString());
                    copy(ctx, FsContext.join(shown, n), c, FsContext.join(to, n));
                }
                ctx.fs().chmod(to, mode);
            } else {
                ctx.warn(shown + ": skipped: not a regular file, directory or symbolic link");
                status = 1;
            }
        } catch (IOException e) {
            ctx.warn(shown, e);
            status = 1;
        }
    }

    /** The host's identity of {@code file} (its device and inode) when it has more than one link, else null. */
    private static Object multiplyLinked(Path file) throws IOException {
        Object nlink = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        if (!(nlink instanceof Integer n) || n < 2) {
            return null;
        }
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    /**
     * Makes {@code to} another name of the image file {@code first}, replacing a file already
     * there (as a copy would have overwritten it).
     */
    private static void linkTo(FsContext ctx, String first, String to) throws IOException {
        try {
            if (ctx.fs().lstat(to).type != VType.VDIR) {
                ctx.fs().unlink(to);
            }
        } catch (VfsException e) {
            if (e.errno() != Errno.ENOENT) {
                throw e;
            }
        }
        ctx.fs().link(first, to);
    }
}
