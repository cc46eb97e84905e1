package org.rumpmount.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.FileHandle;
import org.rumpmount.vfs.OpenFlags;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * get: copies out of the image onto the host as the image has it: regular files, directories
 * (with -r), symbolic links, FIFOs, sockets, and device nodes when run as root (elsewhere each
 * one is skipped with a warning); names sharing an inode become hard links again; permission
 * bits with set-id and sticky bits; owner and group when run as root; access and modification
 * times with nanoseconds. Names are copied as their exact bytes ({@link HostFiles}).
 *
 * <p>Each entry's times are set last, after its content and after everything inside it, so a
 * directory's times are set once its last entry is made (the walk finishes the deepest first).
 * Owner comes before mode, because a change of owner clears the set-id bits.
 */
@Command(name = "get", description = "Copy IMAGE_PATH out of the image to HOST_PATH (into it, if a directory).")
final class GetCommand implements FsCommand {
    private static final int CHUNK = 1 << 20;

    @Option(names = {"-r", "-R"}, description = "Copy directories recursively.")
    boolean recursive;

    @Parameters(index = "0", paramLabel = "IMAGE_PATH")
    String source;

    @Parameters(index = "1", paramLabel = "HOST_PATH")
    String dest;

    private int status;
    private HostFiles host;
    private boolean root;
    private ByteBuffer buf;
    /** Host path of the first copy of each inode with more than one name, by inode number. */
    private final Map<Long, String> linked = new HashMap<>();

    @Override
    public int run(FsContext ctx) throws CommandFailure {
        status = 0;
        linked.clear();
        String raw = ctx.raw(source);
        String abs = ctx.resolve(raw);
        Vattr a;
        try {
            a = ctx.fs().lstat(abs);
            if (a.type == VType.VLNK && raw.endsWith("/")) {
                a = ctx.fs().stat(abs);
            }
        } catch (IOException e) {
            throw FsContext.failure(raw, e);
        }
        if (a.type == VType.VDIR && !recursive) {
            throw new CommandFailure("-r not specified; omitting directory '" + raw + "'");
        }
        try {
            host = HostFiles.load();
        } catch (IOException e) {
            throw new CommandFailure(RawText.ofHost(e.getMessage()));
        }
        root = host.isRoot();
        String to = ctx.raw(dest);
        if (host.isDirectory(to)) {
            String base = FsContext.baseName(raw);
            if (base.equals("/")) {
                throw new CommandFailure("cannot copy the root directory into an existing directory; name a new one");
            }
            to = FsContext.join(to, base);
        }
        buf = ByteBuffer.allocateDirect(CHUNK);
        copy(ctx, raw, abs, a, to);
        return status;
    }

    private void copy(FsContext ctx, String shown, String abs, Vattr a, String to) {
        try {
            if (a.type != VType.VDIR && a.nlink > 1) {
                String first = linked.putIfAbsent(a.fileid, to);
                if (first != null) {
                    host.unlinkIfPresent(to);
                    host.link(first, to);
                    return;
                }
            }
            switch (a.type) {
                case VREG -> {
                    host.unlinkIfPresent(to);
                    int fd = host.createFile(to, 0600);
                    try (FileHandle in = ctx.fs().open(abs, OpenFlags.O_RDONLY, 0)) {
                        long off = 0;
                        int n;
                        while ((n = in.read(off, buf.clear())) > 0) {
                            host.write(fd, buf.flip());
                            off += n;
                        }
                    } finally {
                        host.close(fd);
                    }
                }
                case VLNK -> {
                    host.unlinkIfPresent(to);
                    host.symlink(RawText.of(ctx.fs().readlink(abs)), to);
                }
                case VFIFO -> makeNode(to, HostFiles.S_IFIFO, 0);
                case VSOCK -> makeNode(to, HostFiles.S_IFSOCK, 0);
                case VCHR, VBLK -> {
                    if (!root) {
                        linked.remove(a.fileid, to);
                        ctx.warn(shown + ": skipped: " + ModeString.typeWords(a.type, a.size) + " (making device nodes needs root)");
                        status = 1;
                        return;
                    }
                    makeNode(to, a.type == VType.VCHR ? HostFiles.S_IFCHR : HostFiles.S_IFBLK, a.rdev);
                }
                case VDIR -> {
                    makeDirectory(to);
                    copyEntries(ctx, shown, abs, to);
                }
                default -> {
                    ctx.warn(shown + ": skipped: " + ModeString.typeWords(a.type, a.size) + " (not a kind of file the host can hold)");
                    status = 1;
                    return;
                }
            }
            finish(to, a);
        } catch (IOException e) {
            ctx.warn(shown, e);
            status = 1;
        }
    }

    private void copyEntries(FsContext ctx, String shown, String abs, String to) throws IOException {
        for (Dirent d : Entries.of(ctx.fs(), abs, false)) {
            String n = Entries.name(d);
            String childShown = FsContext.join(shown, n);
            if (n.indexOf('/') >= 0 || n.indexOf('\0') >= 0) {
                // A damaged directory could otherwise lead the copy out of the destination.
                ctx.warn(childShown + ": skipped: the name holds a '/' or NUL byte, which no host name can");
                status = 1;
                continue;
            }
            String childAbs = FsContext.join(abs, n);
            Vattr ca;
            try {
                ca = ctx.fs().lstat(childAbs);
            } catch (IOException e) {
                ctx.warn(childShown, e);
                status = 1;
                continue;
            }
            copy(ctx, childShown, childAbs, ca, FsContext.join(to, n));
        }
    }

    private void makeDirectory(String to) throws IOException {
        try {
            host.mkdir(to, 0700);
        } catch (HostFiles.HostCallException e) {
            if (!host.isDirectory(to)) {
                throw e;
            }
        }
    }

    private void makeNode(String to, int ifmt, long rdev) throws IOException {
        host.unlinkIfPresent(to);
        host.mknod(to, ifmt | 0600, rdev);
    }

    /** Owner (as root), then mode (not for a symbolic link), then times. */
    private void finish(String to, Vattr a) throws IOException {
        if (root) {
            host.lchown(to, a.uid, a.gid);
        }
        if (a.type != VType.VLNK) {
            host.chmod(to, a.mode);
        }
        Timespec mtime = a.mtime != null ? a.mtime : Timespec.EPOCH;
        host.setTimes(to, a.atime != null ? a.atime : mtime, mtime);
    }
}
